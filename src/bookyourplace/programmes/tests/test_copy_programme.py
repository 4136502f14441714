import datetime as dt
import zoneinfo

import pytest
from django.conf import settings

from bookyourplace.programmes.copying import copy_programme, same_weekday_in_year, same_weekday_next_year
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.models import Programme, Session

LONDON = zoneinfo.ZoneInfo("Europe/London")
FLYER = (settings.BASE_DIR / "demo" / "coventry-prevent-week.txt").read_text(encoding="utf-8")


@pytest.fixture
def flyer_programme(organiser):
    """The Coventry flyer imported as published; `organiser` comes from src/conftest.py."""
    return import_programme(text=FLYER, organiser=organiser, publish=True, today=dt.date(2026, 1, 1))


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def add_session(programme: Programme, starts_at: dt.datetime, **fields) -> Session:
    return Session.objects.create(
        programme=programme,
        title=fields.pop("title", "Briefing"),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=fields.pop("capacity", 20),
        **fields,
    )


# --- copy_programme -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_copy_programme_keeps_offsets_weekdays_and_local_times(flyer_programme):
    # Act
    copy = copy_programme(programme=flyer_programme, first_day=dt.date(2027, 1, 18), title="Coventry Prevent Week 2027")

    # Assert
    def local(p):
        return [(s.starts_at.astimezone(LONDON), s.ends_at.astimezone(LONDON)) for s in p.sessions.all()]

    assert [start.date() for start, _ in local(copy)] == [
        dt.date(2027, 1, 18),
        dt.date(2027, 1, 19),
        dt.date(2027, 1, 20),
        dt.date(2027, 1, 20),
        dt.date(2027, 1, 21),
        dt.date(2027, 1, 22),
    ]
    assert [(s.strftime("%a %H:%M"), e.strftime("%H:%M")) for s, e in local(copy)] == [
        (s.strftime("%a %H:%M"), e.strftime("%H:%M")) for s, e in local(flyer_programme)
    ]


@pytest.mark.django_db
def test_copy_programme_keeps_local_time_across_the_change_to_summer_time(organiser):
    # Arrange: 20 March 2026 is GMT; 3 April 2026 is BST (clocks change on 29 March).
    spring = Programme.objects.create(organiser=organiser, title="Spring", slug="spring")
    add_session(
        spring,
        london(2026, 3, 20, 10, 0),
        booking_opens_at=london(2026, 3, 1, 9, 0),
        booking_closes_at=london(2026, 3, 19, 17, 0),
    )

    # Act
    copy = copy_programme(programme=spring, first_day=dt.date(2026, 4, 3), title="Spring again")

    # Assert
    session = copy.sessions.get()
    assert session.starts_at.astimezone(LONDON).replace(tzinfo=None) == dt.datetime(2026, 4, 3, 10, 0)
    assert session.starts_at == dt.datetime(2026, 4, 3, 9, 0, tzinfo=dt.UTC)
    assert session.ends_at.astimezone(LONDON).time() == dt.time(12, 0)
    assert session.booking_opens_at == london(2026, 3, 15, 9, 0)
    assert session.booking_closes_at == london(2026, 4, 2, 17, 0)


@pytest.mark.django_db
def test_copy_programme_copies_session_details_and_schedules_every_session(organiser):
    # Arrange
    original = Programme.objects.create(organiser=organiser, title="Original", slug="original", summary="A week.")
    add_session(
        original,
        london(2026, 1, 22, 11, 45),
        title="Case study",
        subtitle="In person",
        description="<b>Bring</b> ID.",
        delivery=Session.Delivery.IN_PERSON,
        venue="Friargate",
        room="Room 1.4",
        address="One Friargate, Coventry CV1 2GN",
        capacity=3,
        status=Session.Status.CANCELLED,
    )
    add_session(
        original,
        london(2026, 1, 23, 10, 0),
        platform="Microsoft Teams",
        joining_url="https://teams.example/join",
        joining_instructions="Cameras on.",
    )

    # Act
    copy = copy_programme(programme=original, first_day=dt.date(2027, 1, 21), title="Copy")

    # Assert
    fields = ["title", "subtitle", "description", "delivery", "platform", "joining_url", "joining_instructions"]
    fields += ["venue", "room", "address", "capacity"]
    assert list(copy.sessions.values_list(*fields)) == list(original.sessions.values_list(*fields))
    assert set(copy.sessions.values_list("status", flat=True)) == {Session.Status.SCHEDULED}
    assert (copy.summary, copy.organiser, copy.time_zone) == ("A week.", organiser, "Europe/London")


@pytest.mark.django_db
def test_copy_programme_of_a_published_programme_is_a_draft_by_default(flyer_programme):
    # Act
    copy = copy_programme(programme=flyer_programme, first_day=dt.date(2027, 1, 18), title="Coventry Prevent Week")

    # Assert
    assert (copy.status, copy.slug) == (Programme.Status.DRAFT, "coventry-prevent-week-2027")


@pytest.mark.django_db
def test_copy_programme_with_publish_and_slug_uses_them(flyer_programme):
    # Act
    copy = copy_programme(
        programme=flyer_programme, first_day=dt.date(2027, 1, 18), title="Demo", slug="demo", publish=True
    )

    # Assert
    assert (copy.status, copy.slug, copy.title) == (Programme.Status.PUBLISHED, "demo", "Demo")


@pytest.mark.django_db
def test_copy_programme_without_sessions_raises_and_saves_nothing(organiser):
    # Arrange
    empty = Programme.objects.create(organiser=organiser, title="Empty week", slug="empty")

    # Act / Assert
    with pytest.raises(ProgrammeError, match="'Empty week' has no sessions to copy"):
        copy_programme(programme=empty, first_day=dt.date(2027, 1, 18), title="Copy")
    assert Programme.objects.count() == 1


# --- same_weekday_next_year ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 19), dt.date(2027, 1, 18)),  # Monday -> Monday
        (dt.date(2026, 1, 1), dt.date(2027, 1, 7)),  # Thursday; 31 December 2026 is not next year
        (dt.date(2026, 12, 31), dt.date(2027, 12, 30)),  # Thursday
        (dt.date(2028, 2, 29), dt.date(2029, 2, 27)),  # Tuesday in a leap year
    ],
)
def test_same_weekday_next_year_returns_the_nearest_same_weekday_in_the_next_year(day, expected):
    # Act
    result = same_weekday_next_year(day)

    # Assert
    assert result == expected
    assert result.weekday() == day.weekday()


def test_same_weekday_in_year_several_years_ahead_does_not_drift():
    # Act: 19 January 2029 is a Friday; the nearest Monday is the 22nd.
    result = same_weekday_in_year(dt.date(2026, 1, 19), year=2029)

    # Assert
    assert result == dt.date(2029, 1, 22)
