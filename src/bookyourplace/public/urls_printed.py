"""Public URLs: the printed programme (included by public/urls.py, in its namespace), for
published programmes only."""

from django.urls import path

from bookyourplace.public import printed_views

urlpatterns = [
    path(
        "programmes/<slug:programme_slug>/programme.pdf",
        printed_views.programme_pdf,
        {"kind": "programme"},
        name="programme_pdf",
    ),
    path(
        "programmes/<slug:programme_slug>/poster.pdf",
        printed_views.programme_pdf,
        {"kind": "poster"},
        name="programme_poster",
    ),
]
