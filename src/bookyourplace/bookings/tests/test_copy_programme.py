"""Copying a programme, seen from the bookings: a copy starts with no one booked."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from bookyourplace.bookings.models import Booking, Sector
from bookyourplace.programmes.copying import copy_programme
from bookyourplace.programmes.importing import import_programme

FLYER = (settings.BASE_DIR / "demo" / "coventry-prevent-week.txt").read_text(encoding="utf-8")


@pytest.fixture
def flyer_programme(organiser):
    return import_programme(text=FLYER, organiser=organiser, publish=True, today=dt.date(2026, 1, 1))


@pytest.mark.django_db
def test_copy_programme_copies_no_bookings(flyer_programme):
    # Arrange
    Booking.objects.create(
        session=flyer_programme.sessions.first(),
        reference="ABCDE",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        organisation="Coventry City Council",
        sector=Sector.SCHOOLS,
        job_title="DSL",
        consented_at=timezone.now(),
        manage_token_seed="x",
        manage_token_hash="y",
    )

    # Act
    copy = copy_programme(programme=flyer_programme, first_day=dt.date(2027, 1, 18), title="Copy")

    # Assert
    assert Booking.objects.filter(session__programme=copy).count() == 0
    assert Booking.objects.count() == 1
