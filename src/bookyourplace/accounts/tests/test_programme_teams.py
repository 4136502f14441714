"""A programme someone creates or copies is theirs: their organiser's, and on their team,
or not made at all."""

import datetime as dt

import pytest
from django.db import DatabaseError

from bookyourplace.accounts import programme_teams
from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Organiser, Programme

ORGANISER = Actor(label="Organiser")


@pytest.fixture
def elsewhere(db):
    # Named to sort first: a new programme must not go to the first organiser by name.
    return Organiser.objects.create(name="Aardvark Borough", slug="aardvark", contact_email="a@example.org")


def test_a_new_programme_belongs_to_the_creators_organiser_and_team(organiser, elsewhere):
    member = make_person(organiser, Role.ORGANISER, email="priya@coventry.gov.uk")

    programme = programme_teams.create_programme_as(user=member.user, title="Autumn Week", actor=ORGANISER)

    assert programme.organiser == organiser
    assert list(member.programmes.all()) == [programme]


def test_a_copy_is_on_the_copiers_team(organiser, programme, session):
    member = make_person(organiser, Role.ORGANISER, email="priya@coventry.gov.uk", programmes=(programme,))

    copy = programme_teams.copy_programme_as(
        user=member.user,
        programme=programme,
        first_day=dt.date.today() + dt.timedelta(days=365),
        title="Next year",
        actor=ORGANISER,
    )

    assert set(member.programmes.all()) == {programme, copy}


def test_a_programme_its_creator_could_not_join_is_not_kept(organiser, monkeypatch):
    member = make_person(organiser, Role.ORGANISER, email="priya@coventry.gov.uk")

    def fail(user, programme):
        raise DatabaseError("the team could not be saved")

    monkeypatch.setattr(programme_teams, "_join_team", fail)

    with pytest.raises(DatabaseError):
        programme_teams.create_programme_as(user=member.user, title="Autumn Week", actor=ORGANISER)

    assert not Programme.objects.filter(title="Autumn Week").exists()
