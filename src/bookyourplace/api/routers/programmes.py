"""Public read, no token: published programmes, their sessions with places left, one session
with the questions its booking form asks.

The places are the public pages' own numbers (bookings/availability.py: availability), read
the way those pages read them. Nothing private is here: no joining link or instructions
(bookings/joining.py gives them to confirmed attendees only, never to an API client), no
bookings, no one's name.
"""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from bookyourplace.api.problems import Problem
from bookyourplace.api.schemas import Id, Slug
from bookyourplace.bookings import availability as places
from bookyourplace.programmes.models import Programme, Question, Session
from bookyourplace.programmes.questions import questions_for

router = Router(tags=["Programmes and sessions (public)"])

AvailabilityState = Literal[tuple(state.value for state in places.State)]


class OrganiserOut(Schema):
    name: str
    slug: str


class ProgrammeOut(Schema):
    slug: str
    title: str
    summary: str
    organiser: OrganiserOut
    time_zone: str = Field(description="The time zone the programme's times are shown in, such as Europe/London.")
    url: str = Field(description="The programme's public page.")


class AvailabilityOut(Schema):
    state: AvailabilityState = Field(
        description="What the public page shows: open, few_left, full, not_open_yet, closed or cancelled."
    )
    label: str = Field(description="The words the public page shows: “3 places left”, “Fully booked”.")
    places_left: int
    can_book: bool
    can_join_waiting_list: bool


class SessionOut(Schema):
    id: int
    programme: str = Field(description="The programme's slug.")
    title: str
    subtitle: str
    description_html: str = Field(description="The organiser's description: simple HTML, sanitised when saved.")
    starts_at: datetime
    ends_at: datetime
    delivery: Literal[tuple(Session.Delivery.values)]
    location: str = Field(description="Where it happens, as the flyer says it: the platform, or the room and venue.")
    venue: str
    room: str
    address: str
    capacity: int
    cancelled: bool
    booking_opens_at: datetime | None
    booking_closes_at: datetime = Field(description="When booking closes (the start, unless the organiser set a time).")
    availability: AvailabilityOut
    url: str = Field(description="The session's public page.")


class QuestionOut(Schema):
    id: int = Field(description="Answer it in a booking's `answers` under this id.")
    label: str
    hint: str
    kind: Literal[tuple(Question.Kind.values)]
    required: bool
    choices: list[str] = Field(description="For one_choice and several_choices: the choices, as they must be sent.")


class SessionDetailOut(SessionOut):
    questions: list[QuestionOut] = Field(description="The organiser's own questions the booking form asks.")


class ProgrammeDetailOut(ProgrammeOut):
    sessions: list[SessionOut]


def programme_data(request: HttpRequest, programme: Programme) -> dict:
    organiser = programme.organiser
    return {
        "slug": programme.slug,
        "title": programme.title,
        "summary": programme.summary,
        "organiser": {"name": organiser.name, "slug": organiser.slug},
        "time_zone": programme.time_zone,
        "url": request.build_absolute_uri(programme.get_absolute_url()),
    }


def session_data(request: HttpRequest, session: Session, availability: places.Availability) -> dict:
    return {
        "id": session.pk,
        "programme": session.programme.slug,
        "title": session.title,
        "subtitle": session.subtitle,
        "description_html": session.description,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "delivery": session.delivery,
        "location": session.location_text,
        "venue": session.venue,
        "room": session.room,
        "address": session.address,
        "capacity": session.capacity,
        "cancelled": session.is_cancelled,
        "booking_opens_at": session.booking_opens_at,
        "booking_closes_at": session.closes_at,
        "availability": {
            "state": availability.state.value,
            "label": availability.label,
            "places_left": availability.places_left,
            "can_book": availability.can_book,
            "can_join_waiting_list": availability.can_join_waiting_list,
        },
        "url": request.build_absolute_uri(session.get_absolute_url()),
    }


def question_data(question: Question) -> dict:
    return {
        "id": question.pk,
        "label": question.label,
        "hint": question.hint,
        "kind": question.kind,
        "required": question.required,
        "choices": list(question.choices or []),
    }


def _published() -> QuerySet[Programme]:
    return Programme.objects.filter(status=Programme.Status.PUBLISHED).select_related("organiser")


@router.get("/programmes", response={200: list[ProgrammeOut], 429: Problem}, summary="List published programmes")
def list_programmes(request):
    """Every published programme, by title."""
    return [programme_data(request, p) for p in _published().order_by("title", "pk")]


@router.get(
    "/programmes/{slug}",
    response={200: ProgrammeDetailOut, 404: Problem, 422: Problem, 429: Problem},
    summary="A published programme and its sessions",
)
def get_programme(request, slug: Path[Slug]):
    """The programme and its sessions in time order, each with the places left as its public page shows them."""
    programme = _published().filter(slug=slug).first()
    if programme is None:
        raise Http404("No published programme has this slug.")
    sessions = places.programme_sessions(programme)
    return {
        **programme_data(request, programme),
        "sessions": [session_data(request, s, s.availability) for s in sessions],
    }


@router.get(
    "/sessions/{session_id}",
    response={200: SessionDetailOut, 404: Problem, 422: Problem, 429: Problem},
    summary="A session of a published programme",
)
def get_session(request, session_id: Path[Id]):
    """The session, its places left, and the questions its booking form asks (answer them when booking)."""
    session = (
        Session.objects.select_related("programme__organiser")
        .filter(pk=session_id, programme__status=Programme.Status.PUBLISHED)
        .first()
    )
    if session is None:
        raise Http404("No session of a published programme has this id.")
    return {
        **session_data(request, session, places.availability(session)),
        "questions": [question_data(q) for q in questions_for(session)],
    }
