from django.conf import settings
from django.db import models
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

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label}: {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")
