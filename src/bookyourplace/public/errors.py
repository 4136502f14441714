"""How the public pages show a refusal (a DomainError from a service): the one place that
turns one into the "cannot book" page or a message on the next page."""

import zlib

from django.contrib import messages
from django.shortcuts import render

from bookyourplace.bookings import availability as places
from bookyourplace.core.errors import DomainError
from bookyourplace.public import page_cache


def unavailable_page(request, error: DomainError, *, session, status: int = 409):
    """The session's page saying why it cannot be booked now, with what is left of it: the
    same for everyone told the same thing, so rendered once per version of the session (a
    rush on the last places is mostly these)."""

    def rendered(_stand_ins):
        context = {
            "session": session,
            "programme": session.programme,
            "organiser": session.programme.organiser,
            "message": error.message,
            "availability": places.availability(session),
        }
        response = render(request, "public/booking_unavailable.html", context, status=status)
        return page_cache.keep_for(response, page_cache.lifetime([session.booking_opens_at, session.closes_at]))

    return page_cache.session_page_filled_in(
        request,
        page=f"unavailable-{status}-{zlib.crc32(str(error.message).encode())}",
        programme_slug=session.programme.slug,
        session_id=session.pk,
        values={},
        render=rendered,
    )


def flash(request, error: DomainError) -> None:
    """The refusal shown on the next page (the manage page), after a redirect."""
    messages.error(request, error.message)
