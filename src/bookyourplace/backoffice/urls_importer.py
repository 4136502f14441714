"""Back-office URLs: import a flyer (paste or upload, preview and correct, create the draft) and
download the original kept with the programme (issue 16)."""

from django.urls import path

from bookyourplace.backoffice.views import importer

urlpatterns = [
    path("programmes/import/", importer.programme_import, name="programme_import"),
    path("programmes/import/preview/", importer.programme_import_preview, name="programme_import_preview"),
    path("programmes/<id:programme_id>/flyer/", importer.programme_source, name="programme_source"),
]
