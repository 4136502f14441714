"""Coverage: which organisations of the area have had somebody trained, and which nobody.

Who counts as trained: a confirmed booking marked attended or partly attended, or a walk-in
added to a register, on a session of one of the organiser's programmes that started in the
period. A no-show was booked but not trained, so it does not count ("nobody trained" means
nobody came).

How a person is matched to an organisation, most certain first:
1. their email domain is one of the organisation's domains, or a subdomain of one
   (jo@staff.whitley.coventry.sch.uk is Whitley's when it has whitley.coventry.sch.uk);
2. otherwise, the organisation they typed when booking is the organisation's name once both
   are written the same way: case, punctuation and spaces aside, "&" read as "and", and "the"
   left out ("The Whitley Academy" is "whitley academy"). Words that tell schools apart
   ("school", "academy", "primary") are kept, and there is no guessing beyond that: "Whitley"
   alone, or a misspelling, matches nothing rather than the wrong school. A name shared by two
   organisations of the area matches neither.

How it is counted: the database cuts each attendee's email domain from the address and groups
the people trained by it (and by domain and organisation typed), counting each email address
once; only those few thousand groups are matched, once each, against the area's domains and
name keys read into memory. The name key is worked out by one Python function
(``matching_name``) for both sides, so they are always written alike. Five queries whatever
the number of bookings; 100,000 bookings and 2,000 organisations take well under a second.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower, StrIndex, Substr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bookyourplace.attendance.models import Attendance, Outcome, WalkIn
from bookyourplace.bookings.models import Booking
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Organiser
from bookyourplace.reports.models import AreaOrganisation, Kind, OrganisationDomain, Phase
from bookyourplace.reports.small_numbers import shown_count

CAME = (Outcome.ATTENDED, Outcome.PARTLY_ATTENDED)
DEFAULT_MONTHS = 12

# Marks that separate words in names people type: each is read as a space.
SEPARATORS = (".", ",", "'", "’", "‘", '"', "“", "”", "-", "–", "—", "(", ")", "/", "\\", ":", ";", "!", "?")
# How many levels above the address's own domain are tried: staff.whitley.coventry.sch.uk
# finds whitley.coventry.sch.uk (one up) and coventry.sch.uk (two up).
PARENT_LEVELS = 2


# --- Writing a name the way matching compares it ------------------------------------------------


def matching_name(name: str) -> str:
    """An organisation's name as matching compares it (see the module's docstring):
    "The Whitley Academy" -> "whitleyacademy". Written into each organisation of the area
    when it is saved, and worked out for each different name attendees gave."""
    text = name.lower()
    for mark in SEPARATORS:
        text = text.replace(mark, " ")
    text = (" " + text.replace("&", " and ") + " ").replace(" the ", " ")
    return text.replace(" ", "")


def mark_shared_names(*, organiser: Organiser) -> None:
    """Note which of the organiser's organisations have a name key of their own (after an
    import): a name two organisations share (two St Mary's) matches neither, rather than one
    of them at random. One query."""
    everyone = AreaOrganisation.objects.filter(organiser=organiser)
    shared = everyone.filter(name_key=OuterRef("name_key")).exclude(pk=OuterRef("pk"))
    everyone.update(name_key_is_unique=~Exists(shared))


# --- The period ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included, in the organiser's local time."""

    first_day: dt.date
    last_day: dt.date
    months: int | None = None  # "the last 12 months", when it was asked for like that

    @property
    def starts(self) -> dt.datetime:
        return _start_of(self.first_day)

    @property
    def ends(self) -> dt.datetime:
        return _start_of(self.last_day + dt.timedelta(days=1))

    def describe(self) -> str:
        if self.months:
            return _("the last %(months)d months") % {"months": self.months}
        return _("%(first)s to %(last)s") % {"first": _day(self.first_day), "last": _day(self.last_day)}


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def last_months(months: int = DEFAULT_MONTHS, *, today: dt.date | None = None) -> Period:
    """The last ``months`` months up to today: 12 months to 3 December 2026 starts on
    4 December 2025."""
    today = today or timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    day = min(today.day, _days_in(year, month))
    return Period(dt.date(year, month, day) + dt.timedelta(days=1), today, months=months)


def _days_in(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


# --- Matching -----------------------------------------------------------------------------------


def _domain_of(email: Combinable) -> Combinable:
    return Substr(email, StrIndex(email, Value("@")) + 1)


def trained_bookings(*, organiser: Organiser, before: dt.datetime) -> QuerySet[Attendance]:
    """The attendance marks of people trained before ``before``: attended or partly
    attended, on a confirmed booking, at a session of the organiser's."""
    return Attendance.objects.filter(
        outcome__in=CAME,
        booking__status=Booking.Status.CONFIRMED,
        session__programme__organiser=organiser,
        session__starts_at__lt=before,
    )


def trained_walk_ins(*, organiser: Organiser, before: dt.datetime) -> QuerySet[WalkIn]:
    return WalkIn.objects.filter(session__programme__organiser=organiser, session__starts_at__lt=before)


@dataclass(frozen=True)
class Reach:
    people: int  # trained in the period
    people_before: int  # trained before the period
    last_trained: dt.datetime  # when the last of them was, in the period or before it


class _Matcher:
    """Which organisation an email domain, or a name key, belongs to: the area's domains and
    unique names, read once (two queries) and looked up in memory for each group of people."""

    def __init__(self, organiser: Organiser):
        self.domains = dict(
            OrganisationDomain.objects.filter(organiser=organiser).values_list("domain", "organisation_id")
        )
        self.names = dict(
            AreaOrganisation.objects.filter(organiser=organiser, name_key_is_unique=True)
            .exclude(name_key="")
            .values_list("name_key", "pk")
        )
        self.keys: dict[str, str] = {}  # what people typed -> its name key, each worked out once

    def by_domain(self, domain: str) -> int | None:
        """The organisation of the domain or of its parent (or its parent's parent)."""
        for _level in range(PARENT_LEVELS + 1):
            if not domain:
                return None
            if domain in self.domains:
                return self.domains[domain]
            domain = domain.partition(".")[2]
        return None

    def by_name(self, organisation: str) -> int | None:
        if organisation not in self.keys:
            self.keys[organisation] = matching_name(organisation)
        return self.names.get(self.keys[organisation]) if self.keys[organisation] else None


class _Tally:
    def __init__(self):
        self.reach: dict[int, Reach] = {}

    def add(self, organisation_id: int | None, *, in_period: bool, people: int, last: dt.datetime) -> None:
        if organisation_id is None:
            return
        before = self.reach.get(organisation_id, Reach(0, 0, last))
        self.reach[organisation_id] = Reach(
            before.people + (people if in_period else 0),
            before.people_before + (0 if in_period else people),
            max(last, before.last_trained),
        )


def reach_by_organisation(*, organiser: Organiser, period: Period) -> dict[int, Reach]:
    """For each organisation of the area with somebody trained up to the period's end: how
    many people in the period, how many before it, and when the last was trained.

    The database groups the people trained by email domain, and by email domain and the
    organisation they typed (a few thousand groups for a hundred thousand bookings); each group
    is then matched once. A person trained twice is one person, counted by email address: an
    address has one domain, so a match by domain is counted exactly; a match by name counts a
    person once for each different way they wrote the organisation on their bookings (case
    aside), which is rare and never turns "nobody" into "somebody". Five queries, whatever the
    numbers."""
    matcher = _Matcher(organiser)
    # Whether the session was in the period: one more thing to group by, so that each group
    # needs one count of distinct addresses, not two.
    in_period = Case(When(session__starts_at__gte=period.starts, then=True), default=False)
    email = "booking__email"
    booked = trained_bookings(organiser=organiser, before=period.ends).annotate(
        _domain=_domain_of(F(email)), _organisation=Lower("booking__organisation"), _in_period=in_period
    )
    counts = {"people": Count(email, distinct=True), "last": Max("session__starts_at")}
    tally = _Tally()
    for row in booked.values("_domain", "_in_period").annotate(**counts).order_by():
        tally.add(
            matcher.by_domain(row["_domain"]), in_period=row["_in_period"], people=row["people"], last=row["last"]
        )
    for row in booked.values("_domain", "_organisation", "_in_period").annotate(**counts).order_by():
        if matcher.by_domain(row["_domain"]) is None:
            tally.add(
                matcher.by_name(row["_organisation"]),
                in_period=row["_in_period"],
                people=row["people"],
                last=row["last"],
            )
    # A walk-in is one person (most give no email address to tell them apart by).
    walked_in = (
        trained_walk_ins(organiser=organiser, before=period.ends)
        .annotate(_domain=_domain_of(Lower("email")), _organisation=Lower("organisation"), _in_period=in_period)
        .values("_domain", "_organisation", "_in_period")
        .annotate(people=Count("pk"), last=Max("session__starts_at"))
        .order_by()
    )
    for row in walked_in:
        organisation_id = matcher.by_domain(row["_domain"]) or matcher.by_name(row["_organisation"])
        tally.add(organisation_id, in_period=row["_in_period"], people=row["people"], last=row["last"])
    return tally.reach


# --- What the coverage page and the follow-up list show ------------------------------------------


@dataclass(frozen=True)
class CoverageFilter:
    """What the person asked for: "" for any."""

    kind: str = ""
    type: str = ""
    phase: str = ""
    nobody_trained: bool = False


@dataclass(frozen=True)
class OrganisationCoverage:
    pk: int
    name: str
    type: str
    kind: str
    phase: str
    postcode: str
    urn: str
    people: int  # trained in the period
    people_before: int  # trained before the period
    last_trained: dt.datetime | None  # the last time anyone was, up to the period's end
    domains: tuple[str, ...] = ()

    @property
    def nobody_trained(self) -> bool:
        return self.people == 0

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)


# What a kind's organisations are called in a sentence ("34 of 120 schools...").
KIND_PLURALS = {
    Kind.SCHOOL: _lazy("schools"),
    Kind.EARLY_YEARS: _lazy("early years settings"),
    Kind.FURTHER_EDUCATION: _lazy("further education providers"),
    Kind.HEALTH: _lazy("health organisations"),
    Kind.POLICE: _lazy("police organisations"),
    Kind.VOLUNTARY: _lazy("voluntary and community groups"),
    Kind.OTHER: _lazy("other organisations"),
}


@dataclass(frozen=True)
class KindSummary:
    kind: str
    organisations: int
    nobody_trained: int

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def reached(self) -> int:
        return self.organisations - self.nobody_trained

    def sentence(self) -> str:
        # "34 of 120 schools had nobody trained"
        return _("%(nobody)s of %(total)s %(kind)s had nobody trained") % {
            "nobody": f"{self.nobody_trained:,}",
            "total": f"{self.organisations:,}",
            "kind": KIND_PLURALS[self.kind],
        }


@dataclass(frozen=True)
class Coverage:
    period: Period
    summary: list[KindSummary]
    organisations: list[OrganisationCoverage]  # those the filter asked for, by name


ORGANISATION_COLUMNS = ("pk", "name", "type", "kind", "phase", "postcode", "urn")


def coverage(*, organiser: Organiser, period: Period, wanted: CoverageFilter = CoverageFilter()) -> Coverage:
    """The organiser's area for the period: a summary per kind, and the organisations asked
    for with their people trained. Six queries: the area's organisations (a light list of
    values, to filter and count by kind), and the five of ``reach_by_organisation``."""
    reach = reach_by_organisation(organiser=organiser, period=period)
    everyone = AreaOrganisation.objects.filter(organiser=organiser).order_by("name", "pk")
    totals: Counter[str] = Counter()
    nobody: Counter[str] = Counter()
    chosen = []
    for values in everyone.values_list(*ORGANISATION_COLUMNS).iterator(chunk_size=5000):
        row = dict(zip(ORGANISATION_COLUMNS, values, strict=True))
        reached = reach.get(row["pk"])
        organisation = OrganisationCoverage(
            **row,
            people=reached.people if reached else 0,
            people_before=reached.people_before if reached else 0,
            last_trained=reached.last_trained if reached else None,
        )
        totals[row["kind"]] += 1
        nobody[row["kind"]] += organisation.nobody_trained
        if _wanted(organisation, wanted):
            chosen.append(organisation)
    summary = [
        KindSummary(kind=kind, organisations=totals[kind], nobody_trained=nobody[kind])
        for kind in Kind.values
        if totals[kind]
    ]
    return Coverage(period=period, summary=summary, organisations=chosen)


def area_types(*, organiser: Organiser) -> list[str]:
    """Every type of organisation in the area's lists ("Academy converter", "NHS trust")."""
    types = AreaOrganisation.objects.filter(organiser=organiser).values_list("type", flat=True).distinct()
    return sorted(types.order_by(), key=str.casefold)


def _wanted(organisation: OrganisationCoverage, wanted: CoverageFilter) -> bool:
    return (
        (not wanted.kind or organisation.kind == wanted.kind)
        and (not wanted.type or organisation.type == wanted.type)
        and (not wanted.phase or organisation.phase == wanted.phase)
        and (not wanted.nobody_trained or organisation.nobody_trained)
    )


# Above this many, a page's domains are read for the whole area rather than by a list of ids
# (SQLite takes at most 32,766 values in one query).
DOMAINS_BY_ID_UP_TO = 1000


def with_domains(organisations: Iterable[OrganisationCoverage], *, organiser: Organiser) -> list[OrganisationCoverage]:
    """The organisations with their email domains, in one query."""
    organisations = list(organisations)
    rows = OrganisationDomain.objects.filter(organiser=organiser)
    if len(organisations) <= DOMAINS_BY_ID_UP_TO:
        rows = rows.filter(organisation_id__in=[o.pk for o in organisations])
    domains: dict[int, list[str]] = {}
    for organisation_id, domain in rows.order_by("domain").values_list("organisation_id", "domain"):
        domains.setdefault(organisation_id, []).append(domain)
    return [replace(o, domains=tuple(domains.get(o.pk, ()))) for o in organisations]


# --- The follow-up list ---------------------------------------------------------------------------

FOLLOW_UP_HEADER = (
    _lazy("Name"),
    _lazy("Type"),
    _lazy("Kind"),
    _lazy("Phase"),
    _lazy("Postcode"),
    _lazy("URN"),
    _lazy("Email domains"),
    _lazy("People trained before"),
    _lazy("Last trained"),
)


def follow_up_rows(organisations: Iterable[OrganisationCoverage]) -> Iterator[list]:
    """The header, then each organisation with nobody trained in the period: who to contact
    next. Anyone trained before the period is counted, as "fewer than 5" when under five, so
    that a small school's single attendee cannot be picked out."""
    yield [str(label) for label in FOLLOW_UP_HEADER]
    for organisation in organisations:
        yield [
            organisation.name,
            organisation.type,
            organisation.kind_label,
            organisation.phase_label,
            organisation.postcode,
            organisation.urn,
            " ".join(organisation.domains),
            shown_count(organisation.people_before),
            timezone.localdate(organisation.last_trained) if organisation.last_trained else "",
        ]


def follow_up_filename(period: Period, extension: str) -> str:
    return f"nobody-trained-{period.first_day.isoformat()}-to-{period.last_day.isoformat()}.{extension}"


def record_follow_up_export(*, actor: Actor, period: Period, count: int, file_format: str) -> None:
    record(
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        summary=(
            f"Exported the coverage follow-up list ({count} organisations with nobody trained, "
            f"{period.describe()}) as {file_format.upper()}"
        ),
    )
