"""Reading councils' flyers into a draft programme (issue 16)."""
