"""Marking who came tells the organiser's webhook endpoints, whichever way it was marked; a
mark that changes nothing tells nobody anything."""

import json

from bookyourplace.attendance import services
from bookyourplace.attendance.models import Method, Outcome
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.privacy.services import Actor
from bookyourplace.webhooks.models import Delivery
from bookyourplace.webhooks.testing import add_endpoint

ORGANISER = Actor(label="Hana Ali")


def attendance_messages() -> list[dict]:
    bodies = Delivery.objects.filter(event="attendance.marked").order_by("pk").values_list("payload", flat=True)
    return [json.loads(body) for body in bodies]


def test_marking_attendance_sends_the_booking_and_its_mark(session, organiser, webhook_receiver, run_worker):
    add_endpoint(organiser, webhook_receiver.url, subscribed=["attendance.marked"])
    alex = bookings_testing.book(session, "alex@example.org", first_name="Alex", last_name="Smith")

    services.check_in(booking=alex, session=session, actor=ORGANISER)
    services.mark(
        booking=alex, outcome=Outcome.PARTLY_ATTENDED, method=Method.TEAMS_REPORT, minutes_present=50, actor=ORGANISER
    )
    services.mark(
        booking=alex, outcome=Outcome.PARTLY_ATTENDED, method=Method.TEAMS_REPORT, minutes_present=50, actor=ORGANISER
    )
    run_worker()

    checked_in, from_teams = attendance_messages()
    assert checked_in["data"]["booking"]["reference"] == alex.reference
    assert checked_in["data"]["attendance"]["outcome"] == "attended"
    assert checked_in["data"]["attendance"]["method"] == "register"
    assert checked_in["data"]["attendance"]["checked_in_at"] is not None
    assert from_teams["data"]["attendance"] | {"checked_in_at": None, "marked_at": None} == {
        "outcome": "partly_attended",
        "method": "teams_report",
        "minutes_present": 50,
        "checked_in_at": None,
        "marked_at": None,
    }
    assert [request.json["type"] for request in webhook_receiver.received] == ["attendance.marked"] * 2
