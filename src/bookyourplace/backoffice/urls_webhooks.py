"""Webhooks (included by backoffice/urls.py, in its namespace): /backoffice/integrations/webhooks/..."""

urlpatterns: list = []
