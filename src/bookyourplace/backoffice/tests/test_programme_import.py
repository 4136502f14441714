"""An organiser imports a flyer: pastes or uploads it, checks and corrects the sessions found,
creates the draft programme; the original is kept and can be downloaded."""

import datetime as dt
import io
import random
import re
import zipfile
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as
from bookyourplace.core.testing import ROOT, text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.flyers.testing import pdf_file, word_file
from bookyourplace.programmes.models import Organiser, Programme, ProgrammeSource, Session

IMPORT_URL = "/backoffice/programmes/import/"
PREVIEW_URL = "/backoffice/programmes/import/preview/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Another council's flyer, as an organiser would paste it from an email: three sessions, the
# last with no end time.
FLYER = """Warwickshire Prevent Partnership
Safeguarding Week 2027

Monday 1st March 2027
Understanding Prevent
10:00 – 12:00
Online via Microsoft Teams
An introduction to the Prevent duty for all staff.

Tuesday 2nd March 2027
Online Harms Workshop
9.30am to 11am
In person: Shire Hall, Room 2, Market Square, Warwick CV34 4RL

Wednesday 3rd March 2027
County Lines Briefing
Time: 1pm
Online via Zoom
"""

# The sessions as the flyer gives them: (date, start, end, title).
SESSIONS = [
    ("2027-03-01", "10:00", "12:00", "Understanding Prevent"),
    ("2027-03-02", "09:30", "11:00", "Online Harms Workshop"),
    ("2027-03-03", "13:00", "", "County Lines Briefing"),
]


# --- Reading the pages as a browser does ----------------------------------------------------------


class _FormFields(HTMLParser):
    """What a browser would post from the page's form whose action is ``action``: every input,
    text area and selected option, checkboxes and radios only when checked."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""
        elif tag == "select":
            self._select, self._first_option = attrs["name"], None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
                self.fields.setdefault(self._select, self._first_option)
            if "selected" in attrs:
                self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def preview_form(response, **changes) -> dict:
    """The preview's fields as the browser would post them, with ``changes`` typed in."""
    parser = _FormFields(PREVIEW_URL)
    parser.feed(response.content.decode())
    fields = {name: value.removeprefix("\n") for name, value in parser.fields.items()}
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    return fields


def row(number: int, field: str) -> str:
    """The name of a field of the preview's row (session 1 is row 0)."""
    return f"sessions-{number - 1}-{field}"


def errors_of(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not summary:
        return []
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", summary[1], re.S)
    ]


def error_links(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return re.findall(r'href="#([^"]+)"', summary[1]) if summary else []


def paste(client, text=FLYER, **fields):
    return client.post(IMPORT_URL, {"text": text, "title": "", "capacity": "50", **fields})


def upload(client, name, content, content_type, **fields):
    return client.post(
        IMPORT_URL,
        {
            "flyer": SimpleUploadedFile(name, content, content_type=content_type),
            "title": "",
            "capacity": "50",
            **fields,
        },
    )


def create(client, preview, **changes):
    return client.post(PREVIEW_URL, preview_form(preview, action="create", **changes), follow=True)


def check(client, preview, **changes):
    return client.post(PREVIEW_URL, preview_form(preview, action="check", **changes))


def counts() -> tuple[int, int, int, int]:
    return (
        Programme.objects.count(),
        Session.objects.count(),
        ProgrammeSource.objects.count(),
        AuditEvent.objects.count(),
    )


def flyer_docx() -> bytes:
    """The flyer as a council writes it in Word (python-docx): a heading, then a table."""
    return word_file(
        ("heading", "Warwickshire Safeguarding Week 2027"),
        [
            ["Date", "Time", "Session", "Where"],
            ["Monday 1 March 2027", "10:00 - 12:00", "Understanding Prevent", "Online, Microsoft Teams"],
            ["Tuesday 2 March 2027", "9.30am - 11am", "Online Harms Workshop", "Shire Hall, Room 2"],
        ],
    )


FLYER_HTML = """<!doctype html><html lang="en"><head><title>Prevent Week</title></head><body>
<h1>Solihull Prevent Week 2027</h1>
<h2>Monday 1<sup>st</sup> March 2027</h2>
<ul>
  <li><strong>Understanding Prevent</strong><br>Time: 10:00&nbsp;–&nbsp;12:00<br>Where: Online via Microsoft Teams</li>
  <li><strong>Online Harms Workshop</strong><br>Time: 1pm – 3pm<br>Where: Online via Microsoft Teams</li>
</ul>
</body></html>"""


# --- Step 1: paste or upload ----------------------------------------------------------------------


def test_the_dashboard_offers_to_import_a_flyer_beside_creating_a_programme(client, admin):
    html = client.get(reverse("backoffice:dashboard")).content.decode()

    assert re.search(
        r'href="/backoffice/programmes/new/">Create a programme</a>\s*<a[^>]*href="'
        + IMPORT_URL
        + '">Import a flyer</a>',
        html,
    )


def test_a_viewer_is_not_offered_the_importer_and_is_refused_it(client, viewer):
    assert "Import a flyer" not in text_of(client.get(reverse("backoffice:dashboard")))
    before = counts()

    assert client.get(IMPORT_URL).status_code == 403
    assert paste(client).status_code == 403
    assert client.post(PREVIEW_URL, {"action": "create"}).status_code == 403
    assert counts() == before


def test_nothing_chosen_nothing_pasted_is_an_error(client, admin):
    response = client.post(IMPORT_URL, {"text": "  ", "title": "", "capacity": "50"})

    assert errors_of(response) == ["Paste the flyer's text or choose its file"]
    assert error_links(response) == ["id_text"]


def test_pasting_and_uploading_at_once_is_an_error_that_keeps_the_text(client, admin):
    response = client.post(
        IMPORT_URL,
        {
            "text": FLYER,
            "flyer": SimpleUploadedFile("flyer.txt", FLYER.encode(), content_type="text/plain"),
            "capacity": "50",
        },
    )

    assert errors_of(response) == ["Paste the text or choose a file, not both"]
    assert "Understanding Prevent" in response.content.decode()


def test_a_damaged_word_file_is_an_error_and_nothing_is_saved(client, admin):
    before = counts()

    response = upload(client, "flyer.docx", b"PK\x03\x04 not really a Word file", DOCX)

    assert response.status_code == 200
    assert errors_of(response) == [
        "This Word file could not be opened: it may be damaged. Open it in Word and save it again as a "
        ".docx file, or paste the text instead."
    ]
    assert error_links(response) == ["id_flyer"]
    assert counts() == before


def test_a_picture_is_refused_saying_what_to_send_instead(client, admin):
    response = upload(client, "flyer.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")

    assert errors_of(response) == [
        "This file is not one that can be read: upload a Word (.docx), PDF or web page (.html) file, or paste the text."
    ]


def test_a_file_over_the_limit_is_refused_with_the_limit(client, admin, settings):
    settings.BYP_FLYER_MAX_BYTES = 1024 * 1024

    response = upload(client, "flyer.pdf", b"%PDF-1.7" + bytes(1024 * 1024 + 1), "application/pdf")

    assert errors_of(response) == ["The selected file must be smaller than 1 MB"]
    assert error_links(response) == ["id_flyer"]


def test_a_flyer_with_no_sessions_is_an_error(client, admin):
    response = paste(client, "Warwickshire Prevent Partnership\nThank you for coming.\n")

    assert errors_of(response) == [
        "No sessions were found in the text. Check that it gives each session's date, time and title"
    ]


# --- Step 2: the preview ---------------------------------------------------------------------------


def test_the_preview_shows_the_sessions_found_and_what_to_check_and_saves_nothing(client, admin):
    before = counts()

    response = paste(client)

    assert response.status_code == 200
    text = text_of(response)
    assert "Check the sessions found" in text and "Nothing has been saved yet." in text
    fields = preview_form(response)
    found = [
        (fields[row(n, "date")], fields[row(n, "start")], fields[row(n, "end")], fields[row(n, "title")])
        for n in (1, 2, 3)
    ]
    assert found == SESSIONS
    assert row(4, "title") not in fields
    assert fields["title"] == "Warwickshire Prevent Partnership"
    assert [fields[row(n, "capacity")] for n in (1, 2, 3)] == ["50", "50", "50"]
    assert "County Lines Briefing: No end time" in text
    assert "1 session has something to check: Session 3: County Lines Briefing" in text
    assert counts() == before


def test_correcting_a_time_and_creating_makes_the_draft_with_the_corrected_time(client, admin):
    preview = paste(client)

    response = create(client, preview, **{row(3, "end"): "14:30", row(2, "start"): "09:45"})

    programme = Programme.objects.get()
    assert response.redirect_chain[-1][0] == reverse("backoffice:programme", args=[programme.pk])
    assert programme.status == Programme.Status.DRAFT
    assert (
        "Draft programme created with 3 sessions. Check the sessions, add joining links for the online ones, "
        "then publish." in text_of(response)
    )
    times = [
        (
            s.starts_at.astimezone(programme.tz).strftime("%d %H:%M"),
            s.ends_at.astimezone(programme.tz).strftime("%H:%M"),
        )
        for s in programme.sessions.order_by("starts_at")
    ]
    assert times == [("01 10:00", "12:00"), ("02 09:45", "11:00"), ("03 13:00", "14:30")]


def test_the_demo_flyer_imports_with_all_its_sessions(client, admin):
    flyer = (ROOT / "demo" / "coventry-prevent-week.txt").read_text(encoding="utf-8")
    preview = paste(client, flyer)
    assert errors_of(preview) == []

    response = create(client, preview)

    assert errors_of(response) == []
    programme = Programme.objects.get()
    assert programme.sessions.count() == 6
    assert programme.title == "Coventry Prevent Week"


def test_check_again_shows_the_warnings_of_the_corrected_rows_and_saves_nothing(client, admin):
    preview = paste(client)
    before = counts()

    response = check(client, preview, **{row(3, "end"): "14:30", row(1, "start"): "06:00"})

    text = text_of(response)
    assert "County Lines Briefing: No end time" not in text
    assert "Understanding Prevent:" in text and "07:00" in text
    assert preview_form(response)[row(3, "end")] == "14:30"
    assert counts() == before


def test_check_again_says_so_when_nothing_is_left_to_check(client, admin):
    response = check(client, paste(client), **{row(3, "end"): "14:30"})

    assert errors_of(response) == []
    assert "Checked: every session can be created as it is." in text_of(response)
    assert "has something to check" not in text_of(response)


def test_a_session_left_out_is_not_created(client, admin):
    preview = paste(client)

    create(client, preview, **{row(3, "leave_out"): "yes"})

    assert list(Session.objects.order_by("starts_at").values_list("title", flat=True)) == [
        "Understanding Prevent",
        "Online Harms Workshop",
    ]


def test_leaving_every_session_out_is_an_error(client, admin):
    preview = paste(client)

    response = create(client, preview, **{row(n, "leave_out"): "yes" for n in (1, 2, 3)})

    assert errors_of(response) == ["Keep at least one session: every session is left out"]
    assert not Programme.objects.exists()


def test_an_invalid_correction_is_shown_on_its_field_and_every_other_correction_is_kept(client, admin):
    preview = paste(client)
    before = counts()

    response = create(
        client,
        preview,
        title="Warwickshire Safeguarding Week",
        **{
            row(1, "end"): "09:00",
            row(2, "date"): "",
            row(2, "title"): "Online Harms: a workshop",
            row(3, "end"): "14:30",
            row(3, "capacity"): "12",
        },
    )

    assert errors_of(response) == [
        "Session 1 (Understanding Prevent): The end time must be after the start time",
        "Session 2 (Online Harms: a workshop): Enter the date",
    ]
    assert error_links(response) == ["id_sessions-0-end", "id_sessions-1-date"]
    fields = preview_form(response)
    assert fields["title"] == "Warwickshire Safeguarding Week"
    assert (fields[row(2, "title")], fields[row(3, "end")], fields[row(3, "capacity")]) == (
        "Online Harms: a workshop",
        "14:30",
        "12",
    )
    assert counts() == before


def test_an_in_person_session_needs_a_venue_or_room(client, admin):
    preview = paste(client)

    response = create(client, preview, **{row(2, "venue"): "", row(2, "room"): "", row(3, "end"): "14:00"})

    assert errors_of(response) == [
        "Session 2 (Online Harms Workshop): Enter the venue or room for an in-person session"
    ]
    assert error_links(response) == ["id_sessions-1-venue"]
    assert not Programme.objects.exists()


def test_a_time_that_is_not_a_time_is_named_by_its_row(client, admin):
    preview = paste(client)

    response = check(client, preview, **{row(3, "end"): "half two"})

    assert errors_of(response) == ["Session 3 (County Lines Briefing): Enter an end time like 15:00"]


def test_lines_that_were_not_read_are_listed_with_their_text(client, admin):
    flyer = (
        "Warwickshire Prevent Partnership\n\nMonday 1st March 2027\n"
        "Some text that looks like content but attaches to no session\n\n"
        "10:00 – 12:00  Understanding Prevent\nOnline via Microsoft Teams\n\n"
        "Tuesday 2nd March 2027\nOnline Harms Workshop\nTime: 25:99\nOnline via Zoom\n"
    )

    text = text_of(paste(client, flyer))

    assert (
        "Lines that were not read If any of them is part of a session, correct that session in the table below. "
        "Line 4: “Some text that looks like content but attaches to no session” was not read: "
        "This line does not belong to any session." in text
    )
    assert "Line 11: The time “25:99” could not be read: write it like 10:00 – 12:00 or 10am – 12pm." in text


NO_YEAR = FLYER.replace(" 2027\n", "\n").replace("Monday 1st", "1st").replace("Tuesday 2nd", "2nd")
NO_YEAR = NO_YEAR.replace("Wednesday 3rd", "3rd")


def test_a_flyer_without_years_asks_which_year_and_the_answer_dates_the_sessions(client, admin):
    preview = paste(client, NO_YEAR)
    years = re.findall(r'name="year" type="radio" value="(\d{4})"', preview.content.decode())
    assert "Which year are the sessions in?" in text_of(preview) and len(years) >= 2

    unanswered = create(client, preview, **{row(3, "end"): "14:30"})
    assert errors_of(unanswered) == ["Select the year the sessions are in"]
    assert error_links(unanswered) == ["id_year_0"]

    guessed = preview_form(preview)[row(1, "date")][:4]
    answer = next(year for year in years if year != guessed)
    answered = check(client, unanswered, year=answer)
    assert preview_form(answered)[row(2, "date")] == f"{answer}-03-02"
    create(client, answered)

    assert [
        s.starts_at.astimezone(s.programme.tz).date().isoformat() for s in Session.objects.order_by("starts_at")
    ] == [
        f"{answer}-03-01",
        f"{answer}-03-02",
        f"{answer}-03-03",
    ]


# --- The payload between the steps -----------------------------------------------------------------


def test_a_changed_payload_is_refused_with_a_message_to_start_again(client, admin):
    preview = paste(client)
    fields = preview_form(preview, action="create")
    fields["carried"] = fields["carried"][:-3] + ("AAA" if not fields["carried"].endswith("AAA") else "BBB")

    response = client.post(PREVIEW_URL, fields, follow=True)

    assert response.redirect_chain[-1][0] == IMPORT_URL
    assert "The preview was changed or is not complete. Paste or upload the flyer again." in text_of(response)
    assert not Programme.objects.exists()


def test_a_preview_left_too_long_has_expired(client, admin):
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        preview = paste(client)
    with time_machine.travel(dt.datetime(2026, 12, 3, 13, 1, tzinfo=dt.UTC), tick=False):
        response = create(client, preview, **{row(3, "end"): "14:30"})

    assert "The preview has expired. Paste or upload the flyer again." in text_of(response)
    assert not Programme.objects.exists()


def test_rows_added_to_the_page_are_refused(client, admin):
    preview = paste(client)
    fields = preview_form(preview, action="create", **{"sessions-TOTAL_FORMS": "4"})
    fields.update({row(4, "title"): "Smuggled", row(4, "date"): "2027-03-04"})

    response = client.post(PREVIEW_URL, fields, follow=True)

    assert "The preview was changed or is not complete." in text_of(response)
    assert not Programme.objects.exists()


def test_someone_elses_preview_is_refused(client, admin, organiser):
    preview = paste(client)
    colleague = make_person(organiser, Role.ADMINISTRATOR, email="colleague@coventry.gov.uk").user
    other = Client()
    sign_in_as(other, colleague)

    response = other.post(PREVIEW_URL, preview_form(preview, action="create"), follow=True)

    assert "The preview was changed or is not complete." in text_of(response)
    assert not Programme.objects.exists()


def test_both_steps_refuse_a_post_without_the_pages_csrf_token(client, admin):
    preview = paste(client)
    forged = Client(enforce_csrf_checks=True)
    sign_in_as(forged, admin.user)

    assert forged.post(IMPORT_URL, {"text": FLYER, "capacity": "50"}).status_code == 403
    fields = preview_form(preview, action="create", **{row(3, "end"): "14:30", "csrfmiddlewaretoken": None})
    assert (
        forged.post(PREVIEW_URL, urlencode(fields), content_type="application/x-www-form-urlencoded").status_code == 403
    )
    assert not Programme.objects.exists()


def test_a_large_flyer_travels_through_the_preview_as_a_browser_posts_it(client, admin):
    """A flyer bigger than Django's own limit for a form's fields (2.5 MB), posted url-encoded."""
    big = io.BytesIO()
    with zipfile.ZipFile(big, "a", zipfile.ZIP_STORED) as archive:
        for name in zipfile.ZipFile(io.BytesIO(flyer_docx())).namelist():
            archive.writestr(name, zipfile.ZipFile(io.BytesIO(flyer_docx())).read(name))
        archive.writestr("word/media/photo.bin", random_bytes(3 * 1024 * 1024))
    content = big.getvalue()
    preview = upload(client, "flyer.docx", content, DOCX)
    assert errors_of(preview) == []
    fields = preview_form(preview, action="create")
    assert len(fields["carried"]) > 4 * 1024 * 1024

    response = client.post(
        PREVIEW_URL,
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        follow=True,
    )

    assert errors_of(response) == []
    assert bytes(ProgrammeSource.objects.get().content) == content


def random_bytes(size: int) -> bytes:
    # Does not compress, like a photo.
    return random.Random(16).randbytes(size)


# --- Files: Word and web pages ----------------------------------------------------------------------


def test_a_word_flyer_is_read_and_kept_as_uploaded(client, admin):
    content = flyer_docx()
    preview = upload(client, "warwickshire-flyer.docx", content, "application/octet-stream")
    fields = preview_form(preview)
    assert [(fields[row(n, "date")], fields[row(n, "start")], fields[row(n, "title")]) for n in (1, 2)] == [
        ("2027-03-01", "10:00", "Understanding Prevent"),
        ("2027-03-02", "09:30", "Online Harms Workshop"),
    ]
    assert "warwickshire-flyer.docx" in text_of(preview)

    create(client, preview)

    source = ProgrammeSource.objects.get()
    assert bytes(source.content) == content
    assert (source.file_name, source.content_type) == ("warwickshire-flyer.docx", DOCX)


def test_a_web_page_flyer_is_read(client, admin):
    preview = upload(client, "prevent-week.html", FLYER_HTML.encode(), "text/html")

    fields = preview_form(preview)
    assert [(fields[row(n, "start")], fields[row(n, "end")], fields[row(n, "title")]) for n in (1, 2)] == [
        ("10:00", "12:00", "Understanding Prevent"),
        ("13:00", "15:00", "Online Harms Workshop"),
    ]
    assert fields["title"] == "Solihull Prevent Week 2027"

    create(client, preview, title="Solihull Prevent Week")

    assert Programme.objects.get().title == "Solihull Prevent Week"
    assert ProgrammeSource.objects.get().content_type == "text/html"


def test_a_pdf_flyer_is_read_and_kept_as_a_pdf(client, admin):
    content = pdf_file(f"<html><body><pre>{FLYER}</pre></body></html>")
    preview = upload(client, "flyer.pdf", content, "application/pdf")

    fields = preview_form(preview)
    assert [fields[row(n, "title")] for n in (1, 2, 3)] == [title for *_, title in SESSIONS]

    create(client, preview, **{row(3, "end"): "14:30"})

    source = ProgrammeSource.objects.get()
    assert (bytes(source.content), source.content_type) == (content, "application/pdf")


# --- Who may import, and for which organiser --------------------------------------------------------


def test_an_organiser_imports_for_their_own_organiser_and_joins_the_programmes_team(client, organiser, programme):
    member = make_person(organiser, Role.ORGANISER, email="ola@coventry.gov.uk")
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    sign_in_as(client, member.user)

    page = client.get(IMPORT_URL)
    assert 'name="organiser"' not in page.content.decode()
    preview = paste(client, organiser=str(elsewhere.pk))
    response = create(client, preview, **{row(3, "end"): "14:30"})

    imported = Programme.objects.exclude(pk=programme.pk).get()
    assert imported.organiser == organiser
    assert member.programmes.filter(pk=imported.pk).exists()
    assert response.status_code == 200


def test_someone_acting_for_several_organisers_chooses_one(client, organiser, django_user_model):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    superuser = django_user_model.objects.create_superuser("root@example.org", "root@example.org", "x")
    sign_in_as(client, superuser)

    assert 'name="organiser"' in client.get(IMPORT_URL).content.decode()
    preview = paste(client, organiser=str(elsewhere.pk))
    assert "Warwickshire" in text_of(preview)
    create(client, preview, **{row(3, "end"): "14:30"})

    assert Programme.objects.get().organiser == elsewhere


# --- The original, kept with the programme ----------------------------------------------------------


@pytest.fixture
def imported(client, admin):
    preview = paste(client)
    create(client, preview, **{row(3, "end"): "14:30"})
    return Programme.objects.get(source__isnull=False)


def test_the_programme_page_says_where_it_came_from_and_offers_the_original(client, admin, imported):
    ProgrammeSource.objects.filter(programme=imported).update(
        imported_at=dt.datetime(2026, 7, 3, 23, 30, tzinfo=dt.UTC)
    )

    text = text_of(client.get(reverse("backoffice:programme", args=[imported.pk])))

    # 23:30 UTC on 3 July is past midnight in London: the 4th there.
    assert "Imported from pasted text on 4 July 2026 by Hana Ali. Download the pasted text" in text


def test_an_uploaded_flyer_is_named_and_outlives_the_account_that_imported_it(client, admin, organiser):
    importer = make_person(organiser, Role.ORGANISER, email="ola@coventry.gov.uk")
    other = Client()
    sign_in_as(other, importer.user)
    create(other, upload(other, "warwickshire-flyer.docx", flyer_docx(), DOCX))
    programme = Programme.objects.get()
    page = reverse("backoffice:programme", args=[programme.pk])
    assert "Imported from warwickshire-flyer.docx on" in text_of(client.get(page))
    assert "by Priya Shah. Download the original flyer (warwickshire-flyer.docx)" in text_of(client.get(page))

    importer.user.delete()

    text = text_of(client.get(page))
    assert re.search(r"Imported from warwickshire-flyer\.docx on \d+ \w+ \d{4}\. Download the original flyer", text)


def test_the_original_downloads_as_it_was_given(client, admin, imported):
    response = client.get(reverse("backoffice:programme_source", args=[imported.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pasted-text.txt"'
    assert response.content == FLYER.encode()


def test_the_original_is_for_people_who_may_see_the_programme(client, admin, organiser, imported):
    url = reverse("backoffice:programme_source", args=[imported.pk])
    viewer = make_person(organiser, Role.VIEWER, email="vic@coventry.gov.uk").user
    not_on_the_team = make_person(organiser, Role.ORGANISER, email="b@coventry.gov.uk").user
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    their_admin = make_person(elsewhere, Role.ADMINISTRATOR, email="wendy@warwickshire.gov.uk").user
    statuses = {}
    for name, user in (("viewer", viewer), ("not on the team", not_on_the_team), ("elsewhere", their_admin)):
        other = Client()
        sign_in_as(other, user)
        statuses[name] = other.get(url).status_code

    assert statuses == {"viewer": 200, "not on the team": 404, "elsewhere": 404}
    assert Client().get(url).status_code == 302  # to sign in


def test_a_programme_made_by_hand_has_no_original(client, admin, programme):
    assert client.get(reverse("backoffice:programme_source", args=[programme.pk])).status_code == 404
    assert "Imported from" not in text_of(client.get(reverse("backoffice:programme", args=[programme.pk])))
