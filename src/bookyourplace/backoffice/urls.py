from django.urls import path

from bookyourplace.backoffice import (
    urls_api_tokens,
    urls_calendar,
    urls_check_in,
    urls_council_sign_in,
    urls_coverage,
    urls_feedback,
    urls_importer,
    urls_organisations,
    urls_organiser_pages,
    urls_passkeys,
    urls_printing,
    urls_privacy,
    urls_questions,
    urls_register,
    urls_reports,
    urls_subject_access,
    urls_teams,
    urls_webhooks,
)
from bookyourplace.backoffice.views import (
    approvals,
    audit,
    auth,
    bookings,
    exports,
    people,
    programme_rules,
    programmes,
    sessions,
    waiting_list,
)
from bookyourplace.backoffice.views import messages as attendee_messages
from bookyourplace.programmes.models import Programme

app_name = "backoffice"

urlpatterns = [
    # Signing in
    path("sign-in/", auth.SignInView.as_view(), name="sign_in"),
    path("sign-in/code/", auth.verify, name="verify"),
    path("sign-out/", auth.sign_out, name="sign_out"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.password_reset_sent, name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("account/", auth.account, name="account"),
    path("account/two-factor/", auth.two_factor_setup, name="two_factor_setup"),
    path("account/recovery-codes/", auth.recovery_codes, name="recovery_codes"),
    # Council sign-in: an organisation's own OpenID Connect provider, and its settings
    *urls_council_sign_in.urlpatterns,
    *urls_passkeys.urlpatterns,
    # Programmes
    path("", programmes.dashboard, name="dashboard"),
    path("programmes/new/", programmes.programme_new, name="programme_new"),
    path("programmes/<id:programme_id>/", programmes.programme_detail, name="programme"),
    path("programmes/<id:programme_id>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<id:programme_id>/copy/", programmes.programme_copy, name="programme_copy"),
    path(
        "programmes/<id:programme_id>/publish/",
        programmes.programme_status,
        {"status": Programme.Status.PUBLISHED},
        name="programme_publish",
    ),
    path(
        "programmes/<id:programme_id>/unpublish/",
        programmes.programme_status,
        {"status": Programme.Status.DRAFT},
        name="programme_unpublish",
    ),
    path(
        "programmes/<id:programme_id>/archive/",
        programmes.programme_status,
        {"status": Programme.Status.ARCHIVED},
        name="programme_archive",
    ),
    # Sessions
    path("programmes/<id:programme_id>/sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/<id:session_id>/", sessions.session_detail, name="session"),
    path("sessions/<id:session_id>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<id:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    # Bookings
    path("sessions/<id:session_id>/bookings/", bookings.session_bookings, name="session_bookings"),
    path("sessions/<id:session_id>/bookings/new/", bookings.booking_new, name="session_booking_new"),
    path("bookings/<id:booking_id>/", bookings.booking_detail, name="booking"),
    path("bookings/<id:booking_id>/cancel/", bookings.booking_cancel, name="booking_cancel"),
    path("bookings/<id:booking_id>/resend/", bookings.booking_resend, name="booking_resend"),
    # Exports
    path(
        "sessions/<id:session_id>/export.csv",
        exports.export_session,
        {"file_format": "csv"},
        name="session_export_csv",
    ),
    path(
        "sessions/<id:session_id>/export.xlsx",
        exports.export_session,
        {"file_format": "xlsx"},
        name="session_export_xlsx",
    ),
    path(
        "programmes/<id:programme_id>/export.csv",
        exports.export_programme,
        {"file_format": "csv"},
        name="programme_export_csv",
    ),
    path(
        "programmes/<id:programme_id>/export.xlsx",
        exports.export_programme,
        {"file_format": "xlsx"},
        name="programme_export_xlsx",
    ),
    # Messages to attendees
    path("sessions/<id:session_id>/message/", attendee_messages.session_message, name="session_message"),
    path("programmes/<id:programme_id>/message/", attendee_messages.programme_message, name="programme_message"),
    path("messages/<id:message_id>/", attendee_messages.message_detail, name="message"),
    path("messages/<id:message_id>/progress.json", attendee_messages.message_progress, name="message_progress"),
    # Administration
    path("people/", people.people, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/<id:member_id>/", people.person_edit, name="person_edit"),
    path("people/<id:member_id>/switch-off/", people.person_switch_off, name="person_switch_off"),
    path("people/<id:member_id>/two-factor/reset/", people.person_reset_two_factor, name="person_reset_two_factor"),
    path("audit-log/", audit.audit_log, name="audit_log"),
    *urls_api_tokens.urlpatterns,
    *urls_webhooks.urlpatterns,
    # Booking life cycle: approvals, waiting list, a programme's booking rules
    path("sessions/<id:session_id>/approvals/", approvals.approvals_list, name="approvals"),
    path("sessions/<id:session_id>/approvals/decide/", approvals.decide, name="approvals_decide"),
    path("sessions/<id:session_id>/waiting-list/", waiting_list.waiting_list, name="waiting_list"),
    path("programmes/<id:programme_id>/rules/", programme_rules.programme_rules, name="programme_rules"),
    # After the session: registers, check-in, Teams reports, feedback
    *urls_register.urlpatterns,
    *urls_check_in.urlpatterns,
    *urls_teams.urlpatterns,
    *urls_feedback.urlpatterns,
    # Reports and coverage
    *urls_reports.urlpatterns,
    *urls_coverage.urlpatterns,
    # What the organiser publishes: the privacy notice and the accessibility statement
    *urls_organiser_pages.urlpatterns,
    # Organisations on the install (installation administrators), an organisation's settings,
    # which one an installation administrator acts for
    *urls_organisations.urlpatterns,
    # Retention: the dry run and running it now
    *urls_privacy.urlpatterns,
    # Subject access and erasure: what is held about a person, erase or keep it
    *urls_subject_access.urlpatterns,
    # Setting up a programme: import a flyer, the booking questions, print it, its feeds and embed
    *urls_importer.urlpatterns,
    *urls_questions.urlpatterns,
    *urls_printing.urlpatterns,
    *urls_calendar.urlpatterns,
]
