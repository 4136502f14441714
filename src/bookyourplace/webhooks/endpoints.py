"""An organiser's endpoints: add, change, switch on and off, rotate the secret, remove.

Each change is in the audit log. The URL is checked when it is saved (destinations.py: https,
a full address, not a private network) and again at every attempt.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser
from bookyourplace.webhooks import destinations, events, signing
from bookyourplace.webhooks.errors import NoEvents
from bookyourplace.webhooks.models import Endpoint

# After a rotation the old secret signs too, beside the new one, for this long: time to put
# the new one into the receiving system without refusing a message meanwhile.
PREVIOUS_SECRET_LASTS = timedelta(hours=24)


def _checked(
    *, url: str, description: str, subscribed: Sequence[str], was: str | None = None
) -> tuple[str, str, list[str]]:
    """The details as saved, or UnsafeDestination / NoEvents. A new URL is looked up; one
    unchanged is not (a name that does not resolve today must not stop it being switched off)."""
    url = url.strip()
    if url != was:
        destinations.resolve(url)
    chosen = [event for event in events.EVENTS if event in subscribed]
    if not chosen:
        raise NoEvents()
    return url, " ".join(description.split()), chosen


def add_endpoint(
    *, organiser: Organiser, url: str, description: str, subscribed: Sequence[str], is_active: bool, actor: Actor
) -> Endpoint:
    url, description, chosen = _checked(url=url, description=description, subscribed=subscribed)
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            organiser=organiser,
            url=url,
            description=description,
            events=chosen,
            secret=signing.new_secret(),
            is_active=is_active,
            created_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
        )
        record(
            actor=actor,
            action="webhook.added",
            summary=f"Added webhook endpoint {url} ({', '.join(chosen)})" + ("" if is_active else ", switched off"),
            subject=endpoint,
        )
    return endpoint


def change_endpoint(
    *, endpoint: Endpoint, url: str, description: str, subscribed: Sequence[str], is_active: bool, actor: Actor
) -> tuple[str, ...]:
    """Save the changes; returns the names of what changed. Switching it on again clears the
    note saying why it was switched off, and its record of failing."""
    url, description, chosen = _checked(url=url, description=description, subscribed=subscribed, was=endpoint.url)
    wanted = {"url": url, "description": description, "events": chosen, "is_active": is_active}
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        changed = tuple(name for name, value in wanted.items() if getattr(endpoint, name) != value)
        if not changed:
            return ()
        for name, value in wanted.items():
            setattr(endpoint, name, value)
        if "is_active" in changed and is_active:
            endpoint.switched_off_note = ""
            endpoint.failing_since = None
        endpoint.save()
        record(
            actor=actor,
            action="webhook.changed",
            summary=f"Changed {', '.join(changed)} of webhook endpoint {url}"
            + ("" if "is_active" not in changed else (": switched on" if is_active else ": switched off")),
            subject=endpoint,
        )
    return changed


def rotate_secret(*, endpoint: Endpoint, actor: Actor, now: datetime | None = None) -> Endpoint:
    """A new signing secret; the old one signs too, beside it, for PREVIOUS_SECRET_LASTS."""
    now = now or timezone.now()
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret, endpoint.secret = endpoint.secret, signing.new_secret()
        endpoint.previous_secret_until = now + PREVIOUS_SECRET_LASTS
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
        record(
            actor=actor,
            action="webhook.secret_rotated",
            summary=f"Made a new signing secret for webhook endpoint {endpoint.url}",
            subject=endpoint,
        )
    return endpoint


def secrets_in_use(endpoint: Endpoint, *, now: datetime) -> list[str]:
    """The secrets that sign a message sent now: the current one, and the previous one for a
    day after a rotation."""
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        return [endpoint.secret, endpoint.previous_secret]
    return [endpoint.secret]


def remove_endpoint(*, endpoint: Endpoint, actor: Actor) -> None:
    """Remove it, with its delivery log; messages still waiting are not sent."""
    with transaction.atomic():
        record(
            actor=actor, action="webhook.removed", summary=f"Removed webhook endpoint {endpoint.url}", subject=endpoint
        )
        endpoint.delete()
