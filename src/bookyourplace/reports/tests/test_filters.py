"""The report filter: a period of local days (both ends in), programmes, a session, a sector, an
organisation, a way of delivering; always within the programmes the reader may see."""

import datetime as dt

import pytest

from bookyourplace.programmes.models import Programme, Session
from bookyourplace.reports.filters import ReportFilter
from bookyourplace.reports.testing import at, held_on, people
from bookyourplace.reports.uptake import uptake


@pytest.fixture
def week(make_session, programme, organiser):
    """Three sessions of ours, on 19, 20 and 21 January (the 21st in person), one called off,
    and a session of another programme on the 20th."""
    monday = held_on(make_session(title="Monday"), at("2026-01-19", 9))
    tuesday = held_on(make_session(title="Tuesday"), at("2026-01-20", 23, 30))
    wednesday = held_on(
        make_session(title="Wednesday", delivery=Session.Delivery.IN_PERSON, venue="Friargate"), at("2026-01-21", 0, 15)
    )
    held_on(make_session(title="Called off", status=Session.Status.CANCELLED), at("2026-01-20", 14))
    other = Programme.objects.create(
        organiser=organiser, title="Autumn Week", slug="autumn-week", status=Programme.Status.PUBLISHED
    )
    theirs = held_on(make_session(programme=other, title="Autumn session"), at("2026-01-20", 12))
    return {"monday": monday, "tuesday": tuesday, "wednesday": wednesday, "other": other, "theirs": theirs}


def _titles(report_filter, allowed=None):
    return [
        s.title for s in uptake(report_filter, allowed if allowed is not None else Programme.objects.all()).sessions
    ]


def test_no_filter_reports_every_session_that_was_not_called_off(week):
    assert _titles(ReportFilter()) == ["Monday", "Autumn session", "Tuesday", "Wednesday"]


def test_dates_are_local_days_with_both_ends_included(week):
    """Tuesday's session at 23:30 and Wednesday's at 00:15 fall on their own London days."""
    tuesday_only = ReportFilter(date_from=dt.date(2026, 1, 20), date_to=dt.date(2026, 1, 20))

    assert _titles(tuesday_only) == ["Autumn session", "Tuesday"]
    assert _titles(ReportFilter(date_from=dt.date(2026, 1, 21))) == ["Wednesday"]
    assert _titles(ReportFilter(date_to=dt.date(2026, 1, 19))) == ["Monday"]


def test_a_summer_day_is_a_london_day_too(make_session):
    """In British Summer Time, 00:30 on 1 July is still 30 June in UTC."""
    held_on(make_session(title="Early start"), at("2026-07-01", 0, 30))

    assert _titles(ReportFilter(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 1))) == ["Early start"]
    assert _titles(ReportFilter(date_to=dt.date(2026, 6, 30))) == []


def test_programme_session_and_delivery_filters(week, programme):
    assert _titles(ReportFilter(programme_ids=(week["other"].pk,))) == ["Autumn session"]
    assert _titles(ReportFilter(session_id=week["tuesday"].pk)) == ["Tuesday"]
    assert _titles(ReportFilter(delivery=Session.Delivery.IN_PERSON)) == ["Wednesday"]


def test_sector_and_organisation_filters_pick_people_not_sessions(make_session):
    session = make_session(title="Mixed")
    people(session, 2, prefix="teacher", sector="schools", organisation="Whitley Academy")
    people(session, 3, prefix="nurse", sector="health", organisation="UHCW NHS Trust")

    def confirmed(report_filter):
        [row] = uptake(report_filter, Programme.objects.all()).sessions
        return row.confirmed

    assert confirmed(ReportFilter(sector="schools")) == 2
    assert confirmed(ReportFilter(organisation="nhs")) == 3
    assert confirmed(ReportFilter(organisation="  WHITLEY ")) == 2


def test_a_filter_never_reaches_past_the_programmes_the_reader_may_see(week, programme):
    """A viewer of our programme asking for the other one's id sees nothing of it."""
    ours = Programme.objects.filter(pk=programme.pk)

    assert _titles(ReportFilter(programme_ids=(week["other"].pk,)), ours) == []
    assert _titles(ReportFilter(session_id=week["theirs"].pk), ours) == []
    assert _titles(ReportFilter(), ours) == ["Monday", "Tuesday", "Wednesday"]
