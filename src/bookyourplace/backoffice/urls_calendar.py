"""Back-office URLs: a programme's calendar feed and embed, to share (issue 16)."""

from django.urls import path

from bookyourplace.backoffice.views import calendar

urlpatterns = [
    path("programmes/<id:programme_id>/share/", calendar.programme_share, name="programme_share"),
]
