"""Helpers for tests and the demo: people booked on a session, a session that has ended, and
Teams attendance reports written from a small description, in every form Teams (or Excel,
after it) writes them.

    write_report([Attendee("Alex Smith", "alex@example.org", stays=[(0, 90)])],
                 starts_at=datetime(2026, 1, 20, 10, 0), encoding="utf-16-be", dates="us")

``stays`` are (minutes after the meeting starts, minutes in the meeting) pairs, one per join;
``seconds`` (an int) may be given instead for one join at the start of the meeting, to the second.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bookyourplace.attendance import teams_report
from bookyourplace.bookings.testing import book_people, end_session  # noqa: F401  (for the tests that write reports)

ENCODINGS = ("utf-16-le", "utf-16-be", "utf-8", "utf-8-sig")
LAYOUTS = ("sectioned", "participants-only", "flat")


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str = ""
    role: str = "Attendee"  # as Teams writes it: Organizer, Presenter, Attendee
    # One (start, length) in minutes per join, or in seconds when ``in_seconds``.
    stays: Sequence[tuple[int, int]] = ((0, 120),)
    in_seconds: bool = False
    upn: str = ""

    def joins(self, starts_at: datetime) -> list[tuple[datetime, datetime]]:
        unit = timedelta(seconds=1) if self.in_seconds else timedelta(minutes=1)
        return [(starts_at + start * unit, starts_at + (start + length) * unit) for start, length in self.stays]

    @property
    def seconds(self) -> int:
        return sum(length for _start, length in self.stays) * (1 if self.in_seconds else 60)


def teams_duration(seconds: int) -> str:
    """As Teams writes a length of time: "1h 27m 51s", "45m 3s", "19s"."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes}m {seconds}s"
    if minutes:
        return f"{minutes}m {seconds}s"
    return f"{seconds}s"


def teams_date(moment: datetime, dates: str) -> str:
    """As a UK ("20/01/2026, 10:01:05") or US ("1/20/26, 10:01:05 AM") computer writes it."""
    if dates == "us":
        hour = moment.hour % 12 or 12
        return f"{moment.month}/{moment.day}/{moment:%y}, {hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"
    if dates == "iso":
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    return f"{moment:%d/%m/%Y}, {moment:%H:%M:%S}"


@dataclass
class ReportStyle:
    encoding: str = "utf-16-le"
    layout: str = "sectioned"
    dates: str = "uk"  # uk, us or iso
    delimiter: str = "\t"
    header_case: str = "title"  # title, lower or upper
    extra_columns: bool = False  # columns the importer does not need, here and there
    reverse_columns: bool = False  # the columns in another order
    newline: str = "\r\n"
    title: str = "Prevent awareness briefing"
    extra: dict = field(default_factory=dict)


def write_report(
    people: Sequence[Attendee],
    *,
    starts_at: datetime,
    minutes: int = 120,
    style: ReportStyle | None = None,
    **style_options,
) -> bytes:
    """A Teams attendance report for a meeting starting at ``starts_at`` (local time, naive)."""
    style = style or ReportStyle(**style_options)
    ends_at = starts_at + timedelta(minutes=minutes)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator=style.newline)

    def header(*names: str) -> list[str]:
        cased = [_case(name, style.header_case) for name in names]
        return cased

    def table(columns: list[str], rows: list[dict[str, str]]) -> None:
        if style.extra_columns:
            columns = ["Meeting ID", *columns[:2], "Device", *columns[2:], "Notes"]
        if style.reverse_columns:
            columns = list(reversed(columns))
        writer.writerow(header(*columns))
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])

    date = lambda moment: teams_date(moment, style.dates)  # noqa: E731

    if style.layout == "flat":
        events = []
        for person in people:
            for join, leave in person.joins(starts_at):
                events.append((join, person.name, "Joined", person.role))
                events.append((leave, person.name, "Left", person.role))
        events.sort(key=lambda e: e[0])
        table(
            ["Full Name", "User Action", "Timestamp"],
            [
                {"Full Name": name, "User Action": action, "Timestamp": date(moment)}
                for moment, name, action, _r in events
            ],
        )
    else:
        writer.writerow(["1. Summary"])
        for key, value in (
            ("Meeting title", style.title),
            ("Attended participants", str(len(people))),
            ("Start time", date(starts_at)),
            ("End time", date(ends_at)),
            ("Meeting duration", teams_duration(minutes * 60)),
        ):
            writer.writerow([key, value])
        writer.writerow([])
        writer.writerow(["2. Participants"])
        rows = []
        for person in people:
            joins = person.joins(starts_at)
            rows.append(
                {
                    "Name": person.name,
                    "First Join": date(min(j for j, _l in joins)),
                    "Last Leave": date(max(leave for _j, leave in joins)),
                    "In-Meeting Duration": teams_duration(person.seconds),
                    "Email": person.email,
                    "Participant ID (UPN)": person.upn or person.email,
                    "Role": person.role,
                }
            )
        table(
            ["Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"], rows
        )
        if style.layout == "sectioned":
            writer.writerow([])
            writer.writerow(["3. In-Meeting Activities"])
            rows = []
            for person in people:
                for join, leave in person.joins(starts_at):
                    rows.append(
                        {
                            "Name": person.name,
                            "Join Time": date(join),
                            "Leave Time": date(leave),
                            "Duration": teams_duration(int((leave - join).total_seconds())),
                            "Email": person.email,
                            "Role": person.role,
                        }
                    )
            table(["Name", "Join Time", "Leave Time", "Duration", "Email", "Role"], rows)
    text = out.getvalue()
    if style.encoding in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if style.encoding == "utf-16-le" else b"\xfe\xff"
        return bom + text.encode(style.encoding)
    return text.encode(style.encoding)


def _case(name: str, header_case: str) -> str:
    return {"lower": name.lower(), "upper": name.upper()}.get(header_case, name)


def session_start(session) -> datetime:
    """The session's start as the report writes it: local time, no offset."""
    return session.starts_at.astimezone(session.programme.tz).replace(tzinfo=None)


def session_minutes(session) -> int:
    return round((session.ends_at - session.starts_at).total_seconds() / 60)


def write_demo_report(session, bookings: Sequence | None = None, **style_options) -> bytes:
    """A report for ``session`` as the demo shows it: the confirmed bookings all there but
    the last one (who left early, below the threshold) and the one before it (who never
    joined, so stays unmarked), a guest nobody booked, and the organiser presenting."""
    from bookyourplace.attendance.services import confirmed_bookings

    bookings = list(bookings if bookings is not None else confirmed_bookings(session))
    minutes = session_minutes(session)
    people: list[Attendee] = [
        Attendee("Prevent Coordinator", "prevent.coordinator@coventry.gov.uk", role="Organizer", stays=[(0, minutes)])
    ]
    for index, booking in enumerate(bookings):
        from_end = len(bookings) - index
        if from_end == 2:
            continue  # never joined
        if from_end == 1:
            stays = [(5, minutes // 3)]  # left early
        elif index % 3 == 1:
            # Dropped out and came back: two joins, added up.
            stays = [(0, minutes // 2 - 3), (minutes // 2, minutes // 2)]
        else:
            stays = [(0, minutes)]
        # Teams gives the address people signed in with, in whatever case it was typed.
        email = booking.email.upper() if index % 4 == 0 else booking.email
        people.append(Attendee(booking.full_name, email, stays=stays))
    people.append(Attendee("Guest (EXT)", "", stays=[(10, minutes - 10)]))
    return write_report(people, starts_at=session_start(session), minutes=minutes, **style_options)


def participants_of(report: teams_report.TeamsReport) -> dict[str, tuple[str, int]]:
    """Who a read report holds, keyed by name: (email, seconds); for comparing with what was written."""
    return {p.name: (p.email, p.seconds) for p in report.participants}
