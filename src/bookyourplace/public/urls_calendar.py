"""Public URLs: calendar (issue 16)."""

urlpatterns: list = []
