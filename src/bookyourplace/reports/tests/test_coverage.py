"""Coverage: attendees matched to the area's organisations, and which had nobody trained."""

import datetime as dt

import pytest
from django.utils import timezone

from bookyourplace.attendance.models import Outcome
from bookyourplace.attendance.services import add_walk_in
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.feedback.testing import mark
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.reports import coverage as rules
from bookyourplace.reports.coverage import CoverageFilter, last_months, matching_name
from bookyourplace.reports.coverage_testing import area_organisation
from bookyourplace.reports.models import AreaOrganisation, Kind, Phase

TWELVE_MONTHS = last_months(12)


@pytest.fixture
def past_session(make_session):
    """A session that ran a month ago."""
    return end_session(make_session(), ago=dt.timedelta(days=30))


@pytest.fixture
def whitley(organiser):
    return area_organisation(
        organiser, "Whitley Academy", domains=["whitley.coventry.sch.uk"], phase=Phase.SECONDARY, urn="100001"
    )


def booked(session, email, **details):
    """Booked a week before the (past) session, as people do."""
    return book(session, email, now=session.starts_at - dt.timedelta(days=7), **details)


def trained(session, email, outcome=Outcome.ATTENDED, **details):
    booking = booked(session, email, **details)
    mark(booking, outcome)
    return booking


def reach(organiser, period=TWELVE_MONTHS):
    return {
        AreaOrganisation.objects.get(pk=pk).name: (r.people, r.last_trained)
        for pk, r in rules.reach_by_organisation(organiser=organiser, period=period).items()
    }


def test_an_attendee_at_the_organisations_domain_is_counted_for_it(organiser, past_session, whitley):
    trained(past_session, "ben.hughes@whitley.coventry.sch.uk", organisation="Somewhere else entirely")

    assert reach(organiser) == {"Whitley Academy": (1, past_session.starts_at)}


def test_an_attendee_at_a_subdomain_is_counted_but_not_a_lookalike_domain(organiser, past_session, whitley):
    trained(past_session, "jo@staff.whitley.coventry.sch.uk", organisation="x")
    trained(past_session, "sam@mail.staff.whitley.coventry.sch.uk", organisation="x")
    trained(past_session, "kim@notwhitley.coventry.sch.uk", organisation="x")
    trained(past_session, "lee@whitley.coventry.sch.uk.example.com", organisation="x")

    assert reach(organiser) == {"Whitley Academy": (2, past_session.starts_at)}


def test_an_attendee_is_matched_by_the_organisation_they_typed_written_alike(organiser, past_session, whitley):
    trained(past_session, "a@gmail.com", organisation="the whitley   academy")
    trained(past_session, "b@gmail.com", organisation="WHITLEY ACADEMY.")
    trained(past_session, "c@gmail.com", organisation="Whitley")  # no guessing
    trained(past_session, "d@gmail.com", organisation="Whitley Acadamy")  # nor spelling

    assert reach(organiser) == {"Whitley Academy": (2, past_session.starts_at)}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("St Thomas’s C of E Primary School", "stthomasscofeprimaryschool"),
        ("St. Thomas's C of E Primary School", "stthomasscofeprimaryschool"),
        ("The Park & Ride Nursery", "parkandridenursery"),
        ("Sidney Stringer Academy (Secondary)", "sidneystringeracademysecondary"),
        ("Theatre Academy", "theatreacademy"),
        ("Coventry  and   Warwickshire Partnership NHS Trust", "coventryandwarwickshirepartnershipnhstrust"),
    ],
)
def test_names_are_compared_without_case_punctuation_the_and_ampersands(name, key):
    assert matching_name(name) == key


def test_the_domain_decides_before_the_name(organiser, past_session, whitley):
    area_organisation(organiser, "Cardinal Newman Catholic School", urn="100002")

    trained(past_session, "ben@whitley.coventry.sch.uk", organisation="Cardinal Newman Catholic School")

    assert reach(organiser) == {"Whitley Academy": (1, past_session.starts_at)}


def test_a_name_two_organisations_share_matches_neither(organiser, past_session):
    area_organisation(organiser, "St Mary's Primary School", urn="100010", postcode="CV1 1AA")
    area_organisation(organiser, "St Marys Primary School", urn="100011", postcode="CV6 1AA")

    trained(past_session, "x@gmail.com", organisation="St Mary's Primary School")

    assert reach(organiser) == {}


def test_no_shows_cancelled_and_unmarked_bookings_are_not_trained(organiser, past_session, whitley):
    trained(past_session, "came@whitley.coventry.sch.uk")
    trained(past_session, "partly@whitley.coventry.sch.uk", Outcome.PARTLY_ATTENDED)
    trained(past_session, "noshow@whitley.coventry.sch.uk", Outcome.NO_SHOW)
    booked(past_session, "unmarked@whitley.coventry.sch.uk")
    cancelled = trained(past_session, "cancelled@whitley.coventry.sch.uk")
    # Cancelled after being marked (a correction): no longer a trained attendee.
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)

    assert reach(organiser) == {"Whitley Academy": (2, past_session.starts_at)}


def test_a_walk_in_counts_as_trained(organiser, past_session, whitley):
    add_walk_in(session=past_session, first_name="Dee", last_name="Khan", organisation="Whitley Academy", actor=SYSTEM)

    assert reach(organiser) == {"Whitley Academy": (1, past_session.starts_at)}


def test_a_person_trained_twice_is_one_person(organiser, make_session, whitley):
    first = end_session(make_session(title="First"), ago=dt.timedelta(days=60))
    second = end_session(make_session(title="Second"), ago=dt.timedelta(days=20))
    trained(first, "ben@whitley.coventry.sch.uk")
    trained(second, "ben@whitley.coventry.sch.uk")

    assert reach(organiser) == {"Whitley Academy": (1, second.starts_at)}


def test_a_person_matched_by_name_twice_is_one_person(organiser, make_session, whitley):
    first = end_session(make_session(title="First"), ago=dt.timedelta(days=60))
    second = end_session(make_session(title="Second"), ago=dt.timedelta(days=20))
    trained(first, "ben@gmail.com", organisation="Whitley Academy")
    trained(second, "ben@gmail.com", organisation="WHITLEY ACADEMY")

    assert reach(organiser) == {"Whitley Academy": (1, second.starts_at)}


def test_only_sessions_in_the_period_count_but_the_last_time_is_remembered(organiser, make_session, whitley):
    long_ago = end_session(make_session(title="Long ago"), ago=dt.timedelta(days=500))
    trained(long_ago, "ben@whitley.coventry.sch.uk")

    result = rules.coverage(organiser=organiser, period=TWELVE_MONTHS)

    (row,) = result.organisations
    assert (row.people, row.people_before, row.last_trained, row.nobody_trained) == (0, 1, long_ago.starts_at, True)
    assert rules.reach_by_organisation(organiser=organiser, period=last_months(24))[whitley.pk].people == 1


def test_a_date_range_counts_the_sessions_on_its_days(organiser, make_session, whitley):
    session = end_session(make_session(), ago=dt.timedelta(days=30))
    trained(session, "ben@whitley.coventry.sch.uk")
    day = timezone.localdate(session.starts_at)

    on_the_day = rules.Period(day, day)
    after = rules.Period(day + dt.timedelta(days=1), day + dt.timedelta(days=2))

    assert rules.reach_by_organisation(organiser=organiser, period=on_the_day)[whitley.pk].people == 1
    assert rules.reach_by_organisation(organiser=organiser, period=after)[whitley.pk].people == 0


def test_last_months_runs_to_today():
    period = last_months(12, today=dt.date(2026, 12, 3))

    assert (period.first_day, period.last_day, period.describe()) == (
        dt.date(2025, 12, 4),
        dt.date(2026, 12, 3),
        "the last 12 months",
    )
    assert last_months(1, today=dt.date(2026, 3, 31)).first_day == dt.date(2026, 3, 1)


def test_the_summary_says_how_many_of_each_kind_had_nobody_trained(organiser, past_session, whitley):
    area_organisation(organiser, "Cardinal Newman Catholic School", urn="100002")
    area_organisation(organiser, "Sidney Stringer Academy", urn="100003")
    area_organisation(organiser, "Little Acorns Nursery", kind=Kind.EARLY_YEARS, phase=Phase.NURSERY)
    trained(past_session, "ben@whitley.coventry.sch.uk")

    result = rules.coverage(organiser=organiser, period=TWELVE_MONTHS)

    assert [row.sentence() for row in result.summary] == [
        "2 of 3 schools had nobody trained",
        "1 of 1 early years settings had nobody trained",
    ]


def test_the_list_is_filtered_by_kind_type_phase_and_nobody_trained(organiser, past_session, whitley):
    area_organisation(organiser, "Cardinal Newman Catholic School", type="Voluntary aided school", urn="100002")
    area_organisation(organiser, "Ernesford Grange School", type="Community school", phase=Phase.SECONDARY, urn="3")
    area_organisation(organiser, "Little Acorns Nursery", kind=Kind.EARLY_YEARS, type="Nursery", phase=Phase.NURSERY)
    trained(past_session, "ben@whitley.coventry.sch.uk")

    def names(**wanted):
        result = rules.coverage(organiser=organiser, period=TWELVE_MONTHS, wanted=CoverageFilter(**wanted))
        return [row.name for row in result.organisations]

    assert names(kind=Kind.SCHOOL, nobody_trained=True) == [
        "Cardinal Newman Catholic School",
        "Ernesford Grange School",
    ]
    assert names(phase=Phase.SECONDARY) == ["Ernesford Grange School", "Whitley Academy"]
    assert names(type="Voluntary aided school") == ["Cardinal Newman Catholic School"]
    assert names(nobody_trained=True, kind=Kind.EARLY_YEARS) == ["Little Acorns Nursery"]
    assert rules.area_types(organiser=organiser) == [
        "Academy converter",
        "Community school",
        "Nursery",
        "Voluntary aided school",
    ]


def test_another_organisers_attendees_and_organisations_are_not_counted(organiser, past_session, whitley, make_session):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    their_programme = Programme.objects.create(
        organiser=elsewhere, title="Theirs", slug="theirs", status=Programme.Status.PUBLISHED
    )
    theirs = end_session(make_session(programme=their_programme), ago=dt.timedelta(days=30))
    area_organisation(elsewhere, "Whitley Academy", domains=["whitley.coventry.sch.uk"], urn="100001")
    trained(theirs, "ben@whitley.coventry.sch.uk")

    assert reach(organiser) == {}
    assert reach(elsewhere) == {"Whitley Academy": (1, theirs.starts_at)}
    assert [row.name for row in rules.coverage(organiser=elsewhere, period=TWELVE_MONTHS).organisations] == [
        "Whitley Academy"
    ]


def test_the_follow_up_list_writes_small_counts_as_fewer_than_five(organiser, make_session, whitley):
    long_ago = end_session(make_session(), ago=dt.timedelta(days=500))
    for n in range(2):
        trained(long_ago, f"p{n}@whitley.coventry.sch.uk")
    area_organisation(organiser, "Big School", domains=["big.example.sch.uk"], urn="100009")
    for n in range(6):
        trained(long_ago, f"p{n}@big.example.sch.uk")
    area_organisation(organiser, "Never School", urn="100008")
    result = rules.coverage(organiser=organiser, period=TWELVE_MONTHS, wanted=CoverageFilter(nobody_trained=True))

    rows = list(rules.follow_up_rows(rules.with_domains(result.organisations, organiser=organiser)))

    day = timezone.localdate(long_ago.starts_at)
    assert rows == [
        [
            "Name",
            "Type",
            "Kind",
            "Phase",
            "Postcode",
            "URN",
            "Email domains",
            "People trained before",
            "Last trained",
        ],
        ["Big School", "Academy converter", "Schools", "Primary", "CV1 2AB", "100009", "big.example.sch.uk", 6, day],
        ["Never School", "Academy converter", "Schools", "Primary", "CV1 2AB", "100008", "", 0, ""],
        [
            "Whitley Academy",
            "Academy converter",
            "Schools",
            "Secondary",
            "CV1 2AB",
            "100001",
            "whitley.coventry.sch.uk",
            "fewer than 5",
            day,
        ],
    ]


def test_coverage_takes_the_same_queries_for_many_bookings_as_for_one(
    organiser, make_session, whitley, django_assert_num_queries
):
    session = end_session(make_session(capacity=50), ago=dt.timedelta(days=30))
    trained(session, "one@whitley.coventry.sch.uk")
    with django_assert_num_queries(6):
        rules.coverage(organiser=organiser, period=TWELVE_MONTHS)

    for n in range(10):
        area_organisation(organiser, f"School {n}", domains=[f"school{n}.example.sch.uk"], urn=str(200 + n))
        trained(session, f"p{n}@school{n}.example.sch.uk")

    with django_assert_num_queries(6):
        result = rules.coverage(organiser=organiser, period=TWELVE_MONTHS)
    assert sum(row.people for row in result.organisations) == 11
