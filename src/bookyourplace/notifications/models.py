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

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=30, choices=Kind)
    to = models.EmailField(max_length=254)
    # The calendar invite this email carries, fixed when the email is queued: a later
    # change must not alter what an earlier email said.
    invite_method = models.CharField(max_length=10, blank=True)
    invite_sequence = models.PositiveIntegerField(null=True, blank=True)
    include_joining_details = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_status_next_attempt")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to}"

    @property
    def message_id_local_part(self) -> str:
        # A stable Message-ID lets a mail server (and a test) recognise a repeat.
        return f"byp-email-{self.pk}"
