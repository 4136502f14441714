"""The passkey parts of Your account, the two-factor set-up page and the code step, each with
what the library's JavaScript reads from the page (backoffice/views/passkeys.py)."""

from django import template

from bookyourplace.accounts import passkeys
from bookyourplace.accounts import services as accounts
from bookyourplace.backoffice.views.passkeys import ceremony_config

register = template.Library()


@register.inclusion_tag("backoffice/passkeys/_account.html", takes_context=True)
def passkeys_on_account(context) -> dict:
    request = context["request"]
    return {"request": request, "passkeys": passkeys.passkeys_of(request.user), "config": ceremony_config(request)}


@register.inclusion_tag("backoffice/passkeys/_setup_choice.html", takes_context=True)
def passkey_setup_choice(context) -> dict:
    """On the set-up page, a passkey instead of the app: only for a first second factor (one
    more passkey is added on Your account)."""
    request = context["request"]
    first = not accounts.has_authenticator(request.user)
    return {"request": request, "first": first, "config": ceremony_config(request) if first else None}


@register.inclusion_tag("backoffice/passkeys/_sign_in.html", takes_context=True)
def passkey_sign_in(context, *, has_app: bool) -> dict:
    request = context["request"]
    return {"request": request, "has_app": has_app, "config": ceremony_config(request)}
