"""Subject access and erasure (included by backoffice/urls.py, in its namespace). No URL here
carries an email address: look-ups, downloads and decisions are POSTs."""

from django.urls import path

from bookyourplace.backoffice.views import subject_access

urlpatterns = [
    path("privacy/people/", subject_access.subject_access_page, name="subject_access"),
    path(
        "privacy/people/requests/<id:request_id>/",
        subject_access.erasure_request,
        name="erasure_request",
    ),
    path("privacy/people/export.json", subject_access.export_json, name="subject_access_json"),
    path("privacy/people/export.pdf", subject_access.export_pdf, name="subject_access_pdf"),
    path("privacy/people/erase/", subject_access.erase, name="subject_access_erase"),
    path("privacy/people/keep/", subject_access.keep, name="subject_access_keep"),
]
