import datetime as dt
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings import answers as booking_answers
from bookyourplace.bookings.attendees import AttendeeDetails, has_control_characters
from bookyourplace.bookings.errors import InvalidAnswers
from bookyourplace.bookings.mobile_numbers import normalise_uk_mobile
from bookyourplace.bookings.models import Sector
from bookyourplace.core.forms import CheckboxField, GovukDateField, GovukForm
from bookyourplace.programmes.models import Question

# The booking form is shared by the public site and the back office ("add a booking for
# someone who phoned"), so it lives with the bookings domain, as its interface.


class OneLineField(forms.CharField):
    """Text on one line: line breaks and control characters are refused with the field's
    own message (they would break email headers and exports). Checked before the
    surrounding spaces are stripped, so "Sam<newline>" is refused, not quietly changed."""

    def __init__(self, *, special_message, **kwargs):
        super().__init__(**kwargs)
        self.special_message = special_message

    def to_python(self, value):
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(self.special_message, code="control_characters")
        return super().to_python(value)


def _text(
    label, *, max_length, required_message, too_long_message, autocomplete, special_message, help_text="", required=True
):
    return OneLineField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        special_message=special_message,
        error_messages={"required": required_message, "max_length": too_long_message},
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
    )


class HoneypotInput(forms.TextInput):
    """A text box people never see: hidden by the site's stylesheet (the CSP forbids inline
    styles), hidden from screen readers, out of the tab order, never autofilled. Scripts that
    fill every box fill it. It counts as a hidden field, so forms that list their visible
    fields (the back office) do not show it, and it renders its own wrapper and label."""

    template_name = "bookings/widgets/honeypot.html"

    @property
    def is_hidden(self):
        return True


class BookingForm(GovukForm):
    # Named like something a script would fill; the label tells a person (whose browser
    # ignores the stylesheet) to leave it.
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        widget=HoneypotInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    first_name = _text(
        _("First name"),
        max_length=100,
        autocomplete="given-name",
        required_message=_("Enter your first name"),
        too_long_message=_("First name must be 100 characters or fewer"),
        special_message=_("First name must not contain line breaks or special characters"),
    )
    last_name = _text(
        _("Last name"),
        max_length=100,
        autocomplete="family-name",
        required_message=_("Enter your last name"),
        too_long_message=_("Last name must be 100 characters or fewer"),
        special_message=_("Last name must not contain line breaks or special characters"),
    )
    email = forms.EmailField(
        label=_("Work email address"),
        max_length=254,
        help_text=_(
            "Use your own work email, not a shared inbox. We will send your confirmation and joining details here."
        ),
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = _text(
        _("Organisation"),
        max_length=200,
        autocomplete="organization",
        help_text=_("For example, the school, trust, practice or team you work for."),
        required_message=_("Enter the name of your organisation"),
        too_long_message=_("Organisation must be 200 characters or fewer"),
        special_message=_("Organisation must not contain line breaks or special characters"),
    )
    sector = forms.ChoiceField(
        label=_("Which sector do you work in?"),
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the sector you work in"),
            "invalid_choice": _("Select the sector you work in"),
        },
    )
    job_title = _text(
        _("Job title or role"),
        max_length=200,
        autocomplete="organization-title",
        required_message=_("Enter your job title or role"),
        too_long_message=_("Job title or role must be 200 characters or fewer"),
        special_message=_("Job title or role must not contain line breaks or special characters"),
    )
    line_manager_email = forms.EmailField(
        label=_("Your line manager's email address"),
        required=False,
        max_length=254,
        help_text=_("If you give it, we send your line manager a copy of your booking (without your private links)."),
        error_messages={
            "invalid": _("Enter your line manager's email address in the correct format, like name@example.com"),
            "max_length": _("Line manager's email address must be 254 characters or fewer"),
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    access_needs = forms.CharField(
        label=_("Access needs"),
        required=False,
        max_length=1000,
        help_text=_(
            "Tell us about anything that would help you take part, for example captions, a British Sign "
            "Language interpreter or step-free access. We only use this to arrange support and delete it "
            "after the session."
        ),
        error_messages={"max_length": _("Access needs must be 1000 characters or fewer")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = CheckboxField(
        legend=_("How we use your information"),
        label=_("I agree to my details being used to manage my booking and to report on attendance"),
        error_messages={"required": _("Confirm that you agree to how we use your information")},
    )

    def __init__(
        self, *args, organiser=None, questions: Sequence[Question] = (), text_reminders: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        # The organiser's own questions come after the fixed ones, before the agreement to how
        # the details are used (the form's last word, next to its button).
        consent = self.fields.pop("consent")
        # A text the day before: offered only by an organisation that sends texts (GOV.UK Notify).
        self.text_reminders = text_reminders
        if text_reminders:
            self.fields.update(text_reminder_fields())
        for question in self.questions:
            self.fields[booking_answers.field_name(question.pk)] = question_field(question)
        self.fields["consent"] = consent
        # The notice of the organiser who runs the session: they are the data controller.
        notice = (
            reverse("public:organiser_privacy", kwargs={"organiser_slug": organiser.slug})
            if organiser is not None
            else reverse("public:privacy")
        )
        self.fields["consent"].help_text = format_html(
            str(
                _(
                    'Read the <a class="govuk-link" href="{}">privacy notice</a> to see how we use and keep your information.'
                )
            ),
            notice,
        )

    @property
    def text_reminder_fields(self) -> list:
        """The mobile number and the ask for a text, when offered, for the template."""
        return [self["mobile_number"], self["text_reminder"]] if self.text_reminders else []

    @property
    def question_fields(self) -> list:
        """The bound fields of the organiser's own questions, in order, for the template."""
        return [self[booking_answers.field_name(question.pk)] for question in self.questions]

    def clean(self):
        data = super().clean()
        if self.text_reminders and data.get("text_reminder") and not data.get("mobile_number"):
            if "mobile_number" not in self.errors:
                self.add_error("mobile_number", _("Enter your mobile number to get a text reminder"))
        # The booking rule's own check of the answers (bookings/answers.py), on what the fields
        # let through: the same words, whichever face books.
        try:
            booking_answers.check_answers(self.questions, self._answers_typed())
        except InvalidAnswers as invalid:
            for field, messages in invalid.problems.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        return data

    def _answers_typed(self) -> dict[int, str]:
        data = self.cleaned_data
        typed = {}
        for question in self.questions:
            name = booking_answers.field_name(question.pk)
            if name in data:
                typed[question.pk] = answer_text(question, data[name])
        return typed

    def answers(self) -> dict[int, str]:
        """The answers to the organiser's questions as book_place takes them (after is_valid)."""
        return self._answers_typed()

    def filled_by_a_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def attendee(self) -> AttendeeDetails:
        data = self.cleaned_data
        return AttendeeDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            sector=data["sector"],
            job_title=data["job_title"],
            access_needs=data["access_needs"],
            line_manager_email=data["line_manager_email"],
            mobile_number=data.get("mobile_number", ""),
            text_reminder_wanted=bool(data.get("text_reminder")),
        )


class UkMobileField(forms.CharField):
    """A UK mobile number, written back as +447... (empty if not given)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return normalise_uk_mobile(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


def text_reminder_fields() -> dict[str, forms.Field]:
    return {
        "mobile_number": UkMobileField(
            label=_("Mobile number"),
            required=False,
            max_length=30,
            help_text=_("A UK mobile number, like 07700 900 982. We only use it for the text you ask for below."),
            error_messages={
                "invalid": _("Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982"),
                "max_length": _("Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982"),
            },
            widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "spellcheck": "false"}),
        ),
        "text_reminder": CheckboxField(
            legend=_("Text reminder"),
            label=_("Text me a reminder the day before"),
            required=False,
        ),
    }


# --- The organiser's own questions ---------------------------------------------------------------

YES_NO_CHOICES = [(booking_answers.YES, _("Yes")), (booking_answers.NO, _("No"))]


def question_field(question: Question) -> forms.Field:
    """The form field that asks one of the organiser's questions, with the GOV.UK pattern for
    its type and messages written from its wording (bookings/answers.py)."""
    messages = booking_answers.messages_for(question)
    Kind = Question.Kind
    common = {"label": question.label, "required": question.required, "help_text": question.hint}
    errors = {"required": messages.required, "invalid_choice": messages.invalid_choice}
    if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        short = question.kind == Kind.SHORT_TEXT
        return forms.CharField(
            **common,
            max_length=booking_answers.max_length(question.kind),
            error_messages={"required": messages.required, "max_length": messages.too_long},
            widget=forms.TextInput() if short else forms.Textarea(attrs={"rows": 4}),
        )
    if question.kind == Kind.ONE_CHOICE:
        return forms.ChoiceField(
            **common, choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, error_messages=errors
        )
    if question.kind == Kind.SEVERAL_CHOICES:
        common["help_text"] = question.hint or _("Select all that apply.")
        return forms.MultipleChoiceField(
            **common,
            choices=[(c, c) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            error_messages={**errors, "invalid_list": messages.invalid_choice},
        )
    if question.kind == Kind.YES_NO:
        return forms.ChoiceField(**common, choices=YES_NO_CHOICES, widget=forms.RadioSelect, error_messages=errors)
    common["help_text"] = question.hint or _("For example, 27 3 2024")
    return GovukDateField(
        **common,
        error_messages={
            "required": messages.required,
            "invalid": messages.not_a_date,
            "incomplete": messages.incomplete_date,
        },
    )


def answer_text(question: Question, value) -> str:
    """A cleaned field's value as the answer is kept: text, a date as YYYY-MM-DD, several
    choices one per line."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "\n".join(value)
    return str(value)
