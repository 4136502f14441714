"""Optional fields are marked "(optional)" by the form template itself (GOV.UK's pattern):
a label that says it too would read "(optional) (optional)", as two forms once did."""

import importlib
import pkgutil

from django import forms
from django.urls import get_resolver

import bookyourplace


def every_form_class() -> set[type[forms.BaseForm]]:
    assert get_resolver().url_patterns  # every page's views (and the URL converters they need) first
    for module in pkgutil.walk_packages(bookyourplace.__path__, "bookyourplace."):
        if not any(part in module.name for part in (".tests", ".migrations", ".testing", "settings", ".urls", "wsgi")):
            importlib.import_module(module.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                todo.append(subclass)
    return {form for form in seen if form.__module__.startswith("bookyourplace.")}


def test_no_optional_field_says_optional_in_its_own_label():
    classes = every_form_class()
    doubled = [
        f"{form.__module__}.{form.__name__}.{name}: {field.label}"
        for form in classes
        for name, field in getattr(form, "base_fields", {}).items()
        if not field.required and "(optional)" in str(field.label or "")
    ]

    assert len(classes) > 20  # the forms were found
    assert doubled == []
