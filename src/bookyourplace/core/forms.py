"""GOV.UK Frontend markup for Django forms.

Each field renders as a GOV.UK form group through ``core/forms/field.html``; the bound
field adds the GOV.UK classes and ties the hint and the error message to the control with
``aria-describedby``. Forms carry an error summary that links to the first control of each
field in error.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates


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
