"""The site the fuzzing attacks, and the booking made before it that must survive it."""

from types import SimpleNamespace

import pytest

from bookyourplace.bookings import services
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.notifications.models import Email


@pytest.fixture
def site(programme, make_session, attendee_details):
    """An open session, a full one whose only place is offered to the next person waiting,
    and a booking made before any of the fuzzing (the bystander), which must survive it."""
    open_session = make_session(title="Open session", capacity=500)
    full_session = make_session(title="Full session", capacity=1)
    holder = services.book_place(session_id=full_session.pk, attendee=attendee_details("holder@coventry.gov.uk"))
    offered = services.book_place(
        session_id=full_session.pk, attendee=attendee_details("next@coventry.gov.uk"), join_waiting_list=True
    )
    services.cancel_booking(booking_id=holder.pk)
    offered.refresh_from_db()
    assert offered.is_offered
    bystander = services.book_place(
        session_id=open_session.pk, attendee=attendee_details("bystander@coventry.gov.uk", first_name="Bea")
    )

    return SimpleNamespace(
        programme=programme,
        open_session=open_session,
        full_session=full_session,
        offered=offered,
        offered_token=manage_token(offered),
        bystander=bystander,
        bystander_token=manage_token(bystander),
        bystander_row=Booking.objects.filter(pk=bystander.pk).values().get(),
        bystander_emails=Email.objects.filter(booking=bystander).count(),
    )
