"""How the back office shows a refusal (a DomainError from a service): the one place that
turns one into a form error, an error summary on a confirmation page, or a flash message."""

from collections.abc import Mapping

from django import forms
from django.contrib import messages

from bookyourplace.core.errors import DomainError


def add_to_form(form: forms.Form, error: DomainError, *, field_for: Mapping[str, str] | None = None) -> None:
    """Put the refusal on the form: on its field when the form has that field, otherwise
    above the form. An error with several ``problems`` (field -> messages) puts each on its
    field; a field the form already found wrong keeps only the form's own message.
    ``field_for`` maps a rule's field to the form's, where the form asks for it differently
    (a session's ``starts_at`` is the form's ``start_time``)."""
    problems = getattr(error, "problems", None) or {error.field: [error.message]}
    for rule_field, field_messages in problems.items():
        field = (field_for or {}).get(rule_field, rule_field)
        if field in form.fields:
            if field not in form.errors:
                form.add_error(field, list(field_messages))
        else:
            form.add_error(None, list(field_messages))


def page_error(error: DomainError) -> str:
    """The refusal as a page's error summary shows it (a confirmation page with no form)."""
    return str(error.message)


def flash(request, error: DomainError) -> None:
    """The refusal shown on the next page, after a redirect."""
    messages.error(request, error.message)
