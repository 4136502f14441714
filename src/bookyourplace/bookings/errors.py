"""What the booking rules say when they say no. Each message is written for the person
booking; faces show it as it is (a form error, a page, problem JSON, a line on the CLI)."""

from django.utils.translation import gettext_lazy as _

from bookyourplace.core.errors import DomainError


class BookingError(DomainError):
    message = _("Sorry, that booking could not be made.")


class SessionFull(BookingError):
    message = _("Sorry, this session is fully booked.")


class BookingClosed(BookingError):
    message = _("Sorry, booking for this session has closed.")


class BookingNotOpenYet(BookingError):
    message = _("Booking for this session has not opened yet.")


class SessionCancelled(BookingError):
    message = _("Sorry, this session has been cancelled.")


class SessionNotAvailable(BookingError):
    message = _("This session is not open for booking.")


class AlreadyBooked(BookingError):
    message = _(
        "This email address already has a place on this session. We have sent the link to "
        "manage that booking to the email address again."
    )


class InvalidAttendeeDetails(BookingError):
    """A name, organisation or job title with a line break or an invisible control
    character: it could break an email's headers or a CSV, and no one's name has one."""

    message = _("Names, organisation and job title must not contain line breaks or special characters.")


class CancellationNotAllowed(BookingError):
    message = _("This booking can no longer be cancelled online.")


class EmailConfirmationNotOpen(BookingError):
    message = _(
        "The time to confirm your email address has run out, so the place was released. "
        "You can book again if there are places left."
    )


class OfferNotOpen(BookingError):
    message = _("This offer has run out or has already been answered.")


class InvalidAnswers(BookingError):
    """Answers to the organiser's own questions that the form would refuse (bookings/answers.py):
    ``problems`` holds each by the form field of its question (``question_<id>``), so a face
    shows them all at once; ``message`` and ``field`` are the first."""

    def __init__(self, problems: dict[str, list[str]]):
        field, messages = next(iter(problems.items()))
        super().__init__(messages[0], field=field)
        self.problems = problems
