"""The client's address is the one the nearest trusted proxy saw (core/requests.py: client_ip):
the audit log, the sign-in lock-out (django-axes) and the rate limits all use it, and an
X-Forwarded-For entry the client wrote itself changes nothing."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import PASSWORD, make_person
from bookyourplace.core.requests import client_ip
from bookyourplace.core.testing import booking_form_data
from bookyourplace.privacy.models import AuditEvent

EMAIL = "priya.shah@coventry.gov.uk"
PROXY = "10.0.0.5"


@pytest.fixture
def person(organiser, programme):
    return make_person(organiser, Role.ORGANISER, email=EMAIL, programmes=(programme,)).user


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def behind_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach us through the proxy, with this X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def sign_in(client, password=PASSWORD):
    return client.post(reverse("backoffice:sign_in"), {"username": EMAIL, "password": password})


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", "10.0.0.5"),
        (0, "203.0.113.7", "10.0.0.5"),  # no proxy trusted: the header is the client's own
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own entry on the left
        (1, "6.6.6.6,203.0.113.7", "203.0.113.7"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # two proxies: second from the right
        (2, "203.0.113.7", "10.0.0.5"),  # fewer entries than proxies
        (1, "", "10.0.0.5"),
        (1, "not-an-address", "10.0.0.5"),
        (1, "203.0.113.7:4431", "10.0.0.5"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_one_the_nearest_trusted_proxy_saw(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


def test_the_audit_log_records_the_address_the_proxy_saw_not_the_one_the_client_wrote(one_proxy, client, person):
    response = sign_in(behind_proxy("6.6.6.6, 203.0.113.7"))

    assert response.status_code == 302
    assert AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_IN).ip_address == "203.0.113.7"


def test_a_booking_is_audited_with_the_address_the_proxy_saw(one_proxy, session):
    url = reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})
    behind_proxy("6.6.6.6, 198.51.100.20").post(url, booking_form_data())

    event = AuditEvent.objects.get(action=AuditEvent.Action.BOOKED)
    assert event.ip_address == "198.51.100.20"


def test_wrong_passwords_lock_out_one_client_behind_the_proxy_not_everyone(one_proxy, person, settings):
    # The attacker writes a new left-hand entry each time: it changes nothing.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(behind_proxy(f"6.6.6.{attempt}, 203.0.113.7"), password="guess")

    assert sign_in(behind_proxy("203.0.113.7")).status_code == 429  # locked, even the right password
    colleague = behind_proxy("198.51.100.23")  # the same person at another desk, same proxy
    assert sign_in(colleague).status_code == 302


def test_rate_limits_count_each_client_behind_the_proxy_apart(one_proxy, rate_limits_on, session, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "booking_per_address": "3/1m"}
    url = reverse("public:book", kwargs={"programme_slug": session.programme.slug, "session_id": session.pk})
    statuses = [
        behind_proxy(f"6.6.6.{n}, 203.0.113.7").post(url, booking_form_data(email=f"p{n}@example.org")).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert behind_proxy("198.51.100.23").post(url, booking_form_data(email="q@example.org")).status_code == 302
