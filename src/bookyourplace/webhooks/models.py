from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Endpoint(models.Model):
    """An address of the organiser's own system that is told, by a signed POST, when
    something it subscribed to happens (webhooks/events.py lists what it may subscribe to).

    The secret signs every message (webhooks/signing.py); it is kept in clear because signing
    needs it. After a rotation the previous one still signs, beside the new one, until
    ``previous_secret_until``, so the receiving system can change over without missing a message.
    """

    organiser = models.ForeignKey("programmes.Organiser", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("endpoint URL"), max_length=1000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # The event names it subscribed to ("booking.created", ...).
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Since when every attempt has failed (cleared by a delivery that succeeds): an endpoint
    # failing for long enough is switched off, with a note saying why (webhooks/delivery.py).
    failing_since = models.DateTimeField(null=True, blank=True)
    switched_off_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        # announce() asks this on every booking: which of the organiser's endpoints are on.
        indexes = [models.Index(fields=["organiser", "is_active"], name="webhook_endpoint_active")]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One message to one endpoint: the outbox row, written in the same transaction as the
    change it reports (webhooks/services.py: announce), so a message exists if and only if
    the change does; the worker sends it, retries it, and keeps what the endpoint answered.

    ``message_id`` is the message's ``webhook-id``: the same on every attempt and on a resend,
    so a receiver can recognise a message it already has (delivery is at least once).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    message_id = models.CharField(max_length=40)
    # The JSON body exactly as it is sent (and signed) on every attempt. It names the
    # attendee: removed after BYP_WEBHOOK_LOG_DAYS with the row, or at once on erasure
    # (webhooks/personal_data.py).
    payload = models.TextField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker took it: a row left in SENDING past the lease is taken back and sent again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # What the endpoint answered to the last attempt: its HTTP status and the start of its
    # body; or, with no answer, what went wrong ("Timed out after 10 seconds").
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Set when an organiser sent this failed message again (as a new row with the same id).
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log"),
            models.Index(fields=["created_at"], name="webhook_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"

    @property
    def may_resend(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.SKIPPED) and self.resent_at is None
