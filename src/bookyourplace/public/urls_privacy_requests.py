"""The attendee's "Delete my details" (included by public/urls.py, in its namespace)."""

from django.urls import path

from bookyourplace.public import privacy_request_views

urlpatterns = [
    path(
        "booking/<str:token>/delete-my-details/",
        privacy_request_views.delete_my_details,
        name="delete_my_details",
    ),
]
