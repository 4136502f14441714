"""The demo's history: Coventry Prevent Week as it ran in January 2026, and again last week,
with people booked, cancelling and waiting, who came, and what they thought, so the reports
have something in them after `make run`.

Everything goes through the rules the site itself uses (book_place, cancel_booking,
accept_offer, expire_offers, attendance's mark and check_in, give_feedback), each at the
moment it happened (``now=``), with choices drawn from a seeded random.Random: the same
figures every time. Nobody is emailed history: the emails those rules queued are deleted, and
the people who came are counted as already asked for feedback (requests.record_as_asked);
someone marked later (the try-out in the README) is asked as usual.
"""

import datetime as dt
import itertools
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method, Outcome
from bookyourplace.bookings import expiry, waiting_list
from bookyourplace.bookings import services as bookings
from bookyourplace.bookings.attendees import AttendeeDetails
from bookyourplace.bookings.models import Booking, Sector
from bookyourplace.feedback import requests, services
from bookyourplace.feedback.models import Kind, Role
from bookyourplace.notifications.models import Email
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.programmes.page_version import programme_changed

SEED = 14  # issue 14 asked for the history
ORGANISER = Actor(label="Prevent Coordinator (demo)")


@dataclass(frozen=True)
class Organisation:
    name: str
    sector: str
    domain: str
    # How many of its people are in the area's list, roughly: schools send more than a nursery.
    people: int
    job_titles: tuple[str, ...]


SCHOOL_JOBS = ("Designated safeguarding lead", "Head of year", "Teacher", "Pastoral lead", "Deputy headteacher")
NHS_JOBS = ("Safeguarding nurse", "Mental health nurse", "Named nurse for safeguarding", "Health visitor")
COUNCIL_JOBS = ("Social worker", "Early help worker", "Team manager", "Family support worker")

# About 25 organisations of a city like Coventry. The schools, nurseries and voluntary groups
# are made up (names like real ones, none of them real); the public bodies are named as they are.
ORGANISATIONS = (
    Organisation("Radford Fields Academy", Sector.SCHOOLS, "radfordfields.coventry.sch.uk", 9, SCHOOL_JOBS),
    Organisation("Binley Meadow Primary School", Sector.SCHOOLS, "binleymeadow.coventry.sch.uk", 5, SCHOOL_JOBS),
    Organisation("Allesley Brook Academy", Sector.SCHOOLS, "allesleybrook.coventry.sch.uk", 8, SCHOOL_JOBS),
    Organisation("Wyken Vale School", Sector.SCHOOLS, "wykenvale.coventry.sch.uk", 7, SCHOOL_JOBS),
    Organisation("Stivichall Park Primary School", Sector.SCHOOLS, "stivichallpark.coventry.sch.uk", 4, SCHOOL_JOBS),
    Organisation(
        "St Aidan's Catholic Academy", Sector.SCHOOLS, "staidans.coventry.sch.uk", 6, (*SCHOOL_JOBS, "Chaplain")
    ),
    Organisation("Holbrooks Lane Primary School", Sector.SCHOOLS, "holbrookslane.coventry.sch.uk", 3, SCHOOL_JOBS),
    Organisation("Foleshill Green Academy", Sector.SCHOOLS, "foleshillgreen.coventry.sch.uk", 7, SCHOOL_JOBS),
    Organisation("Cheylesmore Gate Primary School", Sector.SCHOOLS, "cheylesmoregate.coventry.sch.uk", 2, SCHOOL_JOBS),
    Organisation("Canley Brook Sixth Form", Sector.SCHOOLS, "canleybrook.coventry.sch.uk", 3, SCHOOL_JOBS),
    Organisation("University Hospitals Coventry and Warwickshire NHS Trust", Sector.HEALTH, "nhs.net", 10, NHS_JOBS),
    Organisation(
        "Coventry and Warwickshire Partnership NHS Trust",
        Sector.HEALTH,
        "nhs.net",
        7,
        (*NHS_JOBS, "Community psychiatric nurse"),
    ),
    Organisation("Walsgrave Road Surgery", Sector.HEALTH, "nhs.net", 2, ("Practice nurse", "GP", "Practice manager")),
    Organisation(
        "West Midlands Police",
        Sector.POLICE,
        "westmidlands.police.uk",
        8,
        ("Police constable", "Detective sergeant", "Prevent officer", "PCSO"),
    ),
    Organisation(
        "Coventry City Council – Children's Services", Sector.CHILDRENS_SERVICES, "coventry.gov.uk", 12, COUNCIL_JOBS
    ),
    Organisation(
        "Coventry City Council – Adult Social Care",
        Sector.ADULT_SOCIAL_CARE,
        "coventry.gov.uk",
        6,
        ("Care manager", "Social worker", "Occupational therapist"),
    ),
    Organisation(
        "Coventry City Council – Housing and Homelessness",
        Sector.OTHER,
        "coventry.gov.uk",
        4,
        ("Housing officer", "Homelessness caseworker"),
    ),
    Organisation(
        "Coventry City Council – Youth Service", Sector.CHILDRENS_SERVICES, "coventry.gov.uk", 4, ("Youth worker",)
    ),
    Organisation(
        "Little Acorns Day Nursery",
        Sector.EARLY_YEARS,
        "littleacornscov.co.uk",
        3,
        ("Nursery manager", "Early years practitioner"),
    ),
    Organisation(
        "Rainbow Steps Nursery", Sector.EARLY_YEARS, "rainbowsteps.org.uk", 2, ("Room leader", "Nursery manager")
    ),
    Organisation(
        "Coventry College",
        Sector.FURTHER_HIGHER_EDUCATION,
        "covcollege.ac.uk",
        6,
        ("Student support officer", "Lecturer", "Safeguarding officer"),
    ),
    Organisation(
        "Coventry University",
        Sector.FURTHER_HIGHER_EDUCATION,
        "coventry.ac.uk",
        5,
        ("Prevent lead", "Student wellbeing adviser", "Lecturer"),
    ),
    Organisation(
        "Probation Service – Coventry",
        Sector.PROBATION_PRISONS,
        "justice.gov.uk",
        4,
        ("Probation officer", "Probation services officer"),
    ),
    Organisation(
        "Hillfields Youth Project",
        Sector.VOLUNTARY_COMMUNITY,
        "hillfieldsyouth.org.uk",
        3,
        ("Youth worker", "Project coordinator"),
    ),
    Organisation(
        "Tile Hill Community Trust",
        Sector.VOLUNTARY_COMMUNITY,
        "tilehilltrust.org.uk",
        2,
        ("Community development worker", "Volunteer coordinator"),
    ),
)

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Daniel", "Elif", "Fiona", "Grace", "Harpreet", "Isaac", "Jade", "Kamal", "Laura",
    "Mohammed", "Niamh", "Oliver", "Priya", "Qasim", "Rachel", "Sam", "Tomasz", "Usha", "Vikram", "Wendy", "Yusuf",
    "Zara", "Amir", "Bethany", "Callum", "Deborah", "Emeka", "Fatima", "Gareth", "Hannah", "Imran", "Joanne", "Kwame",
    "Lucy", "Marek", "Nadia", "Owen",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Hughes", "Patel", "O'Brien", "Yilmaz", "MacLeod", "Adeyemi", "Singh", "Cohen", "Williams", "Hussain",
    "Evans", "Rahman", "Doyle", "Kowalski", "Begum", "Taylor", "Mensah", "Jones", "Ahmed", "Khan", "Murphy", "Brown",
    "Sharma", "Nowak", "Davies", "Ali", "Clarke", "Gill", "Wright",
)  # fmt: skip
ACCESS_NEEDS = (
    "Step-free access, please.",
    "A hearing loop, please.",
    "Live captions on Teams.",
    "Large-print handouts.",
    "I use a wheelchair.",
    "A short break each hour (a medical condition).",
)
# What people write, most often the first of each (the evaluation summary lists the commonest).
MOST_USEFUL = (
    ("Useful examples", 8),
    ("The local case study", 4),
    ("Knowing who to contact and how to refer", 4),
    ("The signs to look out for online", 3),
    ("Useful examples from schools", 2),
)
COULD_BE_BETTER = (
    ("More local case studies", 8),
    ("Too short", 5),
    ("More time for questions", 3),
    ("Slides sent beforehand", 2),
    ("Too short, could be a full morning", 1),
)
PEOPLE_IN_THE_AREA = 170


def people_in_the_area(count: int = PEOPLE_IN_THE_AREA) -> list[AttendeeDetails]:
    """The professionals who book the partnership's sessions: the same list every time."""
    rng = random.Random(SEED)
    weighted = [o for o in ORGANISATIONS for _ in range(o.people)]
    people, addresses = [], set()
    while len(people) < count:
        organisation = rng.choice(weighted)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first}.{last}".lower().replace("'", "")
        email = f"{local}@{organisation.domain}"
        if email in addresses:
            continue
        addresses.add(email)
        people.append(
            AttendeeDetails(
                first_name=first,
                last_name=last,
                email=email,
                organisation=organisation.name,
                sector=organisation.sector,
                job_title=rng.choice(organisation.job_titles),
                access_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.07 else "",
            )
        )
    return people


@dataclass
class History:
    """What was loaded, for the command to say."""

    statuses: Counter = field(default_factory=Counter)
    marked: int = 0
    walk_ins: int = 0
    answers: int = 0

    @property
    def bookings(self) -> int:
        return sum(self.statuses.values())

    def __str__(self) -> str:
        cancelled = self.statuses[Booking.Status.CANCELLED]
        waiting = self.statuses[Booking.Status.WAITING]
        return (
            f"{self.bookings} bookings ({cancelled} cancelled, {waiting} still waiting at the start), "
            f"{self.marked} marked, {self.walk_ins} walk-ins, {self.answers} feedback answers"
        )


# --- Booking, as it happened ----------------------------------------------------------------


def _book(session: Session, person: AttendeeDetails, when: dt.datetime) -> Booking:
    """A place, or a place on the waiting list when the session was full, booked at ``when``."""
    booking = bookings.book_place(
        session_id=session.pk, attendee=person, join_waiting_list=True, now=when, address_proven=True
    )
    # The booking's creation time is the database's clock (auto_now_add), which knows nothing
    # of ``now``: it is set to when this booking was made, so the history reads as it ran
    # (and the waiting list keeps its order: first come, first offered).
    Booking.objects.filter(pk=booking.pk).update(created_at=when)
    return booking


def _booking_moments(rng: random.Random, session: Session, count: int) -> list[dt.datetime]:
    # Most book in the fortnight before; some as soon as the programme is out, five weeks ahead.
    return sorted(session.starts_at - dt.timedelta(hours=rng.triangular(20, 35 * 24, 6 * 24)) for _ in range(count))


def book_session(
    session: Session, people: list[AttendeeDetails], *, rng: random.Random, cancellations: int
) -> list[Booking]:
    """Book ``people`` on the session over the weeks before it (those after it filled join
    its waiting list), and let ``cancellations`` of them cancel at various times before it."""
    moments = _booking_moments(rng, session, len(people))
    booked = [_book(session, person, when) for person, when in zip(people, moments, strict=True)]
    confirmed = [b for b in booked if b.status == Booking.Status.CONFIRMED]
    leaving = rng.sample(confirmed, min(cancellations, len(confirmed)))
    answers = itertools.cycle(OFFER_ANSWERS)
    for when, booking in sorted(_cancel_moments(rng, session, leaving), key=lambda pair: pair[0]):
        bookings.cancel_booking(booking_id=booking.pk, now=when)
        _answer_offers(session, rng=rng, after=when, answers=answers)
    # Offers still open when booking closed run out then, with nobody left to offer to.
    expiry.expire_offers(now=session.closes_at)
    return booked


def _cancel_moments(rng: random.Random, session: Session, leaving: list[Booking]) -> list[tuple]:
    """(when, booking): each some time between its booking and the start, weeks or a day before."""
    moments = []
    for booking in leaving:
        booked_at = Booking.objects.values_list("created_at", flat=True).get(pk=booking.pk)
        room = (session.starts_at - booked_at).total_seconds()
        moments.append((booked_at + dt.timedelta(seconds=room * rng.uniform(0.2, 0.95)), booking))
    return moments


# Offers made from the waiting list are answered in turn: turned down, taken, left to run out...
OFFER_ANSWERS = ("declined", "accepted", "expired", "accepted", "accepted")


def _answer_offers(session: Session, *, rng: random.Random, after: dt.datetime, answers) -> None:
    """Answer the offers open on the session, as their people did, each a few hours after it
    was made; a declined or expired offer goes to the next person waiting, who answers too."""
    when = after
    while offer := Booking.objects.filter(session=session, status=Booking.Status.OFFERED).order_by("pk").first():
        answer = next(answers)
        when = max(when, offer.offered_at) + dt.timedelta(hours=rng.uniform(1, 6))
        if answer == "accepted" and when < offer.offer_expires_at:
            waiting_list.accept_offer(booking_id=offer.pk, now=when)
        elif answer == "declined" and when < offer.offer_expires_at:
            bookings.cancel_booking(booking_id=offer.pk, now=when)
        else:
            expiry.expire_offers(now=offer.offer_expires_at)
            when = offer.offer_expires_at


# --- Who came -------------------------------------------------------------------------------


def mark_attendance(session: Session, *, rng: random.Random) -> int:
    """Mark who came, as the organiser did: the live register at the door for an in-person
    session (and a walk-in or two), the Teams report the next day for an online one. Most
    came, some left early, some never came (left unmarked: a no-show once it is over)."""
    marked = 0
    minutes = attendance.session_minutes(session)
    for booking in attendance.confirmed_bookings(session).order_by("pk"):
        draw = rng.random()
        if draw >= 0.86:
            continue  # a no-show
        partly = draw >= 0.78
        if session.is_online:
            present = (
                rng.randint(8, math.ceil(minutes * 0.7)) if partly else rng.randint(math.ceil(minutes * 0.8), minutes)
            )
            attendance.mark(
                booking=booking,
                outcome=attendance.outcome_for_minutes(minutes=present, session=session),
                method=Method.TEAMS_REPORT,
                minutes_present=present,
                actor=ORGANISER,
                now=session.ends_at + dt.timedelta(hours=20),
            )
        elif partly:
            # Came late and left at the break: corrected by hand after the session.
            attendance.mark(
                booking=booking,
                outcome=Outcome.PARTLY_ATTENDED,
                method=Method.BY_HAND,
                actor=ORGANISER,
                now=session.ends_at + dt.timedelta(minutes=30),
            )
        else:
            attendance.check_in(
                booking=booking,
                session=session,
                actor=ORGANISER,
                now=session.starts_at - dt.timedelta(minutes=rng.randint(-10, 15)),
            )
        marked += 1
    return marked


def add_walk_ins(session: Session, *, rng: random.Random, count: int) -> int:
    for _ in range(count):
        organisation = rng.choice(ORGANISATIONS)
        attendance.add_walk_in(
            session=session,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            organisation=organisation.name,
            actor=ORGANISER,
            now=session.starts_at + dt.timedelta(minutes=rng.randint(0, 10)),
        )
    return count


# --- What they thought ---------------------------------------------------------------------


def _rating(rng: random.Random, mean: float, spread: float = 0.8) -> int:
    return min(5, max(1, round(rng.gauss(mean, spread))))


def _comment(rng: random.Random, comments: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([text for text, _ in comments], weights=[weight for _, weight in comments])[0]


def ask_and_answer(session: Session, *, rng: random.Random, until: dt.datetime) -> int:
    """Everyone who came was asked once the marks were in; about 60% answered within a few
    days (never after ``until``): mostly satisfied, more confident after than before.
    How many answered."""
    came = list(
        Booking.objects.filter(
            session=session, status=Booking.Status.CONFIRMED, attendance__outcome__in=services.CAME
        ).order_by("pk")
    )
    if not came:
        return 0
    marked_at = Attendance.objects.filter(session=session).order_by("-marked_at").values_list("marked_at", flat=True)[0]
    asked_at = marked_at + dt.timedelta(minutes=1)
    requests.record_as_asked(bookings=came, asked_at=asked_at)
    questions = services.questions_of(services.survey_for(session.programme))
    by_role = {q.role: q for q in questions if q.role}
    useful, better = [q for q in questions if q.kind == Kind.TEXT][:2]
    # Some sessions go down better than others.
    mood = rng.choice((-0.4, 0.0, 0.0, 0.3))
    answered = 0
    for booking in came:
        if rng.random() >= 0.6:
            continue
        when = min(asked_at + dt.timedelta(hours=rng.uniform(0.5, 96)), until)
        if when <= asked_at:
            continue
        answers: dict[int, object] = {by_role[Role.SATISFACTION].pk: _rating(rng, 4.0 + mood)}
        if rng.random() < 0.9:
            before = _rating(rng, 2.6, 0.9)
            answers[by_role[Role.CONFIDENCE_BEFORE].pk] = before
            answers[by_role[Role.CONFIDENCE_AFTER].pk] = min(5, max(1, before + rng.choice((-1, 0, 1, 1, 1, 2, 2))))
        if rng.random() < 0.4:
            answers[useful.pk] = _comment(rng, MOST_USEFUL)
        if rng.random() < 0.3:
            answers[better.pk] = _comment(rng, COULD_BE_BETTER)
        services.give_feedback(booking=booking, answers=answers, now=when)
        answered += 1
    return answered


# --- The two programmes ----------------------------------------------------------------------


def _forget_emails(programme: Programme) -> None:
    # The confirmations, offers and cancellations of that time are history: nobody is sent them now.
    Email.objects.filter(booking__session__programme=programme).delete()


def _count(programme: Programme, history: History) -> History:
    history.statuses.update(
        Booking.objects.filter(session__programme=programme).values_list("status", flat=True).iterator()
    )
    return history


def load_past_programme(programme: Programme, *, rng: random.Random | None = None) -> History:
    """The programme as it ran (January 2026): 25 to 45 people booked on each session from
    the area's list (so many come to more than one), a few cancelling; the in-person session
    full, with a waiting list whose offers were taken, turned down or left to run out;
    attendance marked, and feedback from about 60% of those who came."""
    rng = rng or random.Random(SEED)
    area = people_in_the_area()
    history = History()
    with transaction.atomic():
        for session in programme.sessions.select_related("programme").order_by("starts_at", "pk"):
            if session.is_online:
                people = rng.sample(area, min(rng.randint(25, 45), session.capacity))
                book_session(session, people, rng=rng, cancellations=rng.randint(1, 5))
            else:
                # More people than places: the last to book wait, and three cancel later.
                people = rng.sample(area, session.capacity + 7)
                book_session(session, people, rng=rng, cancellations=3)
                history.walk_ins += add_walk_ins(session, rng=rng, count=2)
            history.marked += mark_attendance(session, rng=rng)
            history.answers += ask_and_answer(session, rng=rng, until=session.ends_at + dt.timedelta(days=13))
        _forget_emails(programme)
        programme_changed(programme.pk)
    return _count(programme, history)


def load_last_week(
    programme: Programme, *, left_to_mark: set[int], now: dt.datetime | None = None, rng: random.Random | None = None
) -> History:
    """Last week's copy: 10 to 14 people booked on each session a week before it. The sessions
    whose weekday is in ``left_to_mark`` (0 is Monday) are left for whoever tries the demo to
    mark (the live register, a Teams report); the others are marked, with feedback."""
    now = now or timezone.now()
    rng = rng or random.Random(SEED + 1)
    area = people_in_the_area()
    history = History()
    with transaction.atomic():
        for session in programme.sessions.select_related("programme").order_by("starts_at", "pk"):
            weekday = session.starts_at.astimezone(programme.tz).weekday()
            people = rng.sample(area, 10 + weekday % 3 * 2)
            for person in people:
                _book(session, person, session.starts_at - dt.timedelta(days=7, hours=rng.uniform(0, 48)))
            if weekday in left_to_mark:
                continue
            history.marked += mark_attendance(session, rng=rng)
            history.answers += ask_and_answer(session, rng=rng, until=now - dt.timedelta(minutes=5))
        _forget_emails(programme)
        programme_changed(programme.pk)
    return _count(programme, history)
