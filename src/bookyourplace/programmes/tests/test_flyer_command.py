"""manage.py import_programme with the flyers councils send: Word, web pages, PDFs, text."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import CommandError, call_command

from bookyourplace.programmes.errors import FlyerIncomplete
from bookyourplace.programmes.flyers.reading import read_flyer
from bookyourplace.programmes.flyers.testing import pdf_file, word_file
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.models import Organiser, Programme, Session

LONDON = zoneinfo.ZoneInfo("Europe/London")

WORD_FLYER = (
    ("heading", "Coventry Safeguarding Training"),
    "Spring 2026",
    [
        ["Day", "Session", "Time", "Where"],
        ["Monday 19th January", [("bold", "Prevent awareness"), "What Prevent is."], "10:00 – 12:00", "MS Teams"],
        ["", "Radicalisation and the internet", "1pm - 3pm", "Friargate, Room 1.4, Coventry CV1 2GN"],
    ],
)
HTML_FLYER = """<html><body><h1>Warwickshire Prevent Week</h1>
<h2>Monday 2<sup>nd</sup> March 2026</h2>
<ul><li><strong>Prevent awareness</strong><br>Time: 10:00&nbsp;–&nbsp;11:30<br>Where: Online via Zoom</li>
<li><strong>Hate crime</strong><br>Time: 1pm – 2pm<br>Where: Shire Hall, Committee Room 2, Warwick CV34 4RL</li></ul>
<p>Some text that looks like content but attaches to no session</p>
</body></html>"""
AMBIGUOUS_YEAR = "Nuneaton training\n\n19 January\nPrevent awareness\nTime: 10am – 12pm\nOnline\n"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_programme", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_programme_command_imports_a_word_file(tmp_path):
    # Arrange
    path = tmp_path / "programme.docx"
    path.write_bytes(word_file(*WORD_FLYER))

    # Act
    out, err = run(str(path), "--capacity", "20")

    # Assert
    assert out.splitlines()[:2] == [
        "Mon 19 Jan 2026 10:00–12:00  Prevent awareness  (online: Microsoft Teams)",
        "Mon 19 Jan 2026 13:00–15:00  Radicalisation and the internet  (in person: Room 1.4, Friargate)",
    ]
    assert out.splitlines()[2].startswith("Imported Coventry Safeguarding Training: 2 sessions, draft, at ")
    assert err == ""
    programme = Programme.objects.get()
    prevent, radicalisation = programme.sessions.all()
    assert (prevent.description, prevent.capacity, prevent.starts_at) == (
        "What Prevent is.",
        20,
        dt.datetime(2026, 1, 19, 10, tzinfo=LONDON),
    )
    assert (radicalisation.venue, radicalisation.room, radicalisation.address) == (
        "Friargate",
        "Room 1.4",
        "Coventry CV1 2GN",
    )


@pytest.mark.django_db
def test_import_programme_command_imports_a_web_page_and_prints_its_flags(tmp_path):
    # Arrange
    path = tmp_path / "week.html"
    path.write_text(HTML_FLYER, encoding="utf-8")

    # Act
    out, err = run(str(path), "--publish", "--title", "Prevent Week")

    # Assert
    assert out.splitlines() == [
        "Mon 2 Mar 2026 10:00–11:30  Prevent awareness  (online: Zoom)",
        "Mon 2 Mar 2026 13:00–14:00  Hate crime  (in person: Committee Room 2, Shire Hall)",
        "Imported Prevent Week: 2 sessions, published, at /programmes/prevent-week-2026/",
    ]
    assert err.splitlines() == ["line 9: This line does not belong to any session."]
    hate_crime = Session.objects.get(title="Hate crime")
    assert (hate_crime.delivery, hate_crime.address) == (Session.Delivery.IN_PERSON, "Warwick CV34 4RL")


@pytest.mark.django_db
def test_import_programme_command_imports_a_pdf(tmp_path):
    # Arrange
    path = tmp_path / "week.pdf"
    path.write_bytes(
        pdf_file("<h1>Leamington</h1><h2>Tuesday 20 January 2026</h2><h3>Online harms</h3><p>9.30am – 11am, Zoom</p>")
    )

    # Act
    out, _err = run(str(path))

    # Assert
    assert out.splitlines()[0] == "Tue 20 Jan 2026 09:30–11:00  Online harms  (online: Zoom)"


@pytest.mark.django_db
def test_import_programme_command_without_a_year_it_cannot_work_out_stops_at_its_line(tmp_path):
    # Arrange
    path = tmp_path / "nuneaton.txt"
    path.write_text(AMBIGUOUS_YEAR, encoding="utf-8")

    # Act / Assert
    with pytest.raises(CommandError) as raised:
        run(str(path), "--organiser-name", "Brand New Organiser")
    message = str(raised.value)
    assert message.startswith(f"{path}: line 3: 19 January has no year and no day of the week")
    assert message.endswith("Give the year with --year, for example --year " + message.rsplit(" ", 1)[1])
    assert "\n" not in message
    assert (Programme.objects.count(), Organiser.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_import_programme_command_with_year_imports_the_dates_in_that_year(tmp_path):
    # Arrange
    path = tmp_path / "nuneaton.txt"
    path.write_text(AMBIGUOUS_YEAR, encoding="utf-8")

    # Act
    out, err = run(str(path), "--year", "2027")

    # Assert
    assert out.splitlines()[0] == "Tue 19 Jan 2027 10:00–12:00  Prevent awareness  (online: Online)"
    assert err == ""


@pytest.mark.django_db
def test_import_programme_command_refuses_a_year_that_is_not_one(tmp_path):
    # Arrange
    path = tmp_path / "nuneaton.txt"
    path.write_text(AMBIGUOUS_YEAR, encoding="utf-8")

    # Act / Assert
    with pytest.raises(CommandError, match="is not a year such as 2026"):
        run(str(path), "--year", "26")


@pytest.mark.django_db
def test_import_programme_command_session_without_a_time_stops_at_its_line_and_saves_nothing(tmp_path):
    # Arrange
    path = tmp_path / "week.txt"
    path.write_text(
        "Week\nMonday 19 January 2026\n10am – 11am Talk\nZoom\n\nHate crime\nWhere: Online via Teams\n",
        encoding="utf-8",
    )

    # Act / Assert
    with pytest.raises(CommandError, match=r"week\.txt: line 6: No time was found for this session\.$"):
        run(str(path))
    assert Programme.objects.count() == 0


@pytest.mark.django_db
def test_import_programme_command_with_an_unreadable_file_says_what_to_send_instead(tmp_path):
    # Arrange
    path = tmp_path / "programme.docx"
    path.write_bytes(word_file(*WORD_FLYER)[:500])

    # Act / Assert
    with pytest.raises(CommandError, match=r"programme\.docx: This Word file could not be opened"):
        run(str(path))
    assert Programme.objects.count() == 0


# --- import_programme with a reading -------------------------------------------------------------


@pytest.mark.django_db
def test_import_programme_from_a_reading_saves_every_detail(organiser):
    # Arrange
    reading = read_flyer(word_file(*WORD_FLYER), file_name="programme.docx")

    # Act
    programme = import_programme(reading=reading, organiser=organiser, capacity=12)

    # Assert
    assert (programme.title, programme.status) == ("Coventry Safeguarding Training", Programme.Status.DRAFT)
    assert [
        (s.title, s.starts_at, s.ends_at, s.delivery, s.platform, s.venue, s.room, s.address, s.capacity)
        for s in programme.sessions.all()
    ] == [
        (
            "Prevent awareness",
            dt.datetime(2026, 1, 19, 10, tzinfo=LONDON),
            dt.datetime(2026, 1, 19, 12, tzinfo=LONDON),
            Session.Delivery.ONLINE,
            "Microsoft Teams",
            "",
            "",
            "",
            12,
        ),
        (
            "Radicalisation and the internet",
            dt.datetime(2026, 1, 19, 13, tzinfo=LONDON),
            dt.datetime(2026, 1, 19, 15, tzinfo=LONDON),
            Session.Delivery.IN_PERSON,
            "",
            "Friargate",
            "Room 1.4",
            "Coventry CV1 2GN",
            12,
        ),
    ]


@pytest.mark.django_db
def test_import_programme_with_an_empty_flyer_saves_nothing(organiser):
    # Act / Assert
    with pytest.raises(FlyerIncomplete, match="^No sessions were found"):
        import_programme(text="Just a title\n", organiser=organiser)
    assert Programme.objects.count() == 0


@pytest.mark.django_db
def test_import_programme_in_person_without_a_venue_names_the_line(organiser):
    # Arrange
    text = "Week\nMonday 19 January 2026\n10am – 11am Talk (In person)\n"

    # Act / Assert
    with pytest.raises(FlyerIncomplete, match=r"^line 3: Session 1 \(Talk\): Enter the venue or room"):
        import_programme(text=text, organiser=organiser)
    assert Programme.objects.count() == 0
