"""The people of the two-factor and passkey tests: an organiser and an administrator."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person


@pytest.fixture
def member(organiser):
    return make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk", first_name="Sam", last_name="Patel")


@pytest.fixture
def admin(organiser):
    return make_person(organiser, Role.ADMINISTRATOR, email="head@coventry.gov.uk", first_name="Hana", last_name="Ali")
