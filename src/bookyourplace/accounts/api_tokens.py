"""API tokens: create (shown once), find from a request's bearer token, revoke.

One function decides whether a token may be used (`usable_token`); the API asks it on every
request, so a revoked or expired token stops working at once, wherever it is used.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet, TextChoices
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.accounts.models import ApiScope, ApiToken
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser, Programme

TOKEN_PREFIX = "byp_"
# last_used_at is written at most this often per token, so busy integrations do not write a
# row on every request (the audit log has every use).
_LAST_USED_PRECISION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(
    *, organiser: Organiser, name: str, scopes: list[str], expires_at: datetime | None, actor: Actor
) -> tuple[ApiToken, str]:
    """A new token and its secret text, which is shown once and never stored."""
    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            organiser=organiser,
            name=name.strip(),
            prefix=raw[:10],
            token_hash=hash_token(raw),
            scopes=[scope for scope in ApiScope.values if scope in scopes],
            expires_at=expires_at,
            created_by=actor.user,
        )
        record(
            actor=actor,
            action="api_token_created",
            summary=_created_summary(token),
            subject=token,
        )
    return token, raw


def is_usable(token: ApiToken, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def usable_token(raw: str, *, now: datetime | None = None) -> ApiToken | None:
    """The token with this secret, if it exists and is neither revoked nor expired."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("organiser").filter(token_hash=hash_token(raw)).first()
    if token is None or not is_usable(token, now=now):
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def has_scope(token: ApiToken, scope: str) -> bool:
    return scope in token.scopes


def revoke_token(*, token: ApiToken, actor: Actor, now: datetime | None = None) -> ApiToken:
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    token.revoked_by = actor.user
    with transaction.atomic():
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(
            actor=actor,
            action="api_token_revoked",
            summary=f"Revoked the API token “{token.name}” ({token.prefix}…)",
            subject=token,
        )
    return token


class Status(TextChoices):
    """How the back office describes a token: one of these, from is_usable and revoked_at."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def status_of(token: ApiToken, *, now: datetime | None = None) -> Status:
    if token.revoked_at is not None:
        return Status.REVOKED
    return Status.ACTIVE if is_usable(token, now=now) else Status.EXPIRED


def scope_labels(scopes: list[str]) -> list[str]:
    """What a token may do, in words, in the order ApiScope lists them (unknown codes as they are)."""
    labels = dict(ApiScope.choices)
    return [str(labels.get(scope, scope)) for scope in sorted(scopes, key=_scope_order)]


def _scope_order(scope: str) -> int:
    return ApiScope.values.index(scope) if scope in ApiScope.values else len(ApiScope.values)


def _created_summary(token: ApiToken) -> str:
    """The audit entry's words: the token's name and first characters, what it may do, when it stops."""
    can = "; ".join(label[:1].lower() + label[1:] for label in scope_labels(token.scopes))
    if token.expires_at is None:
        until = "It does not expire"
    else:
        until = f"It expires on {dateformat.format(timezone.localtime(token.expires_at), 'j M Y, H:i')}"
    return f"Created the API token “{token.name}” ({token.prefix}…). It can {can or 'read published programmes only'}. {until}."


def programmes_for_token(token: ApiToken) -> QuerySet[Programme]:
    """Everything a token may read or change is in its organiser's programmes, whatever their
    status (draft, published, archived): every query the API makes starts from these."""
    return Programme.objects.filter(organiser_id=token.organiser_id)
