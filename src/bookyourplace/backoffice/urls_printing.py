"""Back-office URLs: printing (issue 16)."""

urlpatterns: list = []
