"""The back office's check-in pages (included by backoffice/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.backoffice.views import check_in

urlpatterns = [
    path("sessions/<id:session_id>/scan/", check_in.scan, name="scan"),
    path("sessions/<id:session_id>/scan/check-in/", check_in.scan_check_in, name="scan_check_in"),
    # What the QR code says: a phone's own camera app opens it (core/log_masking.py hides the token).
    path("check-in/<str:token>/", check_in.check_in_by_link, name="check_in"),
]
