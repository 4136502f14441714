"""The back office's coverage pages (included by backoffice/urls.py, in its namespace): which
organisations of the area have had nobody trained, importing their lists, the follow-up list."""

from django.urls import path

from bookyourplace.backoffice.views import coverage

urlpatterns = [
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/import/", coverage.coverage_import, name="coverage_import"),
    path("coverage/import/save/", coverage.coverage_import_save, name="coverage_import_save"),
    path("coverage/follow-up.csv", coverage.follow_up, {"file_format": "csv"}, name="coverage_follow_up_csv"),
    path("coverage/follow-up.xlsx", coverage.follow_up, {"file_format": "xlsx"}, name="coverage_follow_up_xlsx"),
]
