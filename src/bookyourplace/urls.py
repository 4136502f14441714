from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, register_converter, reverse
from django_otp.admin import OTPAdminSite

from bookyourplace.accounts.services import session_is_verified
from bookyourplace.core.converters import IdConverter
from bookyourplace.core.languages import choose_language

register_converter(IdConverter, "id")

# Django's admin is kept for superusers only; organisers use the back office. Accounts,
# authenticators and lock-outs can be changed there, so like the back office it needs a session
# verified with an authenticator code, never the password alone: django-otp's admin site, entered
# only through the back office's sign-in and code step (a superuser sets up an authenticator at
# /backoffice/account/two-factor/ first).
admin.site.__class__ = OTPAdminSite
admin.site.has_permission = lambda request: (
    request.user.is_active and request.user.is_superuser and session_is_verified(request.user)
)


def _sign_in_through_the_back_office(request, extra_context=None):
    """The admin has no sign-in of its own: there is one way in, the back office's, whose code
    step tells the owner when a recovery code is used and writes each sign-in to the audit log
    (the admin's own page would verify a session silently). Its `next` is checked there."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), login_url=reverse("backoffice:sign_in"))


admin.site.login = _sign_in_through_the_back_office

# A database outage outside a view (saving the session, finding who is signed in) shows the
# 503 "try again" page like one inside a view; any other error shows the 500 page.
handler500 = "bookyourplace.core.middleware.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("backoffice/", include("bookyourplace.backoffice.urls")),
    path("api/", include("bookyourplace.api.urls")),
    path("language/<str:language>/", choose_language, name="choose_language"),
    path("", include("bookyourplace.public.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
