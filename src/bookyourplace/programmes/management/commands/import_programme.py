"""manage.py import_programme FILE: load a programme from a flyer's text."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.importing import import_programme
from bookyourplace.programmes.models import Organiser, Programme, Session

ORGANISER_SLUG_MAX_LENGTH = Organiser._meta.get_field("slug").max_length


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
    help = "Import a programme and its sessions from a flyer's text (see demo/coventry-prevent-week.txt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the flyer text file")
        parser.add_argument("--organiser-name", default="Safeguarding Partnership")
        parser.add_argument("--organiser-email", default="safeguarding@example.org")
        parser.add_argument("--publish", action="store_true", help="publish at once (default: a draft)")
        parser.add_argument("--capacity", type=int, default=50, help="places on each session (default 50)")
        parser.add_argument("--slug", help="the programme's web address (default: from the title and year)")
        parser.add_argument("--title", help="the programme's title (default: the flyer's '# ' line)")

    def handle(self, *args, **options) -> None:
        text = _read(Path(options["file"]))
        try:
            # One transaction, so a bad flyer does not leave a new organiser behind either.
            with transaction.atomic():
                programme = import_programme(
                    text=text,
                    organiser=_organiser(options["organiser_name"], options["organiser_email"]),
                    slug=options["slug"],
                    title=options["title"],
                    publish=options["publish"],
                    capacity=options["capacity"],
                )
        except ProgrammeError as error:
            raise CommandError(f"{options['file']}: {error}") from None
        for session in programme.sessions.all():
            self.stdout.write(session_line(session))
        self.stdout.write(self.style.SUCCESS(f"Imported {programme_summary(programme)}"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read as UTF-8 text ({error}).") from None


def _organiser(name: str, email: str) -> Organiser:
    slug = slugify(name)[:ORGANISER_SLUG_MAX_LENGTH].strip("-")
    if not slug:
        raise CommandError(f"--organiser-name {name!r} needs some letters or digits.")
    organiser, _created = Organiser.objects.get_or_create(slug=slug, defaults={"name": name, "contact_email": email})
    return organiser
