"""API tokens: create (shown once), find from a request's bearer token, revoke.

One function decides whether a token may be used (`usable_token`); the API asks it on every
request, so a revoked or expired token stops working at once, wherever it is used.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bookyourplace.accounts.models import ApiScope, ApiToken
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser

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
            summary=f"Created API token {token.name!r} ({', '.join(token.scopes) or 'public read only'})",
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
        record(actor=actor, action="api_token_revoked", summary=f"Revoked API token {token.name!r}", subject=token)
    return token
