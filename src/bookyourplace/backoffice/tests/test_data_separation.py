"""Data separation between organisations: the staff of one organisation (Aldermere) try every
back-office URL with the ids of another's things (Brackenholt) and find nothing.

The URLs are not listed here: they are read from Django's URL resolver, so a page added
later is tried too. Each URL argument is filled from OBJECTS (by the argument's name, with
Brackenholt's thing) or CHOICES (an argument that names no organisation's thing); a URL with
an argument in neither fails until it is added (see DEVELOPERS.md, "Tests").

- A URL with an id: GET and POST as Aldermere's administrator, organiser and viewer answer
  404. A refusal that comes before anything is looked up (403 for a role that may never use
  the page, 405 for the wrong method) is allowed only when an id that exists nowhere gets the
  very same answer, so the answer says nothing about Brackenholt's thing. Ids of Aldermere's
  and Brackenholt's things mixed in one URL are tried too. Nothing of Brackenholt's changes,
  and no email is queued to its people.
- A URL without one (lists, dashboards, reports, exports): GET, with query strings naming
  Brackenholt's things, and POST with form data naming them: none of Brackenholt's names,
  addresses, titles or references shows, in a page or in a CSV, XLSX, PDF, JSON or .ics file.

Superusers are installation administrators and see every organisation: not tried here.
"""

import itertools
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from bookyourplace.accounts.api_tokens import create_token
from bookyourplace.accounts.models import ApiScope, ApiToken, Role, SignInProvider, StaffMember
from bookyourplace.accounts.testing import make_passkey, make_person, sign_in_as
from bookyourplace.bookings.check_in import check_in_token
from bookyourplace.core.testing.downloads import found_in
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Programme
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.report import build_report
from bookyourplace.reports.separation_testing import OrganisationWorld, make_organisation_world, snapshot

NAMESPACE = "backoffice"
# Signing in, out and resetting a password: open to anyone, about no organisation's things.
NOT_STAFF_ONLY = {
    "sign_in",
    "verify",
    "sign_out",
    "password_reset",
    "password_reset_sent",
    "password_reset_confirm",
    # Signing in with an organisation's own provider, or a passkey: before anyone is known.
    "council_sign_in_start",
    "council_sign_in_callback",
    "passkey_sign_in_begin",
    "passkey_sign_in_complete",
}
ROLES = ("administrator", "organiser", "viewer")
# An id that is nobody's (core/converters.py: IdConverter takes up to 18 digits).
NOWHERE = 999_999_999_999
GET, POST = "GET", "POST"


@dataclass
class Side:
    """One organisation: its things, its staff (signed in by role) and its API token."""

    world: OrganisationWorld
    people: dict[str, User]
    members: list[StaffMember]
    token: ApiToken
    provider: SignInProvider
    passkey: object

    @property
    def markers(self) -> list[str]:
        return self.world.markers


# URL arguments that name a thing: each organisation's things of that kind, the first the one
# that goes with the first of every other kind (the past session's attended booking, walk-in...).
OBJECTS = {
    "programme_id": lambda s: [s.world.programme.pk, s.world.draft.pk],
    "session_id": lambda s: [w.pk for w in s.world.sessions[-1:] + s.world.sessions[:-1]],
    "booking_id": lambda s: [b.pk for b in s.world.bookings[-1:] + s.world.bookings[:-1]],
    "message_id": lambda s: [s.world.message.pk],
    "member_id": lambda s: [m.pk for m in s.members],
    "token_id": lambda s: [s.token.pk],
    "endpoint_id": lambda s: [s.world.endpoint.pk],
    "delivery_id": lambda s: [s.world.delivery.pk],
    "walk_in_id": lambda s: [s.world.walk_in.pk],
    "request_id": lambda s: [s.world.erasure_request.pk],
    "question_id": lambda s: [s.world.question.pk],
    "organiser_id": lambda s: [s.world.organiser.pk],
    "provider_id": lambda s: [s.provider.pk],
    # Passkeys are each person's own: the administrator's (who is signed in for our own).
    "passkey_id": lambda s: [s.passkey.pk],
    # The check-in page's code (what a booking's QR code says).
    "token": lambda s: [check_in_token(s.world.attended), check_in_token(s.world.confirmed)],
}
# What an argument that is no organisation's thing is filled with.
NOWHERE_VALUES = {"token": "not-anyones-check-in-code"}
# URL arguments that name no organisation's thing: every value they take.
CHOICES = {
    "table": lambda: [
        t.slug for s in build_report(ReportFilter(), Programme.objects.none(), suppress=True).sections for t in s.tables
    ],
}


def _walk(patterns, namespace="", route="", arguments=()):
    for pattern in patterns:
        found = (*arguments, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _walk(pattern.url_patterns, inner, route + str(pattern.pattern), found)
        else:
            yield namespace, route + str(pattern.pattern), pattern.name, found


def back_office_urls() -> list[tuple[str, str, tuple[str, ...]]]:
    """(name to reverse, route, URL arguments) of every staff-only URL, from the resolver."""
    urls = []
    for namespace, route, name, arguments in _walk(get_resolver().url_patterns):
        if namespace.split(":")[0] != NAMESPACE or name in NOT_STAFF_ONLY:
            continue
        urls.append((f"{namespace}:{name}" if name else f"(no name) {route}", route, arguments))
    return urls


URLS = back_office_urls()
WITH_IDS = [(name, arguments) for name, _route, arguments in URLS if set(arguments) - set(CHOICES)]
WITHOUT_IDS = [(name, arguments) for name, _route, arguments in URLS if not set(arguments) - set(CHOICES)]


def _cases(urls):
    return [
        pytest.param(name, arguments, role, id=f"{name.removeprefix(NAMESPACE + ':')} as {role}")
        for name, arguments in urls
        for role in ROLES
    ]


@pytest.fixture(scope="module")
def sides(django_db_setup, django_db_blocker):
    """Aldermere and Brackenholt, made once for the module (rolled back after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        made = {}
        for name in ("Aldermere", "Brackenholt"):
            world = make_organisation_world(name)
            slug = name.lower()
            members = [
                make_person(
                    world.organiser,
                    Role.ADMINISTRATOR,
                    email=f"ada.{slug}@{slug}.example",
                    first_name="Ada",
                    last_name=f"{name}-Admin",
                ),
                make_person(
                    world.organiser,
                    Role.ORGANISER,
                    email=f"ola.{slug}@{slug}.example",
                    first_name="Ola",
                    last_name=f"{name}-Organiser",
                    programmes=(world.programme, world.draft),
                ),
                make_person(
                    world.organiser,
                    Role.VIEWER,
                    email=f"vic.{slug}@{slug}.example",
                    first_name="Vic",
                    last_name=f"{name}-Viewer",
                ),
            ]
            token, _secret = create_token(
                organiser=world.organiser,
                name=f"{name} records token",
                scopes=list(ApiScope.values),
                expires_at=None,
                actor=SYSTEM,
            )
            provider = SignInProvider.objects.create(
                organiser=world.organiser,
                name=f"{name} Entra ID",
                issuer=f"https://login.{slug}.example/v2.0",
                client_id=f"{slug}-client",
                client_secret=f"{slug}-client-secret",
            )
            passkey = make_passkey(members[0].user, name=f"{name} laptop passkey")
            world.add_markers(
                *(m.user.email for m in members),
                *(m.user.last_name for m in members),
                token.name,
                provider.name,
                provider.issuer,
                passkey.name,
            )
            people = dict(zip(ROLES, (m.user for m in members), strict=True))
            made[name] = Side(world, people, members, token, provider, passkey)
        yield made["Aldermere"], made["Brackenholt"]
        transaction.set_rollback(True)


def _values(argument: str, side: Side) -> list:
    if argument not in OBJECTS:
        pytest.fail(
            f"The URL argument {argument!r} is not in this test's OBJECTS or CHOICES: add what it names "
            "(backoffice/tests/test_data_separation.py), so that the URL is tried with another organisation's ids."
        )
    return OBJECTS[argument](side)


def _nowhere(argument: str):
    return NOWHERE_VALUES.get(argument, NOWHERE)


def _urls_naming_theirs(name, arguments, ours: Side, theirs: Side, *, every_value: bool):
    """(URL with their things, the same URL with ids of nothing) for each mix of our things and
    theirs with at least one of theirs; with ``every_value``, each of their things of each kind."""
    ids = [a for a in arguments if a not in CHOICES]
    choices = {a: CHOICES[a]()[0] for a in arguments if a in CHOICES}
    for whose in itertools.product((ours, theirs), repeat=len(ids)):
        if theirs not in whose:
            continue
        firsts = {a: _values(a, side)[0] for a, side in zip(ids, whose, strict=True)}
        variants = [firsts]
        if every_value and ours not in whose:
            variants += [{**firsts, a: value} for a in ids for value in _values(a, theirs)[1:]]
        for kwargs in variants:
            nowhere = {a: (_nowhere(a) if side is theirs else kwargs[a]) for a, side in zip(ids, whose, strict=True)}
            yield reverse(name, kwargs={**kwargs, **choices}), reverse(name, kwargs={**nowhere, **choices})


def _form_data(theirs: Side) -> dict:
    """A plausible form naming their things in the fields forms use."""
    world = theirs.world
    return {
        "reason": "Trying another organisation's things",
        "outcome": "attended",
        "decision": "approve",
        "action": "approve",
        "booking": world.pending.pk,
        "bookings": [world.pending.pk, world.confirmed.pk],
        "reference": world.confirmed.reference,
        "programme": world.programme.pk,
        "session": world.online.pk,
        "email": world.confirmed.email,
        "direction": "up",
        "confirm": "yes",
        "first_name": "Zed",
        "last_name": "Tester",
        "subject": "Hello",
        "body": "Hello",
    }


def _sign_in(client, user) -> None:
    """Signed in; with the second step done for someone with a passkey (the administrators)."""
    sign_in_as(client, user)
    device = WebAuthnCredential.objects.filter(user=user).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def _ask(client, user, method, url, data=None):
    if client.session.get("_auth_user_id") != str(user.pk):
        _sign_in(client, user)  # again if a page signed them out
    return client.get(url, data or {}) if method == GET else client.post(url, data or {})


@pytest.mark.parametrize(("name", "arguments", "role"), _cases(WITH_IDS))
def test_another_organisations_things_are_not_found(db, sides, name, arguments, role):
    ours, theirs = sides
    user, client, problems = ours.people[role], Client(), []
    before = snapshot(theirs.world)

    for url, url_of_nothing in _urls_naming_theirs(name, arguments, ours, theirs, every_value=role == "administrator"):
        for method in (GET, POST):
            data = _form_data(theirs) if method == POST else None
            response = _ask(client, user, method, url, data)
            status = response.status_code
            if status != 404:
                of_nothing = _ask(client, user, method, url_of_nothing, data).status_code
                if status not in (403, 405) or of_nothing != status:
                    problems.append(f"{method} {url} as {role}: {status} (an id of nothing: {of_nothing})")
            leaked = found_in(response, theirs.markers, except_for=(data or {}).values())
            if leaked:
                problems.append(f"{method} {url} as {role} shows {leaked}")

    assert not problems, "\n".join(problems)
    assert snapshot(theirs.world) == before


@pytest.mark.parametrize(("name", "arguments", "role"), _cases(WITHOUT_IDS))
def test_pages_without_ids_show_nothing_of_another_organisation(db, sides, name, arguments, role):
    ours, theirs = sides
    user, client, problems = ours.people[role], Client(), []
    world = theirs.world
    before = snapshot(world)
    # The filters the back office's pages read (reports, coverage, audit log, finding bookings),
    # each naming their things; for the administrator, who sees the most.
    queries = [{}]
    if role == "administrator":
        queries += [
            {"programme": world.programme.pk},
            {"session": world.online.pk},
            {"organiser": world.organiser.pk},
            {"organisation": world.confirmed.organisation},
            {"q": world.confirmed.email},
            {"person": world.confirmed.email},
            {"archived": "1"},
        ]
    # Every value of a choice (each report table) for the administrator, with the filters on
    # the first; the first value alone for others.
    choices = [CHOICES[a]() if role == "administrator" else CHOICES[a]()[:1] for a in arguments]
    for n, values in enumerate(itertools.product(*choices)):
        url = reverse(name, kwargs=dict(zip(arguments, values, strict=True)))
        for query in queries if n == 0 else queries[:1]:
            leaked = found_in(_ask(client, user, GET, url, query), theirs.markers, except_for=query.values())
            if leaked:
                problems.append(f"GET {url} {query or ''} as {role} shows {leaked}")
        data = _form_data(theirs)
        leaked = found_in(_ask(client, user, POST, url, data), theirs.markers, except_for=data.values())
        if leaked:
            problems.append(f"POST {url} as {role} shows {leaked}")

    assert not problems, "\n".join(problems)
    assert snapshot(world) == before


@pytest.mark.parametrize(
    ("name", "arguments"), WITH_IDS, ids=[name.removeprefix(NAMESPACE + ":") for name, _a in WITH_IDS]
)
def test_our_own_things_are_found(db, sides, name, arguments):
    """The ids above are the right kind: with our own, our administrator finds the thing (so a
    404 with theirs is the organisation's boundary, not a URL filled wrongly)."""
    ours, _theirs = sides
    kwargs = {a: (CHOICES[a]()[0] if a in CHOICES else _values(a, ours)[0]) for a in arguments}
    url = reverse(name, kwargs=kwargs)
    client = Client()

    response = _ask(client, ours.people["administrator"], GET, url)
    if response.status_code == 405:
        response = _ask(client, ours.people["administrator"], POST, url)

    assert response.status_code != 404, url


def test_every_back_office_url_is_tried():
    """The enumeration finds the URLs (a resolver walked wrongly would try none), exports among them."""
    names = {name for name, _route, _arguments in URLS}
    exports = {name for name, route, _a in URLS if any(w in route for w in (".csv", ".xlsx", ".pdf", ".json", ".ics"))}

    assert {"backoffice:programme", "backoffice:session_export_xlsx", "backoffice:dashboard"} <= names
    assert {
        "backoffice:session_export_csv",
        "backoffice:programme_export_xlsx",
        "backoffice:reports_pdf",
        "backoffice:report_table_csv",
        "backoffice:subject_access_json",
        "backoffice:sign_in_sheet",
    } <= exports
    assert not [name for name in names if name.startswith("(no name)")], "every back-office URL needs a name"


def test_their_names_would_be_seen_if_shown(db, sides):
    """The check reads pages, CSV, XLSX and PDF files: our own people are found in ours."""
    ours, _theirs = sides
    client = Client()
    attended = ours.world.attended
    name = f"{attended.first_name} {attended.last_name}"
    for url in (
        reverse("backoffice:session_bookings", kwargs={"session_id": ours.world.past.pk}),
        reverse("backoffice:session_export_csv", kwargs={"session_id": ours.world.past.pk}),
        reverse("backoffice:session_export_xlsx", kwargs={"session_id": ours.world.past.pk}),
        reverse("backoffice:sign_in_sheet_organiser", kwargs={"session_id": ours.world.past.pk}),
    ):
        response = _ask(client, ours.people["administrator"], GET, url)

        assert found_in(response, [name, attended.email]), url
