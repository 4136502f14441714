"""manage.py import_programme FILE: load a programme from its flyer: pasted text saved as a
file, a web page (.html), a Word file (.docx), a PDF with text in it, or the seed's own layout.

What the reader could not read is printed to stderr as "line N: ..."; a session that cannot
be created as read (no date, no time, a year to ask for) stops the import, naming its line,
and nothing is saved."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.flyers.reading import read_flyer
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.models import Organiser, Programme, Session

ORGANISER_SLUG_MAX_LENGTH = Organiser._meta.get_field("slug").max_length
# A flyer is a few pages; a bigger file is not one.
MAX_FILE_BYTES = 20 * 1024 * 1024


def session_line(session: Session) -> str:
    """'Mon 19 Jan 2026 13:00–15:00  School Massacre Phenomenon  (online: Microsoft Teams)'."""
    tz = session.programme.tz
    start, end = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
    where = "online" if session.is_online else "in person"
    if session.location_text:
        where = f"{where}: {session.location_text}"
    return f"{start:%a} {start.day} {start:%b %Y %H:%M}–{end:%H:%M}  {session.title}  ({where})"


def programme_summary(programme: Programme) -> str:
    count = programme.sessions.count()
    return (
        f"{programme.title}: {count} session{'s' if count != 1 else ''}, "
        f"{programme.get_status_display().lower()}, at {programme.get_absolute_url()}"
    )


class Command(BaseCommand):
    help = (
        "Import a programme and its sessions from its flyer: text, .html, .docx or a PDF with text "
        "(see demo/coventry-prevent-week.txt)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the flyer: a text, .html, .docx or .pdf file")
        parser.add_argument("--organiser-name", default="Safeguarding Partnership")
        parser.add_argument("--organiser-email", default="safeguarding@example.org")
        parser.add_argument("--publish", action="store_true", help="publish at once (default: a draft)")
        parser.add_argument("--capacity", type=int, default=50, help="places on each session (default 50)")
        parser.add_argument("--slug", help="the programme's web address (default: from the title and year)")
        parser.add_argument("--title", help="the programme's title (default: the flyer's first line)")
        parser.add_argument(
            "--year",
            type=_year,
            help="the year of the dates written without one, when the flyer does not make it clear",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            reading = read_flyer(_read(path), file_name=path.name, year=options["year"])
        except ProgrammeError as error:
            raise CommandError(f"{path}: {error}") from None
        for flag in reading.all_flags():
            self.stderr.write(f"line {flag.line}: {flag.message}" if flag.line else flag.message)
        try:
            # One transaction, so a bad flyer does not leave a new organiser behind either.
            with transaction.atomic():
                programme = import_programme(
                    reading=reading,
                    organiser=_organiser(options["organiser_name"], options["organiser_email"]),
                    slug=options["slug"],
                    title=options["title"],
                    publish=options["publish"],
                    capacity=options["capacity"],
                )
        except ProgrammeError as error:
            if error.field == "year":  # a date without its year, and nothing to tell which
                guess = next((s.date for s in reading.sessions if s.year_doubtful and s.date), None)
                example = f", for example --year {guess.year}" if guess else ""
                error = f"{error} Give the year with --year{example}."
            raise CommandError(f"{options['file']}: {error}") from None
        for session in programme.sessions.all():
            self.stdout.write(session_line(session))
        self.stdout.write(self.style.SUCCESS(f"Imported {programme_summary(programme)}"))


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path}: too big for a flyer ({MAX_FILE_BYTES // (1024 * 1024)} MB at most).")
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from None


def _year(value: str) -> int:
    if not (value.isdigit() and 2000 <= int(value) <= 2100):
        raise argparse.ArgumentTypeError(f"{value!r} is not a year such as 2026")
    return int(value)


def _organiser(name: str, email: str) -> Organiser:
    slug = slugify(name)[:ORGANISER_SLUG_MAX_LENGTH].strip("-")
    if not slug:
        raise CommandError(f"--organiser-name {name!r} needs some letters or digits.")
    organiser, _created = Organiser.objects.get_or_create(slug=slug, defaults={"name": name, "contact_email": email})
    return organiser
