import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bookyourplace.programmes.models import Session


class Sector(models.TextChoices):
    """The sectors the safeguarding partnership reports uptake by."""

    SCHOOLS = "schools", _("Schools")
    FURTHER_HIGHER_EDUCATION = "further_higher_education", _("Further or higher education")
    EARLY_YEARS = "early_years", _("Early years")
    HEALTH = "health", _("Health")
    CHILDRENS_SERVICES = "childrens_services", _("Local authority children's services")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    POLICE = "police", _("Police")
    PROBATION_PRISONS = "probation_prisons", _("Probation and prisons")
    VOLUNTARY_COMMUNITY = "voluntary_community", _("Voluntary and community")
    OTHER = "other", _("Other")


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Waiting for approval")
        WAITING = "waiting", _("On the waiting list")
        OFFERED = "offered", _("Offered a place")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Not approved")
        OFFER_EXPIRED = "offer_expired", _("Offer ran out")
        # "Confirm your email address first": the place is held until the emailed link is
        # opened (hold_expires_at), then becomes confirmed or pending approval.
        UNCONFIRMED_EMAIL = "unconfirmed_email", _("Waiting for email confirmation")
        HOLD_EXPIRED = "hold_expired", _("Email not confirmed in time")

    # Statuses that hold one of the session's places: what availability is counted from.
    HOLDING_STATUSES = (Status.CONFIRMED, Status.PENDING, Status.OFFERED, Status.UNCONFIRMED_EMAIL)
    # Statuses in which an email address is already on the session (booked or queuing):
    # one of these per address per session.
    ACTIVE_STATUSES = (*HOLDING_STATUSES, Status.WAITING)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    # Stable public identity: the calendar invite's UID is built from it and never changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Stored lower-cased, so one address holds one place however it is typed.
    email = models.EmailField(_("work email address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200)
    # Fair shares (bookings/fair_shares.py): the organisation the booking counts against, from
    # the email domain or else the name typed, worked out once when it is made; and whether it
    # waits only because that organisation already had its share while places were free (such
    # a wait does not close the free places to other organisations).
    organisation_key = models.CharField(max_length=260, blank=True, default="", editable=False)
    fair_share_waiting = models.BooleanField(default=False, editable=False)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector)
    job_title = models.CharField(_("job title or role"), max_length=200)
    access_needs = models.TextField(_("access needs"), max_length=1000, blank=True)
    consented_at = models.DateTimeField(_("consent given"))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.CONFIRMED)
    # The manage link's token is never stored: only its SHA-256 (for lookup) and a random
    # seed from which, with SECRET_KEY, the worker can rebuild the link for emails.
    manage_token_seed = models.CharField(max_length=64, editable=False)
    manage_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    manage_link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Raised on every change an attendee's calendar must hear about (RFC 5546 SEQUENCE).
    invite_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the place became confirmed (at booking, on approval or from the waiting list):
    # reminders due before this moment are not sent late.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Optional: a line manager copied into the confirmation, as many partnerships ask.
    line_manager_email = models.EmailField(_("line manager's email address"), max_length=254, blank=True)
    # Optional, offered only by an organisation that sends by GOV.UK Notify: a UK mobile
    # (+447...) for a text the day before, if the person asked for one.
    mobile_number = models.CharField(_("mobile number"), max_length=20, blank=True)
    text_reminder_wanted = models.BooleanField(_("text me a reminder the day before"), default=False)
    # The language the person booked in (English or Welsh): every email to them is in it.
    language = models.CharField(_("language"), max_length=10, default="en-gb", editable=False)
    # Waiting list: an offer holds a place until it runs out.
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    # Waiting for email confirmation: the place is released at this moment if not confirmed.
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # Approval: who decided, when, and the reason given for a rejection.
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # Set when the person's details were removed (retention or erasure): the booking stays,
    # for the counts, but is never shown as a person again (bookings/personal_data.py).
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The emails queued about this booking (the outbox knows no bookings: it names what each
    # email is about). Deleting a booking deletes its emails, addresses and all.
    emails = GenericRelation(
        "notifications.Email", content_type_field="about_type", object_id_field="about_id", related_query_name="booking"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Counting the places taken on a session must stay cheap with 100,000 bookings.
            models.Index(fields=["session", "status"], name="booking_session_status"),
            models.Index(fields=["email"], name="booking_email"),
            models.Index(fields=["status", "offer_expires_at"], name="booking_offer_expiry"),
            models.Index(fields=["status", "hold_expires_at"], name="booking_hold_expiry"),
            # The places one organisation holds on a session, counted under the session's lock.
            models.Index(fields=["session", "organisation_key"], name="booking_session_organisation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=["confirmed", "pending", "offered", "unconfirmed_email", "waiting"]),
                name="one_active_booking_per_email",
                violation_error_message=_("This email address already has a place on this session."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING

    @property
    def is_offered(self) -> bool:
        return self.status == self.Status.OFFERED

    @property
    def is_unconfirmed_email(self) -> bool:
        return self.status == self.Status.UNCONFIRMED_EMAIL

    @property
    def has_ended(self) -> bool:
        """Cancelled, not approved, or an offer or hold that ran out: on nothing any more."""
        return self.status not in self.ACTIVE_STATUSES

    @property
    def holds_a_place(self) -> bool:
        return self.status in self.HOLDING_STATUSES

    def move_to(self, status: str, now) -> list[str]:
        """Set the status, noting when the place became confirmed; returns the fields to save."""
        self.status = status
        if status == self.Status.CONFIRMED:
            self.confirmed_at = now
        return ["status", "confirmed_at"]

    @staticmethod
    def manage_path(token: str) -> str:
        return reverse("public:manage", kwargs={"token": token})


class Answer(models.Model):
    """An answer to one of the organiser's own questions (programmes.Question), kept with the
    booking. The question's wording and type are copied as they were asked: a question
    changed or removed later leaves the answers already given as they were."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("programmes.Question", null=True, on_delete=models.SET_NULL, related_name="answers")
    question_label = models.CharField(max_length=250)
    question_kind = models.CharField(max_length=20)
    # The answer as text ("Yes", "2026-01-19", several choices one per line); "" when an
    # optional question was left blank.
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["booking", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question_label}: {self.value}"


class SignInLink(models.Model):
    """A one-time link to "See all my bookings" (bookings/own_record.py), emailed only to an
    address that has bookings. Only the SHA-256 of its secret is kept; it is used once, by a
    POST (not the GET a mail scanner makes), before it expires. Deleted by erasure, and by the
    retention run once expired (bookings/personal_data.py)."""

    # Stored lower-cased, as Booking.email.
    email = models.EmailField(max_length=254, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Sign-in link {self.pk}"
