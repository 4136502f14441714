"""An administrator manages who can sign in to the back office."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.accounts.testing import (
    PASSWORD,
    make_person,
    sign_in_as,
)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser, Programme


def person_form(**overrides):
    data = {"first_name": "Sam", "last_name": "Patel", "email": "sam.patel@coventry.gov.uk", "role": "organiser"}
    data.update(overrides)
    return data


def test_people_lists_this_organisers_accounts_only(client, admin, organiser, programme):
    sam = make_person(
        organiser,
        Role.ORGANISER,
        email="sam@coventry.gov.uk",
        first_name="Sam",
        last_name="Patel",
        programmes=(programme,),
    )
    TOTPDevice.objects.create(user=sam.user, name="phone", confirmed=True)
    gone = make_person(organiser, Role.VIEWER, email="gone@coventry.gov.uk", first_name="Gwen", last_name="Owen")
    gone.user.is_active = False
    gone.user.save()
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    make_person(elsewhere, Role.ADMINISTRATOR, email="secret.admin@warwickshire.gov.uk", first_name="Wendy")

    response = client.get(reverse("backoffice:people"))
    page = text_of(response)

    for name in ("backoffice:people", "backoffice:audit_log"):  # in the administrator's menu
        assert f'href="{reverse(name)}"' in response.content.decode()
    assert "Sam Patel sam@coventry.gov.uk Organiser Coventry Prevent Week On Active" in page
    assert "Gwen Owen gone@coventry.gov.uk Viewer All programmes Off Switched off" in page
    assert "Hana Ali (you) hana.ali@coventry.gov.uk Administrator All programmes Off Active" in page
    assert "warwickshire" not in page.lower()


def test_the_add_form_offers_roles_with_hints_and_programmes_as_checkboxes(client, admin, programme):
    response = client.get(reverse("backoffice:person_new"))
    html = response.content.decode()

    assert len(re.findall(r'<input class="govuk-radios__input" id="id_role_\d" name="role" type="radio"', html)) == 3
    page = text_of(response)
    assert "Reads lists and reports. Cannot change anything or export personal data." in page
    assert "Everything, including adding people and reading the audit log." in page
    assert re.search(rf'type="checkbox" value="{programme.pk}"', html)


def test_adding_a_person_emails_them_a_link_to_set_their_password(client, admin, programme, run_worker):
    response = client.post(reverse("backoffice:person_new"), person_form(programmes=[programme.pk]))

    assert response.status_code == 302 and response.url == reverse("backoffice:people")
    member = StaffMember.objects.get(user__email="sam.patel@coventry.gov.uk")
    assert member.role == Role.ORGANISER and list(member.programmes.all()) == [programme]
    assert "Sam Patel has been added" in text_of(client.get(response.url))
    assert mail.outbox == []
    run_worker()
    assert [m.to for m in mail.outbox] == [["sam.patel@coventry.gov.uk"]]
    link = re.search(r"http://testserver(/backoffice/password-reset/\S+)", mail.outbox[0].body).group(1)

    # The new person follows the link, chooses a password and signs in.
    client.post(reverse("backoffice:sign_out"))
    form_url = client.get(link).url  # Django swaps the token for a session and redirects
    new_password = "my-own-new-password-for-byp"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    response = client.post(
        reverse("backoffice:sign_in"), {"username": "sam.patel@coventry.gov.uk", "password": new_password}
    )
    assert response.status_code == 302 and response.url == reverse("backoffice:dashboard")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON, actor=admin.user).count() == 1


def test_adding_a_person_with_mistakes_explains_each(client, admin):
    make_person(admin.organiser, Role.VIEWER, email="taken@coventry.gov.uk")

    response = client.post(
        reverse("backoffice:person_new"), person_form(first_name="", email="taken@coventry.gov.uk", role="")
    )
    page = text_of(response)

    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter their first name" in page and "Select a role" in page
    response = client.post(reverse("backoffice:person_new"), person_form(email="Taken@Coventry.gov.uk"))
    assert "There is already an account with this email address" in text_of(response)
    assert 'href="#id_email"' in response.content.decode()
    assert User.objects.count() == 2


def test_adding_a_person_cannot_assign_another_organisers_programme(client, admin):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = Programme.objects.create(organiser=elsewhere, title="Their week", slug="their-week")

    response = client.post(reverse("backoffice:person_new"), person_form(programmes=[theirs.pk]))

    assert response.status_code == 200
    assert "Select programmes from the list" in text_of(response)
    assert not StaffMember.objects.filter(user__email="sam.patel@coventry.gov.uk").exists()


def test_changing_a_persons_role_and_programmes(client, admin, organiser, programme):
    viewer = make_person(organiser, Role.VIEWER, email="vic@coventry.gov.uk", first_name="Vic", last_name="Jones")

    page = text_of(client.get(reverse("backoffice:person_edit", args=[viewer.pk])))
    assert "Change the role of Vic Jones" in page
    response = client.post(
        reverse("backoffice:person_edit", args=[viewer.pk]), {"role": "organiser", "programmes": [programme.pk]}
    )

    assert response.status_code == 302
    viewer.refresh_from_db()
    assert viewer.role == Role.ORGANISER and list(viewer.programmes.all()) == [programme]
    assert "Saved the role of Vic Jones." in text_of(client.get(response.url))
    edit_page = client.get(reverse("backoffice:person_edit", args=[viewer.pk])).content.decode()
    assert f'type="checkbox" value="{programme.pk}" checked' in edit_page
    assert re.search(r'value="organiser" checked', edit_page)
    assert AuditEvent.objects.get(action=AuditEvent.Action.CHANGED_PERSON).summary.startswith("Changed Vic Jones")


def test_an_administrator_cannot_demote_themselves(client, admin):
    response = client.post(reverse("backoffice:person_edit", args=[admin.pk]), {"role": "viewer"})

    assert response.status_code == 200
    assert "You cannot take away your own administrator role" in text_of(response)
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON).exists()


def test_switching_an_account_off_stops_them_signing_in(client, admin, organiser):
    sam = make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk", first_name="Sam", last_name="Patel")
    other = client.__class__()
    sign_in_as(other, sam.user)
    assert other.get(reverse("backoffice:dashboard")).status_code == 200

    assert "Switch off the account of Sam Patel" in text_of(
        client.get(reverse("backoffice:person_switch_off", args=[sam.pk]))
    )
    response = client.post(reverse("backoffice:person_switch_off", args=[sam.pk]))

    assert response.status_code == 302
    assert "They can no longer sign in" in text_of(client.get(response.url))
    # Signed out at once, and the password no longer works.
    assert other.get(reverse("backoffice:dashboard")).status_code == 302
    response = other.post(reverse("backoffice:sign_in"), {"username": "sam@coventry.gov.uk", "password": PASSWORD})
    assert response.status_code == 200 and "There is a problem" in text_of(response)
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON, summary__startswith="Switched off").count()
        == 1
    )


def test_an_administrator_cannot_switch_themselves_off(client, admin):
    page = text_of(client.get(reverse("backoffice:people")))
    assert "Switch off the account of Hana Ali" not in page

    response = client.post(reverse("backoffice:person_switch_off", args=[admin.pk]))

    assert response.status_code == 200
    assert "You cannot switch off your own account" in text_of(response)
    admin.user.refresh_from_db()
    assert admin.user.is_active


def test_another_organisers_person_is_not_found(client, admin):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = make_person(elsewhere, Role.ORGANISER, email="w@warwickshire.gov.uk")

    assert client.get(reverse("backoffice:person_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("backoffice:person_switch_off", args=[theirs.pk])).status_code == 404
    theirs.user.refresh_from_db()
    assert theirs.user.is_active


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.VIEWER])
def test_people_pages_are_for_administrators_only(client, organiser, programme, role):
    member = make_person(organiser, role, email="someone@coventry.gov.uk", programmes=(programme,))
    target = make_person(organiser, Role.VIEWER, email="target@coventry.gov.uk")
    sign_in_as(client, member.user)

    assert client.get(reverse("backoffice:people")).status_code == 403
    assert client.post(reverse("backoffice:person_new"), person_form()).status_code == 403
    assert (
        client.post(reverse("backoffice:person_edit", args=[target.pk]), {"role": "administrator"}).status_code == 403
    )
    assert client.post(reverse("backoffice:person_switch_off", args=[target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.role == Role.VIEWER and target.user.is_active
    assert not User.objects.filter(email="sam.patel@coventry.gov.uk").exists()
    assert f'href="{reverse("backoffice:people")}"' not in client.get(reverse("backoffice:dashboard")).content.decode()
