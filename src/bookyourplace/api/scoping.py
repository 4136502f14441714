"""What a token may reach: its organiser's programmes and nothing else
(``accounts/api_tokens.py: programmes_for_token``). A session or booking of another organiser
is answered as one that does not exist (404), so a token learns nothing of others' data."""

from django.http import Http404, HttpRequest

from bookyourplace.accounts.api_tokens import programmes_for_token
from bookyourplace.api.audit import about_programme
from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Programme, Session


def programmes_of(request: HttpRequest):
    return programmes_for_token(request.auth)


def programme_of_token(request: HttpRequest, slug: str) -> Programme:
    programme = programmes_of(request).filter(slug=slug).first()
    if programme is None:
        raise Http404("None of your organiser's programmes has this slug.")
    about_programme(request, programme.pk)
    return programme


def session_of_token(request: HttpRequest, session_id: int) -> Session:
    session = (
        Session.objects.select_related("programme__organiser")
        .filter(pk=session_id, programme__in=programmes_of(request).values("pk"))
        .first()
    )
    if session is None:
        raise Http404("None of your organiser's sessions has this id.")
    about_programme(request, session.programme_id)
    return session


def booking_of_token(request: HttpRequest, reference: str) -> Booking:
    booking = (
        Booking.objects.select_related("session__programme")
        .filter(reference=reference, session__programme__in=programmes_of(request).values("pk"))
        .first()
    )
    if booking is None:
        raise Http404("None of your organiser's bookings has this reference.")
    about_programme(request, booking.session.programme_id)
    return booking
