from django.urls import path

from bookyourplace.backoffice.views import email_sending, organisations

urlpatterns = [
    path("organisations/", organisations.organisation_list, name="organisations"),
    path("organisations/new/", organisations.organisation_new, name="organisation_new"),
    path("organisations/<id:organiser_id>/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<id:organiser_id>/administrator/",
        organisations.organisation_administrator,
        name="organisation_administrator",
    ),
    path("organisation/settings/", organisations.organisation_settings, name="organisation_settings"),
    path("organisation/email-sending/", email_sending.email_sending, name="email_sending"),
    path("organisation/email-sending/test/", email_sending.email_sending_test, name="email_sending_test"),
    path("organisation/change/", organisations.organisation_switch, name="organisation_switch"),
]
