"""Adding an organisation and changing its settings: checked, recorded in the audit log, and
taken by its new programmes."""

import datetime as dt

import pytest

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import editing, importing, organisations
from bookyourplace.programmes.flyers.draft import DraftSession
from bookyourplace.programmes.models import Organiser, Programme

pytestmark = pytest.mark.django_db

ROOT = Actor(label="Installation administrator")


def _add(**overrides):
    details = {
        "name": "Warwickshire Safeguarding Partnership",
        "slug": "warwickshire",
        "contact_email": "safeguarding@warwickshire.example",
        "brand_colour": "#5a2d82",
        "email_sender_name": "Warwickshire Safeguarding",
        "reply_to_email": "replies@warwickshire.example",
    }
    return organisations.create_organisation(actor=ROOT, **{**details, **overrides})


def test_create_organisation_saves_it_and_records_who_added_it():
    organiser = _add()

    assert Organiser.objects.get(slug="warwickshire").sender_name == "Warwickshire Safeguarding"
    assert organiser.reply_to_address == "replies@warwickshire.example"
    event = AuditEvent.objects.get(action=organisations.CREATED)
    assert event.actor_label == "Installation administrator"
    assert "Warwickshire Safeguarding Partnership" in event.summary


def test_create_organisation_refuses_a_colour_white_text_cannot_be_read_on():
    with pytest.raises(organisations.OrganisationError) as refusal:
        _add(brand_colour="#ffdd00")

    assert refusal.value.field == "brand_colour"
    assert "darker colour" in refusal.value.message
    assert not Organiser.objects.filter(slug="warwickshire").exists()


def test_create_organisation_refuses_a_short_name_another_has(organiser):
    with pytest.raises(organisations.OrganisationError) as refusal:
        _add(slug="coventry")

    assert refusal.value.field == "slug"
    assert "Another organisation already has this short name" in refusal.value.message


def test_sender_and_reply_to_fall_back_to_the_name_and_contact_email():
    organiser = _add(email_sender_name="", reply_to_email="")

    assert organiser.sender_name == "Warwickshire Safeguarding Partnership"
    assert organiser.reply_to_address == "safeguarding@warwickshire.example"


def test_change_organisation_records_what_changed(organiser):
    organisations.change_organisation(
        organiser=organiser,
        values={"email_sign_off": "With best wishes,\nthe Prevent team", "default_retention_months": 36},
        actor=ROOT,
    )

    organiser.refresh_from_db()
    assert organiser.email_sign_off == "With best wishes,\nthe Prevent team"
    assert organiser.default_retention_months == 36
    summary = AuditEvent.objects.get(action=organisations.CHANGED).summary
    assert "email sign-off" in summary
    assert "keep people's details" in summary


def test_change_organisation_with_nothing_different_records_nothing(organiser):
    organisations.change_organisation(organiser=organiser, values={"brand_colour": organiser.brand_colour}, actor=ROOT)

    assert not AuditEvent.objects.filter(action=organisations.CHANGED).exists()


def test_change_organisation_refused_leaves_it_as_it_was(organiser):
    with pytest.raises(organisations.OrganisationError):
        organisations.change_organisation(organiser=organiser, values={"brand_colour": "#eeeeee"}, actor=ROOT)

    assert organiser.brand_colour == "#1d4f91"
    organiser.refresh_from_db()
    assert organiser.brand_colour == "#1d4f91"


def test_changing_the_colour_makes_its_programmes_cached_pages_out_of_date(organiser, programme):
    before = programme.page_version

    organisations.change_organisation(organiser=organiser, values={"brand_colour": "#0b0c0c"}, actor=ROOT)

    programme.refresh_from_db()
    assert programme.page_version > before


def test_a_new_programme_takes_its_organisations_retention_defaults(organiser):
    organisations.change_organisation(
        organiser=organiser,
        values={"default_retention_months": 12, "default_access_needs_retention_days": 7},
        actor=ROOT,
    )
    other = _add(slug="elsewhere")

    ours = editing.create_programme(organiser=organiser, title="Spring Week", actor=ROOT)
    theirs = editing.create_programme(organiser=other, title="Their Week", actor=ROOT)

    assert (ours.retention_months, ours.access_needs_retention_days) == (12, 7)
    assert (theirs.retention_months, theirs.access_needs_retention_days) == (24, 30)


def test_an_imported_programme_takes_its_organisations_retention_defaults(organiser):
    organisations.change_organisation(organiser=organiser, values={"default_retention_months": 6}, actor=ROOT)
    day = dt.date.today() + dt.timedelta(days=40)
    session = DraftSession(
        date=day, start=dt.time(10), end=dt.time(12), title="Online Radicalisation", delivery="in_person", venue="Hall"
    )

    programme = importing.create_draft_programme(
        organiser=organiser,
        title="Flyer Week",
        sessions=[session],
        capacity=20,
        source_name="flyer.txt",
        source_type="text/plain",
        source_content=b"Flyer Week",
        imported_by=None,
        actor=ROOT,
    )

    assert Programme.objects.get(pk=programme.pk).retention_months == 6


def test_a_sender_name_on_two_lines_is_refused_as_it_would_break_every_email(organiser):
    with pytest.raises(organisations.OrganisationError) as refusal:
        organisations.change_organisation(
            organiser=organiser, values={"email_sender_name": "Prevent\nBcc: everyone@example.org"}, actor=ROOT
        )

    assert refusal.value.field == "email_sender_name"
    organiser.refresh_from_db()
    assert organiser.email_sender_name == ""
