"""The back office's Teams attendance report pages (included by backoffice/urls.py, in its
namespace): upload and preview, then save."""

from django.urls import path

from bookyourplace.backoffice.views import teams_import

urlpatterns = [
    path("sessions/<id:session_id>/teams-report/", teams_import.teams_import, name="teams_import"),
    path("sessions/<id:session_id>/teams-report/save/", teams_import.teams_import_save, name="teams_import_save"),
]
