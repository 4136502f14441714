"""Feedback in the back office: a session's and a programme's results, the CSV (formulas
neutralised, names only for those who may export personal data) and the survey's questions."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookyourplace.attendance.models import Outcome
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.core.testing import text_of
from bookyourplace.feedback import services
from bookyourplace.feedback.models import Answer, Question, Role
from bookyourplace.feedback.requests import queue_feedback_requests
from bookyourplace.feedback.testing import answer, mark


def came(session, *emails: str, outcome=Outcome.ATTENDED) -> list[Booking]:
    """Book these people on the session, end it, and mark them as having come."""
    booked = [book(session, email, first_name=email.split("@")[0].title()) for email in emails]
    end_session(session)
    for booking in booked:
        mark(booking, outcome)
    return [Booking.objects.get(pk=b.pk) for b in booked]


@pytest.fixture
def answered(session):
    """Four attended and were asked; three answered."""
    alex, bea, cai, dee = came(
        session, "alex@coventry.gov.uk", "bea@coventry.gov.uk", "cai@coventry.gov.uk", "dee@coventry.gov.uk"
    )
    queue_feedback_requests()
    answer(alex, satisfaction=5, before=2, after=5, useful="The case studies", better='=HYPERLINK("http://x")')
    answer(bea, satisfaction=4, before=3, after=4, useful="<script>alert(1)</script>")
    answer(cai, satisfaction=4, before=1, after=3)
    return [alex, bea, cai, dee]


def session_feedback(client, session):
    return client.get(reverse("backoffice:session_feedback", kwargs={"session_id": session.pk}))


def test_session_results_show_counts_averages_and_the_change_in_confidence(client, coordinator, session, answered):
    page = text_of(session_feedback(client, session))

    assert "Asked 4" in page
    assert "Answered 3 (75% response rate)" in page
    assert "Average satisfaction 4.3 out of 5" in page
    assert "Confidence before and after 2.0 before, 4.0 after (a change of +2.0)" in page


def test_session_results_show_how_many_gave_each_answer(client, coordinator, session, answered):
    page = text_of(session_feedback(client, session))

    assert (
        "Answers to “Overall, how satisfied were you with this session?” Answer People Share "
        "1: Very dissatisfied 0 0% 2: Dissatisfied 0 0% 3: Neither satisfied nor dissatisfied 0 0% "
        "4: Satisfied 2 67% 5: Very satisfied 1 33%" in page
    )


def test_comments_are_shown_as_plain_text_without_names(client, coordinator, session, answered):
    response = session_feedback(client, session)

    html, page = response.content.decode(), text_of(response)
    assert "What was most useful? The case studies <script>alert(1)</script>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "Alex" not in page and "alex@coventry.gov.uk" not in page


def test_a_viewer_sees_the_results(client, viewer, session, answered):
    response = session_feedback(client, session)

    assert "Answered 3 (75% response rate)" in text_of(response)
    assert "Change the survey's questions" not in text_of(response)


def test_programme_results_have_a_row_per_session_and_the_totals(
    client, coordinator, programme, session, answered, make_session
):
    second = make_session(title="Online Harms")
    (eve,) = came(second, "eve@coventry.gov.uk")
    answer(eve, satisfaction=1, before=4, after=4)
    make_session(title="Not yet run")

    page = text_of(client.get(reverse("backoffice:programme_feedback", kwargs={"programme_id": programme.pk})))

    assert f"{session.title} " in page and "Online Harms" in page
    assert "Not yet run" not in page
    assert "4 3 75% 4.3 2.0 4.0 +2.0" in page  # the first session: asked, answered, rate, averages
    assert "1 1 100% 1.0 4.0 4.0 0.0" in page  # eve answered from her manage page, not yet asked
    assert "All sessions 5 4 80% 3.5 2.5 4.0 +1.5" in page


@pytest.mark.parametrize(
    "url_name", ["session_feedback", "programme_feedback", "session_feedback_csv", "programme_feedback_csv"]
)
def test_results_take_as_many_queries_for_many_answers_as_for_one(client, coordinator, session, make_session, url_name):
    kwargs = {"programme_id": session.programme_id} if url_name.startswith("programme") else {"session_id": session.pk}
    url = reverse(f"backoffice:{url_name}", kwargs=kwargs)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            if url_name.endswith("csv"):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(captured)

    one, *many = came(session, *(f"person{n}@coventry.gov.uk" for n in range(13)))
    answer(one, satisfaction=3, useful="Fine")
    for_one = queries()
    for n, booking in enumerate(many):
        answer(booking, satisfaction=1 + n % 5, before=2, after=4, useful=f"Comment {n}", better="More time")
    (other,) = came(make_session(title="Online Harms"), "eve@coventry.gov.uk")
    answer(other, satisfaction=2)

    assert queries() == for_one


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_csv_has_a_row_per_response_with_names_for_organisers(client, coordinator, session, answered):
    response = client.get(reverse("backoffice:session_feedback_csv", kwargs={"session_id": session.pk}))

    rows = read_csv(response)
    assert response["Content-Disposition"].endswith('-feedback.csv"')
    assert rows[0][:7] == ["Session", "Session date", "Reference", "First name", "Last name", "Email", "Organisation"]
    assert rows[0][9:] == [q.text for q in services.questions_of(services.survey_for(session.programme))]
    assert [row[5] for row in rows[1:]] == ["alex@coventry.gov.uk", "bea@coventry.gov.uk", "cai@coventry.gov.uk"]
    assert rows[1][9:] == ["5", "2", "5", "The case studies", '\'=HYPERLINK("http://x")']  # a formula made text


def test_a_viewers_csv_has_the_answers_without_names(client, viewer, session, answered):
    response = client.get(reverse("backoffice:session_feedback_csv", kwargs={"session_id": session.pk}))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:4] == ["Session", "Session date", "Given on", "Last changed"]
    assert len(rows) == 4
    for person in answered:
        assert person.email not in content and person.reference not in content and person.first_name not in content
    assert '\'=HYPERLINK("http://x")' in [cell for row in rows for cell in row]


def test_programme_csv_has_every_sessions_responses(client, coordinator, programme, session, answered, make_session):
    (eve,) = came(make_session(title="Online Harms"), "eve@coventry.gov.uk")
    answer(eve, satisfaction=2)

    rows = read_csv(client.get(reverse("backoffice:programme_feedback_csv", kwargs={"programme_id": programme.pk})))

    assert sorted(row[5] for row in rows[1:]) == sorted([p.email for p in answered[:3]] + [eve.email])


# --- The survey's questions -------------------------------------------------------------------------


def questions_url(programme) -> str:
    return reverse("backoffice:feedback_questions", kwargs={"programme_id": programme.pk})


def test_the_questions_page_lists_the_survey(client, coordinator, programme):
    page = text_of(client.get(questions_url(programme)))

    assert "Question 1 Reword question 1 Overall, how satisfied were you with this session?" in page
    assert "Remove both confidence questions" in page
    assert "Days the survey stays open after each session" in page


def test_an_organiser_rewords_a_question(client, coordinator, programme):
    question = services.questions_of(services.survey_for(programme))[3]

    response = client.post(
        questions_url(programme), {"action": "reword", "question": question.pk, "text": "What helped you most?"}
    )

    question.refresh_from_db()
    assert response.status_code == 302
    assert question.text == "What helped you most?"


def test_an_empty_wording_is_refused_with_an_error_summary(client, coordinator, programme):
    question = services.questions_of(services.survey_for(programme))[3]

    response = client.post(questions_url(programme), {"action": "reword", "question": question.pk, "text": " "})

    assert "There is a problem Enter the question" in text_of(response)
    assert Question.objects.get(pk=question.pk).text == "What was most useful?"


def test_an_organiser_adds_moves_and_removes_questions(client, coordinator, programme):
    client.post(
        questions_url(programme), {"action": "add", "new-text": "Would you recommend it?", "new-answer": "agreement"}
    )
    added = Question.objects.get(text="Would you recommend it?")
    client.post(questions_url(programme), {"action": "up", "question": added.pk})
    better = Question.objects.get(text="What could be better?")
    client.post(questions_url(programme), {"action": "remove", "question": better.pk})

    assert [q.text for q in services.questions_of(services.survey_for(programme))][-2:] == [
        "What was most useful?",
        "Would you recommend it?",
    ]
    assert added.scale == "agreement"


def test_adding_without_a_kind_of_answer_is_refused(client, coordinator, programme):
    response = client.post(questions_url(programme), {"action": "add", "new-text": "Anything else?"})

    assert "There is a problem Select how people answer" in text_of(response)
    assert not Question.objects.filter(text="Anything else?").exists()


def test_removing_the_satisfaction_question_is_refused(client, coordinator, programme):
    satisfaction = services.survey_for(programme).questions.get(role=Role.SATISFACTION)

    response = client.post(questions_url(programme), {"action": "remove", "question": satisfaction.pk}, follow=True)

    assert "The satisfaction question cannot be removed" in text_of(response)
    assert Question.objects.filter(pk=satisfaction.pk, removed_at=None).exists()


def test_a_removed_question_with_answers_still_shows_in_the_results(client, coordinator, session, answered):
    better = Question.objects.get(text="What could be better?")
    client.post(questions_url(session.programme), {"action": "remove", "question": better.pk})

    page = text_of(session_feedback(client, session))

    assert "What could be better? Removed from the survey =HYPERLINK" in page
    assert Answer.objects.filter(question=better).count() == 1


def test_an_organiser_sets_how_long_the_survey_stays_open(client, coordinator, programme):
    client.post(questions_url(programme), {"action": "open_days", "open_days": "21"})
    refused = client.post(questions_url(programme), {"action": "open_days", "open_days": "200"})

    assert services.survey_for(programme).open_days == 21
    assert "Keep the survey open for at most 90 days" in text_of(refused)
