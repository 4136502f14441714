"""An organiser imports a Teams attendance report: uploads it, checks the preview, saves."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from bookyourplace.accounts.testing import staff
from bookyourplace.attendance.models import Attendance, Outcome
from bookyourplace.attendance.testing import Attendee, book_people, session_start, write_demo_report, write_report
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent


@pytest.fixture
def people(session):
    return book_people(session, [("Alex", "Smith"), ("Bea", "Jones"), ("Cai", "Evans"), ("Dee", "Evans")])


def upload_url(session):
    return reverse("backoffice:teams_import", args=[session.pk])


def upload(client, session, data: bytes | None, threshold="75", name="AttendanceReport.csv"):
    fields = {"threshold": threshold}
    if data is not None:
        fields["report"] = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(upload_url(session), fields)


def save_form(preview) -> dict:
    """The preview's hidden field, as the browser posts it back."""
    (carried,) = re.findall(r'<input type="hidden" name="carried" value="([^"]*)"', preview.content.decode())
    return {"carried": unescape(carried)}


def errors_of(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return (
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
            for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
        ]
        if summary
        else []
    )


def test_the_upload_page_says_how_to_get_the_report_and_prefills_the_programmes_threshold(client, coordinator, session):
    session.programme.attendance_threshold_percent = 80
    session.programme.save()

    response = client.get(upload_url(session))

    text = text_of(response)
    assert "Select Attendance." in text and "Select Download." in text
    assert re.search(r'<input type="number" name="threshold" value="80"', response.content.decode())
    assert "This page is for online sessions" not in text


def test_the_upload_page_of_an_in_person_session_says_it_is_for_online_sessions(client, coordinator, make_session):
    in_person = make_session(delivery="in_person", platform="", joining_url="", venue="Friargate", room="1.4")

    assert "This page is for online sessions held in Microsoft Teams." in text_of(client.get(upload_url(in_person)))


def test_the_preview_shows_who_attended_who_was_below_the_threshold_who_was_not_matched_and_who_was_missing(
    client, coordinator, session, people
):
    response = upload(client, session, write_demo_report(session))

    text = text_of(response)
    assert "Check the attendance before saving" in text
    assert (
        "Attended: 2 people Attended Name Email In the report as Minutes Now Cai Evans cai.evans@example.org Cai Evans 120"
        in text
    )
    assert "Below the threshold: 1 person" in text and "Alex Smith" in text
    assert "In the report but not matched to a booking: 1 person" in text and "Guest (EXT)" in text
    assert "Booked but not in the report: 1 person" in text and "Bea Jones" in text
    assert "Organisers and presenters: 1 person" in text and "Prevent Coordinator" in text
    assert not Attendance.objects.exists()


def test_saving_marks_attendance_and_says_what_was_saved(client, coordinator, session, people):
    preview = upload(client, session, write_demo_report(session))

    response = client.post(reverse("backoffice:teams_import_save", args=[session.pk]), save_form(preview), follow=True)

    assert response.redirect_chain[-1][0] == reverse("backoffice:attendance", args=[session.pk])
    assert (
        "Attendance saved from the Teams report: 2 attended, 1 below the threshold, 1 booked but not in the report "
        "(left unmarked), 1 person in the report not matched." in text_of(response)
    )
    outcomes = dict(Attendance.objects.values_list("booking__first_name", "outcome"))
    assert outcomes == {"Cai": Outcome.ATTENDED, "Dee": Outcome.ATTENDED, "Alex": Outcome.PARTLY_ATTENDED}
    assert AuditEvent.objects.filter(action="attendance.teams_import", actor=coordinator).count() == 1


def test_saving_the_same_preview_twice_changes_nothing_more(client, coordinator, session, people):
    form = save_form(upload(client, session, write_demo_report(session)))
    save_url = reverse("backoffice:teams_import_save", args=[session.pk])
    client.post(save_url, form)
    events = AuditEvent.objects.count()

    response = client.post(save_url, form, follow=True)

    assert "Nothing changed: the report's attendance was already saved." in text_of(response)
    assert AuditEvent.objects.count() == events


def test_a_changed_preview_is_refused_and_nothing_is_saved(client, coordinator, session, people):
    form = save_form(upload(client, session, write_demo_report(session)))

    response = client.post(
        reverse("backoffice:teams_import_save", args=[session.pk]), {"carried": form["carried"] + "x"}, follow=True
    )

    assert "The preview has expired or was changed. Upload the report again." in text_of(response)
    assert not Attendance.objects.exists()


def test_a_preview_cannot_be_saved_on_another_session(client, coordinator, session, make_session, people):
    other = make_session(title="The COM Network")
    form = save_form(upload(client, session, write_demo_report(session)))

    client.post(reverse("backoffice:teams_import_save", args=[other.pk]), form)

    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("data", "threshold", "problem"),
    [
        (None, "75", "Choose the attendance report file"),
        (b"", "75", "The file is empty."),
        (
            b"Name,Organisation\r\nAlex,Council\r\n",
            "75",
            "This file is not a Teams attendance report: it has no Participants section.",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "75", "This file is not text."),
        ("report", "0", "Enter a threshold between 1 and 100 percent."),
        ("report", "101", "Enter a threshold between 1 and 100 percent."),
    ],
)
def test_a_wrong_upload_is_refused_in_the_error_summary(client, coordinator, session, data, threshold, problem):
    if data == "report":
        data = write_report([Attendee("Alex Smith")], starts_at=session_start(session))

    response = upload(client, session, data, threshold=threshold)

    assert errors_of(response) == [problem]
    assert text_of(response).startswith("Error: Import the Teams attendance report")


def test_a_report_for_another_day_is_refused_saying_both_dates(client, coordinator, session):
    day = session_start(session)
    data = write_report([Attendee("Alex Smith")], starts_at=day + timedelta(days=1))

    response = upload(client, session, data)

    assert errors_of(response) == [
        f"This report is for a meeting on {day + timedelta(days=1):%-d %B %Y}; this session is on {day:%-d %B %Y}."
    ]


def test_a_file_over_the_limit_is_refused_without_being_read_whole(client, coordinator, session, settings):
    settings.BYP_TEAMS_REPORT_MAX_BYTES = 1024

    response = upload(client, session, b"x" * 50_000, threshold="60")

    assert errors_of(response) == ["The file is larger than 1 KB."]
    # The threshold came before the file, so the organiser's choice is kept.
    assert re.search(r'name="threshold" value="60"', response.content.decode())


def test_a_large_report_is_read_in_memory_and_never_written_to_disk(client, coordinator, session, monkeypatch):
    # Django writes uploads over 2.5 MB to a temporary file; this one must not be.
    def refuse(*args, **kwargs):
        raise AssertionError("the report was written to a temporary file")

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", refuse)
    guests = [Attendee(f"Guest number {n} with a long name", f"guest{n}@example.org") for n in range(6500)]
    data = write_report(guests, starts_at=session_start(session))
    assert len(data) > 3 * 1024 * 1024

    response = upload(client, session, data)

    assert "In the report but not matched to a booking: 6500 people" in text_of(response)


def test_the_upload_still_needs_the_csrf_token(coordinator, session):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(coordinator)

    response = upload(guarded, session, write_demo_report(session))

    assert response.status_code == 403


def test_a_viewer_cannot_import_a_report(client, viewer, session, people):
    assert client.get(upload_url(session)).status_code == 403
    assert upload(client, session, write_demo_report(session)).status_code == 403
    assert not Attendance.objects.exists()


def test_an_organiser_of_another_programme_does_not_find_the_page(client, organiser, session, programme):
    other_programme = type(programme).objects.create(organiser=organiser, title="Autumn", slug="autumn")
    client.force_login(staff(organiser, "organiser", other_programme, email="ola@coventry.gov.uk"))

    assert client.get(upload_url(session)).status_code == 404
