import zoneinfo
from datetime import timedelta

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookyourplace.core.colours import contrast_with_white

# Tags an organiser's description may keep; everything else is stripped when saved.
DESCRIPTION_TAGS = {"p", "b", "strong", "i", "em", "ul", "ol", "li", "br", "a", "sup", "sub"}
DESCRIPTION_ATTRIBUTES = {"a": {"href"}}


def sanitise_description(html: str) -> str:
    return nh3.clean(
        html or "", tags=DESCRIPTION_TAGS, attributes=DESCRIPTION_ATTRIBUTES, link_rel="noopener noreferrer"
    ).strip()


def validate_brand_colour(value: str) -> None:
    # White header text must stay readable on the organiser's colour (WCAG AA, 4.5:1).
    if contrast_with_white(value) < 4.5:
        raise ValidationError(
            _("Choose a darker colour: white text on %(colour)s is hard to read (contrast below 4.5 to 1)."),
            params={"colour": value},
        )


class Organiser(models.Model):
    """The body that runs programmes, for example a council's Prevent team."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    contact_email = models.EmailField(_("contact email"))
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1d4f91",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1d4f91.")), validate_brand_colour],
    )
    # How attendees' emails read (programmes/organisations.py changes them): the name in
    # From (the address stays the install's, for SPF and DKIM), where replies go, and the
    # organisation's own closing words at the end of every email. Blank: the name and the
    # contact email.
    email_sender_name = models.CharField(_("email sender name"), max_length=100, blank=True)
    reply_to_email = models.EmailField(_("reply-to address"), blank=True)
    email_sign_off = models.TextField(_("email sign-off"), max_length=1000, blank=True)
    # Its public pages offer Welsh as well as English (the language switch in their header);
    # English only hides the switch (core/languages.py), and its emails go in English.
    offers_welsh = models.BooleanField(_("pages in Welsh as well as English"), default=True)
    # What a new programme of this organisation keeps (each programme may change its own).
    default_retention_months = models.PositiveSmallIntegerField(
        _("keep people's details for (months after the programme ends)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    default_access_needs_retention_days = models.PositiveSmallIntegerField(
        _("keep access needs for (days after the session)"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(3650)],
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def sender_name(self) -> str:
        return self.email_sender_name or self.name

    @property
    def reply_to_address(self) -> str:
        return self.reply_to_email or self.contact_email

    def programme_defaults(self) -> dict:
        """The settings a new programme of this organisation starts with."""
        return {
            "retention_months": self.default_retention_months,
            "access_needs_retention_days": self.default_access_needs_retention_days,
        }


class ApprovalMode(models.TextChoices):
    OPEN = "open", _("Open: everyone is confirmed at once")
    TRUSTED_DOMAINS = (
        "trusted_domains",
        _("Trusted domains: addresses on the list are confirmed at once, others wait for approval"),
    )
    APPROVAL = "approval", _("Approval for all: every booking waits for an organiser to approve it")


class EmailConfirmation(models.TextChoices):
    """Whether a new booking's place is only held until the person opens the link we email
    (issue 10, point 5): it stops a script filling a session with invented addresses."""

    AUTO = (
        "auto",
        _("When trusted domains decide: on if addresses on the trusted list are confirmed at once, otherwise off"),
    )
    ALWAYS = "always", _("Always: every new booking must confirm its email address")
    NEVER = "never", _("Never")


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/London")
    created_at = models.DateTimeField(auto_now_add=True)
    # Who is confirmed at once; sessions may override.
    approval_mode = models.CharField(_("who can book"), max_length=20, choices=ApprovalMode, default=ApprovalMode.OPEN)
    trusted_domains = models.TextField(
        _("trusted email domains"),
        blank=True,
        help_text=_("One per line, for example coventry.gov.uk, nhs.net, *.sch.uk or police.uk."),
    )
    # On by default with trusted domains: a domain proves nothing until the address is real.
    email_confirmation = models.CharField(
        _("confirm the email address first"), max_length=10, choices=EmailConfirmation, default=EmailConfirmation.AUTO
    )
    offer_hold_hours = models.PositiveIntegerField(
        _("hours an offered place is held"), default=24, validators=[MinValueValidator(1)]
    )
    # Fair shares: at most this many places per attendee organisation on each session
    # (bookings/fair_shares.py); blank: no cap.
    fair_share_cap = models.PositiveSmallIntegerField(
        _("places per organisation on each session"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # Attendees may cancel online until this many hours before the start (0: until the start).
    cancellation_cutoff_hours = models.PositiveIntegerField(_("self-cancellation closes (hours before)"), default=0)
    # Reminder schedule: days before the start, and a "starting soon" email with the joining link.
    reminder_days = models.CharField(_("reminders (days before)"), max_length=50, default="5,1", blank=True)
    joining_reminder_minutes = models.PositiveIntegerField(_("joining reminder (minutes before)"), default=60)
    # After the session: present for at least this share of it counts as attended (a Teams
    # report's minutes); less is "partly attended".
    attendance_threshold_percent = models.PositiveSmallIntegerField(
        _("attended means present for at least (per cent of the session)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # Certificates of attendance: offered to people who attended; optionally only once they
    # have given their feedback.
    certificates_enabled = models.BooleanField(_("offer certificates of attendance"), default=True)
    certificate_needs_feedback = models.BooleanField(_("only after the attendee has given feedback"), default=False)
    # Retention (UK GDPR storage limitation): people's details are anonymised this long after
    # the programme's last session ends; access needs (health data) much sooner.
    retention_months = models.PositiveSmallIntegerField(
        _("keep people's details for (months after the programme ends)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    access_needs_retention_days = models.PositiveSmallIntegerField(
        _("keep access needs for (days after the session)"),
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(3650)],
    )
    # Raised by every change a visitor could see on the public pages (a booking, a session,
    # the programme itself): the cached pages are kept under it (programmes/page_version.py).
    page_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        # Never write back a page version read earlier (bookings may have raised it since).
        # Raising it is the job of the services that change what the public pages show
        # (programmes/page_version.py: programme_changed), not of the model.
        fields = kwargs.get("update_fields")
        if fields is None:
            fields = [f.name for f in self._meta.concrete_fields if not f.primary_key]
        kwargs["update_fields"] = [name for name in fields if name != "page_version"]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("public:programme", kwargs={"programme_slug": self.slug})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Session(models.Model):
    """One briefing or workshop in a programme, held online or in a room."""

    class Delivery(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=250)
    subtitle = models.CharField(_("subtitle"), max_length=250, blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Stored sanitised: only simple formatting is kept.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery, default=Delivery.ONLINE)
    platform = models.CharField(
        _("platform"), max_length=100, blank=True, help_text=_('For example "Microsoft Teams".')
    )
    # Private: only ever shown or sent to confirmed attendees.
    joining_url = models.URLField(_("joining link"), max_length=1000, blank=True)
    joining_instructions = models.TextField(_("joining instructions"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    booking_opens_at = models.DateTimeField(_("booking opens"), null=True, blank=True)
    booking_closes_at = models.DateTimeField(
        _("booking closes"), null=True, blank=True, help_text=_("Leave empty to close booking when the session starts.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SCHEDULED)
    # Overrides of the programme's rules; empty means "as the programme says".
    approval_mode = models.CharField(_("who can book"), max_length=20, choices=ApprovalMode, blank=True)
    trusted_domains = models.TextField(_("trusted email domains"), blank=True)
    # Give freed places straight to the next person waiting, without an offer to accept.
    confirm_from_waiting_list = models.BooleanField(_("confirm places straight from the waiting list"), default=False)
    # The booking form asks this session's own questions (Question.session) instead of the
    # programme's.
    asks_own_questions = models.BooleanField(_("ask this session's own questions"), default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["programme", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Descriptions come from organisers and imports; never store markup we would not render.
        self.description = sanitise_description(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("public:session", kwargs={"programme_slug": self.programme.slug, "session_id": self.pk})

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    @property
    def is_online(self) -> bool:
        return self.delivery == self.Delivery.ONLINE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def closes_at(self):
        return self.booking_closes_at or self.starts_at

    @property
    def effective_approval_mode(self) -> str:
        return self.approval_mode or self.programme.approval_mode

    @property
    def effective_trusted_domains(self) -> list[str]:
        text = self.trusted_domains if self.approval_mode else self.programme.trusted_domains
        return [line.strip().lower().lstrip("@") for line in text.replace(",", "\n").splitlines() if line.strip()]

    @property
    def confirms_email_first(self) -> bool:
        """Does a new booking hold its place only until its email address is confirmed?"""
        rule = self.programme.email_confirmation
        if rule == EmailConfirmation.AUTO:
            return self.effective_approval_mode == ApprovalMode.TRUSTED_DOMAINS
        return rule == EmailConfirmation.ALWAYS

    @property
    def cancellation_closes_at(self):
        return self.starts_at - timedelta(hours=self.programme.cancellation_cutoff_hours)

    def booking_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.booking_opens_at and now < self.booking_opens_at:
            return False
        return now < self.closes_at

    @property
    def location_text(self) -> str:
        """Where it happens, as the flyer says it: "Room 1.4, Friargate" or the platform."""
        if self.is_online:
            return self.platform or str(_("Online"))
        return ", ".join(part for part in (self.room, self.venue) if part)

    @property
    def delivery_text(self) -> str:
        if self.is_online:
            return _("Online: %(where)s") % {"where": self.location_text}
        return _("In person: %(where)s") % {"where": self.location_text}


# --- What an organiser publishes about the service: the privacy notice and the accessibility
# statement (issue 15). Structured fields rendered by a template, never free HTML: the legal
# parts are always there, the organiser fills in their own details.


class SpecialCategoryCondition(models.TextChoices):
    """The UK GDPR Article 9 condition the organiser relies on for access needs (health data)."""

    SUBSTANTIAL_PUBLIC_INTEREST = (
        "substantial_public_interest",
        _(
            "Article 9(2)(g), reasons of substantial public interest, with the Data Protection Act 2018, "
            "Schedule 1, Part 2, paragraph 6 (statutory and government purposes)"
        ),
    )
    EMPLOYMENT = (
        "employment",
        _(
            "Article 9(2)(b), obligations in employment and social protection law, with the Data Protection "
            "Act 2018, Schedule 1, Part 1, paragraph 1"
        ),
    )
    HEALTH_OR_SOCIAL_CARE = (
        "health_or_social_care",
        _("Article 9(2)(h), health or social care, with the Data Protection Act 2018, Schedule 1, Part 1, paragraph 2"),
    )


def lines_of(text: str) -> list[str]:
    """A list typed one item a line, without the empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paragraphs_of(text: str) -> list[str]:
    """Plain text with paragraphs separated by an empty line."""
    return [" ".join(lines_of(block)) for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]


class PrivacyNotice(models.Model):
    """The organiser's own details for its privacy notice; the page says the rest."""

    organiser = models.OneToOneField(Organiser, on_delete=models.CASCADE, related_name="privacy_notice")
    controller_name = models.CharField(_("data controller"), max_length=200, blank=True)
    controller_address = models.TextField(_("data controller's postal address"), blank=True)
    controller_email = models.EmailField(_("data controller's email address"), blank=True)
    dpo_name = models.CharField(_("data protection officer's name"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer's email address"), blank=True)
    dpo_phone = models.CharField(_("data protection officer's phone number"), max_length=50, blank=True)
    special_category_condition = models.CharField(
        _("condition for using access needs (health information)"),
        max_length=40,
        choices=SpecialCategoryCondition,
        default=SpecialCategoryCondition.SUBSTANTIAL_PUBLIC_INTEREST,
    )
    extra_recipients = models.TextField(_("other recipients"), blank=True)
    extra_text = models.TextField(_("anything else people should know"), blank=True)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return str(_("Privacy notice of %(organiser)s") % {"organiser": self.organiser.name})

    @property
    def controller(self) -> str:
        return self.controller_name or self.organiser.name

    @property
    def contact_email(self) -> str:
        return self.controller_email or self.organiser.contact_email

    @property
    def other_recipients(self) -> list[str]:
        return lines_of(self.extra_recipients)

    @property
    def more(self) -> list[str]:
        return paragraphs_of(self.extra_text)


class Compliance(models.TextChoices):
    FULL = "full", _("Fully compliant with WCAG 2.2 AA")
    PARTIAL = "partial", _("Partially compliant with WCAG 2.2 AA: some parts are not accessible (list them)")
    NOT_COMPLIANT = "not", _("Not compliant with WCAG 2.2 AA: most parts are not accessible (list them)")


class AccessibilityStatement(models.Model):
    """The organiser's accessibility statement, in the shape of the model statement for public
    sector websites (PSBAR 2018, regulation 8)."""

    organiser = models.OneToOneField(Organiser, on_delete=models.CASCADE, related_name="accessibility_statement")
    compliance = models.CharField(
        _("how accessible is the service?"), max_length=10, choices=Compliance, default=Compliance.PARTIAL
    )
    known_issues = models.TextField(_("parts that are not accessible"), blank=True)
    contact_email = models.EmailField(_("email address for accessibility requests"), blank=True)
    contact_phone = models.CharField(_("phone number for accessibility requests"), max_length=50, blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("we reply within (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    northern_ireland = models.BooleanField(_("the organiser is in Northern Ireland"), default=False)
    how_tested = models.TextField(_("how the service was tested"), blank=True)
    tested_on = models.DateField(_("date of the last test"), null=True, blank=True)
    prepared_on = models.DateField(_("date this statement was prepared"), null=True, blank=True, editable=False)
    reviewed_on = models.DateField(_("date this statement was last reviewed"), null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return str(_("Accessibility statement of %(organiser)s") % {"organiser": self.organiser.name})

    @property
    def email(self) -> str:
        return self.contact_email or self.organiser.contact_email

    @property
    def issues(self) -> list[str]:
        return lines_of(self.known_issues)


class ProgrammeSource(models.Model):
    """The flyer a programme was imported from, kept as it was uploaded or pasted: what the
    organiser started from, to check the draft against and to show later."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="source")
    file_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    content = models.BinaryField()
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.file_name


class Question(models.Model):
    """A question of the organiser's own on the booking form: a programme's (session empty),
    or one session's own list when that session asks its own (Session.asks_own_questions).
    Removing a question that has answers only hides it (removed_at): the answers given keep
    it, and the question's wording as they answered it (bookings.Answer)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short answer")
        LONG_TEXT = "long_text", _("Long answer")
        ONE_CHOICE = "one_choice", _("One choice from a list")
        SEVERAL_CHOICES = "several_choices", _("Several choices from a list")
        YES_NO = "yes_no", _("Yes or no")
        DATE = "date", _("A date")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="own_questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("type of answer"), max_length=20, choices=Kind)
    label = models.CharField(_("question"), max_length=250)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["programme", "session", "position"], name="question_order")]

    def __str__(self) -> str:
        return self.label
