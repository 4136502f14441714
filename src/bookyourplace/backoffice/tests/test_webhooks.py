"""The webhook pages, as an administrator uses them: add an endpoint (after a mistake), see its
secret and make a new one, send a test message and read what the endpoint answered in the
delivery log, send a failed message again, switch it off, remove it. Each change is in the
audit log. (Who may open each page: test_permissions.py.)"""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Organiser
from bookyourplace.webhooks import services
from bookyourplace.webhooks.models import Delivery, Endpoint
from bookyourplace.webhooks.testing import add_endpoint

LIST = reverse("backoffice:webhooks")
NEW = reverse("backoffice:webhook_new")


def page_of(endpoint, **query) -> str:
    return reverse("backoffice:webhook", kwargs={"endpoint_id": endpoint.pk}) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def form(url: str, *events: str, active: str = "yes", description: str = "Learning records system") -> dict:
    return {
        "url": url,
        "description": description,
        "events": list(events or ["booking.created", "booking.cancelled"]),
        "active": active,
    }


def audit_actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="webhook.").order_by("pk").values_list("action", flat=True)
    )


def test_an_administrator_adds_an_endpoint_and_sees_its_secret(client, admin, organiser, webhook_receiver):
    response = client.post(NEW, form(webhook_receiver.url), follow=True)

    endpoint = Endpoint.objects.get()
    assert response.redirect_chain[-1][0] == page_of(endpoint)
    page = text_of(response)
    assert "Endpoint added. Copy its signing secret into your system" in page
    assert endpoint.secret in response.content.decode()
    assert "Someone books a place or joins a waiting list A booking is cancelled" in page
    assert (endpoint.organiser, endpoint.events, endpoint.is_active) == (
        organiser,
        ["booking.created", "booking.cancelled"],
        True,
    )
    assert audit_actions() == ["webhook.added"]
    assert AuditEvent.objects.get(action="webhook.added").actor == admin.user


def test_an_empty_form_says_what_is_missing(client, admin):
    response = client.post(NEW, {})

    page = text_of(response)
    assert "There is a problem Enter the endpoint URL Select at least one event to send" in page
    assert response.content.decode().count("govuk-error-message") == 3  # and whether to send now
    assert Endpoint.objects.count() == 0


def test_an_address_on_a_private_network_is_refused_and_what_was_typed_is_kept(client, admin):
    response = client.post(NEW, form("https://169.254.169.254/latest/meta-data/", "attendance.marked"))

    page = text_of(response)
    assert "There is a problem 169.254.169.254 is on a private network (169.254.169.254)" in page
    assert 'href="#id_url"' in response.content.decode()
    assert 'value="https://169.254.169.254/latest/meta-data/"' in response.content.decode()
    assert re.search(r'<input[^>]*value="attendance.marked"[^>]*checked', response.content.decode())
    assert Endpoint.objects.count() == 0


def test_plain_http_is_refused_in_production(client, admin):
    response = client.post(NEW, form("http://93.184.215.14/hooks"))

    assert "Enter an address that starts with https://, so that messages are encrypted" in text_of(response)
    assert Endpoint.objects.count() == 0


def test_switching_an_endpoint_off_stops_its_messages(client, admin, organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    edit = reverse("backoffice:webhook_edit", kwargs={"endpoint_id": endpoint.pk})

    assert 'value="yes"' in client.get(edit).content.decode()
    response = client.post(edit, form(endpoint.url, *endpoint.events, active="no"), follow=True)

    assert "Endpoint saved." in text_of(response)
    assert "Switched off Nothing is sent to it, except test messages." in text_of(response)
    assert services.announce(organiser_id=organiser.pk, event="booking.created", data={}) == 0
    assert audit_actions() == ["webhook.added", "webhook.changed"]


def test_a_test_message_is_sent_by_the_worker_and_its_answer_shown_in_the_log(
    client, admin, organiser, webhook_receiver, run_worker
):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    webhook_receiver.answer_with(503)

    response = client.post(reverse("backoffice:webhook_test", kwargs={"endpoint_id": endpoint.pk}), follow=True)
    assert "A test message is on its way." in text_of(response)
    run_worker()

    log = text_of(client.get(page_of(endpoint)))
    assert "ping queued" in log
    assert " 1 503 Will try again Next try " in log
    assert [request.json["type"] for request in webhook_receiver.received] == ["ping"]
    assert audit_actions() == ["webhook.added", "webhook.test_sent"]


def test_a_failed_message_is_sent_again_from_the_log(client, admin, organiser, webhook_receiver, run_worker):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    services.announce(organiser_id=organiser.pk, event="booking.created", data={"reference": "BYP-7K2QD"})
    Delivery.objects.update(status="failed", attempts=7, response_status=500)
    failed = Delivery.objects.get()
    assert "Send again the booking.created message" in text_of(client.get(page_of(endpoint)))

    response = client.post(
        reverse("backoffice:webhook_resend", kwargs={"endpoint_id": endpoint.pk, "delivery_id": failed.pk}),
        follow=True,
    )
    run_worker()

    assert "The message is on its way again, with the same id." in text_of(response)
    log = text_of(client.get(page_of(endpoint)))
    assert " 1 200 Delivered " in log
    assert " 7 500 Failed Sent again " in log
    assert "Send again the booking.created message" not in log
    assert audit_actions() == ["webhook.added", "webhook.resent"]


def test_the_log_is_newest_first_a_page_at_a_time(client, admin, organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    for n in range(30):
        services.announce(organiser_id=organiser.pk, event="booking.created", data={"n": n})
    ids = list(Delivery.objects.order_by("-created_at", "-id").values_list("pk", flat=True))

    first = client.get(page_of(endpoint)).content.decode()
    second = client.get(page_of(endpoint, page=2)).content.decode()

    def shown(html):
        return [pk for pk in ids if f"/messages/{pk}/" in html]

    assert shown(first) == ids[:25]
    assert shown(second) == ids[25:]
    assert "Pages of the delivery log" in first


def test_a_message_shows_what_was_sent_and_opening_it_is_audited(client, admin, organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    services.announce(
        organiser_id=organiser.pk, event="booking.created", data={"attendee": {"email": "alex@example.org"}}
    )
    delivery = Delivery.objects.get()
    Delivery.objects.update(status="pending", attempts=1, error="No answer within 10 seconds")

    response = client.get(
        reverse("backoffice:webhook_delivery", kwargs={"endpoint_id": endpoint.pk, "delivery_id": delivery.pk})
    )

    page = text_of(response)
    assert "What went wrong No answer within 10 seconds" in page
    assert "Response code No answer" in page
    assert json.loads(delivery.payload)["data"]["attendee"]["email"] == "alex@example.org"
    assert "alex@example.org" in page
    assert audit_actions() == ["webhook.added", "webhook.delivery_viewed"]


def test_a_new_secret_is_made_after_a_confirmation(client, admin, organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    old = endpoint.secret
    url = reverse("backoffice:webhook_secret", kwargs={"endpoint_id": endpoint.pk})

    assert "For 24 hours each message is signed with both the new and the old secret" in text_of(client.get(url))
    response = client.post(url, follow=True)

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()
    assert "The previous secret also signs each message until" in text_of(response)
    assert audit_actions() == ["webhook.added", "webhook.secret_rotated"]


def test_removing_an_endpoint_asks_first_then_removes_it_and_its_log(client, admin, organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    services.send_test(endpoint=endpoint, actor=SYSTEM)
    url = reverse("backoffice:webhook_remove", kwargs={"endpoint_id": endpoint.pk})

    assert "Remove this webhook endpoint?" in text_of(client.get(url))
    assert Endpoint.objects.count() == 1
    response = client.post(url, follow=True)

    assert "Endpoint removed. No more messages will be sent to it." in text_of(response)
    assert Endpoint.objects.count() == Delivery.objects.count() == 0
    assert audit_actions() == ["webhook.added", "webhook.test_sent", "webhook.removed"]


def test_the_list_shows_only_this_organisers_endpoints(client, admin, organiser, webhook_receiver):
    ours = add_endpoint(organiser, webhook_receiver.url + "/ours")
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    add_endpoint(elsewhere, webhook_receiver.url + "/theirs")

    page = text_of(client.get(LIST))

    assert ours.url in page
    assert "/theirs" not in page


def test_the_list_and_the_log_cost_the_same_queries_for_one_row_as_for_many(client, admin, organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    services.announce(organiser_id=organiser.pk, event="booking.created", data={"n": 0})

    def queries(url) -> int:
        client.get(url)  # warm: the first request of a signed-in browser may do extra work
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with_one = [queries(LIST), queries(page_of(endpoint))]
    for n in range(5):
        add_endpoint(organiser, webhook_receiver.url + f"/{n}")
        services.announce(organiser_id=organiser.pk, event="booking.created", data={"n": n})
    Delivery.objects.filter(pk__in=Delivery.objects.order_by("pk")[:3].values("pk")).update(status="failed")

    assert [queries(LIST), queries(page_of(endpoint))] == with_one
