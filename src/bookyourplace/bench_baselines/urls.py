from django.urls import path

from bookyourplace.bench_baselines import views

app_name = "bench_baselines"

urlpatterns = [
    path("programmes/<slug:programme_slug>/", views.page, name="page"),
    path("sessions/<int:session_id>/book/", views.book, name="book"),
]
