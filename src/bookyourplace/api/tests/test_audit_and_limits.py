"""Every use of a token is in the audit log; the API's rate limits, per token and per address."""

from unittest import mock

import pytest
from django.db import OperationalError

from bookyourplace.accounts.models import ApiScope, ApiToken
from bookyourplace.api.testing import ApiClient, problem_of
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

USES = "api_request"


def test_each_request_with_a_token_is_one_audit_entry(api, session):
    booked = bookings_testing.book(session, "alex@example.org")
    api.get("/api/bookings", {"email": "alex@example.org"}, REMOTE_ADDR="203.0.113.9")
    api.get(f"/api/bookings/{booked.reference}", REMOTE_ADDR="203.0.113.9")
    listed, read = AuditEvent.objects.filter(action=USES).order_by("pk")
    token = ApiToken.objects.get()
    assert listed.actor_label == "API token Learning records"
    assert listed.ip_address == "203.0.113.9"
    assert (listed.subject_type, listed.subject_id) == ("apitoken", str(token.pk))
    assert listed.summary == "GET /api/bookings 200"
    assert "alex@example.org" not in listed.summary
    assert listed.programme_id is None
    assert read.summary == f"GET /api/bookings/{booked.reference} 200"
    assert read.programme_id == session.programme_id


def test_refused_uses_are_written_down_too(make_token, session):
    reader = ApiClient(make_token([ApiScope.READ_REPORTS]))
    reader.get(f"/api/sessions/{session.pk}/waiting-list")
    reader.get("/api/sessions/999999/feedback")
    entries = list(AuditEvent.objects.filter(action=USES).order_by("pk").values_list("summary", flat=True))
    assert entries == [f"GET /api/sessions/{session.pk}/waiting-list 403", "GET /api/sessions/999999/feedback 404"]


def test_public_reads_and_unusable_tokens_write_nothing(anonymous, programme):
    anonymous.get("/api/programmes")
    anonymous.get("/api/bookings", token="byp_made-up")
    assert not AuditEvent.objects.filter(action=USES).exists()


def test_a_read_whose_use_cannot_be_written_down_is_not_answered(api, session):
    bookings_testing.book(session, "alex@example.org")
    with mock.patch("bookyourplace.api.audit.record", side_effect=OperationalError("connection lost")):
        response = api.get("/api/bookings")
    assert response.status_code == 503
    assert "alex@example.org" not in response.content.decode()
    assert response["Retry-After"] == "5"


def test_a_token_over_its_limit_gets_429_with_retry_after(api, session, rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "api_per_token": "3/1m"}
    assert [api.get("/api/bookings").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/bookings")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 120
    assert problem_of(refused)["title"] == "Too Many Requests"
    # The address itself is not held back by this token's use.
    assert api.get("/api/programmes", token="").status_code == 200
    rate_limits_on.now += int(refused["Retry-After"])
    assert api.get("/api/bookings").status_code == 200


def test_an_address_over_its_limit_gets_429_whatever_it_asks(anonymous, programme, rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "api_per_address": "2/1m"}
    assert anonymous.get("/api/programmes").status_code == 200
    assert anonymous.get("/api/bookings", token="byp_guess-1").status_code == 401
    refused = anonymous.get("/api/bookings", token="byp_guess-2")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert anonymous.get("/api/programmes", REMOTE_ADDR="198.51.100.7").status_code == 200
