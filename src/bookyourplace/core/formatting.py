"""Dates and times the way the flyer writes them, in the programme's time zone."""

from datetime import datetime, tzinfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def session_date(moment: datetime, tz: tzinfo) -> str:
    """'Monday 19 January 2026'."""
    return date_format(moment.astimezone(tz), "l j F Y")


def clock(moment: datetime, tz: tzinfo) -> str:
    """'13:00'."""
    return moment.astimezone(tz).strftime("%H:%M")


def time_range(start: datetime, end: datetime, tz: tzinfo) -> str:
    """'13:00 to 15:00'."""
    return _("%(start)s to %(end)s") % {"start": clock(start, tz), "end": clock(end, tz)}


def date_and_time(moment: datetime, tz: tzinfo) -> str:
    """'Monday 19 January 2026 at 13:00'."""
    return _("%(date)s at %(time)s") % {"date": session_date(moment, tz), "time": clock(moment, tz)}


def iso_utc(moment: datetime | None) -> str | None:
    """A moment for other systems (the API, webhooks): ISO 8601 in UTC with a Z, or None."""
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None
