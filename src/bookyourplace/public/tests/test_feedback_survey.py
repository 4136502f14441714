"""The feedback survey an attendee opens from the email: answering, coming back to change the
answers, the thank-you page, and the pages for a wrong link, someone who did not attend and a
survey that has closed. Also the manage page's "Give feedback"."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.log_masking import MASK, mask_secrets
from bookyourplace.core.testing import text_of
from bookyourplace.feedback import services
from bookyourplace.feedback.links import feedback_token
from bookyourplace.feedback.models import Answer, Response, Role
from bookyourplace.feedback.testing import answer, mark
from bookyourplace.public.tests.pages import manage_url_for


def survey_url(booking) -> str:
    return reverse("public:feedback", kwargs={"token": feedback_token(booking)})


@pytest.fixture
def ended(session):
    """Alex attended (the session ended an hour ago); Bea booked but did not come."""
    alex = book(session, "alex@coventry.gov.uk", first_name="Alex")
    bea = book(session, "bea@coventry.gov.uk", first_name="Bea")
    end_session(session)
    mark(alex, Outcome.ATTENDED)
    mark(bea, Outcome.NO_SHOW)
    return {"alex": Booking.objects.get(pk=alex.pk), "bea": Booking.objects.get(pk=bea.pk)}


@pytest.fixture
def fields(programme):
    """The form's field name for each usual question, by its role or wording."""
    return {q.role or q.text: f"q{q.pk}" for q in services.questions_of(services.survey_for(programme))}


def test_the_survey_asks_each_question_with_words_for_each_rating(client, ended, session):
    response = client.get(survey_url(ended["alex"]))

    page = text_of(response)
    assert response.status_code == 200
    assert f"Your feedback: {session.title}" in page
    assert "Overall, how satisfied were you with this session?" in page
    assert "Very dissatisfied Dissatisfied Neither satisfied nor dissatisfied Satisfied Very satisfied" in page
    assert (
        "How confident were you, before this session, in recognising signs of radicalisation? (optional) "
        "Not at all confident" in page
    )
    assert "What was most useful? (optional)" in page
    assert "You can enter up to 2000 characters" in page
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_answering_shows_thanks_and_keeps_the_answers(client, ended, fields):
    alex = ended["alex"]

    response = client.post(
        survey_url(alex),
        {
            fields[Role.SATISFACTION]: "5",
            fields[Role.CONFIDENCE_BEFORE]: "2",
            fields[Role.CONFIDENCE_AFTER]: "4",
            fields["What was most useful?"]: "The case studies",
            fields["What could be better?"]: "",
        },
        follow=True,
    )

    page = text_of(response)
    assert response.redirect_chain[-1][0] == reverse("public:feedback_thanks", kwargs={"token": feedback_token(alex)})
    assert "Thank you for your feedback" in page
    assert "Change your answers" in page
    assert set(Answer.objects.filter(response__booking=alex).values_list("rating", "text")) == {
        (None, "The case studies"),
        (2, ""),
        (4, ""),
        (5, ""),
    }


def test_coming_back_shows_the_answers_given_and_saves_changes_in_place(client, ended, fields):
    alex = ended["alex"]
    answer(alex, satisfaction=3, useful="<b>The role play</b>")

    html = client.get(survey_url(alex)).content.decode()
    client.post(survey_url(alex), {fields[Role.SATISFACTION]: "4"})

    assert f'name="{fields[Role.SATISFACTION]}" type="radio" value="3" checked' in html
    assert "&lt;b&gt;The role play&lt;/b&gt;</textarea>" in html
    assert "Thank you, we have your feedback." in html
    assert Response.objects.filter(booking=alex).count() == 1
    assert list(Answer.objects.filter(response__booking=alex).values_list("rating", flat=True)) == [4]


def test_satisfaction_must_be_answered(client, ended, fields):
    response = client.post(survey_url(ended["alex"]), {fields["What was most useful?"]: "Everything"})

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem Select how satisfied you were with the session" in page
    assert f'href="#id_{fields[Role.SATISFACTION]}_0"' in response.content.decode()
    assert "Everything</textarea>" in response.content.decode()  # not lost
    assert not Response.objects.exists()


def test_an_answer_over_the_limit_is_refused_with_the_limit(client, ended, fields):
    response = client.post(
        survey_url(ended["alex"]), {fields[Role.SATISFACTION]: "4", fields["What could be better?"]: "x" * 2001}
    )

    assert "Your answer must be 2000 characters or fewer" in text_of(response)
    assert not Response.objects.exists()


@pytest.mark.parametrize("wrong", ["nonsense", "BYP-AAAAA.aaaaaaaaaaaaaaaaaaaaaa", ""])
def test_a_wrong_link_says_so(client, ended, wrong):
    response = client.get(f"/feedback/{wrong}/" if wrong else "/feedback/x/")

    assert response.status_code == 404
    assert "This link does not work" in text_of(response)


def test_the_manage_link_is_not_a_survey_link(client, ended):
    response = client.get(reverse("public:feedback", kwargs={"token": manage_token(ended["alex"])}))

    assert response.status_code == 404


def test_one_persons_secret_does_not_open_another_persons_survey(client, ended):
    alex_secret = feedback_token(ended["alex"]).rpartition(".")[2]
    token = f"{ended['bea'].reference}.{alex_secret}"

    response = client.post(reverse("public:feedback", kwargs={"token": token}), {})

    assert response.status_code == 404
    assert not Response.objects.exists()


def test_someone_who_did_not_attend_is_told_why_they_cannot_answer(client, ended, fields):
    response = client.post(survey_url(ended["bea"]), {fields[Role.SATISFACTION]: "1"})

    page = text_of(response)
    assert response.status_code == 403
    assert "You cannot give feedback on this session" in page
    assert "prevent@coventry.example" in page
    assert not Response.objects.exists()


def test_after_the_survey_closes_it_says_so_and_keeps_nothing(client, ended, session, fields):
    with time_machine.travel(session.ends_at + timedelta(days=14, seconds=1)):
        shown = client.get(survey_url(ended["alex"]))
        sent = client.post(survey_url(ended["alex"]), {fields[Role.SATISFACTION]: "5"})

    assert "This survey has closed" in text_of(shown)
    assert "This survey has closed" in text_of(sent)
    assert not Response.objects.exists()


def test_the_thank_you_page_without_feedback_goes_to_the_survey(client, ended):
    alex = ended["alex"]

    response = client.get(reverse("public:feedback_thanks", kwargs={"token": feedback_token(alex)}))

    assert response.status_code == 302
    assert response.url == survey_url(alex)


# --- The manage page ----------------------------------------------------------------------------


def test_the_manage_page_offers_the_survey_to_who_attended(client, ended):
    page = text_of(client.get(manage_url_for(ended["alex"])))
    html = client.get(manage_url_for(ended["alex"])).content.decode()

    assert "Your feedback" in page
    assert "Give feedback" in page
    assert f'href="{survey_url(ended["alex"])}"' in html


def test_the_manage_page_thanks_who_gave_feedback(client, ended):
    answer(ended["alex"], satisfaction=5)

    page = text_of(client.get(manage_url_for(ended["alex"])))

    assert "Thank you for your feedback." in page
    assert "Give feedback" not in page
    assert "Change your feedback" in page


def test_the_manage_page_offers_nothing_to_who_did_not_attend_or_before_the_session(client, ended, make_session):
    upcoming = book(make_session(title="Next week"), "cai@coventry.gov.uk")

    for booking in (ended["bea"], upcoming):
        page = text_of(client.get(manage_url_for(booking)))
        assert "Give feedback" not in page
        assert "Your feedback" not in page


def test_the_manage_page_thanks_after_the_survey_closed_without_a_link(client, ended, session):
    answer(ended["alex"], satisfaction=5)

    with time_machine.travel(session.ends_at + timedelta(days=15)):
        page = text_of(client.get(manage_url_for(ended["alex"])))

    assert "Thank you for your feedback." in page
    assert "Change your feedback" not in page


# --- Logs -----------------------------------------------------------------------------------------


def test_the_survey_links_secret_is_masked_in_logs(ended):
    token = feedback_token(ended["alex"])

    line = mask_secrets(f'"GET /feedback/{token}/thank-you/ HTTP/1.1" 200')

    assert line == f'"GET /feedback/{MASK}/thank-you/ HTTP/1.1" 200'
    assert (
        mask_secrets("/backoffice/programmes/3/feedback/questions/") == "/backoffice/programmes/3/feedback/questions/"
    )
