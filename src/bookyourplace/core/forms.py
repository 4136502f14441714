"""GOV.UK Frontend markup for Django forms.

Each field renders as a GOV.UK form group through ``core/forms/field.html``; the bound
field adds the GOV.UK classes and ties the hint and the error message to the control with
``aria-describedby``. Forms carry an error summary that links to the first control of each
field in error.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _


def whole_number_field(
    label,
    *,
    min_value: int,
    max_value: int,
    required: str,
    invalid: str,
    too_small: str,
    too_big: str,
    help_text="",
    width: int = 3,
) -> forms.IntegerField:
    """A GOV.UK number input (``inputmode=numeric``, a fixed width) with a message in the
    organiser's words for each way the number can be wrong."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=min_value,
        max_value=max_value,
        widget=forms.NumberInput(attrs={"class": f"govuk-input--width-{width}", "inputmode": "numeric"}),
        error_messages={"required": required, "invalid": invalid, "min_value": too_small, "max_value": too_big},
    )


_CONTROL_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


class DatePicker(forms.DateInput):
    """The browser's own date picker (``<input type="date">``). Its value must be written
    as 2026-01-19 whatever the language: a date in the site's format (19/01/2026) shows as an
    empty box, and a form sent back from it then loses the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class GovukBoundField(BoundField):
    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def is_choice_group(self) -> bool:
        return self.widget_type in ("radioselect", "checkboxselectmultiple", "checkbox")

    @property
    def describedby(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def first_control_id(self) -> str:
        """Where the error summary's link takes the reader: the field's first control."""
        if self.widget_type == "radioselect":
            return f"{self.auto_id}_0"
        return self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("aria-describedby", None)
        if self.is_choice_group:
            return attrs
        base = _CONTROL_CLASSES.get(self.widget_type, "govuk-input")
        # The widget's own classes (a width such as govuk-input--width-5) are kept: the attrs
        # returned here replace the widget's, they are not merged with them.
        classes = [base, (widget or self.field.widget).attrs.get("class", ""), attrs.get("class", "")]
        if self.errors:
            classes.append(f"{base}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        if self.describedby:
            attrs["aria-describedby"] = self.describedby
        return attrs


class CheckboxField(forms.BooleanField):
    """A single GOV.UK checkbox inside a fieldset whose legend asks the question."""

    def __init__(self, *, legend, **kwargs):
        super().__init__(**kwargs)
        self.legend = legend


class GovukFormRenderer(DjangoTemplates):
    field_template_name = "core/forms/field.html"
    bound_field_class = GovukBoundField


class GovukForm(forms.Form):
    # The server checks every field and explains in an error summary; the browser's own
    # pop-up validation would pre-empt it with messages we cannot word or translate.
    use_required_attribute = False

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) for each error, in the order of the fields on the page."""
        summary = []
        for message in self.non_field_errors():
            summary.append(("", message))
        for name in self.fields:
            if name in self.errors:
                summary.append((self[name].first_control_id, self.errors[name][0]))
        return summary


DATE_PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, each with its label. The day box has
    the field's id (the error summary's link lands on it); the field template puts the three
    in a fieldset whose legend asks the question."""

    template_name = "core/forms/date_input.html"

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base_id = widget["attrs"].get("id", "")
        in_error = "--error" in widget["attrs"].get("class", "")
        labels = {"day": _("Day"), "month": _("Month"), "year": _("Year")}
        # A date with a part left out marks only the empty boxes, as GOV.UK does; any other
        # error marks all three.
        empty = {part for part, box in zip(DATE_PARTS, widget["subwidgets"], strict=True) if not box["value"]}
        marked = empty if 0 < len(empty) < len(DATE_PARTS) else set(DATE_PARTS)
        for part, box in zip(DATE_PARTS, widget["subwidgets"], strict=True):
            attrs = box["attrs"]
            # The hint and error belong to the fieldset, not to each box.
            attrs.pop("aria-describedby", None)
            if base_id:
                attrs["id"] = base_id if part == "day" else f"{base_id}-{part}"
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            error = " govuk-input--error" if in_error and part in marked else ""
            attrs["class"] = f"govuk-input govuk-date-input__input {width}{error}"
            box["label"] = labels[part]
        return context


class GovukDateField(forms.Field):
    """A date typed into the GOV.UK date input, with the GOV.UK messages: ``required``,
    ``incomplete`` ("%(parts)s": the parts left out, "month" or "day and year") and
    ``invalid`` (not a real date)."""

    widget = GovukDateInput
    default_error_messages = {
        "invalid": _("Enter a real date"),
        "incomplete": _("The date must include a %(parts)s"),
    }

    def to_python(self, value):
        if isinstance(value, dt.date) or value is None:
            return value
        parts = [str(part or "").strip() for part in value][:3]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        words = {"day": _("day"), "month": _("month"), "year": _("year")}
        missing = [str(words[part]) for part, typed in zip(DATE_PARTS, parts, strict=True) if not typed]
        if missing:
            # Filled in with replace, not "%": the message may quote the organiser's own words.
            message = str(self.error_messages["incomplete"]).replace("%(parts)s", " and ".join(missing))
            raise ValidationError(message, code="incomplete")
        day, month, year = parts
        try:
            if len(year) != 4 or not all(part.isdigit() for part in parts):
                raise ValueError
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
