"""Back-office URLs: calendar (issue 16)."""

urlpatterns: list = []
