"""Public read: published programmes and sessions, with the places left the public pages show, and
never anything private."""

import pytest
from django.test import Client

from bookyourplace.api.testing import problem_of
from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.core.testing import text_of
from bookyourplace.programmes.models import Programme, Question, Session

pytestmark = pytest.mark.django_db


def test_programmes_lists_only_published_ones(anonymous, programme, organiser):
    Programme.objects.create(organiser=organiser, title="Next year (draft)", slug="draft-week")
    response = anonymous.get("/api/programmes")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()] == ["coventry-prevent-week"]
    assert response.json()[0]["organiser"] == {"name": "Coventry Prevent Partnership", "slug": "coventry"}
    assert response.json()[0]["url"] == "http://testserver/programmes/coventry-prevent-week/"


def test_programme_sessions_show_the_places_left_the_public_page_shows(anonymous, programme, make_session, settings):
    settings.BYP_FEW_PLACES_LEFT = 5
    nearly_full = make_session(title="Nearly full", capacity=4)
    bookings_testing.book(nearly_full, "one@example.org")
    full = make_session(title="Full", capacity=1)
    bookings_testing.book(full, "two@example.org")
    open_session = make_session(title="Open", capacity=40)

    sessions = {s["title"]: s for s in anonymous.get(f"/api/programmes/{programme.slug}").json()["sessions"]}

    assert sessions["Nearly full"]["availability"] == {
        "state": "few_left",
        "label": "3 places left",
        "places_left": 3,
        "can_book": True,
        "can_join_waiting_list": False,
    }
    assert sessions["Full"]["availability"]["state"] == "full"
    assert sessions["Full"]["availability"]["can_join_waiting_list"] is True
    assert sessions["Open"]["availability"]["places_left"] == 40
    page = text_of(Client().get(f"/programmes/{programme.slug}/"))
    assert "3 places left" in page and "Fully booked" in page
    assert sessions["Open"]["url"] == f"http://testserver/programmes/{programme.slug}/sessions/{open_session.pk}/"


def test_no_public_answer_holds_the_joining_link(anonymous, programme, session):
    bookings_testing.book(session, "alex@example.org")
    for path in ("/api/programmes", f"/api/programmes/{programme.slug}", f"/api/sessions/{session.pk}"):
        body = anonymous.get(path).content.decode()
        assert "secret-joining-link" not in body
        assert "Cameras on" not in body
        assert "alex@example.org" not in body


def test_a_session_lists_the_questions_its_booking_form_asks(anonymous, programme, session):
    question = Question.objects.create(
        programme=programme, kind=Question.Kind.YES_NO, label="Do you work with children?", required=True
    )
    Question.objects.create(
        programme=programme, kind=Question.Kind.SHORT_TEXT, label="Removed question", removed_at=session.starts_at
    )
    body = anonymous.get(f"/api/sessions/{session.pk}").json()
    assert body["title"] == "Self-Initiated Terrorism"
    assert body["questions"] == [
        {
            "id": question.pk,
            "label": "Do you work with children?",
            "hint": "",
            "kind": "yes_no",
            "required": True,
            "choices": [],
        }
    ]


def test_a_draft_programme_and_its_sessions_are_not_found(anonymous, organiser):
    draft = Programme.objects.create(organiser=organiser, title="Draft", slug="draft")
    hidden = Session.objects.create(
        programme=draft,
        title="Not yet",
        starts_at="2030-01-01T10:00:00Z",
        ends_at="2030-01-01T12:00:00Z",
        capacity=5,
    )
    for path in (f"/api/programmes/{draft.slug}", f"/api/sessions/{hidden.pk}"):
        response = anonymous.get(path)
        assert response.status_code == 404
        assert problem_of(response)["status"] == 404


def test_a_cancelled_session_says_so(anonymous, make_session):
    cancelled = make_session(status=Session.Status.CANCELLED)
    body = anonymous.get(f"/api/sessions/{cancelled.pk}").json()
    assert body["cancelled"] is True
    assert body["availability"]["state"] == "cancelled"
    assert body["availability"]["can_book"] is False
