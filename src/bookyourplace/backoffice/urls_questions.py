"""Back-office URLs: questions (issue 16)."""

urlpatterns: list = []
