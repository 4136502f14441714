"""What the attendance rules say when they say no, written for the organiser at the door."""

from django.utils.translation import gettext_lazy as _

from bookyourplace.core.errors import DomainError


class AttendanceError(DomainError):
    message = _("Sorry, that attendance could not be recorded.")


class NotConfirmed(AttendanceError):
    message = _("This booking is not a confirmed place, so it cannot be marked as attended.")


class WrongSession(AttendanceError):
    message = _("This booking is for a different session.")


class InvalidWalkIn(AttendanceError):
    message = _("Enter the walk-in's first and last name.")


class TeamsReportError(AttendanceError):
    """An uploaded Teams attendance report that cannot be read, or is for another meeting."""

    message = _("This file is not a Teams attendance report.")
    field = "report"
