from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Session


class Outcome(models.TextChoices):
    """Whether a confirmed attendee came. A past session's confirmed booking with no mark
    counts as a no-show (services.outcome_of)."""

    ATTENDED = "attended", _("Attended")
    PARTLY_ATTENDED = "partly_attended", _("Partly attended")
    NO_SHOW = "no_show", _("No-show")


class Method(models.TextChoices):
    """How the mark was made: the audit log and the organiser both want to know."""

    REGISTER = "register", _("Live register")
    QR_CODE = "qr_code", _("QR code scan")
    TEAMS_REPORT = "teams_report", _("Teams attendance report")
    BY_HAND = "by_hand", _("Set by an organiser")


class Attendance(models.Model):
    """What is known of whether one confirmed booking's attendee came: one row per booking,
    changed in place when an organiser corrects it."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="attendance")
    # Denormalised from the booking so a session's register is one indexed read.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    outcome = models.CharField(_("attendance"), max_length=20, choices=Outcome)
    method = models.CharField(_("marked by"), max_length=20, choices=Method)
    # From a Teams report: the minutes the person was in the meeting, summed over their joins.
    minutes_present = models.PositiveIntegerField(null=True, blank=True)
    # When the person was ticked or scanned in at the door.
    checked_in_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField()
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    marked_by_label = models.CharField(max_length=254, blank=True)

    class Meta:
        indexes = [models.Index(fields=["session", "outcome"], name="attendance_session_outcome")]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.outcome}"

    @property
    def came(self) -> bool:
        return self.outcome in (Outcome.ATTENDED, Outcome.PARTLY_ATTENDED)


class WalkIn(models.Model):
    """Someone who came without a booking and was added to the register at the door."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="walk_ins")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), max_length=254, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_by_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
