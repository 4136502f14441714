from django.urls import path

from bookyourplace.backoffice.views import audit, auth, people, programmes, sessions
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
    # Programmes
    path("", programmes.dashboard, name="dashboard"),
    path("programmes/new/", programmes.programme_new, name="programme_new"),
    path("programmes/<int:programme_id>/", programmes.programme_detail, name="programme"),
    path("programmes/<int:programme_id>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<int:programme_id>/copy/", programmes.programme_copy, name="programme_copy"),
    path(
        "programmes/<int:programme_id>/publish/",
        programmes.programme_status,
        {"status": Programme.Status.PUBLISHED},
        name="programme_publish",
    ),
    path(
        "programmes/<int:programme_id>/unpublish/",
        programmes.programme_status,
        {"status": Programme.Status.DRAFT},
        name="programme_unpublish",
    ),
    path(
        "programmes/<int:programme_id>/archive/",
        programmes.programme_status,
        {"status": Programme.Status.ARCHIVED},
        name="programme_archive",
    ),
    # Sessions
    path("programmes/<int:programme_id>/sessions/new/", sessions.session_new, name="session_new"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session"),
    path("sessions/<int:session_id>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/cancel/", sessions.session_cancel, name="session_cancel"),
    # Administration
    path("people/", people.people, name="people"),
    path("audit-log/", audit.audit_log, name="audit_log"),
]
