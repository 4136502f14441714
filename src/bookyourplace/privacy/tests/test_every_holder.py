"""Every model that stores something about a person belongs to a registered holder, so
retention, subject access and erasure reach it; and nothing uploaded is ever kept."""

from django.apps import apps
from django.db import models

from bookyourplace.privacy.personal_data import holders

# Field names that hold a person's details wherever they appear.
PERSONAL = {
    "first_name",
    "last_name",
    "email",
    "to",
    "job_title",
    "access_needs",
    "line_manager_email",
    "ip_address",
    "actor_label",
    "text",
    "summary",
    "last_error",
    "note",
}
# Our own models that are not about attendees: back-office people are managed on the People
# page (accounts), and the erasure log keeps only a hash once decided (privacy.ErasureRequest).
NOT_ATTENDEES = {
    "accounts.StaffMember",
    "privacy.ErasureRequest",
    "feedback.Question",
    "programmes.Organiser",
    "programmes.Programme",  # its "summary" describes the programme
}


def our_models():
    return [model for model in apps.get_models() if model.__module__.startswith("bookyourplace.")]


def test_every_model_with_a_personal_field_is_covered_by_a_holder():
    covered = {label for holder in holders() for label in holder.covers}
    with_personal_fields = {
        model._meta.label
        for model in our_models()
        if PERSONAL & {field.name for field in model._meta.get_fields() if isinstance(field, models.Field)}
    }

    assert with_personal_fields - NOT_ATTENDEES - covered == set()
    assert {"bookings.Booking", "notifications.Email", "attendance.WalkIn", "feedback.Answer"} <= covered


def test_each_app_that_holds_people_registers_its_holder():
    assert [holder.name for holder in holders()] == [
        "bookings",
        "sign_in_links",
        "emails",
        "webhook_deliveries",
        "walk_ins",
        "feedback",
        "certificates",
        "audit_log",
    ]


def test_no_model_keeps_an_uploaded_file():
    # Teams attendance reports and imported flyers are read in memory and never stored: if a
    # file field ever appears, its files need a holder (and a place in retention) first.
    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]

    assert file_fields == []
