import datetime as dt
import io
import zoneinfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from bookyourplace.programmes.errors import FlyerIncomplete, ProgrammeError
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.models import Organiser, Programme, Session
from bookyourplace.programmes.seed import parse_flyer

FLYER_PATH = settings.BASE_DIR / "demo" / "coventry-prevent-week.txt"
FLYER = FLYER_PATH.read_text(encoding="utf-8")
JANUARY_2026 = dt.date(2026, 1, 1)
LONDON = zoneinfo.ZoneInfo("Europe/London")
# The `organiser` fixture comes from src/conftest.py.
BAD_FLYER = "# Bad\n<b>Monday 19th January</b>\t<b>Talk</b>\n<b>Time:</b> soon <b>Delivery:</b> Teams\n"


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


# --- import_programme ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_programme_creates_a_draft_with_a_slug_from_title_and_year(organiser):
    # Act
    programme = import_programme(text=FLYER, organiser=organiser, today=JANUARY_2026)

    # Assert
    assert (programme.title, programme.slug, programme.status) == (
        "Coventry Prevent Week",
        "coventry-prevent-week-2026",
        Programme.Status.DRAFT,
    )
    assert programme.sessions.count() == 6


@pytest.mark.django_db
def test_import_programme_saves_london_wall_clock_times_and_details(organiser):
    # Act
    programme = import_programme(text=FLYER, organiser=organiser, capacity=40, today=JANUARY_2026)

    # Assert
    monday, *_, thursday, friday = programme.sessions.all()
    assert monday.starts_at == dt.datetime(2026, 1, 19, 13, 0, tzinfo=LONDON)
    assert monday.ends_at == dt.datetime(2026, 1, 19, 15, 0, tzinfo=LONDON)
    assert (monday.delivery, monday.platform, monday.joining_url, monday.capacity) == (
        Session.Delivery.ONLINE,
        "Microsoft Teams",
        "",
        40,
    )
    assert monday.description.startswith("Providing an overview of the <i>school massacre phenomenon</i>, focusing")
    assert (thursday.delivery, thursday.venue, thursday.room) == (Session.Delivery.IN_PERSON, "Friargate", "Room 1.4")
    assert thursday.starts_at.astimezone(LONDON).time() == dt.time(11, 45)
    assert friday.description == ""


@pytest.mark.django_db
def test_import_programme_with_publish_title_and_slug_uses_them(organiser):
    # Act
    programme = import_programme(
        text=FLYER, organiser=organiser, title="Prevent Week", slug="prevent", publish=True, today=JANUARY_2026
    )

    # Assert
    assert (programme.title, programme.slug, programme.status) == (
        "Prevent Week",
        "prevent",
        Programme.Status.PUBLISHED,
    )


@pytest.mark.django_db
def test_import_programme_repeated_adds_a_number_to_the_slug(organiser):
    # Arrange
    import_programme(text=FLYER, organiser=organiser, today=JANUARY_2026)
    import_programme(text=FLYER, organiser=organiser, today=JANUARY_2026)

    # Act
    third = import_programme(text=FLYER, organiser=organiser, today=JANUARY_2026)

    # Assert
    assert third.slug == "coventry-prevent-week-2026-3"


@pytest.mark.django_db
def test_import_programme_with_a_taken_slug_raises_and_saves_nothing(organiser):
    # Arrange
    import_programme(text=FLYER, organiser=organiser, slug="prevent", today=JANUARY_2026)

    # Act / Assert
    with pytest.raises(ProgrammeError, match="'prevent' is already used"):
        import_programme(text=FLYER, organiser=organiser, slug="prevent", today=JANUARY_2026)
    assert Programme.objects.count() == 1


@pytest.mark.django_db
def test_import_programme_with_a_bad_flyer_saves_nothing(organiser):
    # Act / Assert
    with pytest.raises(FlyerIncomplete, match="^line 3: The time “soon” could not be read"):
        import_programme(text=BAD_FLYER, organiser=organiser)
    assert (Programme.objects.count(), Session.objects.count()) == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [({"capacity": 0}, "at least 1 place"), ({"slug": "Not a slug"}, "lower-case letters, digits and hyphens")],
)
def test_import_programme_with_bad_options_raises_and_saves_nothing(organiser, options, message):
    # Act / Assert
    with pytest.raises(ProgrammeError, match=message):
        import_programme(text=FLYER, organiser=organiser, today=JANUARY_2026, **options)
    assert Programme.objects.count() == 0


# --- manage.py import_programme ------------------------------------------------------------------


@pytest.mark.django_db
def test_import_programme_command_prints_one_line_per_session_and_a_summary():
    # Arrange: the command guesses the year from today, as an organiser's import would.
    year = parse_flyer(FLYER).sessions[0].date.year

    # Act
    output = run("import_programme", str(FLYER_PATH), "--publish", "--capacity", "25")

    # Assert
    lines = output.splitlines()
    assert lines[0] == f"Mon 19 Jan {year} 13:00–15:00  School Massacre Phenomenon  (online: Microsoft Teams)"
    assert lines[4] == (
        f"Thu 22 Jan {year} 11:45–13:45  From Investigation to Conviction: A Local Case Study (In-Person)  "
        "(in person: Room 1.4, Friargate)"
    )
    assert lines[6].startswith("Imported Coventry Prevent Week: 6 sessions, published, at /programmes/")
    assert len(lines) == 7
    assert set(Session.objects.values_list("capacity", flat=True)) == {25}


@pytest.mark.django_db
def test_import_programme_command_gets_or_creates_the_organiser():
    # Arrange
    existing = Organiser.objects.create(
        name="Safeguarding Partnership", slug="safeguarding-partnership", contact_email="a@b.org"
    )

    # Act
    run("import_programme", str(FLYER_PATH))
    run(
        "import_programme",
        str(FLYER_PATH),
        "--organiser-name",
        "Warwickshire Prevent",
        "--organiser-email",
        "w@example.org",
    )

    # Assert
    first, second = Programme.objects.order_by("id")
    assert first.organiser == existing
    assert (second.organiser.slug, second.organiser.contact_email) == ("warwickshire-prevent", "w@example.org")


@pytest.mark.django_db
def test_import_programme_command_with_a_bad_file_raises_command_error_and_saves_nothing(tmp_path):
    # Arrange
    path = tmp_path / "bad.txt"
    path.write_text(BAD_FLYER, encoding="utf-8")

    # Act / Assert
    with pytest.raises(CommandError, match=r"bad\.txt: line 3: The time “soon” could not be read: write it like"):
        run("import_programme", str(path), "--organiser-name", "Brand New Organiser")
    assert (Programme.objects.count(), Organiser.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_import_programme_command_with_a_missing_file_raises_command_error(tmp_path):
    # Act / Assert
    with pytest.raises(CommandError, match="no such file"):
        run("import_programme", str(tmp_path / "missing.txt"))
    assert Programme.objects.count() == 0


# --- manage.py load_demo -------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_creates_the_original_and_a_published_demo_copy():
    # Act
    output = run("load_demo")

    # Assert
    original = Programme.objects.get(slug="coventry-prevent-week-2026")
    demo = Programme.objects.get(slug="coventry-prevent-week-demo")
    assert (original.organiser.slug, original.organiser.name) == ("coventry", "Coventry Prevent Partnership")
    assert (original.is_published, demo.is_published, demo.title) == (True, True, "Coventry Prevent Week (Demo)")
    assert original.sessions.first().starts_at == dt.datetime(2026, 1, 19, 13, 0, tzinfo=LONDON)
    assert "Loaded Coventry Prevent Week (Demo): 6 sessions" in output


@pytest.mark.django_db
def test_load_demo_sets_capacities_joining_details_and_address():
    # Act
    run("load_demo")

    # Assert
    original = Programme.objects.get(slug="coventry-prevent-week-2026")
    online = original.sessions.filter(delivery=Session.Delivery.ONLINE)
    in_person = original.sessions.get(delivery=Session.Delivery.IN_PERSON)
    assert {s.joining_url for s in online} == {f"https://teams.microsoft.com/l/meetup-join/demo-{s.pk}" for s in online}
    assert {s.capacity for s in online} == {50}
    assert (in_person.capacity, in_person.address) == (30, "One Friargate, Coventry CV1 2GN")
    small = Programme.objects.get(slug="coventry-prevent-week-demo").sessions.get(delivery=Session.Delivery.IN_PERSON)
    assert small.capacity == 3


@pytest.mark.django_db
def test_load_demo_copy_is_in_the_future_on_the_same_weekdays_and_times():
    # Act
    run("load_demo")

    # Assert
    original = Programme.objects.get(slug="coventry-prevent-week-2026").sessions.all()
    demo = Programme.objects.get(slug="coventry-prevent-week-demo").sessions.all()
    local = [
        (s.starts_at.astimezone(LONDON), c.starts_at.astimezone(LONDON)) for s, c in zip(original, demo, strict=True)
    ]
    assert [o.strftime("%a %H:%M") for o, _ in local] == [c.strftime("%a %H:%M") for _, c in local]
    assert all(c.starts_at > timezone.now() for c in demo)
    assert {c.starts_at.astimezone(LONDON).year for c in demo} == {timezone.localdate().year + 1}


@pytest.mark.django_db
def test_load_demo_run_twice_changes_nothing_the_second_time():
    # Arrange
    run("load_demo")

    # Act
    output = run("load_demo")

    # Assert
    assert "already loaded" in output
    assert (Programme.objects.count(), Session.objects.count(), Organiser.objects.count()) == (3, 14, 2)


@pytest.mark.django_db
def test_load_demo_adds_a_second_organisation_with_its_own_published_programme():
    run("load_demo")

    partner = Programme.objects.get(slug="warwickshire-safeguarding-demo")
    assert partner.organiser.name == "Warwickshire Safeguarding Partnership"
    assert partner.organiser.brand_colour == "#5a2d82"
    assert partner.is_published
    assert partner.sessions.count() == 2
    assert all(session.starts_at > timezone.now() for session in partner.sessions.all())
