"""Two organisations on one install, each with one of everything a back-office or API URL can
name, for the tests that prove one organisation's staff never reach the other's data
(backoffice/tests/test_data_separation.py, api/tests/test_data_separation.py).

Every piece of text that could show one organisation's data carries its own name
("Brackenholt", "Aldermere"), and ``OrganisationWorld.markers`` lists them all: a page that
shows any of another organisation's markers has leaked. The people and tokens of the
back office (accounts) are added by the faces' tests, which may import accounts.

This lives in reports because reports may import every domain app the world needs (coverage
is reports' own) except accounts."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from bookyourplace.attendance.models import Attendance, WalkIn
from bookyourplace.attendance.services import add_walk_in
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book, places_taken
from bookyourplace.certificates.models import Certificate
from bookyourplace.certificates.services import issue_certificate
from bookyourplace.certificates.testing import held_yesterday, mark_as
from bookyourplace.feedback import testing as feedback_testing
from bookyourplace.feedback.models import FeedbackRequest, Response
from bookyourplace.feedback.requests import record_as_asked
from bookyourplace.notifications.models import Email, Message
from bookyourplace.privacy.models import ErasureRequest
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.privacy.subject_access import ask_for_erasure
from bookyourplace.programmes.models import ApprovalMode, Organiser, Programme, ProgrammeSource, Question, Session
from bookyourplace.programmes.page_version import programme_changed
from bookyourplace.programmes.testing import add_question
from bookyourplace.reports.models import AreaOrganisation, OrganisationDomain, Source
from bookyourplace.webhooks.models import Delivery, Endpoint
from bookyourplace.webhooks.signing import new_secret


@dataclass
class OrganisationWorld:
    """One organisation and one of each of its things; ``markers`` is every string that is
    this organisation's alone."""

    name: str
    organiser: Organiser
    programme: Programme  # published
    draft: Programme  # never published
    online: Session
    in_person: Session
    full: Session  # a waiting list and an offer
    approval: Session  # every booking waits for approval
    past: Session  # held yesterday: attendance, feedback, a certificate
    confirmed: Booking
    waiting: Booking
    offered: Booking
    pending: Booking
    attended: Booking
    walk_in: WalkIn
    message: Message
    question: Question
    endpoint: Endpoint
    delivery: Delivery
    erasure_request: ErasureRequest
    certificate: Certificate
    area_organisation: AreaOrganisation
    markers: list[str] = field(default_factory=list)

    @property
    def bookings(self) -> list[Booking]:
        return [self.confirmed, self.waiting, self.offered, self.pending, self.attended]

    @property
    def sessions(self) -> list[Session]:
        return [self.online, self.in_person, self.full, self.approval, self.past]

    @property
    def emails(self) -> list[str]:
        return [b.email for b in self.bookings]

    def add_markers(self, *texts: str) -> None:
        self.markers.extend(t for t in texts if t and t not in self.markers)


def _session(programme: Programme, title: str, days: int, **fields) -> Session:
    starts = (timezone.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    values = {
        "programme": programme,
        "title": title,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": 20,
        "delivery": Session.Delivery.ONLINE,
        "platform": "Microsoft Teams",
    }
    values.update(fields)
    session = Session.objects.create(**values)
    programme_changed(programme.pk)
    return session


def _person(session: Session, name: str, first: str, **options) -> Booking:
    domain = f"{name.lower()}.example"
    return book(
        session,
        f"{first.lower()}.{name.lower()}@{domain}",
        first_name=first,
        last_name=name,
        organisation=f"{name} Borough Council",
        **options,
    )


def make_organisation_world(name: str) -> OrganisationWorld:
    """An organisation called ``name`` ("Brackenholt"), its published and draft programmes, and
    sessions, bookings in every state, attendance, feedback, a certificate, a message, a
    booking question, a webhook endpoint and a message it was sent, an erasure request, a
    flyer it was imported from and an organisation of its area."""
    slug = name.lower()
    organiser = Organiser.objects.create(
        name=f"{name} Safeguarding Partnership", slug=slug, contact_email=f"prevent@{slug}.example"
    )
    programme = Programme.objects.create(
        organiser=organiser,
        title=f"{name} Prevent Week",
        slug=f"{slug}-prevent-week",
        status=Programme.Status.PUBLISHED,
    )
    draft = Programme.objects.create(organiser=organiser, title=f"{name} Draft Programme", slug=f"{slug}-draft")
    online = _session(
        programme,
        f"{name} Online Briefing",
        20,
        joining_url=f"https://teams.microsoft.com/l/meetup-join/{slug}-secret-link",
        joining_instructions=f"{name} joining instructions",
    )
    in_person = _session(
        programme,
        f"{name} Workshop In Person",
        21,
        delivery=Session.Delivery.IN_PERSON,
        platform="",
        venue=f"{name} Civic Centre",
        address=f"1 {name} Road",
    )
    full = _session(programme, f"{name} Full Session", 22, capacity=2)
    approval = _session(programme, f"{name} Approval Session", 23, approval_mode=ApprovalMode.APPROVAL)
    past = _session(programme, f"{name} Past Session", 24)
    _session(draft, f"{name} Draft Session", 25)

    confirmed = _person(online, name, "Quinn")
    _person(in_person, name, "Rowan")
    first_in_full = _person(full, name, "Sasha")
    _person(full, name, "Tobias")
    offered = _person(full, name, "Ulla", waiting=True)
    waiting = _person(full, name, "Vera", waiting=True)
    cancel_booking(booking_id=first_in_full.pk, actor=SYSTEM, by_organiser=True, reason="")
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert offered.status == Booking.Status.OFFERED and waiting.status == Booking.Status.WAITING, places_taken(full)
    pending = _person(approval, name, "Wren")
    assert pending.status == Booking.Status.PENDING

    attended = _person(past, name, "Xavi")
    held_yesterday(past)
    mark_as(attended)
    walk_in = add_walk_in(session=past, first_name="Yusuf", last_name=name, actor=SYSTEM)
    record_as_asked(bookings=[attended], asked_at=timezone.now())
    feedback_testing.answer(attended, satisfaction=5, useful=f"{name} feedback comment")
    attended = Booking.objects.select_related("session__programme__organiser").get(pk=attended.pk)
    certificate = issue_certificate(booking=attended, actor=SYSTEM)

    message = Message.objects.create(
        programme=programme,
        session=online,
        subject=f"{name} room change",
        body=f"{name} message body",
        idempotency_key=f"{slug}-message",
        recipients=1,
    )
    question = add_question(programme, Question.Kind.SHORT_TEXT, f"{name} dietary question")
    endpoint = Endpoint.objects.create(
        organiser=organiser,
        url=f"https://hooks.{slug}.example/byp",
        description=f"{name} learning records",
        events=["booking.created"],
        secret=new_secret(),
    )
    delivery = Delivery.objects.create(
        endpoint=endpoint, event="booking.created", message_id=f"msg_{slug}", payload="{}", status="failed"
    )
    ask_for_erasure(email=confirmed.email, organiser_id=organiser.pk, programme_id=None, actor=SYSTEM)
    erasure_request = ErasureRequest.objects.get(organiser_id=organiser.pk)
    ProgrammeSource.objects.create(
        programme=programme,
        file_name=f"{slug}-flyer.txt",
        content_type="text/plain",
        content=f"{name} Prevent Week flyer".encode(),
        imported_at=timezone.now(),
    )
    area_organisation = AreaOrganisation.objects.create(
        organiser=organiser,
        name=f"{name} Primary School",
        type="Community school",
        source=Source.LIST,
        imported_at=timezone.now(),
    )
    OrganisationDomain.objects.create(organiser=organiser, organisation=area_organisation, domain=f"{slug}.example")

    world = OrganisationWorld(
        name=name,
        organiser=organiser,
        programme=programme,
        draft=draft,
        online=online,
        in_person=in_person,
        full=full,
        approval=approval,
        past=past,
        confirmed=confirmed,
        waiting=waiting,
        offered=offered,
        pending=pending,
        attended=attended,
        walk_in=walk_in,
        message=message,
        question=question,
        endpoint=endpoint,
        delivery=delivery,
        erasure_request=erasure_request,
        certificate=certificate,
        area_organisation=area_organisation,
    )
    world.add_markers(
        name,
        organiser.name,
        programme.title,
        draft.title,
        *Session.objects.filter(programme__organiser=organiser).values_list("title", flat=True),
        online.joining_url,
        f"{name} joining instructions",
        f"{name} Civic Centre",
        *(f"{b.first_name} {b.last_name}" for b in Booking.objects.filter(session__programme__organiser=organiser)),
        *Booking.objects.filter(session__programme__organiser=organiser).values_list("email", flat=True),
        *Booking.objects.filter(session__programme__organiser=organiser).values_list("reference", flat=True),
        f"Yusuf {name}",
        f"{name} feedback comment",
        certificate.code,
        message.subject,
        question.label,
        endpoint.url,
        endpoint.description,
        area_organisation.name,
        f"{slug}-flyer.txt",
    )
    return world


@dataclass(frozen=True)
class Snapshot:
    """What the tests compare before and after others' requests: every booking's status,
    the sessions' and programmes' state, the organisation's other things, the emails queued."""

    rows: dict


def snapshot(world: OrganisationWorld) -> Snapshot:
    organiser = world.organiser
    return Snapshot(
        {
            "organiser": list(Organiser.objects.filter(pk=organiser.pk).values()),
            "programmes": list(Programme.objects.filter(organiser=organiser).order_by("pk").values()),
            "sessions": list(Session.objects.filter(programme__organiser=organiser).order_by("pk").values()),
            "bookings": list(
                Booking.objects.filter(session__programme__organiser=organiser)
                .order_by("pk")
                .values("pk", "status", "first_name", "last_name", "email", "session_id", "cancelled_at")
            ),
            "attendance": list(
                Attendance.objects.filter(session__programme__organiser=organiser).order_by("pk").values()
            ),
            "walk_ins": list(WalkIn.objects.filter(session__programme__organiser=organiser).order_by("pk").values()),
            "feedback": list(
                Response.objects.filter(session__programme__organiser=organiser).order_by("pk").values("pk")
            ),
            "feedback_requests": FeedbackRequest.objects.filter(session__programme__organiser=organiser).count(),
            "certificates": list(
                Certificate.objects.filter(booking__session__programme__organiser=organiser).order_by("pk").values()
            ),
            "messages": list(Message.objects.filter(programme__organiser=organiser).order_by("pk").values()),
            "questions": list(Question.objects.filter(programme__organiser=organiser).order_by("pk").values()),
            "endpoints": list(Endpoint.objects.filter(organiser=organiser).order_by("pk").values()),
            "deliveries": list(Delivery.objects.filter(endpoint__organiser=organiser).order_by("pk").values()),
            "erasure_requests": list(ErasureRequest.objects.filter(organiser_id=organiser.pk).order_by("pk").values()),
            "area_organisations": list(AreaOrganisation.objects.filter(organiser=organiser).order_by("pk").values()),
            "emails": list(Email.objects.filter(to__in=world.emails).order_by("pk").values_list("pk", "kind")),
        }
    )
