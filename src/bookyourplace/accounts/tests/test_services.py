"""Adding people, changing their role, switching accounts off: the rules and their audit trail."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from bookyourplace.accounts import services
from bookyourplace.accounts.errors import StaffMemberError
from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.accounts.testing import make_person
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Organiser, Programme


@pytest.fixture
def admin(organiser):
    return make_person(organiser, Role.ADMINISTRATOR, email="head@coventry.gov.uk", first_name="Hana", last_name="Ali")


@pytest.fixture
def by_admin(admin):
    return Actor(user=admin.user, ip_address="192.0.2.7")


def test_add_staff_member_creates_an_account_and_queues_a_set_password_email(
    organiser, programme, by_admin, run_worker
):
    member = services.add_staff_member(
        organiser=organiser,
        first_name="Sam",
        last_name="Patel",
        email=" Sam.Patel@Coventry.gov.uk ",
        role=Role.ORGANISER,
        programmes=[programme],
        actor=by_admin,
    )

    assert member.user.username == member.user.email == "sam.patel@coventry.gov.uk"
    assert member.user.get_full_name() == "Sam Patel"
    assert member.user.is_active and member.user.has_usable_password()
    assert list(member.programmes.all()) == [programme]
    assert mail.outbox == []  # the worker sends it, never the request
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam.patel@coventry.gov.uk"]
    assert "Set your password" in message.subject
    assert re.search(r"http://testserver/backoffice/password-reset/[\w-]+/[\w-]+/", message.body)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED_PERSON)
    assert event.actor == by_admin.user and event.ip_address == "192.0.2.7"
    assert event.summary == "Added Sam Patel <sam.patel@coventry.gov.uk> as Organiser of Coventry Prevent Week"


def test_add_staff_member_refuses_an_email_already_in_use(organiser, admin, by_admin):
    with pytest.raises(StaffMemberError, match="already an account") as refusal:
        services.add_staff_member(
            organiser=organiser,
            first_name="Hana",
            last_name="Ali",
            email="HEAD@coventry.gov.uk",
            role=Role.VIEWER,
            actor=by_admin,
        )

    assert refusal.value.field == "email"
    assert User.objects.count() == 1
    assert not AuditEvent.objects.exists()


def test_add_staff_member_refuses_another_organisers_programme(organiser, by_admin):
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = Programme.objects.create(organiser=elsewhere, title="Their week", slug="their-week")

    with pytest.raises(StaffMemberError, match="your own organisation"):
        services.add_staff_member(
            organiser=organiser, first_name="Sam", last_name="Patel", email="sam@example.org",
            role=Role.ORGANISER, programmes=[theirs], actor=by_admin,
        )  # fmt: skip

    assert not User.objects.filter(email="sam@example.org").exists()


def test_add_staff_member_assigns_programmes_to_organisers_only(organiser, programme, by_admin):
    viewer = services.add_staff_member(
        organiser=organiser, first_name="Vic", last_name="Jones", email="vic@example.org",
        role=Role.VIEWER, programmes=[programme], actor=by_admin,
    )  # fmt: skip

    assert not viewer.programmes.exists()


def test_change_staff_member_changes_role_and_programmes_and_records_both(organiser, programme, admin, by_admin):
    second = Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    viewer = make_person(organiser, Role.VIEWER, email="vic@example.org", first_name="Vic", last_name="Jones")

    services.change_staff_member(member=viewer, role=Role.ORGANISER, programmes=[programme, second], actor=by_admin)

    viewer.refresh_from_db()
    assert viewer.role == Role.ORGANISER
    assert set(viewer.programmes.all()) == {programme, second}
    event = AuditEvent.objects.get()
    assert event.summary == (
        "Changed Vic Jones <vic@example.org> from Viewer to Organiser of Autumn Week, Coventry Prevent Week"
    )
    assert event.subject_type == "staffmember" and event.subject_id == str(viewer.pk)


def test_change_staff_member_with_nothing_different_records_nothing(organiser, admin, by_admin):
    viewer = make_person(organiser, Role.VIEWER, email="vic@example.org")

    services.change_staff_member(member=viewer, role=Role.VIEWER, actor=by_admin)

    assert not AuditEvent.objects.exists()


def test_an_administrator_cannot_demote_themselves(admin, by_admin):
    with pytest.raises(StaffMemberError, match="your own administrator role") as refusal:
        services.change_staff_member(member=admin, role=Role.VIEWER, actor=by_admin)

    assert refusal.value.field == "role"
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR


def test_an_administrator_can_demote_another_administrator(organiser, admin, by_admin):
    other = make_person(organiser, Role.ADMINISTRATOR, email="deputy@example.org")

    services.change_staff_member(member=other, role=Role.VIEWER, actor=by_admin)

    other.refresh_from_db()
    assert other.role == Role.VIEWER


def test_deactivate_staff_member_switches_the_account_off_and_keeps_it(organiser, admin, by_admin):
    organiser_person = make_person(
        organiser, Role.ORGANISER, email="sam@example.org", first_name="Sam", last_name="Patel"
    )

    services.deactivate_staff_member(member=organiser_person, actor=by_admin)

    organiser_person.user.refresh_from_db()
    assert organiser_person.user.is_active is False
    assert StaffMember.objects.filter(pk=organiser_person.pk).exists()
    assert AuditEvent.objects.get().summary == "Switched off the account of Sam Patel <sam@example.org>"


def test_an_administrator_cannot_switch_themselves_off(admin, by_admin):
    with pytest.raises(StaffMemberError, match="your own account"):
        services.deactivate_staff_member(member=admin, actor=by_admin)

    admin.user.refresh_from_db()
    assert admin.user.is_active
    assert not AuditEvent.objects.exists()


def test_switching_off_twice_is_refused(organiser, by_admin):
    person = make_person(organiser, Role.VIEWER, email="vic@example.org")
    services.deactivate_staff_member(member=person, actor=by_admin)

    with pytest.raises(StaffMemberError, match="already switched off"):
        services.deactivate_staff_member(member=person, actor=by_admin)

    assert AuditEvent.objects.count() == 1
