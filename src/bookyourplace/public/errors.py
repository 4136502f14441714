"""How the public pages show a refusal (a DomainError from a service): the one place that
turns one into the "cannot book" page or a message on the next page."""

from django.contrib import messages
from django.shortcuts import render

from bookyourplace.bookings import availability as places
from bookyourplace.core.errors import DomainError


def unavailable_page(request, error: DomainError, *, session, status: int = 409):
    """The session's page saying why it cannot be booked now, with what is left of it."""
    context = {
        "session": session,
        "programme": session.programme,
        "organiser": session.programme.organiser,
        "message": error.message,
        "availability": places.availability(session),
    }
    return render(request, "public/booking_unavailable.html", context, status=status)


def flash(request, error: DomainError) -> None:
    """The refusal shown on the next page (the manage page), after a redirect."""
    messages.error(request, error.message)
