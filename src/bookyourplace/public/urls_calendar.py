"""Public URLs: a programme's calendar feed and a session's calendar file, and the programme
for other websites, as an iframe page and an HTML snippet (issue 16)."""

from django.urls import path

from bookyourplace.public import calendar_views

urlpatterns = [
    path(
        "programmes/<slug:programme_slug>/calendar.ics",
        calendar_views.programme_calendar,
        name="programme_calendar",
    ),
    path(
        "programmes/<slug:programme_slug>/sessions/<id:session_id>/calendar.ics",
        calendar_views.session_calendar,
        name="session_calendar",
    ),
    path("programmes/<slug:programme_slug>/embed/", calendar_views.programme_embed, name="programme_embed"),
    path(
        "programmes/<slug:programme_slug>/embed.html",
        calendar_views.programme_embed_snippet,
        name="programme_embed_snippet",
    ),
]
