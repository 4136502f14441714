"""Tokens: 401 without a usable one, 403 without the scope, and one organiser's token never
reaches another organiser's data, on any path."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookyourplace.accounts.api_tokens import revoke_token
from bookyourplace.accounts.models import ApiScope, ApiToken
from bookyourplace.api.testing import ApiClient, booking_body, problem_of
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.services import SYSTEM

pytestmark = pytest.mark.django_db

TOKEN_PATHS = [
    "/api/bookings",
    "/api/bookings/BYP-00000",
    "/api/sessions/{session}/waiting-list",
    "/api/sessions/{session}/attendance",
    "/api/sessions/{session}/feedback",
    "/api/programmes/{programme}/feedback",
    "/api/reports",
]


def _paths(session, programme):
    return [p.format(session=session.pk, programme=programme.slug) for p in TOKEN_PATHS]


def test_no_token_is_401_with_a_challenge(anonymous, session, programme):
    for path in _paths(session, programme):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response["WWW-Authenticate"] == 'Bearer realm="Book Your Place API"'
        assert "Authorization: Bearer" in problem_of(response)["detail"]


def test_a_mistyped_expired_or_revoked_token_is_401(make_token, session, programme):
    expired = make_token(expires_at=timezone.now() + timedelta(minutes=1))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked_raw = make_token(name="Old dashboard")
    revoke_token(token=ApiToken.objects.get(name="Old dashboard"), actor=SYSTEM)
    for raw in ("byp_not-a-real-token", expired, revoked_raw, "Basic dXNlcjpwYXNz"):
        response = ApiClient(raw).get("/api/bookings")
        assert response.status_code == 401, raw
        assert "invalid_token" in response["WWW-Authenticate"]
        assert "expired or revoked" in problem_of(response)["detail"]


def test_a_token_without_the_scope_is_403_naming_it(make_token, session):
    reader = ApiClient(make_token([ApiScope.READ_REPORTS]))
    response = reader.get("/api/bookings")
    assert response.status_code == 403
    assert problem_of(response)["detail"] == "This API token does not have the read:bookings scope."
    assert 'scope="read:bookings"' in response["WWW-Authenticate"]
    booking = reader.post(f"/api/sessions/{session.pk}/bookings", booking_body())
    assert booking.status_code == 403
    assert not Booking.objects.exists()


def test_a_token_never_reaches_another_organisers_data(api, other_session, other_booking, other_programme):
    """Every path, with the other organiser's ids: as if they did not exist."""
    assert other_booking.session == other_session
    listed = api.get("/api/bookings").json()
    assert listed["results"] == []
    for path in [
        *_paths(other_session, other_programme),
        f"/api/bookings/{other_booking.reference}",
    ]:
        if path == "/api/bookings" or path == "/api/reports":
            continue
        response = api.get(path)
        assert response.status_code == 404, path
        assert "Hidden" not in response.content.decode()
    for filtered in (
        {"session": other_session.pk},
        {"programme": other_programme.slug},
        {"email": other_booking.email},
    ):
        assert api.get("/api/bookings", filtered).json()["results"] == []
    assert api.get("/api/reports", {"programme": other_programme.slug}).status_code == 404
    assert api.get("/api/reports", {"session": other_session.pk}).status_code == 404
    report = api.get("/api/reports").content.decode()
    assert "Warwickshire" not in report
    booked = api.post(f"/api/sessions/{other_session.pk}/bookings", booking_body())
    assert booked.status_code == 404
    cancelled = api.post(f"/api/bookings/{other_booking.reference}/cancel")
    assert cancelled.status_code == 404
    other_booking.refresh_from_db()
    assert other_booking.status == Booking.Status.CONFIRMED


def test_the_other_organisers_token_sees_its_own_and_not_ours(make_token, other_organiser, other_booking, session):
    ours = bookings_testing.book(session, "ours@example.org")
    theirs = ApiClient(make_token(organiser=other_organiser))
    references = [b["reference"] for b in theirs.get("/api/bookings").json()["results"]]
    assert references == [other_booking.reference]
    assert theirs.get(f"/api/bookings/{ours.reference}").status_code == 404


def test_token_answers_are_never_cached_and_set_no_cookie(api, session):
    response = api.get("/api/bookings")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]
    assert not response.cookies


def test_the_api_needs_no_csrf_token(api, session):
    """A token is the only credential: a POST without a CSRF cookie or field is answered."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/sessions/{session.pk}/bookings",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert response.status_code == 422
