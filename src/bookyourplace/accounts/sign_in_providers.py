"""An organisation's council sign-in providers: add, change, remove (administrators, through
the back office's "Council sign-in" pages). Each change is audited; the client secret never
appears in the log or on a page once saved."""

from django.db import transaction
from django.utils.translation import gettext as _

from bookyourplace.accounts.council_sign_in import (
    is_acceptable_issuer,
    issuer_of,
    parse_email_domains,
    parse_group_roles,
)
from bookyourplace.accounts.models import SignInProvider
from bookyourplace.core.errors import DomainError
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser

ADDED, CHANGED, REMOVED = "sign_in_provider.added", "sign_in_provider.changed", "sign_in_provider.removed"


class ProviderSettingsError(DomainError):
    pass


def _checked(details: dict) -> dict:
    """The details cleaned, or a ProviderSettingsError naming the first field that is wrong."""
    details = {**details}
    details["issuer"] = issuer_of(details["issuer"])
    if not is_acceptable_issuer(details["issuer"]):
        raise ProviderSettingsError(_("Enter an issuer URL that starts with https://"), field="issuer")
    for field, parse in (("group_roles", parse_group_roles), ("email_domains", parse_email_domains)):
        try:
            parse(details[field])
        except ValueError as error:
            raise ProviderSettingsError(str(error), field=field) from None
    details["groups_claim"] = details["groups_claim"].strip() or "groups"
    return details


def add_provider(*, organiser: Organiser, actor: Actor, **details) -> SignInProvider:
    details = _checked(details)
    if not details.get("client_secret"):
        raise ProviderSettingsError(_("Enter the client secret"), field="client_secret")
    with transaction.atomic():
        provider = SignInProvider.objects.create(organiser=organiser, **details)
        record(actor=actor, action=ADDED, summary=f"Added council sign-in {provider.name}", subject=provider)
    return provider


def change_provider(*, provider: SignInProvider, actor: Actor, **details) -> SignInProvider:
    """Change the settings; an empty client secret keeps the one saved."""
    details = _checked(details)
    if not details.get("client_secret"):
        details.pop("client_secret", None)
    with transaction.atomic():
        for field, value in details.items():
            setattr(provider, field, value)
        provider.save()
        new_secret = " and a new client secret" if "client_secret" in details else ""
        record(
            actor=actor,
            action=CHANGED,
            summary=f"Changed council sign-in {provider.name}{new_secret}",
            subject=provider,
        )
    return provider


def remove_provider(*, provider: SignInProvider, actor: Actor) -> None:
    """Its button goes from the sign-in page. Accounts stay: they sign in as an administrator decides."""
    with transaction.atomic():
        record(actor=actor, action=REMOVED, summary=f"Removed council sign-in {provider.name}", subject=provider)
        provider.delete()
