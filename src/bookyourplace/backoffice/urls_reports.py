"""The back office's reports pages (included by backoffice/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.backoffice.views import reports

urlpatterns = [
    path("reports/", reports.reports, name="reports"),
    path("reports/evaluation/", reports.evaluation_summary, name="evaluation_summary"),
    path("reports/report.pdf", reports.reports_pdf, name="reports_pdf"),
    path("reports/<slug:table>.csv", reports.report_table, {"file_format": "csv"}, name="report_table_csv"),
    path("reports/<slug:table>.xlsx", reports.report_table, {"file_format": "xlsx"}, name="report_table_xlsx"),
    path("programmes/<id:programme_id>/report/", reports.programme_report, name="programme_report"),
]
