"""The people of the two-factor tests: an organiser and an administrator, each with an
authenticator app. (``admin`` here is a user, not the signed-in member of backoffice's conftest.)"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.two_factor.steps import ADMIN_EMAIL, EMAIL


@pytest.fixture
def person(organiser, programme):
    return make_person(organiser, Role.ORGANISER, email=EMAIL, programmes=(programme,)).user


@pytest.fixture
def device(person):
    return TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)


@pytest.fixture
def admin(organiser):
    return make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL, first_name="Hana", last_name="Ali").user


@pytest.fixture
def admin_device(admin):
    return TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
