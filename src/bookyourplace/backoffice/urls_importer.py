"""Back-office URLs: importer (issue 16)."""

urlpatterns: list = []
