"""Several organisations: an installation administrator adds one and its first administrator,
and chooses which one they act for; an organisation's administrators change its settings.
(Who may open each page: test_permissions.py.)"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bookyourplace.accounts.api_tokens import create_token
from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.accounts.testing import make_person, sign_in_as
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Organiser, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    """An installation administrator (a Django superuser), signed in."""
    user = django_user_model.objects.create_superuser("root@partnership.example", "root@partnership.example", "x")
    sign_in_as(client, user)
    return user


@pytest.fixture
def warwickshire(db):
    organiser = Organiser.objects.create(
        name="Warwickshire Safeguarding Partnership", slug="warwickshire", contact_email="w@warwickshire.example"
    )
    Programme.objects.create(organiser=organiser, title="Warwickshire Week", slug="warwickshire-week")
    return organiser


def _organisation_form(**overrides):
    return {
        "name": "Solihull Prevent",
        "slug": "solihull",
        "contact_email": "prevent@solihull.example",
        "brand_colour": "#00594f",
        "email_sender_name": "Solihull Prevent Team",
        "reply_to_email": "",
        **overrides,
    }


def test_organisations_lists_each_with_its_programmes_and_staff(client, root, organiser, programme, warwickshire):
    make_person(organiser, Role.ADMINISTRATOR, email="hana@coventry.gov.uk")
    make_person(organiser, Role.VIEWER, email="vic@coventry.gov.uk")

    page = text_of(client.get(reverse("backoffice:organisations")))

    assert "Coventry Prevent Partnership coventry 1 2" in page
    assert "Warwickshire Safeguarding Partnership warwickshire 1 0" in page
    assert "Add its first administrator to Warwickshire Safeguarding Partnership" in page


def test_adding_an_organisation_then_its_first_administrator(client, root, organiser, run_worker):
    response = client.post(reverse("backoffice:organisation_new"), _organisation_form())

    solihull = Organiser.objects.get(slug="solihull")
    assert response.url == reverse("backoffice:organisation_administrator", kwargs={"organiser_id": solihull.pk})
    assert solihull.sender_name == "Solihull Prevent Team"
    assert "Solihull Prevent has been added" in text_of(client.get(response.url))

    response = client.post(
        response.url, {"first_name": "Sam", "last_name": "Patel", "email": "sam.patel@solihull.example"}
    )

    assert response.url == reverse("backoffice:organisations")
    member = StaffMember.objects.get(user__email="sam.patel@solihull.example")
    assert (member.organiser, member.role) == (solihull, Role.ADMINISTRATOR)
    run_worker()
    assert [m.to for m in mail.outbox] == [["sam.patel@solihull.example"]]
    assert "/backoffice/password-reset/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="organisation.created").count() == 1


def test_adding_an_organisation_with_mistakes_explains_each(client, root, organiser):
    response = client.post(
        reverse("backoffice:organisation_new"), _organisation_form(name="", contact_email="not an address")
    )
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter the organisation’s name" in page
    assert "Enter an email address in the correct format" in page

    page = text_of(client.post(reverse("backoffice:organisation_new"), _organisation_form(brand_colour="#ffff00")))
    assert "Choose a darker colour" in page
    page = text_of(client.post(reverse("backoffice:organisation_new"), _organisation_form(slug="coventry")))
    assert "Another organisation already has this short name" in page
    assert Organiser.objects.count() == 1


def test_changing_an_organisation(client, root, warwickshire):
    url = reverse("backoffice:organisation_edit", kwargs={"organiser_id": warwickshire.pk})
    assert 'value="Warwickshire Safeguarding Partnership"' in client.get(url).content.decode()

    response = client.post(url, _organisation_form(name="Warwickshire County Council", slug="warwickshire"))

    assert response.url == reverse("backoffice:organisations")
    warwickshire.refresh_from_db()
    assert warwickshire.name == "Warwickshire County Council"
    assert warwickshire.brand_colour == "#00594f"


def test_an_organisations_administrator_changes_its_settings(client, admin, organiser, programme):
    url = reverse("backoffice:organisation_settings")
    page = text_of(client.get(url))
    assert "Organisation settings" in page and "Your privacy notice" in page

    response = client.post(
        url,
        {
            "brand_colour": "#0b0c0c",
            "email_sender_name": "Coventry Prevent Team",
            "reply_to_email": "replies@coventry.example",
            "email_sign_off": "With best wishes",
            "offers_welsh": "True",
            "default_retention_months": "12",
            "default_access_needs_retention_days": "14",
        },
    )

    assert response.url == url
    organiser.refresh_from_db()
    assert organiser.reply_to_address == "replies@coventry.example"
    assert organiser.email_sign_off == "With best wishes"
    assert (organiser.default_retention_months, organiser.default_access_needs_retention_days) == (12, 14)
    # New programmes take the new defaults; existing ones keep their own.
    client.post(reverse("backoffice:programme_new"), {"title": "Autumn Week"})
    assert Programme.objects.get(title="Autumn Week").retention_months == 12
    programme.refresh_from_db()
    assert programme.retention_months == 24


def test_an_organisation_chooses_english_only_and_its_pages_lose_the_welsh_switch(client, admin, organiser, programme):
    url = reverse("backoffice:organisation_settings")
    form = text_of(client.get(url))
    assert "Languages of your public pages" in form and "English and Welsh" in form
    assert "Cymraeg" in client.get(programme.get_absolute_url()).content.decode()

    client.post(
        url,
        {
            "brand_colour": "#1d4f91",
            "offers_welsh": "False",
            "default_retention_months": "24",
            "default_access_needs_retention_days": "30",
        },
    )

    organiser.refresh_from_db()
    assert organiser.offers_welsh is False
    # At once, though the programme's page was cached with the switch.
    assert "Cymraeg" not in client.get(programme.get_absolute_url()).content.decode()


def test_organisation_settings_with_mistakes_explain_each(client, admin, organiser):
    response = client.post(
        reverse("backoffice:organisation_settings"),
        {"brand_colour": "#ffffff", "default_retention_months": "0", "default_access_needs_retention_days": "x"},
    )
    page = text_of(response)

    assert "There is a problem" in page
    assert "Keep people's details for at least 1 month" in page
    assert "Enter a whole number of days, like 30" in page
    organiser.refresh_from_db()
    assert organiser.brand_colour == "#1d4f91"


def test_an_installation_administrator_acts_for_the_organisation_they_choose(
    client, root, organiser, programme, warwickshire
):
    create_token(organiser=warwickshire, name="Their LMS", scopes=["read:bookings"], expires_at=None, actor=SYSTEM)
    dashboard = text_of(client.get(reverse("backoffice:dashboard")))
    # The first by name until they choose.
    assert "Organisation: Coventry Prevent Partnership" in dashboard
    assert "Coventry Prevent Week" in dashboard and "Warwickshire Week" not in dashboard

    response = client.post(
        reverse("backoffice:organisation_switch"), {"organiser": warwickshire.pk, "next": reverse("backoffice:people")}
    )

    assert response.url == reverse("backoffice:people")
    dashboard = text_of(client.get(reverse("backoffice:dashboard")))
    assert "Organisation: Warwickshire Safeguarding Partnership" in dashboard
    assert "Warwickshire Week" in dashboard and "Coventry Prevent Week" not in dashboard
    client.post(reverse("backoffice:programme_new"), {"title": "Their Spring Week"})
    assert Programme.objects.get(title="Their Spring Week").organiser == warwickshire
    assert "Their LMS" in text_of(client.get(reverse("backoffice:integrations")))
    settings_page = text_of(client.get(reverse("backoffice:organisation_settings")))
    assert "Warwickshire Safeguarding Partnership" in settings_page


def test_a_member_of_staff_acts_only_for_their_own_organisation(client, admin, organiser, warwickshire):
    dashboard = text_of(client.get(reverse("backoffice:dashboard")))
    assert "Organisation:" not in dashboard

    response = client.post(reverse("backoffice:organisation_switch"), {"organiser": warwickshire.pk})

    assert response.status_code == 403
    client.post(reverse("backoffice:programme_new"), {"title": "Autumn Week"})
    assert Programme.objects.get(title="Autumn Week").organiser == organiser


def test_its_administrators_see_in_the_audit_log_what_was_changed_about_their_organisation(
    client, organiser, warwickshire, django_user_model
):
    root = django_user_model.objects.create_superuser("root@partnership.example", "root@partnership.example", "x")
    sign_in_as(client, root)
    client.post(
        reverse("backoffice:organisation_edit", kwargs={"organiser_id": organiser.pk}),
        _organisation_form(name="Coventry City Council", slug="coventry"),
    )
    client.post(
        reverse("backoffice:organisation_edit", kwargs={"organiser_id": warwickshire.pk}),
        _organisation_form(name="Warwickshire County Council", slug="warwickshire"),
    )
    hana, theirs = make_person(organiser, Role.ADMINISTRATOR, email="hana@coventry.gov.uk"), Client()
    sign_in_as(theirs, hana.user)

    log = text_of(theirs.get(reverse("backoffice:audit_log")))

    assert "Changed the organisation Coventry City Council" in log
    assert "Warwickshire" not in log
