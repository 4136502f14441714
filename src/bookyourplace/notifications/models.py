from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings.models import Booking


class Email(models.Model):
    """One email to one person: the outbox record that makes delivery dependable.

    The row is written in the same transaction as the change it reports (a booking, a
    cancellation), so an email is never lost when a booking succeeds, and the worker marks
    it sent, so it is never sent twice. The message itself is rendered when sent.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Booking confirmation")
        MANAGE_LINK = "manage_link", _("Link to manage a booking")
        CANCELLATION = "cancellation", _("Booking cancelled")
        CANCELLED_BY_ORGANISER = "cancelled_by_organiser", _("Booking cancelled by the organiser")
        SESSION_CHANGED = "session_changed", _("Session changed")
        SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
        PENDING = "pending", _("Booking waiting for approval")
        APPROVED = "approved", _("Booking approved")
        REJECTED = "rejected", _("Booking not approved")
        WAITING_LIST_JOINED = "waiting_list_joined", _("Joined the waiting list")
        PLACE_OFFERED = "place_offered", _("Place offered from the waiting list")
        OFFER_EXPIRED = "offer_expired", _("Offer ran out")
        MANAGER_COPY = "manager_copy", _("Copy to the line manager")
        REMINDER = "reminder", _("Reminder")
        MESSAGE = "message", _("Message from the organiser")
        EMAIL_CONFIRMATION = "email_confirmation", _("Confirm the email address to keep a place")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent: no longer needed")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=30, choices=Kind)
    to = models.EmailField(max_length=254)
    # The calendar invite this email carries, fixed when the email is queued: a later
    # change must not alter what an earlier email said.
    invite_method = models.CharField(max_length=10, blank=True)
    invite_sequence = models.PositiveIntegerField(null=True, blank=True)
    include_joining_details = models.BooleanField(default=False)
    # Words from the organiser carried into the email, such as the reason for a cancellation.
    note = models.TextField(blank=True)
    # For kind MESSAGE: the organiser's message this email carries, rendered for its booking.
    message = models.ForeignKey(
        "notifications.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    # Set for emails that must go at most once, such as each reminder of each booking: the
    # unique index makes a second worker (or a restarted one) unable to queue it again.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker took the row, and when it started talking to the mail server about it:
    # what tells an abandoned row that was never tried from one that may have arrived.
    claimed_at = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    # Kinds meant only for people who still hold a confirmed place when the email goes.
    ONLY_WHILE_CONFIRMED = (Kind.REMINDER, Kind.MESSAGE)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_status_next_attempt")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to}"

    @property
    def message_id_local_part(self) -> str:
        # A stable Message-ID lets a mail server (and a test) recognise a repeat.
        return f"byp-email-{self.pk}"


class Message(models.Model):
    """Words an organiser wrote to the confirmed attendees of a session, or of a whole
    programme when there is no session. Each recipient gets an Email row (kind MESSAGE)
    that renders the placeholders for their own booking."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.CASCADE, related_name="messages")
    session = models.ForeignKey(
        "programmes.Session", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Made when the preview is shown and sent back with "Send": a second submit finds it taken.
    idempotency_key = models.CharField(max_length=64, unique=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject
