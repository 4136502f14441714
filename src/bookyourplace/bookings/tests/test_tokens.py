"""The manage-your-booking token: long enough, never stored, found only by itself."""

import hashlib
import re

import pytest

from bookyourplace.bookings import tokens
from bookyourplace.bookings.links import find_booking_by_token, manage_token
from bookyourplace.bookings.models import Booking
from bookyourplace.bookings.services import book_place

BASE64URL_32 = re.compile(r"^[A-Za-z0-9_-]{32}$")


@pytest.fixture
def booking(session, attendee_details):
    return book_place(session_id=session.pk, attendee=attendee_details())


def stored_values(booking: Booking) -> dict[str, str]:
    """Every column of the booking's row as the database holds it, as text."""
    row = Booking.objects.filter(pk=booking.pk).values(*[f.attname for f in Booking._meta.concrete_fields]).get()
    return {column: str(value) for column, value in row.items()}


def test_token_length_is_32_base64url_characters_which_is_192_bits():
    # Act
    token = tokens.token_from_seed(tokens.new_seed())

    # Assert
    assert BASE64URL_32.match(token) is not None
    assert tokens.TOKEN_LENGTH == 32
    assert len(token) * 6 == 192  # each base64url character carries 6 bits; 192 >= 128


def test_token_from_seed_differs_between_seeds():
    # Act
    made = {tokens.token_from_seed(tokens.new_seed()) for _ in range(100)}

    # Assert
    assert len(made) == 100


def test_token_from_seed_same_seed_gives_same_token():
    # Arrange
    seed = tokens.new_seed()

    # Act / Assert: emails rebuild the link from the seed, so it must not drift.
    assert tokens.token_from_seed(seed) == tokens.token_from_seed(seed)


@pytest.mark.django_db
def test_booking_token_stored_only_as_sha256_hash(booking):
    # Arrange
    token = manage_token(booking)

    # Act
    columns = stored_values(booking)

    # Assert
    assert columns["manage_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert [name for name, value in columns.items() if token in value] == []


@pytest.mark.django_db
def test_find_booking_by_token_right_token_finds_its_own_booking(booking, session, attendee_details):
    # Arrange
    other = book_place(session_id=session.pk, attendee=attendee_details(email="sam.jones@coventry.gov.uk"))

    # Act
    found = find_booking_by_token(manage_token(booking))
    found_other = find_booking_by_token(manage_token(other))

    # Assert
    assert found.pk == booking.pk
    assert found_other.pk == other.pk


@pytest.mark.django_db
def test_find_booking_by_token_wrong_token_returns_none(booking):
    # Arrange: a well-formed token that belongs to no booking
    wrong = tokens.token_from_seed(tokens.new_seed())

    # Act / Assert
    assert find_booking_by_token(wrong) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "garble",
    [
        pytest.param(lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), id="last-character-changed"),
        pytest.param(lambda t: t[:-1], id="one-character-short"),
        pytest.param(lambda t: t + "A", id="one-character-too-long"),
        pytest.param(lambda t: t * 100, id="far-too-long"),
        pytest.param(lambda t: t[:-1] + "!", id="not-base64url"),
        pytest.param(lambda t: t.upper() if t.upper() != t else t.lower(), id="case-changed"),
        pytest.param(lambda t: "", id="empty"),
        pytest.param(lambda t: hashlib.sha256(t.encode()).hexdigest(), id="the-stored-hash-itself"),
    ],
)
def test_find_booking_by_token_garbled_token_returns_none(booking, garble):
    # Arrange
    token = manage_token(booking)

    # Act
    found = find_booking_by_token(garble(token))

    # Assert
    assert find_booking_by_token(token).pk == booking.pk  # the real one still works
    assert found is None


def test_token_from_seed_other_secret_key_gives_other_token(settings):
    # Arrange
    seed = tokens.new_seed()
    with_test_key = tokens.token_from_seed(seed)

    # Act
    settings.SECRET_KEY = "a-different-secret-key-for-this-test-only-0123456789abcdefghij"
    with_other_key = tokens.token_from_seed(seed)

    # Assert
    assert BASE64URL_32.match(with_other_key) is not None
    assert with_other_key != with_test_key
