"""Public URLs: printed (issue 16)."""

urlpatterns: list = []
