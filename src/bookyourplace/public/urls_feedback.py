"""The public feedback pages (included by public/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.public import feedback_views

urlpatterns = [
    path("feedback/<str:token>/", feedback_views.feedback, name="feedback"),
    path("feedback/<str:token>/thank-you/", feedback_views.thanks, name="feedback_thanks"),
]
