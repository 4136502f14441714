""" "See all my bookings" (included by public/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.public import own_record_views

urlpatterns = [
    path("my-bookings/", own_record_views.ask, name="own_record"),
    path("my-bookings/sign-in/<str:token>/", own_record_views.sign_in, name="own_record_sign_in"),
    path("my-bookings/list/", own_record_views.bookings_list, name="own_record_list"),
    path("my-bookings/sign-out/", own_record_views.sign_out, name="own_record_sign_out"),
    path("my-bookings/<id:booking_id>/<slug:action>/", own_record_views.act, name="own_record_action"),
]
