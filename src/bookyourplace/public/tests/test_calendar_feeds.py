"""The programme's calendar feed and a session's calendar file, as a calendar app reads them:
parsed with icalendar and, independently, with vobject (the way Outlook would take them)."""

import datetime as dt
import zoneinfo

import pytest
import vobject
from django.core.cache import cache
from icalendar import Calendar

from bookyourplace.bookings import session_changes
from bookyourplace.bookings.invites import REQUEST, build_invite, invite_uid
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import publishing
from bookyourplace.programmes.models import Programme, Session
from bookyourplace.public.tests.pages import SECRET_LINK

LONDON = zoneinfo.ZoneInfo("Europe/London")
ORGANISER = Actor(label="Organiser")
INSTRUCTIONS = "Use the code 4471 in the lobby"
JULY = dt.datetime(2027, 7, 15, 10, 0, tzinfo=LONDON)
JANUARY = dt.datetime(2027, 1, 19, 13, 30, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def feed_url(programme) -> str:
    return f"/programmes/{programme.slug}/calendar.ics"


def session_file_url(session) -> str:
    return f"/programmes/{session.programme.slug}/sessions/{session.pk}/calendar.ics"


def fetch(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def events_by_title(ics: bytes) -> dict:
    return {str(event["SUMMARY"]): event for event in Calendar.from_ical(ics).walk("VEVENT")}


def unfolded(ics: bytes) -> str:
    """The file's text with RFC 5545 line folding undone, as a search would read it."""
    return ics.decode().replace("\r\n ", "")


@pytest.fixture
def summer_and_winter(make_session):
    """An online session in July (BST) and one in person in January (GMT)."""
    summer = make_session(title="Online Harms", starts_at=JULY, joining_instructions=INSTRUCTIONS)
    winter = make_session(
        title="Understanding Prevent",
        starts_at=JANUARY,
        delivery=Session.Delivery.IN_PERSON,
        platform="",
        joining_url="",
        joining_instructions="",
        venue="Friargate",
        room="Room 1.4",
        address="1 Friargate\nCoventry CV1 2GN",
        description="<p>What Prevent is.</p><ul><li>Referrals</li><li>Support</li></ul>",
    )
    return summer, winter


# --- What a calendar reads -------------------------------------------------------------------


def test_the_feed_is_published_events_named_after_the_programme_refreshed_hourly(client, programme, summer_and_winter):
    ics = fetch(client, feed_url(programme))

    calendar = Calendar.from_ical(ics)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"]) == "-//Book Your Place//bookyourplace//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Coventry Prevent Week"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/London"
    lines = unfolded(ics).split("\r\n")
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert sorted(events_by_title(ics)) == ["Online Harms", "Understanding Prevent"]


def test_the_feed_has_one_bst_and_one_gmt_rule_for_london(client, programme, summer_and_winter):
    zone = Calendar.from_ical(fetch(client, feed_url(programme))).walk("VTIMEZONE")[0]

    assert str(zone["TZID"]) == "Europe/London"
    rules = {(part.name, str(part["TZNAME"])): part for part in zone.subcomponents}
    assert set(rules) == {("DAYLIGHT", "BST"), ("STANDARD", "GMT")}
    assert rules["DAYLIGHT", "BST"]["RRULE"]["BYMONTH"] == [3]
    assert rules["STANDARD", "GMT"]["RRULE"]["BYMONTH"] == [10]
    assert not any("RDATE" in part for part in zone.subcomponents)


def test_july_and_january_sessions_start_at_their_london_time_in_both_parsers(client, programme, summer_and_winter):
    ics = fetch(client, feed_url(programme))

    lines = unfolded(ics).split("\r\n")
    assert "DTSTART;TZID=Europe/London:20270715T100000" in lines
    assert "DTEND;TZID=Europe/London:20270715T120000" in lines
    assert "DTSTART;TZID=Europe/London:20270119T133000" in lines
    # vobject reads the VTIMEZONE in the file itself, not its own zone database.
    starts = {str(e.summary.value): e.dtstart.value for e in vobject.readOne(ics.decode()).vevent_list}
    assert starts["Online Harms"].astimezone(dt.UTC) == dt.datetime(2027, 7, 15, 9, 0, tzinfo=dt.UTC)
    assert starts["Understanding Prevent"].astimezone(dt.UTC) == dt.datetime(2027, 1, 19, 13, 30, tzinfo=dt.UTC)


def test_each_session_says_where_what_and_where_to_book_in_plain_text(client, programme, summer_and_winter):
    summer, winter = summer_and_winter

    events = events_by_title(fetch(client, feed_url(programme)))

    online, in_person = events["Online Harms"], events["Understanding Prevent"]
    assert str(online["LOCATION"]) == "Online (Microsoft Teams)"
    assert str(in_person["LOCATION"]) == "Room 1.4, Friargate, 1 Friargate Coventry CV1 2GN"
    session_page = f"http://testserver/programmes/{programme.slug}/sessions/{winter.pk}/"
    assert str(in_person["DESCRIPTION"]) == (
        f"What Prevent is.\n\n- Referrals\n\n- Support\n\nBook your place: {session_page}"
    )
    assert str(in_person["URL"]) == session_page
    assert str(online["STATUS"]) == "CONFIRMED"


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client, programme, summer_and_winter):
    summer, _winter = summer_and_winter
    session_changes.cancel_session(session_id=summer.pk, actor=ORGANISER)

    events = events_by_title(fetch(client, feed_url(programme)))

    cancelled = events["Cancelled: Online Harms"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["DESCRIPTION"]).startswith("This session has been cancelled.")
    assert "Book your place" not in str(cancelled["DESCRIPTION"])
    assert str(events["Understanding Prevent"]["STATUS"]) == "CONFIRMED"


# --- The same event, every time --------------------------------------------------------------


def uid_and_sequence(client, url: str, title: str) -> tuple[str, int]:
    event = events_by_title(fetch(client, url))[title]
    return str(event["UID"]), int(event["SEQUENCE"])


def test_a_sessions_uid_stays_and_its_sequence_rises_when_it_is_changed(client, programme, summer_and_winter):
    summer, _winter = summer_and_winter
    first = uid_and_sequence(client, feed_url(programme), "Online Harms")
    assert uid_and_sequence(client, feed_url(programme), "Online Harms") == first

    session_changes.change_session(session_id=summer.pk, actor=ORGANISER, starts_at=JULY + dt.timedelta(hours=1))
    uid, sequence = uid_and_sequence(client, feed_url(programme), "Online Harms")
    session_changes.change_session(session_id=summer.pk, actor=ORGANISER, title="Online Harms Briefing")
    renamed_uid, renamed_sequence = uid_and_sequence(client, feed_url(programme), "Online Harms Briefing")

    assert uid == renamed_uid == first[0]
    assert first[1] < sequence < renamed_sequence
    events = events_by_title(fetch(client, feed_url(programme)))
    assert events["Online Harms Briefing"]["DTSTART"].dt == JULY + dt.timedelta(hours=1)
    assert events["Online Harms Briefing"]["LAST-MODIFIED"].dt >= events["Understanding Prevent"]["LAST-MODIFIED"].dt


def test_the_session_file_is_the_feeds_event_and_never_an_attendees_invite(client, programme, summer_and_winter):
    summer, _winter = summer_and_winter
    booking = book(summer, "alex.smith@coventry.gov.uk")
    invite = Calendar.from_ical(build_invite(booking=booking, method=REQUEST, sequence=0, manage_url="x"))

    in_file = uid_and_sequence(client, session_file_url(summer), "Online Harms")
    in_feed = uid_and_sequence(client, feed_url(programme), "Online Harms")

    assert in_file == in_feed
    assert in_file[0] != str(invite.walk("VEVENT")[0]["UID"]) == invite_uid(booking)


def test_the_session_file_adds_one_event_to_the_persons_own_calendar(client, programme, summer_and_winter):
    summer, _winter = summer_and_winter

    response = client.get(session_file_url(summer))

    assert response["Content-Disposition"] == 'attachment; filename="online-harms.ics"'
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert list(events_by_title(response.content)) == ["Online Harms"]
    # With a calendar name Outlook would offer to open it as a calendar of its own.
    assert "X-WR-CALNAME" not in calendar
    assert len(calendar.walk("VTIMEZONE")) == 1


# --- Never the joining link ------------------------------------------------------------------


def test_neither_the_feed_nor_the_session_file_holds_the_joining_link(client, programme, summer_and_winter):
    summer, _winter = summer_and_winter
    # A confirmed attendee, whose own invite does carry the link.
    booking = book(summer, "alex.smith@coventry.gov.uk")
    assert SECRET_LINK in build_invite(booking=booking, method=REQUEST, sequence=0, manage_url="x").decode()

    for url in (feed_url(programme), session_file_url(summer)):
        text = unfolded(fetch(client, url))
        assert "meetup-join" not in text
        assert "secret-joining-link" not in text
        assert "4471" not in text


# --- Only published programmes ---------------------------------------------------------------


@pytest.mark.parametrize("status", [Programme.Status.DRAFT, Programme.Status.ARCHIVED])
def test_a_draft_or_archived_programme_has_no_feed_and_no_embed(client, programme, session, status):
    programme.status = status
    programme.save()

    for url in (
        feed_url(programme),
        session_file_url(session),
        f"/programmes/{programme.slug}/embed/",
        f"/programmes/{programme.slug}/embed.html",
    ):
        assert client.get(url).status_code == 404, url


def test_an_unpublished_programme_loses_its_feed_at_once(client, programme, session):
    fetch(client, feed_url(programme))

    publishing.set_programme_status(programme=programme, status=Programme.Status.DRAFT, actor=ORGANISER)

    assert client.get(feed_url(programme)).status_code == 404


def test_a_session_of_another_programme_is_not_found(client, programme, organiser, session):
    other = Programme.objects.create(organiser=organiser, title="Other", slug="other", status="published")

    assert client.get(f"/programmes/{other.slug}/sessions/{session.pk}/calendar.ics").status_code == 404


# --- Cached: hourly polling costs one query --------------------------------------------------


def test_a_feed_that_has_not_changed_costs_one_query(client, programme, summer_and_winter, django_assert_num_queries):
    summer, _winter = summer_and_winter
    first = fetch(client, feed_url(programme))
    first_file = fetch(client, session_file_url(summer))

    with django_assert_num_queries(1):
        again = fetch(client, feed_url(programme))
    with django_assert_num_queries(1):
        fetch(client, session_file_url(summer))

    assert again == first
    assert first_file != first


def test_an_organisers_change_shows_in_the_feed_at_once(client, programme, summer_and_winter):
    summer, _winter = summer_and_winter
    fetch(client, feed_url(programme))
    fetch(client, session_file_url(summer))

    session_changes.change_session(session_id=summer.pk, actor=ORGANISER, title="Online Harms Briefing")

    assert "Online Harms Briefing" in events_by_title(fetch(client, feed_url(programme)))
    assert "Online Harms Briefing" in events_by_title(fetch(client, session_file_url(summer)))


# --- The links on the public pages -----------------------------------------------------------


def test_the_programme_page_offers_the_feed_to_subscribe_to(client, programme, session):
    response = client.get(programme.get_absolute_url())

    page = text_of(response)
    assert "Subscribe in Outlook or another calendar" in page
    assert f"http://testserver/programmes/{programme.slug}/calendar.ics" in page
    assert "Add calendar" in page and "Subscribe from web" in page
    assert f'href="webcal://testserver/programmes/{programme.slug}/calendar.ics"' in response.content.decode()


def test_the_session_page_offers_the_session_file(client, programme, session):
    response = client.get(session.get_absolute_url())

    assert "Add this session to your calendar (.ics)" in text_of(response)
    assert f'href="{session_file_url(session)}"' in response.content.decode()


def test_a_feed_of_many_sessions_costs_the_queries_of_one(client, programme, make_session, django_assert_num_queries):
    first = make_session(title="The only one")
    session_changes.change_session(session_id=first.pk, actor=ORGANISER, capacity=30)
    with django_assert_num_queries(4) as one:
        fetch(client, feed_url(programme))
    for n in range(10):
        changed = make_session(title=f"Session {n}", starts_at=JULY + dt.timedelta(days=n))
        session_changes.change_session(session_id=changed.pk, actor=ORGANISER, capacity=30)
    cache.clear()

    with django_assert_num_queries(len(one.captured_queries)):
        ics = fetch(client, feed_url(programme))

    assert len(events_by_title(ics)) == 11
