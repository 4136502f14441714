"""Back-office people for every app's tests: an account with a role, signed in or not."""

import secrets

from django.contrib.auth.models import User
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from bookyourplace.accounts.models import Role, StaffMember
from bookyourplace.programmes.models import Organiser, Programme

PASSWORD = "a-long-and-unusual-password-42"


def make_person(
    organiser: Organiser,
    role: str = Role.ORGANISER,
    *,
    email: str,
    first_name: str = "Priya",
    last_name: str = "Shah",
    programmes: tuple[Programme, ...] = (),
) -> StaffMember:
    user = User.objects.create_user(email, email, PASSWORD, first_name=first_name, last_name=last_name)
    member = StaffMember.objects.create(user=user, organiser=organiser, role=role)
    member.programmes.set(programmes)
    return member


def staff(
    organiser: Organiser,
    role: str,
    programme: Programme | None = None,
    *,
    email: str = "priya@coventry.gov.uk",
    first_name: str = "Priya",
    last_name: str = "Shah",
) -> User:
    """The account of someone with `role` (on `programme`, if given), not yet signed in."""
    programmes = () if programme is None else (programme,)
    return make_person(
        organiser, role, email=email, first_name=first_name, last_name=last_name, programmes=programmes
    ).user


def sign_in_as(client: Client, user: User) -> None:
    """Signed in with the password already checked (the sign-in page has its own tests)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def make_passkey(user: User, name: str = "Work laptop"):
    """A passkey as django-otp-webauthn keeps one once a browser has made it (no real key: it
    cannot sign in, see the browser tests for that)."""
    return WebAuthnCredential.objects.create(
        user=user, name=name, confirmed=True, credential_id=secrets.token_bytes(32), public_key=b"key", sign_count=0
    )
