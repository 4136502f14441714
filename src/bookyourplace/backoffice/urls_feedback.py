"""The back office's feedback pages (included by backoffice/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.backoffice.views import feedback

urlpatterns = [
    path("sessions/<id:session_id>/feedback/", feedback.session_feedback, name="session_feedback"),
    path("sessions/<id:session_id>/feedback.csv", feedback.session_feedback_csv, name="session_feedback_csv"),
    path("programmes/<id:programme_id>/feedback/", feedback.programme_feedback, name="programme_feedback"),
    path("programmes/<id:programme_id>/feedback.csv", feedback.programme_feedback_csv, name="programme_feedback_csv"),
    path("programmes/<id:programme_id>/feedback/questions/", feedback.feedback_questions, name="feedback_questions"),
]
