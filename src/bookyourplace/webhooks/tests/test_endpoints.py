"""Adding and changing endpoints: only addresses on the internet, over https; at least one
event; a secret made for each; every change in the audit log."""

import pytest

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.webhooks import endpoints, signing
from bookyourplace.webhooks.errors import NoEvents, UnsafeDestination
from bookyourplace.webhooks.models import Endpoint

PUBLIC = "https://93.184.215.14/webhooks"  # an address on the internet, given as a number: no lookup


def add(organiser, url=PUBLIC, subscribed=("booking.created",), is_active=True):
    return endpoints.add_endpoint(
        organiser=organiser, url=url, description="LMS", subscribed=subscribed, is_active=is_active, actor=SYSTEM
    )


def test_an_endpoint_is_added_with_its_own_signing_secret(organiser):
    first, second = add(organiser), add(organiser)

    assert first.secret.startswith("whsec_") and second.secret.startswith("whsec_")
    assert first.secret != second.secret
    assert len(signing.signature(first.secret, message_id="msg_1", timestamp=1, body=b"{}")) > 40
    assert AuditEvent.objects.filter(action="webhook.added").count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
    ],
)
def test_an_address_on_a_private_network_is_refused(organiser, url):
    with pytest.raises(UnsafeDestination) as refused:
        add(organiser, url=url)

    assert "is on a private network" in str(refused.value.message)
    assert refused.value.field == "url"


def test_private_addresses_and_plain_http_are_allowed_when_the_setting_says_so(organiser, settings):
    settings.BYP_WEBHOOKS_ALLOW_PRIVATE = True

    endpoint = add(organiser, url="http://127.0.0.1:8080/hook")

    assert endpoint.url == "http://127.0.0.1:8080/hook"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.215.14/hook", "Enter an address that starts with https://, so that messages are encrypted"),
        ("ftp://93.184.215.14/hook", "Enter a full web address, like https://example.org/webhooks"),
        ("93.184.215.14/hook", "Enter a full web address, like https://example.org/webhooks"),
        ("https://93.184.215.14:99999/", "Enter a full web address, like https://example.org/webhooks"),
        (
            "https://user:secret@93.184.215.14/hook",
            "Remove the user name and password from the address: every message is signed instead",
        ),
        ("https://no-such-host.invalid/hook", "No server was found at no-such-host.invalid. Check the address"),
    ],
)
def test_an_address_that_cannot_be_used_is_refused_saying_why(organiser, url, message):
    with pytest.raises(UnsafeDestination) as refused:
        add(organiser, url=url)

    assert str(refused.value.message) == message


def test_plain_http_is_allowed_in_development_but_private_addresses_are_not(organiser, settings):
    settings.DEBUG = True

    assert add(organiser, url="http://93.184.215.14/hook").url == "http://93.184.215.14/hook"
    with pytest.raises(UnsafeDestination):
        add(organiser, url="http://127.0.0.1/hook")


def test_an_endpoint_needs_an_event(organiser):
    with pytest.raises(NoEvents):
        add(organiser, subscribed=[])
    with pytest.raises(NoEvents):
        add(organiser, subscribed=["ping", "booking.deleted"])  # none an organiser may subscribe to


def test_switching_an_endpoint_on_again_clears_the_note_of_why_it_was_switched_off(organiser):
    endpoint = add(organiser)
    endpoint.is_active, endpoint.switched_off_note = False, "Switched off automatically on 1 March 2026."
    endpoint.save()

    changed = endpoints.change_endpoint(
        endpoint=endpoint, url=PUBLIC, description="LMS", subscribed=["booking.created"], is_active=True, actor=SYSTEM
    )

    endpoint.refresh_from_db()
    assert changed == ("is_active",)
    assert endpoint.is_active and endpoint.switched_off_note == ""
    assert AuditEvent.objects.filter(action="webhook.changed").get().summary == (
        f"Changed is_active of webhook endpoint {PUBLIC}: switched on"
    )


def test_an_unchanged_address_is_not_looked_up_again_so_it_can_always_be_switched_off(organiser):
    # Saved when its name still resolved; it no longer does.
    endpoint = Endpoint.objects.create(
        organiser=organiser,
        url="https://lms.no-longer-there.invalid/hook",
        events=["booking.created"],
        secret=signing.new_secret(),
    )

    endpoints.change_endpoint(
        endpoint=endpoint,
        url=endpoint.url,
        description="",
        subscribed=["booking.created"],
        is_active=False,
        actor=SYSTEM,
    )

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    with pytest.raises(UnsafeDestination):  # a new address is looked up
        endpoints.change_endpoint(
            endpoint=endpoint,
            url="https://lms2.no-longer-there.invalid/hook",
            description="",
            subscribed=["booking.created"],
            is_active=False,
            actor=SYSTEM,
        )


def test_a_rotated_secret_is_new_and_the_old_one_kept_for_a_day(organiser):
    endpoint = add(organiser)
    old = endpoint.secret

    rotated = endpoints.rotate_secret(endpoint=endpoint, actor=SYSTEM)

    assert rotated.secret != old and rotated.secret.startswith("whsec_")
    assert rotated.previous_secret == old
    assert (rotated.previous_secret_until - rotated.updated_at).total_seconds() == pytest.approx(24 * 3600, abs=5)
