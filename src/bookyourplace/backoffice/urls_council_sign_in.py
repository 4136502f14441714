"""Council sign-in (included by backoffice/urls.py, in its namespace): the button's start and
the providers' return under /backoffice/sign-in/council/, the administrators' pages under
/backoffice/council-sign-in/."""

from django.urls import path

from bookyourplace.backoffice.views import council_sign_in

urlpatterns = [
    path("sign-in/council/callback/", council_sign_in.CouncilSignInCallback.as_view(), name="council_sign_in_callback"),
    path(
        "sign-in/council/<id:provider_id>/",
        council_sign_in.CouncilSignInStart.as_view(),
        name="council_sign_in_start",
    ),
    path("council-sign-in/", council_sign_in.providers, name="council_sign_in_providers"),
    path("council-sign-in/new/", council_sign_in.provider_new, name="council_sign_in_provider_new"),
    path("council-sign-in/<id:provider_id>/", council_sign_in.provider, name="council_sign_in_provider"),
    path("council-sign-in/<id:provider_id>/edit/", council_sign_in.provider_edit, name="council_sign_in_provider_edit"),
    path(
        "council-sign-in/<id:provider_id>/remove/",
        council_sign_in.provider_remove,
        name="council_sign_in_provider_remove",
    ),
    path(
        "council-sign-in/<id:provider_id>/check/",
        council_sign_in.provider_check,
        name="council_sign_in_provider_check",
    ),
]
