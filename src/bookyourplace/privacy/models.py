import calendar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    """Bulk changes would go round the model's guard: refused here too, and by a database
    trigger below both (migration 0003). The one way to remove rows is
    ``privacy.services.purge_audit_events_before``."""

    def update(self, **kwargs):
        raise PermissionError("Audit events cannot be changed.")

    def delete(self):
        raise PermissionError("Audit events cannot be deleted: see privacy.services.purge_audit_events_before.")


class AuditEvent(models.Model):
    """Who did what to whose data, when, and from which address. Written once, never changed."""

    class Action(models.TextChoices):
        VIEWED_BOOKING = "booking.viewed", _("Viewed a booking")
        BOOKED = "booking.created", _("Booked a place")
        CANCELLED_BOOKING = "booking.cancelled", _("Cancelled a booking")
        RESENT_CONFIRMATION = "booking.confirmation_resent", _("Re-sent a confirmation")
        JOINED_WAITING_LIST = "booking.joined_waiting_list", _("Joined a waiting list")
        OFFERED_PLACE = "booking.offered", _("Offered a place from the waiting list")
        ACCEPTED_OFFER = "booking.offer_accepted", _("Accepted an offered place")
        OFFER_EXPIRED = "booking.offer_expired", _("An offer ran out")
        APPROVED_BOOKING = "booking.approved", _("Approved a booking")
        REJECTED_BOOKING = "booking.rejected", _("Did not approve a booking")
        EXPORTED = "bookings.exported", _("Exported bookings")
        CREATED_PROGRAMME = "programme.created", _("Created a programme")
        CHANGED_PROGRAMME = "programme.changed", _("Changed a programme")
        COPIED_PROGRAMME = "programme.copied", _("Copied a programme")
        CREATED_SESSION = "session.created", _("Created a session")
        CHANGED_SESSION = "session.changed", _("Changed a session")
        CANCELLED_SESSION = "session.cancelled", _("Cancelled a session")
        SENT_MESSAGE = "message.sent", _("Sent a message")
        CHANGED_PERSON = "person.changed", _("Changed a back-office account")
        SIGNED_IN = "account.signed_in", _("Signed in")
        RETENTION_RUN = "privacy.retention_run", _("Anonymised details past their retention period")
        RETENTION_RUN_ASKED = "privacy.retention_asked", _("Asked for the retention run now")
        ERASED_PERSON = "privacy.person_erased", _("Erased a person's details")
        # Subject access and erasure requests (privacy/subject_access.py).
        LOOKED_UP_PERSON = "person.looked_up", _("Looked up what is held about a person")
        DOWNLOADED_PERSON = "person.downloaded", _("Downloaded what is held about a person")
        ASKED_FOR_ERASURE = "person.erasure_asked", _("Asked for their details to be deleted")
        KEPT_DETAILS = "person.kept", _("Kept a person's details, with a reason")
        CHANGED_PRIVACY_NOTICE = "organiser.privacy_notice_changed", _("Changed the privacy notice")
        CHANGED_ACCESSIBILITY_STATEMENT = (
            "organiser.accessibility_changed",
            _("Changed the accessibility statement"),
        )

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Kept if the account is later deleted: the label still says who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=40, choices=Action, db_index=True)
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=500)
    programme_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # Removing a person finds the entries about their records (privacy/audit_personal_data.py).
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="auditevent_subject")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")


class ErasureRequest(models.Model):
    """A person's details to be deleted: asked by the attendee from their manage page, or
    decided by an administrator on the subject access page; then erased, or kept with a reason.

    The address is kept in clear only while the request is open (the administrator needs it
    to look the person up); once decided, only its keyed hash remains (``email_hash``: later
    searches still find the decision, and ``manage.py reapply_erasures`` finds the person
    again in a restored backup). The organiser is a plain number, as AuditEvent's programme:
    privacy knows no other app (None: a superuser's decision, for every organiser).
    """

    class Source(models.TextChoices):
        ATTENDEE = "attendee", _("The attendee asked")
        ADMINISTRATOR = "administrator", _("An administrator")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        ERASED = "erased", _("Erased")
        KEPT = "kept", _("Kept, with a reason")

    created_at = models.DateTimeField(auto_now_add=True)
    email_hash = models.CharField(max_length=64, db_index=True)
    email = models.EmailField(max_length=254, blank=True)
    organiser_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    source = models.CharField(max_length=20, choices=Source)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    reason = models.TextField(blank=True)
    # The programmes the erasure reached (None: every programme), for a restore.
    programme_ids = models.JSONField(null=True, blank=True)
    records_erased = models.PositiveIntegerField(default=0)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Asking twice (a double press, a second booking's manage page) is one request.
            models.UniqueConstraint(
                fields=["email_hash", "organiser_id"],
                condition=models.Q(status="open"),
                name="one_open_erasure_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.get_status_display()}"

    @property
    def reply_by(self):
        """One calendar month after it was asked (UK GDPR Art. 12(3)): the 31 January's is 28
        or 29 February."""
        asked = self.created_at
        year, month = (asked.year + 1, 1) if asked.month == 12 else (asked.year, asked.month + 1)
        return asked.replace(year=year, month=month, day=min(asked.day, calendar.monthrange(year, month)[1]))


class RetentionRun(models.Model):
    """One run of the retention schedule (privacy/retention.py): the daily one, at most one a
    day whatever number of workers try (the unique day), or one an administrator asked for.
    Its counts grow as each holder finishes, so the page can show how far it has got."""

    class Trigger(models.TextChoices):
        DAILY = "daily", _("Daily run")
        ASKED = "asked", _("Run now, asked for by an administrator")

    trigger = models.CharField(max_length=10, choices=Trigger)
    day = models.DateField()
    asked_by_label = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {holder name: records changed}, filled in as the run goes.
    counts = models.JSONField(default=dict)
    failed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["day"], condition=Q(trigger="daily"), name="privacy_one_daily_run_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.day}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
