"""Creating a draft programme from a flyer's rows as the organiser corrected them in the
preview (programmes/importing.py: create_draft_programme)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.errors import InvalidDraftSessions, ProgrammeError
from bookyourplace.programmes.flyers.draft import DraftSession
from bookyourplace.programmes.importing import create_draft_programme
from bookyourplace.programmes.models import Programme, ProgrammeSource, Session

FLYER = b"Warwickshire Prevent Week\nMonday 1 March 2027 ..."
NOW = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)


def online(**overrides) -> DraftSession:
    fields = {
        "date": dt.date(2027, 3, 1),
        "title": "Understanding Prevent",
        "start": dt.time(10, 0),
        "end": dt.time(12, 0),
        "delivery": "online",
        "platform": "Microsoft Teams",
        "description_html": "<p>An introduction.</p>",
    }
    return DraftSession(**{**fields, **overrides})


def in_person(**overrides) -> DraftSession:
    fields = {
        "date": dt.date(2027, 7, 2),
        "title": "Online Harms Workshop",
        "subtitle": "For schools",
        "start": dt.time(9, 30),
        "end": dt.time(11, 0),
        "delivery": "in_person",
        "venue": "Shire Hall",
        "room": "Room 2",
        "address": "Market Square, Warwick CV34 4RL",
    }
    return DraftSession(**{**fields, **overrides})


@pytest.fixture
def importer(db):
    return User.objects.create_user("priya@warwickshire.gov.uk", first_name="Priya", last_name="Shah")


def create(organiser, importer, sessions, **overrides):
    arguments = {
        "organiser": organiser,
        "title": "Warwickshire Prevent Week",
        "sessions": sessions,
        "source_name": "warwickshire-flyer.docx",
        "source_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "source_content": FLYER,
        "imported_by": importer,
        "capacity": 40,
        "actor": Actor(user=importer),
        "now": NOW,
    }
    return create_draft_programme(**{**arguments, **overrides})


def test_a_draft_is_created_with_its_sessions_in_the_programmes_time_zone(organiser, importer):
    programme = create(organiser, importer, [online(), in_person()])

    assert programme.status == Programme.Status.DRAFT
    assert programme.slug == "warwickshire-prevent-week-2027"
    first, second = programme.sessions.order_by("starts_at")
    # 10:00 in March is GMT, 09:30 in July is BST: wall-clock times as the flyer says them.
    assert first.starts_at == dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert second.starts_at == dt.datetime(2027, 7, 2, 8, 30, tzinfo=dt.UTC)
    assert second.ends_at.astimezone(programme.tz).time() == dt.time(11, 0)
    assert (first.delivery, first.platform, first.capacity) == ("online", "Microsoft Teams", 40)
    assert (second.venue, second.room, second.address, second.subtitle) == (
        "Shire Hall",
        "Room 2",
        "Market Square, Warwick CV34 4RL",
        "For schools",
    )
    assert first.description == "<p>An introduction.</p>"


def test_the_original_is_kept_with_who_imported_it_and_when(organiser, importer):
    programme = create(organiser, importer, [online()])

    source = ProgrammeSource.objects.get(programme=programme)
    assert bytes(source.content) == FLYER
    assert source.file_name == "warwickshire-flyer.docx"
    assert source.content_type.endswith("wordprocessingml.document")
    assert (source.imported_by, source.imported_at) == (importer, NOW)


def test_the_import_is_in_the_audit_log(organiser, importer):
    programme = create(organiser, importer, [online(), in_person()])

    event = AuditEvent.objects.get(programme_id=programme.pk)
    assert event.action == AuditEvent.Action.CREATED_PROGRAMME
    assert event.actor == importer
    assert event.summary == (
        "Imported programme 'Warwickshire Prevent Week' from warwickshire-flyer.docx with 2 sessions"
    )


def test_each_session_may_have_its_own_places(organiser, importer):
    programme = create(organiser, importer, [online(), in_person()], capacity=[25, 60])

    assert list(programme.sessions.order_by("starts_at").values_list("capacity", flat=True)) == [25, 60]


def test_every_row_is_checked_before_anything_is_saved(organiser, importer):
    rows = [
        online(),
        online(title="", date=None),
        in_person(start=dt.time(11, 0), end=dt.time(10, 0)),
        in_person(venue="", room=""),
        online(delivery=""),
    ]

    with pytest.raises(InvalidDraftSessions) as refused:
        create(organiser, importer, rows)

    assert refused.value.rows == {
        1: {"date": ["Enter the date"], "title": ["Enter a title"]},
        2: {"end": ["The end time must be after the start time"]},
        3: {"venue": ["Enter the venue or room for an in-person session"]},
        4: {"delivery": ["Select online or in person"]},
    }
    assert refused.value.message == "Session 2: Enter the date"
    assert refused.value.field == "date"
    assert not Programme.objects.exists() and not Session.objects.exists()
    assert not ProgrammeSource.objects.exists() and not AuditEvent.objects.exists()


def test_a_refusal_names_the_row_by_its_title(organiser, importer):
    with pytest.raises(InvalidDraftSessions) as refused:
        create(organiser, importer, [online(), online(title="Keynote", end=None)])

    assert refused.value.message == "Session 2 (Keynote): Enter the end time"


def test_places_below_one_are_refused_on_their_row(organiser, importer):
    with pytest.raises(InvalidDraftSessions) as refused:
        create(organiser, importer, [online(), online()], capacity=[10, 0])

    assert refused.value.rows == {1: {"capacity": ["Enter a number of places of 1 or more"]}}


def test_text_too_long_for_a_session_is_refused_rather_than_cut(organiser, importer):
    with pytest.raises(InvalidDraftSessions) as refused:
        create(organiser, importer, [online(room="R" * 101)])

    assert refused.value.rows == {0: {"room": ["Room must be 100 characters or fewer"]}}


@pytest.mark.parametrize(
    ("title", "sessions", "message"),
    [
        ("  ", [online()], "Enter a title for the programme"),
        ("T" * 201, [online()], "The title must be 200 characters or fewer"),
        ("Warwickshire Prevent Week", [], "Keep at least one session: every session is left out"),
    ],
)
def test_a_programme_needs_a_title_and_a_session(organiser, importer, title, sessions, message):
    with pytest.raises(ProgrammeError) as refused:
        create(organiser, importer, sessions, title=title)

    assert refused.value.message == message
    assert not Programme.objects.exists()
