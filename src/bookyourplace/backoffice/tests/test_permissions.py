"""Who may open which back-office page or do which action: the whole matrix, asked over HTTP.

Read MATRIX as the rules. Each row is one URL, the method used (GET for pages, POST for
actions) and the thing it is about; each column the status one kind of person gets:

    200  the page            302  the action is done (a redirect onwards)
    403  refused             404  not found: it belongs to another organiser, or to a
                                  programme this organiser is not assigned to

"A" is a programme of our organiser that "organiser of A" runs; "organiser of B" runs only
another programme of ours (B). "X" is a programme of ANOTHER organiser, with its own
session, booking, message and people: nobody here finds it. "no staff record" is signed in
but has no back-office role. Anonymous visitors are sent to sign in, everywhere (last test).
"""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone

from bookyourplace.accounts.api_tokens import create_token
from bookyourplace.accounts.models import Role, SignInProvider
from bookyourplace.accounts.testing import make_passkey, make_person, sign_in_as
from bookyourplace.attendance.services import add_walk_in
from bookyourplace.bookings.check_in import check_in_token
from bookyourplace.privacy.models import ErasureRequest
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.privacy.subject_access import ask_for_erasure
from bookyourplace.programmes.models import Organiser, Programme, ProgrammeSource, Question
from bookyourplace.webhooks.models import Delivery, Endpoint
from bookyourplace.webhooks.signing import new_secret

GET, POST = "GET", "POST"
ROLES = ("administrator", "organiser of A", "organiser of B", "viewer", "no staff record")

# fmt: off
MATRIX = [
    # URL name               method  about            admin  org A  org B  viewer  no staff
    ("dashboard",              GET,  None,             200,   200,   200,   200,    403),
    ("account",                GET,  None,             200,   200,   200,   200,    403),
    ("two_factor_setup",       GET,  None,             200,   200,   200,   200,    200),  # one's own sign-in only
    ("recovery_codes",         GET,  None,             302,   302,   302,   302,    403),  # to Your account: no authenticator
    ("passkey_added",          POST, None,             302,   302,   302,   302,    403),  # no passkey: to Your account
    ("passkey_rename",         GET,  "passkey of colleague", 404, 404,  404,   404,    403),  # one's own passkeys only
    ("passkey_remove",         GET,  "passkey of colleague", 404, 404,  404,   404,    403),
    ("passkey_remove",         POST, "passkey of colleague", 404, 404,  404,   404,    403),
    ("passkey_register_begin", POST, None,             200,   200,   200,   200,    403),  # JSON: a first passkey's options
    ("passkey_register_complete", POST, None,          400,   400,   400,   400,    403),  # JSON: no ceremony begun
    ("passkey_sign_in_begin",  POST, None,             200,   200,   200,   200,    403),
    ("passkey_sign_in_complete", POST, None,           400,   400,   400,   400,    403),
    ("passkey_js_catalog",     GET,  None,             200,   200,   200,   200,    403),  # the library's words
    ("programme_new",          GET,  None,             200,   200,   200,   403,    403),
    ("programme_import",       GET,  None,             200,   200,   200,   403,    403),
    ("programme_import",       POST, None,             200,   200,   200,   403,    403),  # nothing pasted: the form's error
    ("programme_import_preview", POST, None,           302,   302,   302,   403,    403),  # no preview: back to start again
    ("programme_source",       GET,  "A",              200,   200,   404,   200,    403),  # whoever sees the programme
    ("programme",              GET,  "A",              200,   200,   404,   200,    403),
    ("programme_edit",         GET,  "A",              200,   200,   404,   403,    403),
    ("programme_copy",         GET,  "A",              200,   200,   404,   403,    403),
    ("programme_publish",      POST, "A",              302,   302,   404,   403,    403),
    ("programme_unpublish",    POST, "A",              302,   302,   404,   403,    403),
    ("programme_archive",      POST, "A",              302,   302,   404,   403,    403),
    ("session_new",            GET,  "A",              200,   200,   404,   403,    403),
    ("session",                GET,  "session in A",   200,   200,   404,   200,    403),
    ("session_edit",           GET,  "session in A",   200,   200,   404,   403,    403),
    ("session_cancel",         GET,  "session in A",   200,   200,   404,   403,    403),
    ("session_cancel",         POST, "session in A",   302,   302,   404,   403,    403),
    ("session_bookings",       GET,  "session in A",   200,   200,   404,   200,    403),
    ("session_booking_new",    GET,  "session in A",   200,   200,   404,   403,    403),
    ("booking",                GET,  "booking in A",   200,   200,   404,   200,    403),
    ("booking_cancel",         GET,  "booking in A",   200,   200,   404,   403,    403),
    ("booking_resend",         POST, "booking in A",   302,   302,   404,   403,    403),
    ("session_export_csv",     GET,  "session in A",   200,   200,   404,   403,    403),
    ("session_export_xlsx",    GET,  "session in A",   200,   200,   404,   403,    403),
    ("programme_export_csv",   GET,  "A",              200,   200,   404,   403,    403),
    ("programme_export_xlsx",  GET,  "A",              200,   200,   404,   403,    403),
    ("session_message",        GET,  "session in A",   200,   200,   404,   403,    403),
    ("programme_message",      GET,  "A",              200,   200,   404,   403,    403),
    ("message",                GET,  "message in A",   200,   200,   404,   403,    403),
    ("message_progress",       GET,  "message in A",   200,   200,   404,   403,    403),
    ("approvals",              GET,  "session in A",   200,   200,   404,   200,    403),
    ("approvals_decide",       POST, "session in A",   302,   302,   404,   403,    403),
    ("waiting_list",           GET,  "session in A",   200,   200,   404,   200,    403),
    ("programme_rules",        GET,  "A",              200,   200,   404,   403,    403),
    ("session_feedback",       GET,  "session in A",   200,   200,   404,   200,    403),
    ("session_feedback_csv",   GET,  "session in A",   200,   200,   404,   200,    403),  # a viewer's has no names
    ("programme_feedback",     GET,  "A",              200,   200,   404,   200,    403),
    ("programme_feedback_csv", GET,  "A",              200,   200,   404,   200,    403),
    ("feedback_questions",     GET,  "A",              200,   200,   404,   403,    403),
    ("feedback_questions",     POST, "A",              200,   200,   404,   403,    403),  # no action: the page again
    ("programme_questions",    GET,  "A",              200,   200,   404,   403,    403),  # booking questions
    ("programme_question_add", GET,  "A",              200,   200,   404,   403,    403),
    ("programme_question_add", POST, "A",              200,   200,   404,   403,    403),  # empty: the form's errors
    ("session_questions",      GET,  "session in A",   200,   200,   404,   403,    403),
    ("session_questions",      POST, "session in A",   200,   200,   404,   403,    403),  # no choice: the form's error
    ("session_question_add",   GET,  "session in A",   302,   302,   404,   403,    403),  # asks the programme's: back
    ("question_edit",          GET,  "question in A",  200,   200,   404,   403,    403),
    ("question_edit",          POST, "question in A",  200,   200,   404,   403,    403),  # empty: the form's errors
    ("question_remove",        GET,  "question in A",  200,   200,   404,   403,    403),  # the confirmation
    ("question_move",          POST, "question in A",  302,   302,   404,   403,    403),
    ("sign_in_sheet",          GET,  "session in A",   200,   200,   404,   403,    403),
    ("sign_in_sheet_organiser", GET, "session in A",   200,   200,   404,   403,    403),
    ("register",               GET,  "session in A",   200,   200,   404,   200,    403),
    ("register_tick",          POST, "session in A",   302,   302,   404,   403,    403),  # nobody chosen: back to the register
    ("register_walk_in",       POST, "session in A",   200,   200,   404,   403,    403),  # no name: the form's errors
    ("register_walk_in_remove", POST, "walk-in in A",  302,   302,   404,   403,    403),
    ("attendance",             GET,  "session in A",   200,   200,   404,   200,    403),
    ("attendance_set",         POST, "mark in A",      302,   302,   404,   403,    403),  # no outcome: back, saying so
    ("no_show_emails",         POST, "session in A",   302,   302,   404,   403,    403),  # not ended: back, saying so
    ("scan",                   GET,  "session in A",   200,   200,   404,   403,    403),
    ("scan_check_in",          POST, "session in A",   200,   200,   404,   403,    403),  # no reference: the form's error
    ("teams_import",           GET,  "session in A",   200,   200,   404,   403,    403),
    ("teams_import",           POST, "session in A",   200,   200,   404,   403,    403),  # no file: the form's error
    ("teams_import_save",      POST, "session in A",   302,   302,   404,   403,    403),  # no preview: back to upload
    ("check_in",               GET,  "code in A",      200,   200,   404,   403,    403),
    ("check_in",               POST, "code in A",      302,   302,   404,   403,    403),
    ("people",                 GET,  None,             200,   403,   403,   403,    403),
    ("person_new",             GET,  None,             200,   403,   403,   403,    403),
    ("person_edit",            GET,  "colleague",      200,   403,   403,   403,    403),
    ("person_switch_off",      POST, "colleague",      302,   403,   403,   403,    403),
    ("person_reset_two_factor", GET, "colleague",      200,   403,   403,   403,    403),  # two-factor: see test_two_factor.py
    ("audit_log",              GET,  None,             200,   403,   403,   403,    403),
    ("integrations",           GET,  None,             200,   403,   403,   403,    403),  # API tokens, webhooks
    ("api_token_new",          GET,  None,             200,   403,   403,   403,    403),
    ("api_token_new",          POST, None,             200,   403,   403,   403,    403),  # empty: the form's errors
    ("api_token_revoke",       GET,  "API token",      200,   403,   403,   403,    403),  # the confirmation
    ("api_token_revoke",       POST, "API token",      302,   403,   403,   403,    403),
    ("council_sign_in_providers", GET, None,           200,   403,   403,   403,    403),  # council sign-in
    ("council_sign_in_provider_new", GET, None,        200,   403,   403,   403,    403),
    ("council_sign_in_provider_new", POST, None,       200,   403,   403,   403,    403),  # empty: the form's errors
    ("council_sign_in_provider", GET, "sign-in provider", 200, 403,  403,   403,    403),
    ("council_sign_in_provider_edit", GET, "sign-in provider", 200, 403, 403, 403,   403),
    ("council_sign_in_provider_edit", POST, "sign-in provider", 200, 403, 403, 403,  403),  # empty: the form's errors
    ("council_sign_in_provider_check", POST, "sign-in provider", 302, 403, 403, 403, 403),  # says it cannot be read
    ("council_sign_in_provider_remove", GET, "sign-in provider", 200, 403, 403, 403, 403),  # the confirmation
    ("council_sign_in_provider_remove", POST, "sign-in provider", 302, 403, 403, 403, 403),
    ("webhooks",               GET,  None,             200,   403,   403,   403,    403),
    ("webhook_new",            GET,  None,             200,   403,   403,   403,    403),
    ("webhook_new",            POST, None,             200,   403,   403,   403,    403),  # empty: the form's errors
    ("webhook",                GET,  "endpoint",       200,   403,   403,   403,    403),  # with its delivery log
    ("webhook_edit",           GET,  "endpoint",       200,   403,   403,   403,    403),
    ("webhook_edit",           POST, "endpoint",       200,   403,   403,   403,    403),  # empty: the form's errors
    ("webhook_secret",         GET,  "endpoint",       200,   403,   403,   403,    403),  # the confirmation
    ("webhook_secret",         POST, "endpoint",       302,   403,   403,   403,    403),
    ("webhook_remove",         GET,  "endpoint",       200,   403,   403,   403,    403),  # the confirmation
    ("webhook_remove",         POST, "endpoint",       302,   403,   403,   403,    403),
    ("webhook_test",           POST, "endpoint",       302,   403,   403,   403,    403),
    ("webhook_delivery",       GET,  "webhook message", 200,  403,   403,   403,    403),
    ("webhook_resend",         POST, "webhook message", 302,  403,   403,   403,    403),
    ("subject_access",         GET,  None,             200,   403,   403,   403,    403),
    ("subject_access",         POST, None,             200,   403,   403,   403,    403),  # no address: the form's error
    ("erasure_request",        GET,  "erasure request in A", 200, 403, 403, 403,    403),
    ("subject_access_json",    POST, None,             302,   403,   403,   403,    403),  # no token: look up again
    ("subject_access_pdf",     POST, None,             302,   403,   403,   403,    403),
    ("subject_access_erase",   POST, None,             302,   403,   403,   403,    403),
    ("subject_access_keep",    POST, None,             302,   403,   403,   403,    403),
    ("retention",              GET,  None,             200,   403,   403,   403,    403),
    ("retention_run",          POST, None,             302,   403,   403,   403,    403),
    ("privacy_notice_edit",    GET,  None,             200,   200,   200,   200,    403),  # others read it
    ("privacy_notice_edit",    POST, None,             200,   403,   403,   403,    403),  # empty: the form's errors
    ("accessibility_statement_edit", GET, None,        200,   200,   200,   200,    403),
    ("accessibility_statement_edit", POST, None,       200,   403,   403,   403,    403),
    # Organisations on the install: installation administrators (superusers) only, see test_organisations.py
    ("organisations",          GET,  None,             403,   403,   403,   403,    403),
    ("organisation_new",       GET,  None,             403,   403,   403,   403,    403),
    ("organisation_new",       POST, None,             403,   403,   403,   403,    403),
    ("organisation_edit",      GET,  "our organisation", 403, 403,   403,   403,    403),
    ("organisation_edit",      POST, "organisation of X", 403, 403,  403,   403,    403),
    ("organisation_administrator", GET, "our organisation", 403, 403, 403,  403,    403),
    ("organisation_administrator", POST, "organisation of X", 403, 403, 403, 403,   403),
    ("organisation_settings",  GET,  None,             200,   403,   403,   403,    403),  # its administrators
    ("organisation_settings",  POST, None,             200,   403,   403,   403,    403),  # empty: the form's errors
    ("email_sending",          GET,  None,             200,   403,   403,   403,    403),  # its administrators
    ("email_sending",          POST, None,             200,   403,   403,   403,    403),  # empty: the form's errors
    ("email_sending_test",     GET,  None,             200,   403,   403,   403,    403),
    ("email_sending_test",     POST, None,             200,   403,   403,   403,    403),  # empty: the form's error
    ("organisation_switch",    GET,  None,             403,   403,   403,   403,    403),  # staff act for their own
    ("organisation_switch",    POST, None,             403,   403,   403,   403,    403),
    ("coverage",               GET,  None,             200,   200,   200,   200,    403),  # organisations and counts
    ("coverage_follow_up_csv", GET,  None,             200,   200,   200,   200,    403),  # no personal data
    ("coverage_follow_up_xlsx", GET, None,             200,   200,   200,   200,    403),
    ("coverage_import",        GET,  None,             200,   200,   200,   403,    403),
    ("coverage_import",        POST, None,             200,   200,   200,   403,    403),  # no file: the form's error
    ("coverage_import_save",   POST, None,             302,   302,   302,   403,    403),  # no preview: back to upload
    ("reports",                GET,  None,             200,   200,   200,   200,    403),  # each sees their own programmes
    ("evaluation_summary",     GET,  None,             200,   200,   200,   200,    403),
    ("reports_pdf",            GET,  None,             200,   200,   200,   200,    403),
    ("report_table_csv",       GET,  "table",          200,   200,   200,   200,    403),  # counts, never people
    ("report_table_xlsx",      GET,  "table",          200,   200,   200,   200,    403),
    ("programme_report",       GET,  "A",              200,   200,   404,   200,    403),
    ("programme_share",        GET,  "A",              200,   200,   404,   200,    403),  # public once published
    ("programme_print_pdf",    GET,  "A",              200,   200,   404,   200,    403),  # whoever sees it may print it
    ("programme_print_poster", GET,  "A",              200,   200,   404,   200,    403),
    ("programme_print_text",   GET,  "A",              200,   200,   404,   200,    403),
    ("programme_print_text_file", GET, "A",            200,   200,   404,   200,    403),
    # Another organiser's things: not found, even by our administrator.
    ("programme",              GET,  "X",              404,   404,   404,   404,    403),
    ("programme_edit",         GET,  "X",              404,   404,   404,   404,    403),
    ("programme_copy",         GET,  "X",              404,   404,   404,   404,    403),
    ("programme_source",       GET,  "X",              404,   404,   404,   404,    403),
    ("programme_publish",      POST, "X",              404,   404,   404,   404,    403),
    ("programme_unpublish",    POST, "X",              404,   404,   404,   404,    403),
    ("programme_archive",      POST, "X",              404,   404,   404,   404,    403),
    ("session_new",            GET,  "X",              404,   404,   404,   404,    403),
    ("session",                GET,  "session in X",   404,   404,   404,   404,    403),
    ("session_edit",           GET,  "session in X",   404,   404,   404,   404,    403),
    ("session_cancel",         POST, "session in X",   404,   404,   404,   404,    403),
    ("session_bookings",       GET,  "session in X",   404,   404,   404,   404,    403),
    ("session_booking_new",    GET,  "session in X",   404,   404,   404,   404,    403),
    ("booking",                GET,  "booking in X",   404,   404,   404,   404,    403),
    ("booking_cancel",         GET,  "booking in X",   404,   404,   404,   404,    403),
    ("booking_resend",         POST, "booking in X",   404,   404,   404,   404,    403),
    ("session_export_csv",     GET,  "session in X",   404,   404,   404,   404,    403),
    ("programme_export_csv",   GET,  "X",              404,   404,   404,   404,    403),
    ("session_message",        GET,  "session in X",   404,   404,   404,   404,    403),
    ("programme_message",      GET,  "X",              404,   404,   404,   404,    403),
    ("message",                GET,  "message in X",   404,   404,   404,   404,    403),
    ("approvals",              GET,  "session in X",   404,   404,   404,   404,    403),
    ("approvals_decide",       POST, "session in X",   404,   404,   404,   404,    403),
    ("waiting_list",           GET,  "session in X",   404,   404,   404,   404,    403),
    ("programme_rules",        GET,  "X",              404,   404,   404,   404,    403),
    ("session_feedback",       GET,  "session in X",   404,   404,   404,   404,    403),
    ("session_feedback_csv",   GET,  "session in X",   404,   404,   404,   404,    403),
    ("programme_feedback",     GET,  "X",              404,   404,   404,   404,    403),
    ("programme_feedback_csv", GET,  "X",              404,   404,   404,   404,    403),
    ("feedback_questions",     GET,  "X",              404,   404,   404,   404,    403),
    ("programme_questions",    GET,  "X",              404,   404,   404,   404,    403),
    ("programme_question_add", POST, "X",              404,   404,   404,   404,    403),
    ("session_questions",      POST, "session in X",   404,   404,   404,   404,    403),
    ("question_edit",          POST, "question in X",  404,   404,   404,   404,    403),
    ("question_remove",        POST, "question in X",  404,   404,   404,   404,    403),
    ("question_move",          POST, "question in X",  404,   404,   404,   404,    403),
    ("programme_report",       GET,  "X",              404,   404,   404,   404,    403),
    ("programme_share",        GET,  "X",              404,   404,   404,   404,    403),
    ("programme_print_pdf",    GET,  "X",              404,   404,   404,   404,    403),
    ("programme_print_poster", GET,  "X",              404,   404,   404,   404,    403),
    ("programme_print_text",   GET,  "X",              404,   404,   404,   404,    403),
    ("programme_print_text_file", GET, "X",            404,   404,   404,   404,    403),
    ("sign_in_sheet",          GET,  "session in X",   404,   404,   404,   404,    403),
    ("sign_in_sheet_organiser", GET, "session in X",   404,   404,   404,   404,    403),
    ("register",               GET,  "session in X",   404,   404,   404,   404,    403),
    ("register_tick",          POST, "session in X",   404,   404,   404,   404,    403),
    ("register_walk_in",       POST, "session in X",   404,   404,   404,   404,    403),
    ("attendance",             GET,  "session in X",   404,   404,   404,   404,    403),
    ("attendance_set",         POST, "mark in X",      404,   404,   404,   404,    403),
    ("no_show_emails",         POST, "session in X",   404,   404,   404,   404,    403),
    ("scan",                   GET,  "session in X",   404,   404,   404,   404,    403),
    ("scan_check_in",          POST, "session in X",   404,   404,   404,   404,    403),
    ("teams_import",           GET,  "session in X",   404,   404,   404,   404,    403),
    ("teams_import",           POST, "session in X",   404,   404,   404,   404,    403),
    ("teams_import_save",      POST, "session in X",   404,   404,   404,   404,    403),
    ("check_in",               POST, "code in X",      404,   404,   404,   404,    403),
    ("person_edit",            GET,  "person at X",    404,   403,   403,   403,    403),
    ("person_switch_off",      POST, "person at X",    404,   403,   403,   403,    403),
    ("person_reset_two_factor", POST, "person at X",   404,   403,   403,   403,    403),
    ("erasure_request",        GET,  "erasure request in X", 404, 403, 403, 403,    403),
    ("webhook",                GET,  "endpoint at X",  404,   403,   403,   403,    403),
    ("webhook_edit",           POST, "endpoint at X",  404,   403,   403,   403,    403),
    ("webhook_secret",         POST, "endpoint at X",  404,   403,   403,   403,    403),
    ("webhook_remove",         POST, "endpoint at X",  404,   403,   403,   403,    403),
    ("webhook_test",           POST, "endpoint at X",  404,   403,   403,   403,    403),
    ("webhook_delivery",       GET,  "webhook message at X", 404, 403, 403, 403,   403),
    ("webhook_resend",         POST, "webhook message at X", 404, 403, 403, 403,   403),
    ("council_sign_in_provider", GET, "sign-in provider at X", 404, 403, 403, 403,  403),
    ("council_sign_in_provider_edit", POST, "sign-in provider at X", 404, 403, 403, 403, 403),
    ("council_sign_in_provider_check", POST, "sign-in provider at X", 404, 403, 403, 403, 403),
    ("council_sign_in_provider_remove", POST, "sign-in provider at X", 404, 403, 403, 403, 403),
    ("api_token_revoke",       GET,  "API token at X", 404,   403,   403,   403,    403),
    ("api_token_revoke",       POST, "API token at X", 404,   403,   403,   403,    403),
]
# fmt: on

# Pages anyone may open, signed in or not: they are not in the matrix.
PUBLIC = {"sign_in", "verify", "sign_out", "password_reset", "password_reset_sent", "password_reset_confirm"}
# Council sign-in's start and the provider's return: before anyone is signed in.
PUBLIC |= {"council_sign_in_start", "council_sign_in_callback"}

# What each "about" is, as URL arguments.
ARGUMENTS = {
    None: lambda w: {},
    "A": lambda w: {"programme_id": w["A"].pk},
    "our organisation": lambda w: {"organiser_id": w["our organisation"].pk},
    "organisation of X": lambda w: {"organiser_id": w["organisation of X"].pk},
    "session in A": lambda w: {"session_id": w["session in A"].pk},
    "booking in A": lambda w: {"booking_id": w["booking in A"].pk},
    "message in A": lambda w: {"message_id": w["message in A"].pk},
    "colleague": lambda w: {"member_id": w["colleague"].pk},
    "passkey of colleague": lambda w: {"passkey_id": w["passkey of colleague"].pk},
    "X": lambda w: {"programme_id": w["X"].pk},
    "session in X": lambda w: {"session_id": w["session in X"].pk},
    "booking in X": lambda w: {"booking_id": w["booking in X"].pk},
    "message in X": lambda w: {"message_id": w["message in X"].pk},
    "code in A": lambda w: {"token": w["code in A"]},
    "code in X": lambda w: {"token": w["code in X"]},
    "person at X": lambda w: {"member_id": w["person at X"].pk},
    "table": lambda w: {"table": w["table"]},
    "endpoint": lambda w: {"endpoint_id": w["endpoint"].pk},
    "endpoint at X": lambda w: {"endpoint_id": w["endpoint at X"].pk},
    "webhook message": lambda w: {"endpoint_id": w["endpoint"].pk, "delivery_id": w["webhook message"].pk},
    "webhook message at X": lambda w: {
        "endpoint_id": w["endpoint at X"].pk,
        "delivery_id": w["webhook message at X"].pk,
    },
    "API token": lambda w: {"token_id": w["API token"].pk},
    "API token at X": lambda w: {"token_id": w["API token at X"].pk},
    "sign-in provider": lambda w: {"provider_id": w["sign-in provider"].pk},
    "sign-in provider at X": lambda w: {"provider_id": w["sign-in provider at X"].pk},
    "walk-in in A": lambda w: {"session_id": w["session in A"].pk, "walk_in_id": w["walk-in in A"].pk},
    "mark in A": lambda w: {"session_id": w["session in A"].pk, "booking_id": w["booking in A"].pk},
    "mark in X": lambda w: {"session_id": w["session in X"].pk, "booking_id": w["booking in X"].pk},
    "erasure request in A": lambda w: {"request_id": w["erasure request in A"].pk},
    "erasure request in X": lambda w: {"request_id": w["erasure request in X"].pk},
    "question in A": lambda w: {"question_id": w["question in A"].pk},
    "question in X": lambda w: {"question_id": w["question in X"].pk},
}


def _message(programme, session):
    """A message sent to a session's attendees, if messages exist in this build."""
    try:
        from bookyourplace.notifications.models import Message
    except ImportError:
        return None
    return Message.objects.create(
        programme=programme,
        session=session,
        subject="Room change",
        body="Now in Room 2.",
        idempotency_key=f"key-{session.pk}",
    )


@pytest.fixture
def world(organiser, programme, make_session, attendee_details):
    from bookyourplace.bookings.services import book_place

    b = Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    session_a = make_session(title="The COM Network")
    elsewhere = Organiser.objects.create(
        name="Warwickshire Prevent", slug="warwickshire", contact_email="w@example.org"
    )
    x = Programme.objects.create(
        organiser=elsewhere, title="Their week", slug="their-week", status=Programme.Status.PUBLISHED
    )
    session_x = make_session(programme=x, title="Their session")
    world = {
        "A": programme,
        "session in A": session_a,
        "booking in A": book_place(session_id=session_a.pk, attendee=attendee_details("alex@coventry.gov.uk")),
        "message in A": _message(programme, session_a),
        "colleague": make_person(organiser, Role.VIEWER, email="colleague@coventry.gov.uk"),
        "X": x,
        "session in X": session_x,
        "booking in X": book_place(session_id=session_x.pk, attendee=attendee_details("sam@warwickshire.gov.uk")),
        "message in X": _message(x, session_x),
        "person at X": make_person(elsewhere, Role.ADMINISTRATOR, email="wendy@warwickshire.gov.uk"),
        "administrator": make_person(organiser, Role.ADMINISTRATOR, email="admin@coventry.gov.uk").user,
        "organiser of A": make_person(
            organiser, Role.ORGANISER, email="a@coventry.gov.uk", programmes=(programme,)
        ).user,
        "organiser of B": make_person(organiser, Role.ORGANISER, email="b@coventry.gov.uk", programmes=(b,)).user,
        "viewer": make_person(organiser, Role.VIEWER, email="viewer@coventry.gov.uk").user,
        "no staff record": User.objects.create_user("stray@coventry.gov.uk", "stray@coventry.gov.uk", "x"),
    }
    # What a booking's QR code says (bookings/check_in.py): the check-in page's token.
    world["code in A"] = check_in_token(world["booking in A"])
    world["code in X"] = check_in_token(world["booking in X"])
    world["walk-in in A"] = add_walk_in(session=session_a, first_name="Dee", last_name="Khan", actor=SYSTEM)
    # The attendance page's correction of a booking's mark: its session and booking.
    world["mark in A"], world["mark in X"] = world["booking in A"], world["booking in X"]
    # A booking question of each programme (programmes/questions.py).
    for where in ("A", "X"):
        world[f"question in {where}"] = Question.objects.create(
            programme=world[where], position=1, kind=Question.Kind.SHORT_TEXT, label="Your dietary requirements"
        )
    # A colleague's passkey: nobody else renames or removes it (accounts/passkeys.py).
    world["passkey of colleague"] = make_passkey(world["colleague"].user)
    # A report's table to download (reports: "sessions", "attendance"...).
    world["table"] = "sessions"
    # An API token of each organiser.
    for key, owner in (("API token", organiser), ("API token at X", elsewhere)):
        world[key], _secret = create_token(organiser=owner, name=key, scopes=[], expires_at=None, actor=SYSTEM)
    # A council sign-in of each organiser (its issuer on a closed loopback port: never reached).
    for key, owner in (("sign-in provider", organiser), ("sign-in provider at X", elsewhere)):
        world[key] = SignInProvider.objects.create(
            organiser=owner, name=key, issuer="http://127.0.0.1:9", client_id="c", client_secret="s"
        )
    # A webhook endpoint of each organiser, with a message it failed to take.
    for key, owner in (("endpoint", organiser), ("endpoint at X", elsewhere)):
        world[key] = Endpoint.objects.create(
            organiser=owner, url="https://lms.example.org/hooks", events=["booking.created"], secret=new_secret()
        )
        world[key.replace("endpoint", "webhook message")] = Delivery.objects.create(
            endpoint=world[key], event="booking.created", message_id="msg_1", payload="{}", status="failed"
        )
    # The flyers A and X were imported from (programme_source).
    for imported in (programme, x):
        ProgrammeSource.objects.create(
            programme=imported,
            file_name="flyer.txt",
            content_type="text/plain",
            content=b"Prevent Week",
            imported_at=timezone.now(),
        )
    # An attendee's "Delete my details", at each organiser.
    for where, booking in (("A", world["booking in A"]), ("X", world["booking in X"])):
        organiser_id = booking.session.programme.organiser_id
        ask_for_erasure(email=booking.email, organiser_id=organiser_id, programme_id=None, actor=SYSTEM)
        world[f"erasure request in {where}"] = ErasureRequest.objects.get(organiser_id=organiser_id)
    world["our organisation"], world["organisation of X"] = organiser, elsewhere
    return world


def _url(world, name, about) -> str:
    if about is not None and world[about] is None:
        pytest.fail(f"{about} cannot be made: the permission matrix needs one")
    try:
        return reverse(f"backoffice:{name}", kwargs=ARGUMENTS[about](world))
    except NoReverseMatch:
        pytest.fail(f"backoffice:{name} is in the permission matrix but has no URL")


# What each action sends: enough for the action to be done when it is allowed.
POST_DATA = {"session_cancel": {"reason": "The trainer is unwell."}}


def _ask(client, method, name, url):
    return client.get(url) if method == GET else client.post(url, POST_DATA.get(name, {}))


CASES = [
    pytest.param(name, method, about, role, expected, id=f"{method} {name} {about or ''} as {role}".replace("  ", " "))
    for name, method, about, *statuses in MATRIX
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("name", "method", "about", "role", "expected"), CASES)
def test_each_role_gets_the_status_the_matrix_says(client, world, name, method, about, role, expected):
    url = _url(world, name, about)
    sign_in_as(client, world[role])

    response = _ask(client, method, name, url)

    assert response.status_code == expected, f"{method} {url} as {role}"
    if expected == 302:  # an action done, not a detour to sign in
        assert not response.url.startswith(reverse("backoffice:sign_in"))
        assert not response.url.startswith(reverse("backoffice:verify"))


@pytest.mark.parametrize(
    ("name", "method", "about"),
    [pytest.param(name, method, about, id=f"{method} {name} {about or ''}") for name, method, about, *_ in MATRIX],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name, method, about):
    url = _url(world, name, about)

    response = _ask(client, method, name, url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:sign_in"))


def test_every_back_office_url_is_in_the_matrix():
    """A page added without a row here would have no tested rules."""
    resolver = get_resolver().namespace_dict["backoffice"][1]
    names = {pattern.name for pattern in resolver.url_patterns if pattern.name}

    assert names - PUBLIC - {row[0] for row in MATRIX} == set()


def test_refused_actions_change_nothing(world):
    """The 403s and 404s above are refusals, not errors half-way through a change."""
    a, x = world["A"], world["X"]
    for role in ("viewer", "organiser of B"):
        client = Client()
        sign_in_as(client, world[role])
        client.post(reverse("backoffice:programme_archive", kwargs={"programme_id": a.pk}))
        client.post(
            reverse("backoffice:session_cancel", kwargs={"session_id": world["session in A"].pk}), {"reason": "no"}
        )
    admin = Client()
    sign_in_as(admin, world["administrator"])
    admin.post(reverse("backoffice:programme_archive", kwargs={"programme_id": x.pk}))
    admin.post(reverse("backoffice:person_switch_off", kwargs={"member_id": world["person at X"].pk}))

    a.refresh_from_db()
    x.refresh_from_db()
    world["session in A"].refresh_from_db()
    world["person at X"].user.refresh_from_db()
    assert a.status == x.status == Programme.Status.PUBLISHED
    assert not world["session in A"].is_cancelled
    assert world["person at X"].user.is_active
