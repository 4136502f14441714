"""Data separation between organisations in the API: Aldermere's token, with every scope, tries
every route with the ids of Brackenholt's things and finds nothing.

The routes are not listed here: they are read from the API's OpenAPI document (and checked
against Django's URL resolver, so a route left out of the document is noticed), so a route
added later is tried too. Each path parameter is filled from PATH_PARAMETERS by its name; each
query parameter is filled from QUERY_PARAMETERS or named in NAMES_NOTHING; a parameter in
neither fails until it is added (see DEVELOPERS.md, "Tests").

- A route that needs a token: Brackenholt's ids answer 404 problem JSON; lists and reports,
  with filters naming Brackenholt's things, show none of its names, addresses or references.
  Nothing of Brackenholt's changes, and no email is queued to its people.
- A public route (published programmes, anyone may read): the token changes nothing, its
  answer is the anonymous one; Brackenholt's draft programme is not found.
"""

import json

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver

from bookyourplace.accounts.api_tokens import create_token
from bookyourplace.api.endpoints import api as ninja_api
from bookyourplace.api.testing import ALL_SCOPES, ApiClient, booking_body, problem_of
from bookyourplace.core.testing.downloads import found_in
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.reports.separation_testing import make_organisation_world, snapshot

NOWHERE = 999_999_999_999
# What each path parameter names: each organisation's things of that kind.
PATH_PARAMETERS = {
    "session_id": lambda w: [s.pk for s in [w.past, w.online, w.in_person, w.full, w.approval]],
    "reference": lambda w: [b.reference for b in [w.attended, w.confirmed, w.waiting, w.offered, w.pending]],
    "slug": lambda w: [w.programme.slug, w.draft.slug],
}
NOWHERE_VALUES = {"reference": "ZZZZZZZZ", "slug": "nobodys-programme"}
# Query parameters that name an organisation's things: each organisation's values.
QUERY_PARAMETERS = {
    "programme": lambda w: [w.programme.slug, w.draft.slug],
    "session": lambda w: [w.online.pk, w.past.pk],
    "email": lambda w: [w.confirmed.email, w.attended.email],
    "organisation": lambda w: [w.confirmed.organisation],
}
# Query parameters that name nothing of anyone's.
NAMES_NOTHING = {"status", "created_since", "cursor", "limit", "date_from", "date_to", "sector", "delivery"}
# What a write sends, by operation id: a plausible body, so a route that found the thing would
# act on it (a body the route cannot read is refused before anything is looked up).
BODIES = {"cancel_booking": lambda: {"reason": "Trying another organisation's booking"}}
DEFAULT_BODY = lambda: booking_body("zed.tester@example.org")  # noqa: E731


def operations():
    """(method, path, operation) of every operation in the API's OpenAPI document."""
    schema = ninja_api.get_openapi_schema()
    return [
        (method, path, operation) for path, methods in schema["paths"].items() for method, operation in methods.items()
    ]


OPERATIONS = operations()


def _params(operation, where):
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == where]


@pytest.fixture(scope="module")
def sides(django_db_setup, django_db_blocker):
    """Aldermere with its token, and Brackenholt, made once for the module (rolled back after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ours = make_organisation_world("Aldermere")
        theirs = make_organisation_world("Brackenholt")
        token, raw = create_token(
            organiser=ours.organiser, name="Aldermere records token", scopes=ALL_SCOPES, expires_at=None, actor=SYSTEM
        )
        their_token, _raw = create_token(
            organiser=theirs.organiser,
            name="Brackenholt records token",
            scopes=ALL_SCOPES,
            expires_at=None,
            actor=SYSTEM,
        )
        theirs.add_markers(their_token.name)
        yield ours, theirs, raw
        transaction.set_rollback(True)


def _fill(path: str, values: dict) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _path_values(name: str, world) -> list:
    if name not in PATH_PARAMETERS:
        pytest.fail(
            f"The API path parameter {name!r} is not in PATH_PARAMETERS (api/tests/test_data_separation.py): "
            "add what it names, so that the route is tried with another organisation's ids."
        )
    return PATH_PARAMETERS[name](world)


def _send(client, method, url, operation, *, anonymous=False):
    token = "" if anonymous else None
    if method == "post":
        return client.post(url, BODIES.get(operation["operationId"], DEFAULT_BODY)(), token=token)
    return client.request(method, url, token=token)


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p, _o in OPERATIONS]
)
def test_another_organisations_things_are_not_found_through_the_api(db, sides, method, path, operation):
    ours, theirs, raw = sides
    client = ApiClient(raw)
    needs_token = bool(operation.get("security"))
    names = _params(operation, "path")
    before = snapshot(theirs)
    problems = []

    urls = []
    for name in names:
        firsts = {n: _path_values(n, theirs)[0] for n in names}
        urls += [_fill(path, {**firsts, name: value}) for value in _path_values(name, theirs)]
    for url in dict.fromkeys(urls):
        response = _send(client, method, url, operation)
        if needs_token:
            if response.status_code != 404:
                problems.append(f"{method.upper()} {url}: {response.status_code}, not 404")
            else:
                problem_of(response)
            leaked = found_in(response, theirs.markers)
            if leaked:
                problems.append(f"{method.upper()} {url} shows {leaked}")
        else:
            anonymous = _send(client, method, url, operation, anonymous=True)
            if (response.status_code, response.content) != (anonymous.status_code, anonymous.content):
                problems.append(f"{method.upper()} {url}: the token shows more than anyone sees")
    if names and needs_token:
        # Our own are found (so a 404 with theirs is the boundary, not a path filled wrongly).
        own = _fill(path, {n: _path_values(n, ours)[0] for n in names})
        assert _send(client, method, own, operation).status_code != 404, own
    if any(name == "slug" for name in names):
        draft = _send(client, method, _fill(path, {"slug": theirs.draft.slug}), operation)
        assert draft.status_code == 404, "a draft programme of theirs"

    for name in _params(operation, "query"):
        if name in NAMES_NOTHING:
            continue
        if name not in QUERY_PARAMETERS:
            pytest.fail(
                f"The API query parameter {name!r} is in neither QUERY_PARAMETERS nor NAMES_NOTHING "
                "(api/tests/test_data_separation.py): say what it names."
            )
        for value in QUERY_PARAMETERS[name](theirs):
            response = client.get(path, {name: value})
            if response.status_code not in (200, 404, 422):
                problems.append(f"GET {path}?{name}={value}: {response.status_code}")
            leaked = found_in(response, theirs.markers, except_for=[value]) if needs_token else []
            if leaked:
                problems.append(f"GET {path}?{name}={value} shows {leaked}")
    if not names and method == "get":
        response = client.get(path)
        assert response.status_code == 200, path
        if needs_token:
            assert not found_in(response, theirs.markers), path
        else:
            assert json.loads(response.content) == json.loads(
                _send(client, method, path, operation, anonymous=True).content
            )

    assert not problems, "\n".join(problems)
    assert snapshot(theirs) == before


def test_every_api_route_is_in_the_document():
    """A route left out of the OpenAPI document would be left out above."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, ":".join(n for n in (namespace, pattern.namespace or "") if n))
            elif namespace == "api":
                yield pattern.name

    documented = {operation["operationId"] for _m, _p, operation in OPERATIONS}
    routes = set(walk(get_resolver().url_patterns))

    assert routes - {"openapi-json", "api-root"} == documented
    assert {"list_bookings", "get_booking", "cancel_booking", "report"} <= documented


def test_our_own_bookings_are_listed(db, sides):
    """The list is read as the check above reads it: our own people are found in it."""
    ours, _theirs, raw = sides

    response = ApiClient(raw).get("/api/bookings", {"email": ours.attended.email})

    assert found_in(response, [ours.attended.reference])
