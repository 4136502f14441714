"""The organiser's own questions on the public booking form: each type with its GOV.UK
pattern, error messages in the error summary, every answer kept when the form is shown again,
the answers kept with the booking, and the cached form showing a change at once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookyourplace.bookings.models import Answer, Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import questions
from bookyourplace.programmes.models import Question
from bookyourplace.programmes.questions import QuestionDetails
from bookyourplace.programmes.testing import add_question
from bookyourplace.public.tests.pages import book_url

pytestmark = pytest.mark.django_db

ORGANISER = Actor(label="Priya (organiser)")
Kind = Question.Kind


add = add_question


@pytest.fixture
def asked(programme):
    return {
        "diet": add(programme, Kind.SHORT_TEXT, "Your dietary requirements", hint="For example, vegetarian"),
        "story": add(programme, Kind.LONG_TEXT, "What you hope to learn", required=False),
        "area": add(programme, Kind.ONE_CHOICE, "Which area you work in", choices=("North", "South")),
        "topics": add(programme, Kind.SEVERAL_CHOICES, "Topics to cover", choices=("Online harms", "Referrals")),
        "parking": add(programme, Kind.YES_NO, "Do you need a parking space?"),
        "level3": add(programme, Kind.DATE, "Date you completed Level 3 training"),
    }


def name(question) -> str:
    return f"question_{question.pk}"


def answers_posted(asked, **changes) -> dict:
    data = {
        name(asked["diet"]): "Vegetarian",
        name(asked["story"]): "How to make a referral",
        name(asked["area"]): "South",
        name(asked["topics"]): ["Online harms", "Referrals"],
        name(asked["parking"]): "Yes",
        f"{name(asked['level3'])}_day": "27",
        f"{name(asked['level3'])}_month": "3",
        f"{name(asked['level3'])}_year": "2025",
    }
    data.update(changes)
    return booking_form_data(**data)


def test_each_question_is_asked_with_its_govuk_pattern_after_the_fixed_fields(client, session, asked):
    html = client.get(book_url(session)).content.decode()

    diet, area, topics, level3 = (asked[key].pk for key in ("diet", "area", "topics", "level3"))
    assert (
        f'<label class="govuk-label govuk-label--s" for="id_question_{diet}">Your dietary requirements</label>' in html
    )
    assert f'<div id="id_question_{diet}-hint" class="govuk-hint">For example, vegetarian</div>' in html
    assert "What you hope to learn (optional)" in html
    assert f'<textarea name="question_{asked["story"].pk}"' in html
    assert (
        f'<input class="govuk-radios__input" id="id_question_{area}_0" name="question_{area}" type="radio" value="North">'
        in html
    )
    assert (
        f'<input class="govuk-checkboxes__input" id="id_question_{topics}" name="question_{topics}" type="checkbox" value="Online harms">'
        in html
    )
    assert "Select all that apply." in html
    assert f'name="question_{asked["parking"].pk}" type="radio" value="Yes"' in html
    assert '<div class="govuk-date-input">' in html
    for part, box in (
        ("day", f"id_question_{level3}"),
        ("month", f"id_question_{level3}-month"),
        ("year", f"id_question_{level3}-year"),
    ):
        assert f'for="{box}">{part.title()}</label>' in html
        assert f'name="question_{level3}_{part}" inputmode="numeric"' in html
    # After the access needs, before the agreement to how the details are used
    page = text_of(client.get(book_url(session)))
    assert page.index("Access needs") < page.index("Your dietary requirements") < page.index("Date you completed")
    assert page.index("Date you completed") < page.index("How we use your information")


def test_unanswered_questions_are_in_the_error_summary_in_the_govuk_style(client, session, asked):
    response = client.post(book_url(session), booking_form_data())

    summary = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', response.content.decode())
    assert summary == [
        (f"id_question_{asked['diet'].pk}", "Enter your dietary requirements"),
        (f"id_question_{asked['area'].pk}_0", "Select which area you work in"),
        (f"id_question_{asked['topics'].pk}", "Select topics to cover"),
        (f"id_question_{asked['parking'].pk}_0", "Select yes or no for ‘Do you need a parking space?’"),
        (f"id_question_{asked['level3'].pk}", "Enter the date you completed Level 3 training"),
    ]
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("30", "2", "2025", "Date you completed Level 3 training must be a real date"),
        ("27", "", "2025", "Date you completed Level 3 training must include a month"),
        ("", "3", "", "Date you completed Level 3 training must include a day and year"),
        ("27", "3", "25", "Date you completed Level 3 training must be a real date"),
        ("27", "March", "2025", "Date you completed Level 3 training must be a real date"),
    ],
)
def test_a_date_that_is_not_a_real_date_is_explained(client, session, asked, day, month, year, message):
    level3 = name(asked["level3"])
    response = client.post(
        book_url(session),
        answers_posted(asked, **{f"{level3}_day": day, f"{level3}_month": month, f"{level3}_year": year}),
    )

    assert f"There is a problem {message}" in text_of(response)
    assert (
        'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"'
        in response.content.decode()
    )
    assert not Booking.objects.exists()


def test_every_answer_is_kept_when_the_form_is_shown_again(client, session, asked):
    # Everything answered, but the email address is wrong
    response = client.post(book_url(session), answers_posted(asked, email="not an email"))

    html = response.content.decode()
    assert "Enter an email address in the correct format" in html
    assert f'name="{name(asked["diet"])}" value="Vegetarian"' in html
    assert "How to make a referral</textarea>" in html
    assert 'type="radio" value="South" checked' in html
    assert (
        'type="checkbox" value="Online harms" checked' in html and 'type="checkbox" value="Referrals" checked' in html
    )
    assert 'type="radio" value="Yes" checked' in html
    level3 = name(asked["level3"])
    for part, value in (("day", "27"), ("month", "3"), ("year", "2025")):
        assert f'name="{level3}_{part}" value="{value}"' in html


def test_the_answers_are_kept_with_the_booking(client, session, asked):
    response = client.post(book_url(session), answers_posted(asked))

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert dict(Answer.objects.filter(booking=booking).values_list("question_label", "value")) == {
        "Your dietary requirements": "Vegetarian",
        "What you hope to learn": "How to make a referral",
        "Which area you work in": "South",
        "Topics to cover": "Online harms\nReferrals",
        "Do you need a parking space?": "Yes",
        "Date you completed Level 3 training": "2025-03-27",
    }


def test_the_cached_form_shows_a_new_question_at_once_and_is_otherwise_served_whole(client, programme, session):
    client.get(book_url(session))  # kept in the cache
    with CaptureQueriesContext(connection) as cached:
        client.get(book_url(session))
    assert not [q for q in cached.captured_queries if "programmes_question" in q["sql"]]

    add(programme, Kind.SHORT_TEXT, "Your dietary requirements")

    assert "Your dietary requirements" in text_of(client.get(book_url(session)))


def test_a_question_removed_is_gone_from_the_cached_form_at_once(client, programme, session, asked):
    assert "Topics to cover" in text_of(client.get(book_url(session)))

    questions.remove_question(question=asked["topics"], actor=ORGANISER)

    assert "Topics to cover" not in text_of(client.get(book_url(session)))
    response = client.post(book_url(session), answers_posted(asked))  # an answer to it is not kept
    assert response.status_code == 302
    assert not Answer.objects.filter(question_label="Topics to cover").exists()


def test_a_session_with_its_own_questions_asks_those(client, programme, make_session, asked):
    own = make_session(title="Own questions")
    questions.ask_own_questions(session=own, own=True, actor=ORGANISER)
    own.refresh_from_db()
    for question in questions.list_of(programme=programme, session=own):
        questions.remove_question(question=question, actor=ORGANISER)
    questions.add_question(
        programme=programme,
        session=own,
        details=QuestionDetails(kind=Kind.SHORT_TEXT, label="Your school's name"),
        actor=ORGANISER,
    )

    page = text_of(client.get(book_url(own)))

    assert "Your school's name" in page
    assert "Your dietary requirements" not in page


def test_a_refusal_in_a_rush_reads_no_more_with_questions_than_without(
    client, make_session, asked, django_assert_num_queries
):
    # The questions are read with the session row kept at the page version: a post refused
    # because the session is full still costs two queries.
    session = make_session(capacity=1)
    assert client.post(book_url(session), answers_posted(asked, email="first@coventry.gov.uk")).status_code == 302
    first = client.post(book_url(session), answers_posted(asked, email="second@coventry.gov.uk"))
    assert first.status_code == 409

    with django_assert_num_queries(2):
        again = client.post(book_url(session), answers_posted(asked, email="third@coventry.gov.uk"))

    assert again.status_code == 409


def test_a_date_with_a_part_left_out_marks_only_that_box(client, session, asked):
    level3 = name(asked["level3"])
    response = client.post(book_url(session), answers_posted(asked, **{f"{level3}_month": ""}))

    html = response.content.decode()
    marked = re.findall(r'name="question_\d+_(day|month|year)"[^>]*govuk-input--error', html)
    assert marked == ["month"]
