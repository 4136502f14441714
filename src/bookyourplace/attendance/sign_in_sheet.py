"""The paper sign-in sheet of an in-person session, as a PDF to print.

Two copies: the sheet people sign at the door, with nothing on it but each attendee's name
and organisation (it lies on a table where anyone can read it), and the organiser's copy,
which adds email addresses and access needs (health data: it stays with the organiser).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bookyourplace.attendance.services import confirmed_bookings
from bookyourplace.core.formatting import session_date, time_range
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor, record
from bookyourplace.programmes.models import Session

# Empty rows at the end for people who come without a booking.
BLANK_ROWS = 10
MOST_BLANK_ROWS = 200


@dataclass(frozen=True)
class SignInSheet:
    content: bytes
    filename: str


def sign_in_sheet_pdf(*, session: Session, organiser_copy: bool = False, blank_rows: int = BLANK_ROWS) -> bytes:
    """The sheet as PDF bytes: title, date, time and place at the top; one row per confirmed
    booking by surname (name, organisation, a box to sign); ``blank_rows`` empty rows; the
    table's header on every page and "Page N of M" at the foot."""
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML

    programme = session.programme
    blank_rows = max(0, min(blank_rows, MOST_BLANK_ROWS))
    html = render_to_string(
        "attendance/sign_in_sheet.html",
        {
            "session": session,
            "programme": programme,
            "organiser": programme.organiser,
            "bookings": list(confirmed_bookings(session)),
            "blank_rows": range(blank_rows),
            "organiser_copy": organiser_copy,
            "date": session_date(session.starts_at, programme.tz),
            "time_range": time_range(session.starts_at, session.ends_at, programme.tz),
            "printed_at": timezone.localtime(timezone.now(), programme.tz),
        },
    )
    return HTML(string=html).write_pdf()


def filename(*, session: Session, organiser_copy: bool = False) -> str:
    """'coventry-prevent-week-2026-01-20-understanding-prevent-sign-in-sheet.pdf'."""
    programme = session.programme
    day = session.starts_at.astimezone(programme.tz).date().isoformat()
    kind = "sign-in-sheet-organiser-copy" if organiser_copy else "sign-in-sheet"
    return f"{programme.slug}-{day}-{slugify(session.title)[:50]}-{kind}.pdf"


def download_sign_in_sheet(
    *, session: Session, actor: Actor, organiser_copy: bool = False, blank_rows: int = BLANK_ROWS
) -> SignInSheet:
    """The sheet to download, recorded in the audit log as an export of the bookings: it
    names everyone who booked (and, on the organiser's copy, their emails and access needs)."""
    content = sign_in_sheet_pdf(session=session, organiser_copy=organiser_copy, blank_rows=blank_rows)
    what = _("the organiser's copy of the sign-in sheet") if organiser_copy else _("the sign-in sheet")
    record(
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        summary=f"Downloaded {what} of '{session.title}' ({session.programme.title})",
        subject=session,
        programme_id=session.programme_id,
    )
    return SignInSheet(content=content, filename=filename(session=session, organiser_copy=organiser_copy))
