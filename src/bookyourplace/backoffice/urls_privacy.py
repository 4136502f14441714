"""The back office's retention pages (included by backoffice/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.backoffice.views import privacy

urlpatterns = [
    path("privacy/retention/", privacy.retention, name="retention"),
    path("privacy/retention/run/", privacy.run_retention_now, name="retention_run"),
]
