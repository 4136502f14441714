"""An administrator creates API tokens (the secret shown once), sees them listed and revokes
them; nobody else, and no other organiser's administrator, can."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bookyourplace.accounts import api_tokens
from bookyourplace.accounts.models import ApiScope, ApiToken, Role
from bookyourplace.accounts.testing import make_person, sign_in_as, staff
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser

NEW = reverse("backoffice:api_token_new")
LIST = reverse("backoffice:integrations")
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)


def revoke_url(token) -> str:
    return reverse("backoffice:api_token_revoke", args=[token.pk])


def token_form(**overrides) -> dict:
    data = {"name": "Learning records", "scopes": ["read:bookings", "read:attendance"], "expiry": "90"}
    data.update(overrides)
    return data


def secret_on(response) -> str:
    return re.search(r'id="api-token"[^>]*>(byp_[^<]+)</textarea>', response.content.decode()).group(1)


@pytest.fixture
def elsewhere(db):
    return Organiser.objects.create(name="Warwickshire Prevent", slug="warwickshire", contact_email="w@example.org")


@pytest.fixture
def their_token(elsewhere):
    wendy = make_person(elsewhere, Role.ADMINISTRATOR, email="wendy@warwickshire.gov.uk", first_name="Wendy")
    return api_tokens.create_token(
        organiser=elsewhere,
        name="Warwickshire dashboard",
        scopes=[ApiScope.READ_BOOKINGS],
        expires_at=None,
        actor=Actor(user=wendy.user),
    )


def test_creating_a_token_shows_its_secret_once_with_an_example(client, admin, session):
    response = client.post(NEW, token_form(form_key="key-1"))

    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = secret_on(response)
    assert api_tokens.usable_token(secret) == token
    page = text_of(response)
    assert "Copy your new API token" in page
    assert "Copy it now: you will not see it again." in page
    assert "Read bookings and waiting lists Read attendance marks" in page
    assert f'curl -H "Authorization: Bearer {secret}" "http://testserver/api/bookings?session={session.pk}"' in page
    assert f"It lists the bookings of session {session.pk}." in page
    assert "no-store" in response["Cache-Control"]
    # Nowhere after that: not in the list, not in the session.
    listed = client.get(LIST)
    assert "Learning records" in text_of(listed)
    assert secret not in listed.content.decode()
    assert secret not in str(dict(client.session))


def test_sending_the_same_form_again_creates_no_second_token_and_shows_no_secret(client, admin):
    first = client.post(NEW, token_form(form_key="key-1"))
    secret = secret_on(first)

    again = client.post(NEW, token_form(form_key="key-1"))

    assert ApiToken.objects.count() == 1
    assert again.status_code == 302 and again.url == LIST
    page = client.get(again.url)
    assert "That form was sent before" in text_of(page)
    assert secret not in page.content.decode()
    # A fresh form (a new key) creates another.
    client.post(NEW, token_form(form_key="key-2"))
    assert ApiToken.objects.count() == 2


def test_the_form_says_what_is_missing_and_creates_nothing(client, admin):
    response = client.post(NEW, {"name": "  ", "form_key": "key-1"})

    page = text_of(response)
    assert "There is a problem" in page
    for message in (
        "Enter a name for the token",
        "Select at least one thing the token can do",
        "Select when the token stops working",
    ):
        assert page.count(message) == 2  # in the summary and beside its field
    html = response.content.decode()
    assert '<a href="#id_name">' in html and '<a href="#id_scopes">' in html and '<a href="#id_expiry_0">' in html
    assert 'id="id_scopes"' in html and 'id="id_expiry_0"' in html
    assert not ApiToken.objects.exists()
    # The key was not used up: the corrected form creates the token.
    client.post(NEW, token_form(form_key="key-1"))
    assert ApiToken.objects.count() == 1


def test_the_form_keeps_what_was_typed_when_a_field_is_wrong(client, admin):
    response = client.post(NEW, token_form(name="x" * 101, expiry="365"))

    html = response.content.decode()
    assert "The name must be 100 characters or fewer" in text_of(response)
    assert 'value="read:attendance" checked' in html
    assert re.search(r'value="365" checked', html)
    assert not ApiToken.objects.exists()


def test_the_form_offers_scopes_in_words_and_ninety_days_first_chosen(client, admin):
    with time_machine.travel(NOW, tick=False):
        response = client.get(NEW)

    page, html = text_of(response), response.content.decode()
    for label in ApiScope.labels:
        assert str(label) in page
    assert "Never their access needs." in page
    assert "30 days, until 3 June 2026" in page
    assert "1 year, until 4 May 2027" in page
    assert re.search(r'value="90" checked', html)
    assert len(re.findall(r'type="checkbox"', html)) == 4


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [
        ("30", NOW + timedelta(days=30)),
        ("90", NOW + timedelta(days=90)),
        ("365", NOW + timedelta(days=365)),
        ("never", None),
    ],
)
def test_each_expiry_choice_sets_when_the_token_stops(client, admin, expiry, expected):
    with time_machine.travel(NOW, tick=False):
        client.post(NEW, token_form(expiry=expiry))

    assert ApiToken.objects.get().expires_at == expected


def test_the_list_shows_each_token_in_words_with_its_status(client, admin, organiser, their_token):
    hana = Actor(user=admin.user)
    with time_machine.travel(NOW, tick=False):
        active, _secret = api_tokens.create_token(
            organiser=organiser, name="Learning records", scopes=["read:bookings"], expires_at=None, actor=hana
        )
        expired, _secret = api_tokens.create_token(
            organiser=organiser,
            name="Old dashboard",
            scopes=["read:reports"],
            expires_at=NOW + timedelta(days=1),
            actor=hana,
        )
        revoked, _secret = api_tokens.create_token(
            organiser=organiser, name="Booking kiosk", scopes=["write:bookings"], expires_at=None, actor=hana
        )
        api_tokens.revoke_token(token=revoked, actor=hana)
    ApiToken.objects.filter(pk=active.pk).update(last_used_at=NOW + timedelta(days=2))

    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        response = client.get(LIST)

    page = text_of(response)
    assert (
        f"Learning records {active.prefix}… Read bookings and waiting lists 4 May 2026, 10:30 by Hana Ali "
        "Never 6 May 2026, 10:30 Active Revoke the token “Learning records”"
    ) in page
    assert (
        f"Old dashboard {expired.prefix}… Read report figures and feedback summaries 4 May 2026, 10:30 by Hana Ali "
        "5 May 2026, 10:30 Not used yet Expired Revoke"
    ) in page
    assert (
        f"Booking kiosk {revoked.prefix}… Book places and cancel bookings 4 May 2026, 10:30 by Hana Ali "
        "Never Not used yet Revoked 4 May 2026, 10:30"
    ) in page
    assert page.count("Revoke the token") == 2  # not for the one already revoked
    assert "Warwickshire" not in page
    html = response.content.decode()
    assert 'href="/api/docs"' in html
    assert f'href="{NEW}"' in html


def test_the_page_links_to_the_webhooks_page(client, admin):
    webhooks = reverse("backoffice:webhooks")
    assert f'href="{webhooks}"' in client.get(LIST).content.decode()


def test_the_menu_shows_api_and_webhooks_to_administrators_only(client, organiser, programme):
    administrator = make_person(organiser, Role.ADMINISTRATOR, email="admin@coventry.gov.uk").user
    link = f'href="{LIST}"'
    for user, shown in (
        (administrator, True),
        (staff(organiser, "organiser", programme, email="org@coventry.gov.uk"), False),
        (staff(organiser, "viewer", email="viewer@coventry.gov.uk"), False),
    ):
        sign_in_as(client, user)
        assert (link in client.get(reverse("backoffice:dashboard")).content.decode()) is shown


def test_revoking_asks_first_then_the_token_stops_working(client, admin, organiser):
    token, secret = api_tokens.create_token(
        organiser=organiser,
        name="Learning records",
        scopes=["read:bookings"],
        expires_at=None,
        actor=Actor(user=admin.user),
    )

    confirm = client.get(revoke_url(token))
    assert "Revoke the API token “Learning records”" in text_of(confirm)
    assert "Anything using this token will be refused" in text_of(confirm)
    assert api_tokens.usable_token(secret) is not None  # asking changed nothing

    response = client.post(revoke_url(token))

    assert response.status_code == 302 and response.url == LIST
    assert api_tokens.usable_token(secret) is None
    page = text_of(client.get(LIST))
    assert "Success The API token “Learning records” is revoked." in page
    assert "Revoked" in page and "Revoke the token" not in page
    assert AuditEvent.objects.filter(action="api_token_revoked", actor=admin.user).count() == 1
    # Revoking again: said so, recorded once.
    client.post(revoke_url(token))
    assert "was already revoked" in text_of(client.get(LIST))
    assert AuditEvent.objects.filter(action="api_token_revoked").count() == 1
    assert "This token was revoked on" in text_of(client.get(revoke_url(token)))


@pytest.mark.parametrize("role", ["organiser", "viewer"])
def test_organisers_and_viewers_can_neither_see_nor_create_nor_revoke(client, organiser, programme, role):
    token, secret = api_tokens.create_token(
        organiser=organiser, name="Learning records", scopes=["read:bookings"], expires_at=None, actor=Actor()
    )
    sign_in_as(client, staff(organiser, role, programme))

    answers = [
        client.get(LIST),
        client.get(NEW),
        client.post(NEW, token_form()),
        client.get(revoke_url(token)),
        client.post(revoke_url(token)),
    ]

    assert [answer.status_code for answer in answers] == [403] * 5
    assert ApiToken.objects.count() == 1
    assert api_tokens.usable_token(secret) == token
    assert all("Learning records" not in answer.content.decode() for answer in answers)


def test_another_organisers_administrator_can_neither_see_nor_revoke_our_tokens(client, organiser, their_token):
    theirs, their_secret = their_token
    ours, our_secret = api_tokens.create_token(
        organiser=organiser, name="Coventry records", scopes=["read:bookings"], expires_at=None, actor=Actor()
    )
    wendy = theirs.created_by
    sign_in_as(client, wendy)

    listed = client.get(LIST)
    created = client.post(NEW, token_form(name="Made by Wendy"))

    assert "Warwickshire dashboard" in text_of(listed) and "Coventry records" not in text_of(listed)
    assert client.get(revoke_url(ours)).status_code == 404
    assert client.post(revoke_url(ours)).status_code == 404
    assert api_tokens.usable_token(our_secret) == ours
    assert created.status_code == 200
    assert ApiToken.objects.get(name="Made by Wendy").organiser_id == theirs.organiser_id  # her own organiser's
    # And ours cannot revoke theirs.
    coventry = Client()
    sign_in_as(coventry, make_person(organiser, Role.ADMINISTRATOR, email="admin@coventry.gov.uk").user)
    assert coventry.post(revoke_url(theirs)).status_code == 404
    assert api_tokens.usable_token(their_secret) == theirs


def test_the_audit_log_shows_tokens_and_their_uses_in_words(client, admin, organiser, their_token):
    token, _secret = api_tokens.create_token(
        organiser=organiser,
        name="Learning records",
        scopes=["read:bookings"],
        expires_at=None,
        actor=Actor(user=admin.user),
    )
    # As the API records each use (api/audit.py): the token as actor, no account, often no programme.
    for summary in ("GET /api/bookings 200", "POST /api/sessions/4/bookings 403", "GET /api/bookings/BYP-XXXXX 404"):
        record(
            actor=Actor(label="API token Learning records", ip_address="198.51.100.4"),
            action="api_request",
            summary=summary,
            subject=token,
        )
    theirs, _ = their_token
    record(
        actor=Actor(label="API token Warwickshire dashboard"),
        action="api_request",
        summary="GET /api/bookings 200",
        subject=theirs,
    )
    api_tokens.revoke_token(token=token, actor=Actor(user=admin.user))

    page = text_of(client.get(reverse("backoffice:audit_log")))

    assert "Hana Ali – Revoked an API token Revoked the API token “Learning records”" in page
    assert "API token Learning records 198.51.100.4 Used the API Read /api/bookings: done (200)" in page
    assert "Sent /api/sessions/4/bookings: refused, not allowed for this token (403)" in page
    assert "Read /api/bookings/BYP-XXXXX: not found (404)" in page
    assert "Created an API token Created the API token “Learning records”" in page
    assert "Warwickshire" not in page
    # The filter offers the API's actions, and finds them.
    filtered = text_of(client.get(reverse("backoffice:audit_log"), {"action": "api_request"}))
    assert "Showing 1 to 3 of 3 events" in filtered
