"""What attendees thought of a session: the programme's survey, its questions, who was asked,
and one response per booking with an answer per question."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings.models import Booking
from bookyourplace.programmes.models import Programme, Session

DEFAULT_OPEN_DAYS = 14
MAX_OPEN_DAYS = 90


class Survey(models.Model):
    """A programme's feedback survey: the same questions for each of its sessions. Made with
    the usual questions the first time it is needed (services.survey_for)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="feedback_survey")
    open_days = models.PositiveSmallIntegerField(
        _("days the survey stays open after the session"),
        default=DEFAULT_OPEN_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OPEN_DAYS)],
    )

    def __str__(self) -> str:
        return f"Feedback survey of {self.programme}"


class Kind(models.TextChoices):
    RATING = "rating", _("A rating from 1 to 5")
    TEXT = "text", _("Free text")


class Scale(models.TextChoices):
    """The words on a rating's five points (services.SCALE_LABELS)."""

    SATISFACTION = "satisfaction", _("Very dissatisfied to very satisfied")
    CONFIDENCE = "confidence", _("Not at all confident to very confident")
    AGREEMENT = "agreement", _("Strongly disagree to strongly agree")


class Role(models.TextChoices):
    """What the results need a question for: the headline satisfaction, and the confidence
    pair that shows what the session changed. Other questions have none."""

    NONE = "", _("Other question")
    SATISFACTION = "satisfaction", _("Overall satisfaction")
    CONFIDENCE_BEFORE = "confidence_before", _("Confidence before the session")
    CONFIDENCE_AFTER = "confidence_after", _("Confidence after the session")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind)
    scale = models.CharField(max_length=20, choices=Scale, blank=True)
    role = models.CharField(max_length=20, choices=Role, blank=True, default=Role.NONE)
    text = models.CharField(_("question"), max_length=300)
    # Removed by an organiser after people had answered it: off the survey, its answers kept.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "role"],
                condition=~Q(role=""),
                name="feedback_one_question_per_role",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_rating(self) -> bool:
        return self.kind == Kind.RATING

    @property
    def is_confidence_pair(self) -> bool:
        return self.role in (Role.CONFIDENCE_BEFORE, Role.CONFIDENCE_AFTER)


class FeedbackRequest(models.Model):
    """The one email asking this booking's attendee for feedback: written with the outbox row,
    in one transaction, so "asked" counts what was really queued."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback_request")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback_requests")
    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Feedback asked of {self.booking_id}"


class SessionRound(models.Model):
    """How far the minute-by-minute job has looked at a session's attendance marks: a mark
    made later than ``marks_seen_until`` (a Teams report imported the next day) makes the job
    look at that session again; otherwise it is passed by without reading its bookings."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="feedback_round")
    requests_queued_at = models.DateTimeField()
    marks_seen_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"Feedback requests for {self.session_id}"


class Response(models.Model):
    """One booking's feedback; changed in place until the survey closes."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback_response")
    # Denormalised from the booking: a session's results are one indexed read.
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback_responses")
    submitted_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["session", "submitted_at"], name="feedback_response_session")]

    def __str__(self) -> str:
        return f"Feedback from {self.booking_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: a question people answered is removed from the survey, never deleted.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Plain text as typed: escaped wherever it is shown, neutralised in spreadsheets.
    text = models.TextField(blank=True)
    # The question's wording when this was answered: it may be reworded since.
    wording = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="feedback_one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.text[:30]}"
