"""Feedback summaries and report figures: the back office's own numbers, the token's organiser's
only, and the report as it is exported (fewer than 5 people held back)."""

import pytest

from bookyourplace.accounts.models import ApiScope
from bookyourplace.api.testing import ApiClient, problem_of
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.feedback import testing as feedback_testing

pytestmark = pytest.mark.django_db


def _table(report: dict, slug: str) -> dict:
    return next(t for section in report["sections"] for t in section["tables"] if t["slug"] == slug)


def _sessions_row(report: dict, title: str) -> dict:
    table = _table(report, "sessions")
    headers = [c["header"] for c in table["columns"]]
    row = next(r for r in table["rows"] if r[0] == title)
    return dict(zip(headers, row, strict=True))


def test_report_figures_hold_back_fewer_than_five_people(make_token, make_session):
    small, large = make_session(title="Small", capacity=10), make_session(title="Large", capacity=10)
    bookings_testing.book_people(small, bookings_testing.numbered_people(3))
    bookings_testing.book_people(large, [(f"Big{n}", f"Group{n}") for n in range(6)])
    response = ApiClient(make_token([ApiScope.READ_REPORTS])).get("/api/reports")
    assert response.status_code == 200
    report = response.json()
    assert report["small_numbers_held_back"] is True
    assert _sessions_row(report, "Small")["Confirmed"] == "fewer than 5"
    assert _sessions_row(report, "Small")["Fill rate"] == "–"
    assert _sessions_row(report, "Large")["Confirmed"] == 6
    assert _sessions_row(report, "Large")["Fill rate"] == 60
    assert _table(report, "sessions")["total"][4] == 9


def test_report_filters_pick_sessions(api, make_session):
    first, second = make_session(title="First"), make_session(title="Second")
    bookings_testing.book_people(first, bookings_testing.numbered_people(5))
    report = api.get("/api/reports", {"session": second.pk}).json()
    assert [row[0] for row in _table(report, "sessions")["rows"]] == ["Second"]
    assert first.pk != second.pk
    backwards = api.get("/api/reports", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert backwards.status_code == 422
    assert problem_of(backwards)["errors"][0]["field"] == "date_to"


def test_feedback_summaries_of_a_programme_and_a_session(make_token, programme, session):
    alex, bea = bookings_testing.book_people(session, [("Alex", "Smith"), ("Bea", "Jones")])
    bookings_testing.end_session(session)
    for booking, satisfaction in ((alex, 5), (bea, 3)):
        feedback_testing.mark(booking)
        feedback_testing.answer(booking, satisfaction=satisfaction, before=2, after=4, useful="The case studies.")
    reader = ApiClient(make_token([ApiScope.READ_REPORTS]))

    whole = reader.get(f"/api/programmes/{programme.slug}/feedback").json()
    assert whole["total"]["answered"] == 2
    assert whole["total"]["satisfaction"] == 4.0
    assert whole["total"]["confidence"] == {"before": 2.0, "after": 4.0, "change": 2.0}
    assert [row["session_id"] for row in whole["sessions"]] == [session.pk]

    one = reader.get(f"/api/sessions/{session.pk}/feedback").json()
    assert one["answered"] == 2
    satisfaction = next(r for r in one["ratings"] if r["role"] == "satisfaction")
    assert satisfaction["average"] == 4.0
    assert {p["value"]: p["count"] for p in satisfaction["points"]} == {1: 0, 2: 0, 3: 1, 4: 0, 5: 1}
    assert one["comments"] == 2
    assert "case studies" not in reader.get(f"/api/sessions/{session.pk}/feedback").content.decode()


def test_figures_need_read_reports(make_token, programme, session):
    reader = ApiClient(make_token([ApiScope.READ_BOOKINGS, ApiScope.READ_ATTENDANCE]))
    for path in ("/api/reports", f"/api/programmes/{programme.slug}/feedback", f"/api/sessions/{session.pk}/feedback"):
        assert reader.get(path).status_code == 403
