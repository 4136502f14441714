from django.urls import path

from bookyourplace.public import (
    organiser_pages,
    urls_calendar,
    urls_certificates,
    urls_feedback,
    urls_own_record,
    urls_printed,
    urls_privacy_requests,
    views,
)

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", organiser_pages.privacy_notice, name="privacy"),
    path("accessibility/", organiser_pages.accessibility_statement, name="accessibility"),
    path("organisers/<slug:organiser_slug>/privacy/", organiser_pages.organiser_privacy, name="organiser_privacy"),
    path(
        "organisers/<slug:organiser_slug>/accessibility/",
        organiser_pages.organiser_accessibility,
        name="organiser_accessibility",
    ),
    path("brand/<slug:organiser_slug>.css", views.brand_css, name="brand_css"),
    path("programmes/<slug:programme_slug>/", views.programme, name="programme"),
    path("programmes/<slug:programme_slug>/sessions/<id:session_id>/", views.session_detail, name="session"),
    path("programmes/<slug:programme_slug>/sessions/<id:session_id>/book/", views.book, name="book"),
    path(
        "programmes/<slug:programme_slug>/sessions/<id:session_id>/book/confirmed/",
        views.booking_confirmed,
        name="booking_confirmed",
    ),
    path("booking/<str:token>/", views.manage, name="manage"),
    path("booking/<str:token>/calendar.ics", views.manage_calendar, name="manage_calendar"),
    path("booking/<str:token>/cancel/", views.cancel, name="cancel"),
    path("booking/<str:token>/accept/", views.accept_offer, name="accept_offer"),
    path("booking/<str:token>/confirm-email/", views.confirm_email, name="confirm_email"),
    *urls_feedback.urlpatterns,
    *urls_certificates.urlpatterns,
    *urls_privacy_requests.urlpatterns,
    *urls_own_record.urlpatterns,
    *urls_calendar.urlpatterns,
    *urls_printed.urlpatterns,
]
