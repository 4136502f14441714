"""Rotating SECRET_KEY signs nobody out of the back office while the old key is listed in
SECRET_KEY_FALLBACKS: a session used meanwhile moves to the new key. Dropping the old key ends
only the sessions nobody used since the rotation (docs/deployment.md)."""

import pytest
from django.test import Client

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as

OLD_KEY = "the-old-secret-key-that-was-in-use-for-months-0123456789abcdef"
NEW_KEY = "the-new-secret-key-that-replaces-it-after-rotation-fedcba987654"


@pytest.mark.django_db
def test_a_rotation_signs_out_only_those_who_did_not_come_back_before_the_old_key_was_dropped(settings, organiser):
    # Arrange: two organisers signed in under the old key
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    back_soon, away = Client(), Client()
    sign_in_as(back_soon, make_person(organiser, Role.ORGANISER, email="priya.shah@coventry.gov.uk").user)
    sign_in_as(away, make_person(organiser, Role.ORGANISER, email="tom.hughes@coventry.gov.uk").user)

    # Act: rotated with the old key kept; one of them comes back; then the old key is dropped
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    during = back_soon.get("/backoffice/")
    settings.SECRET_KEY_FALLBACKS = []
    after = back_soon.get("/backoffice/")
    away_after = away.get("/backoffice/")

    # Assert
    assert during.status_code == 200
    assert after.status_code == 200
    assert away_after.status_code == 302 and "/backoffice/sign-in/" in away_after["Location"]
