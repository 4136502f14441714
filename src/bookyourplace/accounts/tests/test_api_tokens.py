"""API tokens: only the hash is kept, expired and revoked tokens are refused, scopes are
checked, and creating and revoking are in the audit log."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from bookyourplace.accounts import api_tokens
from bookyourplace.accounts.models import ApiScope, ApiToken, Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


@pytest.fixture
def hana(organiser):
    member = make_person(
        organiser, Role.ADMINISTRATOR, email="hana.ali@coventry.gov.uk", first_name="Hana", last_name="Ali"
    )
    return Actor(user=member.user, ip_address="192.0.2.7")


def create(organiser, actor, *, name="Learning records", scopes=(ApiScope.READ_BOOKINGS,), expires_at=None):
    return api_tokens.create_token(
        organiser=organiser, name=name, scopes=list(scopes), expires_at=expires_at, actor=actor
    )


def every_stored_value() -> str:
    """Every row of every table, as text: what someone with a copy of the database would read."""
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(text)


def test_the_secret_is_stored_nowhere_only_its_hash(organiser, hana):
    token, secret = create(organiser, hana)

    stored = every_stored_value()

    assert secret.startswith("byp_") and len(secret) > 40
    assert secret not in stored
    assert secret.removeprefix("byp_") not in stored
    assert api_tokens.hash_token(secret) in stored
    assert token.prefix == secret[:10]  # what lists show to tell tokens apart


def test_the_secret_finds_its_token_and_nothing_else_does(organiser, hana):
    token, secret = create(organiser, hana)

    assert api_tokens.usable_token(secret) == token
    assert api_tokens.usable_token(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert api_tokens.usable_token(token.prefix) is None
    assert api_tokens.usable_token(api_tokens.hash_token(secret)) is None  # the stored hash is no key
    assert api_tokens.usable_token("") is None


def test_a_token_stops_working_when_it_expires(organiser, hana):
    _token, secret = create(organiser, hana, expires_at=NOW + timedelta(days=30))

    assert api_tokens.usable_token(secret, now=NOW + timedelta(days=30) - timedelta(seconds=1)) is not None
    assert api_tokens.usable_token(secret, now=NOW + timedelta(days=30)) is None
    token = ApiToken.objects.get()
    assert api_tokens.status_of(token, now=NOW) == "active"
    assert api_tokens.status_of(token, now=NOW + timedelta(days=31)) == "expired"


def test_a_revoked_token_stops_working_at_once(organiser, hana):
    token, secret = create(organiser, hana)
    assert api_tokens.usable_token(secret) is not None

    api_tokens.revoke_token(token=token, actor=hana)

    assert api_tokens.usable_token(secret) is None
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == hana.user
    assert api_tokens.status_of(token) == "revoked"


def test_a_token_that_never_expires_works_until_revoked(organiser, hana):
    token, secret = create(organiser, hana, expires_at=None)

    assert api_tokens.usable_token(secret, now=NOW + timedelta(days=3650)) == token


def test_a_token_may_do_only_what_its_scopes_say(organiser, hana):
    token, _secret = create(organiser, hana, scopes=[ApiScope.READ_ATTENDANCE, ApiScope.READ_BOOKINGS])

    assert api_tokens.has_scope(token, ApiScope.READ_BOOKINGS)
    assert api_tokens.has_scope(token, ApiScope.READ_ATTENDANCE)
    assert not api_tokens.has_scope(token, ApiScope.WRITE_BOOKINGS)
    assert not api_tokens.has_scope(token, ApiScope.READ_REPORTS)
    assert api_tokens.scope_labels(token.scopes) == ["Read bookings and waiting lists", "Read attendance marks"]


def test_an_unknown_scope_creates_nothing(organiser, hana):
    with pytest.raises(ValueError, match="admin:everything"):
        create(organiser, hana, scopes=[ApiScope.READ_BOOKINGS, "admin:everything"])

    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="api_token_created").exists()


def test_creating_and_revoking_are_in_the_audit_log_in_words(organiser, hana):
    token, secret = create(
        organiser,
        hana,
        name="Dashboard",
        scopes=[ApiScope.WRITE_BOOKINGS, ApiScope.READ_BOOKINGS],
        expires_at=datetime(2026, 8, 2, 8, 30, tzinfo=UTC),
    )
    api_tokens.revoke_token(token=token, actor=hana)
    api_tokens.revoke_token(token=token, actor=hana)  # again: already revoked, nothing more to record

    created, revoked = AuditEvent.objects.order_by("id").filter(subject_id=str(token.pk), subject_type="apitoken")
    assert (created.action, created.actor, created.actor_label, created.ip_address) == (
        "api_token_created",
        hana.user,
        "Hana Ali",
        "192.0.2.7",
    )
    assert created.summary == (
        f"Created the API token “Dashboard” ({token.prefix}…). It can read bookings and waiting lists; "
        "book places and cancel bookings. It expires on 2 Aug 2026, 09:30."  # London summer time
    )
    assert (revoked.action, revoked.summary) == (
        "api_token_revoked",
        f"Revoked the API token “Dashboard” ({token.prefix}…)",
    )
    assert secret not in created.summary + revoked.summary


def test_last_used_is_written_at_most_once_a_minute(organiser, hana, django_assert_num_queries):
    token, secret = create(organiser, hana)

    api_tokens.usable_token(secret, now=NOW)
    with django_assert_num_queries(1):  # the lookup only: used less than a minute ago
        api_tokens.usable_token(secret, now=NOW + timedelta(seconds=59))
    api_tokens.usable_token(secret, now=NOW + timedelta(minutes=2))

    token.refresh_from_db()
    assert token.last_used_at == NOW + timedelta(minutes=2)
