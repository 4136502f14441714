from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Email(models.Model):
    """One email to one person: the outbox record that makes delivery dependable.

    The row is written in the same transaction as the change it reports (a booking, a
    cancellation), so an email is never lost when a booking succeeds, and the worker marks
    it sent, so it is never sent twice.

    Delivery knows nothing of what an email is about. The row names it (``about``, such as
    a booking) and says which ``kind`` of email it is; the app that queued it registered how
    to write that kind (notifications/composing.py), and the worker writes it when it sends,
    so it says what is true then.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent: no longer needed")

    # What the email is about; the thing's own model declares the way back (a GenericRelation
    # named ``emails``), which also deletes its emails with it.
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("about_type", "about_id")
    # Which email this is (a confirmation, a reminder...), in the words of the app that queued it.
    kind = models.CharField(max_length=30)
    # An email, or a text message (``to`` is then a mobile number, +44...), which only GOV.UK
    # Notify sends (notifications/notify.py).
    channel = models.CharField(max_length=5, choices=[("email", "email"), ("sms", "sms")], default="email")
    to = models.EmailField(max_length=254)
    # The calendar invite this email carries, fixed when the email is queued: a later
    # change must not alter what an earlier email said.
    invite_method = models.CharField(max_length=10, blank=True)
    invite_sequence = models.PositiveIntegerField(null=True, blank=True)
    include_joining_details = models.BooleanField(default=False)
    # Words from the organiser carried into the email, such as the reason for a cancellation.
    note = models.TextField(blank=True)
    # The organiser's message this email carries, if any, written for the person it goes to.
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

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="email_status_next_attempt"),
            models.Index(fields=["about_type", "about_id"], name="email_about"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"

    @property
    def message_id_local_part(self) -> str:
        # A stable Message-ID lets a mail server (and a test) recognise a repeat.
        return f"byp-email-{self.pk}"


class Message(models.Model):
    """Words an organiser wrote to the confirmed attendees of a session, or of a whole
    programme when there is no session. Each recipient gets an Email row carrying it, with
    the placeholders filled in for them (bookings/messaging.py)."""

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


class NotifySettings(models.Model):
    """How an organisation's attendee emails go: the install's SMTP server (the default, and
    what an organisation without this row does) or GOV.UK Notify with its own API key.

    Notify sends only from templates kept in Notify. Each message type has a template id;
    one generic template per type, whose subject is ((subject)) and body ((body)), takes the
    email as written here (bookings/email_content.py), so organisers do not retype content.
    A type without a template of its own uses the default template.
    """

    class Sending(models.TextChoices):
        SMTP = "smtp", _("This service’s email server")
        NOTIFY = "notify", _("GOV.UK Notify")

    organiser = models.OneToOneField("programmes.Organiser", on_delete=models.CASCADE, related_name="notify_settings")
    sending = models.CharField(max_length=10, choices=Sending, default=Sending.SMTP)
    # The whole key as Notify shows it once: name-serviceid-secret. Never shown back.
    api_key = models.CharField(max_length=200, blank=True)
    default_template_id = models.CharField(max_length=36, blank=True)
    # Message kind (in the words of the app that queues it) -> template id, for those with their own.
    template_ids = models.JSONField(default=dict, blank=True)
    sms_template_id = models.CharField(max_length=36, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organiser_id}: {self.sending}"

    @property
    def uses_notify(self) -> bool:
        return self.sending == self.Sending.NOTIFY and bool(self.api_key)

    @property
    def sends_texts(self) -> bool:
        return self.uses_notify and bool(self.sms_template_id)

    def template_for(self, kind: str) -> str:
        return self.template_ids.get(kind) or self.default_template_id
