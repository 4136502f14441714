"""The role rules, asked directly: which programmes each person sees, and what they may do."""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from bookyourplace.accounts import permissions
from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.programmes.models import Organiser, Programme


@pytest.fixture
def world(organiser, programme):
    """Two programmes here (A and B), one at another organiser, and one person of each kind."""
    second = Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    elsewhere = Organiser.objects.create(name="Warwickshire", slug="warwickshire", contact_email="w@example.org")
    theirs = Programme.objects.create(organiser=elsewhere, title="Their week", slug="their-week")
    return {
        "a": programme,
        "b": second,
        "theirs": theirs,
        "administrator": make_person(organiser, Role.ADMINISTRATOR, email="admin@example.org").user,
        "organiser of A": make_person(organiser, Role.ORGANISER, email="a@example.org", programmes=(programme,)).user,
        "organiser of nothing": make_person(organiser, Role.ORGANISER, email="none@example.org").user,
        "viewer": make_person(organiser, Role.VIEWER, email="viewer@example.org").user,
        "no staff record": User.objects.create_user("stray@example.org", "stray@example.org", "x"),
        "superuser": User.objects.create_superuser("root@example.org", "root@example.org", "x"),
        "anonymous": AnonymousUser(),
    }


PROGRAMMES_SEEN = {
    "administrator": {"a", "b"},
    "organiser of A": {"a"},
    "organiser of nothing": set(),
    "viewer": {"a", "b"},
    "no staff record": set(),
    "superuser": {"a", "b", "theirs"},
    "anonymous": set(),
}


@pytest.mark.parametrize("who", PROGRAMMES_SEEN)
def test_programmes_for_each_role(world, who):
    names = {name for name in ("a", "b", "theirs") if world[name] in permissions.programmes_for(world[who])}

    assert names == PROGRAMMES_SEEN[who]


#                       role_of        edit A  edit B  create  export A  people  audit
ABILITIES = {
    "administrator": (Role.ADMINISTRATOR, True, True, True, True, True, True),
    "organiser of A": (Role.ORGANISER, True, False, True, True, False, False),
    "organiser of nothing": (Role.ORGANISER, False, False, True, False, False, False),
    "viewer": (Role.VIEWER, False, False, False, False, False, False),
    "no staff record": (None, False, False, False, False, False, False),
    "superuser": (Role.ADMINISTRATOR, True, True, True, True, True, True),
    "anonymous": (None, False, False, False, False, False, False),
}


@pytest.mark.parametrize("who", ABILITIES)
def test_what_each_role_may_do(world, who):
    user = world[who]

    assert (
        permissions.role_of(user),
        permissions.can_edit(user, programme=world["a"]),
        permissions.can_edit(user, programme=world["b"]),
        permissions.can_create_programmes(user),
        permissions.can_export_personal_data(user, programme=world["a"]),
        permissions.can_manage_people(user),
        permissions.can_read_audit_log(user),
    ) == ABILITIES[who]
    assert permissions.is_staff(user) == (ABILITIES[who][0] is not None)


@pytest.mark.parametrize("who", [w for w in ABILITIES if w != "superuser"])
def test_nobody_but_a_superuser_can_touch_another_organisers_programme(world, who):
    user = world[who]

    assert not permissions.can_view(user, programme=world["theirs"])
    assert not permissions.can_edit(user, programme=world["theirs"])


def test_organisers_for_is_the_persons_own_organiser(world, organiser):
    assert list(permissions.organisers_for(world["viewer"])) == [organiser]
    assert not permissions.organisers_for(world["no staff record"]).exists()
    assert permissions.organisers_for(world["superuser"]).count() == 2
