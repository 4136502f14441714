"""The booking rules tell the organiser's webhook endpoints what they did, in the same
transaction: a booking made (waiting list included), cancelled or approved, a session changed
or cancelled. Nothing is written for an organiser with no endpoint wanting it, and nothing is
sent for a change that was rolled back."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from bookyourplace.bookings import approvals, session_changes
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.testing import attendee_details, book
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import ApprovalMode, Organiser, Programme
from bookyourplace.webhooks.delivery import deliver_webhooks
from bookyourplace.webhooks.models import Delivery
from bookyourplace.webhooks.testing import add_endpoint

ORGANISER = Actor(label="Priya (Prevent coordinator)")


def messages() -> list[dict]:
    """The messages queued, oldest first, as their receivers will read them."""
    return [json.loads(body) for body in Delivery.objects.order_by("pk").values_list("payload", flat=True)]


def types() -> list[str]:
    return [message["type"] for message in messages()]


@pytest.fixture
def endpoint(organiser, webhook_receiver):
    return add_endpoint(organiser, webhook_receiver.url)


def test_a_booking_is_sent_to_the_receiver_as_the_booking_record(session, endpoint, webhook_receiver, run_worker):
    booking = book(session, "alex.smith@coventry.gov.uk")

    run_worker()

    [received] = webhook_receiver.received
    message = received.json
    assert message["type"] == "booking.created"
    assert message["data"]["reference"] == booking.reference
    assert message["data"]["status"] == "confirmed"
    assert message["data"]["attendee"]["email"] == "alex.smith@coventry.gov.uk"
    assert message["data"]["session"] == {
        "id": session.pk,
        "title": "Self-Initiated Terrorism",
        "starts_at": session.starts_at.isoformat().replace("+00:00", "Z"),
        "ends_at": session.ends_at.isoformat().replace("+00:00", "Z"),
        "programme": "coventry-prevent-week",
    }
    # Neither the joining link nor access needs (health data) leave the service.
    assert "secret-joining-link" not in received.body.decode()
    assert "access_needs" not in received.body.decode()


def test_joining_the_waiting_list_is_a_booking_created_waiting(make_session, endpoint):
    full = make_session(capacity=1)
    book(full, "first@example.org")

    book(full, "second@example.org", waiting=True)

    assert [(m["type"], m["data"]["status"]) for m in messages()] == [
        ("booking.created", "confirmed"),
        ("booking.created", "waiting"),
    ]


def test_cancelling_sends_booking_cancelled(session, endpoint):
    booking = book(session, "alex@example.org")

    bookings.cancel_booking(booking_id=booking.pk, actor=ORGANISER, by_organiser=True, reason="Booked twice")

    assert types() == ["booking.created", "booking.cancelled"]
    assert messages()[1]["data"]["status"] == "cancelled"
    assert messages()[1]["data"]["cancelled_at"] is not None


def test_approving_sends_booking_approved(make_session, endpoint):
    strict = make_session(approval_mode=ApprovalMode.APPROVAL)
    booking = bookings.book_place(session_id=strict.pk, attendee=attendee_details("pat@gmail.com"), address_proven=True)
    assert messages()[0]["data"]["status"] == "pending"

    approvals.approve_booking(booking_id=booking.pk, actor=ORGANISER)

    assert types() == ["booking.created", "booking.approved"]
    assert messages()[1]["data"]["status"] == "confirmed"


def test_changing_a_session_sends_what_changed_and_cancelling_it_a_change_of_status(session, endpoint):
    session_changes.change_session(session_id=session.pk, actor=ORGANISER, room="Room 2.4", venue="Friargate")
    session_changes.change_session(session_id=session.pk, actor=ORGANISER, room="Room 2.4")  # no change: nothing
    session_changes.cancel_session(session_id=session.pk, actor=ORGANISER, reason="The trainer is unwell")

    changed, cancelled = messages()
    assert changed["type"] == cancelled["type"] == "session.changed"
    assert sorted(changed["data"]["changed"]) == ["room", "venue"]
    assert (changed["data"]["session"]["room"], changed["data"]["session"]["status"]) == ("Room 2.4", "scheduled")
    assert cancelled["data"]["changed"] == ["status"]
    assert cancelled["data"]["session"]["status"] == "cancelled"
    assert "secret-joining-link" not in json.dumps(messages())


def test_a_change_of_joining_link_says_so_without_the_link(session, endpoint):
    session_changes.change_session(
        session_id=session.pk, actor=ORGANISER, joining_url="https://teams.microsoft.com/l/new-secret-link"
    )

    [changed] = messages()
    assert changed["data"]["changed"] == ["joining_url"]
    assert "new-secret-link" not in json.dumps(changed)


def test_an_endpoint_gets_only_the_events_it_subscribed_to(session, organiser, webhook_receiver):
    add_endpoint(organiser, webhook_receiver.url, subscribed=["booking.cancelled"])
    booking = book(session, "alex@example.org")
    assert types() == []

    bookings.cancel_booking(booking_id=booking.pk, actor=ORGANISER, by_organiser=True)

    assert types() == ["booking.cancelled"]


def test_nothing_is_queued_or_sent_when_the_booking_is_rolled_back(session, endpoint, webhook_receiver, run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(session, "alex@example.org")
        raise RuntimeError("the caller's transaction fails after the booking")

    run_worker()

    assert Delivery.objects.count() == 0
    assert webhook_receiver.received == []


def test_a_booking_the_quick_path_rolls_back_is_announced_once_as_it_ended(make_session, endpoint):
    # The caller counted the last place free; another booking took it meanwhile. The quick
    # path writes the booking (and its message) and rolls both back; the locked path puts the
    # person on the waiting list, and that is the one message.
    full = make_session(capacity=1)
    as_read = type(full).objects.select_related("programme").get(pk=full.pk)
    as_read.places_taken, as_read.waiting = 0, 0
    book(full, "first@example.org")
    Delivery.objects.all().delete()

    bookings.book_place(
        session_id=full.pk, attendee=attendee_details("second@example.org"), join_waiting_list=True, session=as_read
    )

    assert [(m["type"], m["data"]["status"]) for m in messages()] == [("booking.created", "waiting")]


def test_the_delivery_run_is_asked_for_once_the_booking_commits(session, endpoint, django_capture_on_commit_callbacks):
    runs = DBTaskResult.objects.filter(task_path=deliver_webhooks.module_path)

    with django_capture_on_commit_callbacks() as callbacks:
        book(session, "alex@example.org")
        book(session, "bea@example.org")
        assert runs.count() == 0

    for callback in callbacks:
        callback()
    assert runs.count() == 1


def test_a_booking_for_an_organiser_with_no_endpoint_wanting_it_costs_one_query_and_writes_nothing(
    session, organiser, webhook_receiver, django_capture_on_commit_callbacks
):
    # Endpoints that must not be told: another organiser's, one switched off, one for other events.
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    add_endpoint(elsewhere, webhook_receiver.url)
    add_endpoint(organiser, webhook_receiver.url, is_active=False)
    add_endpoint(organiser, webhook_receiver.url, subscribed=["session.changed"])

    with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as queries:
        book(session, "alex@example.org")

    about_webhooks = [query["sql"] for query in queries.captured_queries if "webhooks_" in query["sql"]]
    assert len(about_webhooks) == 1
    assert about_webhooks[0].startswith("SELECT")
    assert Delivery.objects.count() == 0
    for callback in callbacks:
        callback()  # the email's run, and nothing for webhooks
    assert not DBTaskResult.objects.filter(task_path=deliver_webhooks.module_path).exists()


def test_a_programme_of_another_organiser_tells_its_own_endpoints(make_session, organiser, webhook_receiver):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = add_endpoint(elsewhere, webhook_receiver.url)
    ours = add_endpoint(organiser, webhook_receiver.url)
    their_week = Programme.objects.create(
        organiser=elsewhere, title="Their week", slug="their-week", status=Programme.Status.PUBLISHED
    )

    book(make_session(programme=their_week), "sam@warwickshire.gov.uk")

    assert theirs.deliveries.count() == 1
    assert ours.deliveries.count() == 0
