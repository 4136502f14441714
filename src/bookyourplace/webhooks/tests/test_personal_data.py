"""The delivery log names attendees in its bodies: erasing a person removes every body with
their address (a message still waiting is then not sent); the log is kept for 30 days."""

from datetime import timedelta

from django.utils import timezone

from bookyourplace.privacy.personal_data import holders
from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.webhooks.models import Delivery
from bookyourplace.webhooks.personal_data import HOLDER
from bookyourplace.webhooks.services import announce
from bookyourplace.webhooks.testing import add_endpoint


def booking_of(organiser, email: str) -> None:
    announce(
        organiser_id=organiser.pk,
        event="booking.created",
        data={"reference": "BYP-7K2QD", "attendee": {"first_name": "Alex", "email": email}},
    )


def test_the_log_is_a_registered_holder_of_personal_data():
    assert HOLDER in holders()


def test_erasing_a_person_removes_the_bodies_that_name_them_and_stops_what_waits(organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    booking_of(organiser, "alex@example.org")
    booking_of(organiser, "bea@example.org")
    sent = endpoint.deliveries.order_by("pk").first()
    Delivery.objects.filter(pk=sent.pk).update(status="delivered")

    found = HOLDER.find("Alex@Example.org")
    changed = HOLDER.erase("alex@example.org")

    assert [(record.kind, record.fields["Event"]) for record in found] == [
        ("Sent to another system (webhook)", "booking.created")
    ]
    assert changed == 1
    alex, bea = endpoint.deliveries.order_by("pk")
    assert (alex.payload, alex.status) == ("", "delivered")
    assert "bea@example.org" in bea.payload and bea.status == "pending"
    assert HOLDER.find("alex@example.org") == []


def test_erasure_for_one_organiser_leaves_another_organisers_log(organiser, programme, webhook_receiver):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    Programme.objects.create(organiser=elsewhere, title="Their week", slug="their-week")
    ours = add_endpoint(organiser, webhook_receiver.url)
    theirs = add_endpoint(elsewhere, webhook_receiver.url)
    booking_of(organiser, "alex@example.org")
    booking_of(elsewhere, "alex@example.org")

    HOLDER.erase("alex@example.org", programme_ids=[programme.pk])

    assert ours.deliveries.get().payload == ""
    assert ours.deliveries.get().status == "skipped"
    assert "alex@example.org" in theirs.deliveries.get().payload


def test_the_daily_run_removes_log_entries_older_than_thirty_days(organiser, webhook_receiver):
    endpoint = add_endpoint(organiser, webhook_receiver.url)
    booking_of(organiser, "old@example.org")
    booking_of(organiser, "recent@example.org")
    old, recent = endpoint.deliveries.order_by("pk")
    Delivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    Delivery.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=29))

    removed = HOLDER.anonymise_due(timezone.now())

    assert removed == 1
    assert list(endpoint.deliveries.values_list("pk", flat=True)) == [recent.pk]
