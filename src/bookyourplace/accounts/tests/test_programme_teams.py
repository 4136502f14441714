"""A programme someone creates, copies or imports is theirs: their organiser's, and on their team,
or not made at all."""

import datetime as dt

import pytest
from django.db import DatabaseError

from bookyourplace.accounts import programme_teams
from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.errors import ProgrammeError
from bookyourplace.programmes.flyers.draft import DraftSession
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


def _flyer_draft() -> dict:
    return {
        "title": "Warwickshire Prevent Week",
        "sessions": [
            DraftSession(
                date=dt.date(2027, 3, 1),
                title="Understanding Prevent",
                start=dt.time(10, 0),
                end=dt.time(12, 0),
                delivery="online",
            )
        ],
        "source_name": "flyer.txt",
        "source_type": "text/plain",
        "source_content": b"Monday 1 March 2027 ...",
        "capacity": 40,
    }


def test_a_programme_imported_from_a_flyer_is_on_the_importers_team(organiser):
    member = make_person(organiser, Role.ORGANISER, email="priya@coventry.gov.uk")

    programme = programme_teams.import_programme_as(
        user=member.user, organiser=organiser, actor=ORGANISER, **_flyer_draft()
    )

    assert list(member.programmes.all()) == [programme]
    assert programme.source.imported_by == member.user


def test_nobody_imports_a_flyer_for_an_organiser_they_do_not_act_for(organiser, elsewhere):
    member = make_person(organiser, Role.ADMINISTRATOR, email="priya@coventry.gov.uk")

    with pytest.raises(ProgrammeError, match="You cannot create programmes for Aardvark Borough"):
        programme_teams.import_programme_as(user=member.user, organiser=elsewhere, actor=ORGANISER, **_flyer_draft())

    assert not Programme.objects.exists()
