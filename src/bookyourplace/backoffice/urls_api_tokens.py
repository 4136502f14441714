"""API tokens and the integrations page (included by backoffice/urls.py, in its namespace):
/backoffice/integrations/..."""

urlpatterns: list = []
