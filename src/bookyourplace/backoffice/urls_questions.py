"""Back-office URLs: the organiser's own booking questions (issue 16), a programme's and a
session's (included by backoffice/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.backoffice.views import questions

urlpatterns = [
    path("programmes/<id:programme_id>/questions/", questions.programme_questions, name="programme_questions"),
    path(
        "programmes/<id:programme_id>/questions/add/",
        questions.programme_question_add,
        name="programme_question_add",
    ),
    path("sessions/<id:session_id>/questions/", questions.session_questions, name="session_questions"),
    path("sessions/<id:session_id>/questions/add/", questions.session_question_add, name="session_question_add"),
    path("questions/<id:question_id>/edit/", questions.question_edit, name="question_edit"),
    path("questions/<id:question_id>/remove/", questions.question_remove, name="question_remove"),
    path("questions/<id:question_id>/move/", questions.question_move, name="question_move"),
]
