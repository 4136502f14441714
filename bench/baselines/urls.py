from django.urls import path

from bench.baselines import views

app_name = "baselines"

urlpatterns = [
    path("programmes/<slug:programme_slug>/", views.page, name="page"),
    path("sessions/<int:session_id>/book/", views.book, name="book"),
]
