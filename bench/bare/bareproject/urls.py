from booking import views
from django.urls import path

urlpatterns = [
    path("book/<int:session_id>/", views.book, name="book"),
    path("booked/<int:booking_id>/", views.booked, name="booked"),
]
