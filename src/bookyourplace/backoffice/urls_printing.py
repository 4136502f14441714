"""Back-office URLs: print the programme (included by backoffice/urls.py, in its namespace):
its PDF, its poster and its plain text for emails."""

from django.urls import path

from bookyourplace.backoffice.views import printing

urlpatterns = [
    path(
        "programmes/<id:programme_id>/print/programme.pdf",
        printing.programme_pdf,
        {"kind": "programme"},
        name="programme_print_pdf",
    ),
    path(
        "programmes/<id:programme_id>/print/poster.pdf",
        printing.programme_pdf,
        {"kind": "poster"},
        name="programme_print_poster",
    ),
    path("programmes/<id:programme_id>/print/plain-text/", printing.plain_text, name="programme_print_text"),
    path(
        "programmes/<id:programme_id>/print/programme.txt", printing.plain_text_file, name="programme_print_text_file"
    ),
]
