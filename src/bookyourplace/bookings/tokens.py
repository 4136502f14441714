"""The secret in a manage-your-booking link.

The token is an HMAC of a random per-booking seed under SECRET_KEY: 192 bits that nobody
can guess or rebuild from the database alone. Only its SHA-256 is stored, for lookup, and
the comparison runs in constant time. Keeping the seed (not the token) lets the worker put
the same link in every email without the link ever being written down.

After SECRET_KEY is rotated, the keys in SECRET_KEY_FALLBACKS are tried too: the link put in
a later email is the one the booking already has (links.manage_token), and check-in and
survey links made under an older key still open (purpose_secret_matches).
"""

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterator

from django.conf import settings
from django.utils.crypto import salted_hmac

TOKEN_LENGTH = 32  # base64url characters: 192 bits
_TOKEN_SHAPE = re.compile(rf"^[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}$")


def new_seed() -> str:
    return secrets.token_hex(16)


def _keys() -> list[str]:
    """SECRET_KEY, then the older keys still honoured after a rotation."""
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def token_from_seed(seed: str, *, key: str | None = None) -> str:
    digest = salted_hmac("bookyourplace.manage-link", seed, secret=key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def tokens_from_seed(seed: str) -> Iterator[str]:
    """The seed's token under SECRET_KEY, then under each key in SECRET_KEY_FALLBACKS."""
    for key in _keys():
        yield token_from_seed(seed, key=key)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    return bool(_TOKEN_SHAPE.match(value or ""))


def token_matches(token: str, *, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


# Links for one purpose each (the check-in QR code, the feedback survey): "<reference>.<secret>",
# the secret an HMAC of the booking's seed under the purpose's own salt. Rebuilt when needed,
# never stored; not the manage token and not one another's, so a forwarded survey link or a
# photographed QR code gives nothing but its purpose. The reference finds the booking by an
# indexed read; the secret is compared in constant time.
PURPOSE_SECRET_LENGTH = 22  # base64url characters: 132 bits
_PURPOSE_SEPARATOR = "."


def purpose_secret(seed: str, *, purpose: str, key: str | None = None) -> str:
    digest = salted_hmac(f"bookyourplace.{purpose}", seed, secret=key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:PURPOSE_SECRET_LENGTH]


def purpose_token(*, reference: str, seed: str, purpose: str) -> str:
    return f"{reference}{_PURPOSE_SEPARATOR}{purpose_secret(seed, purpose=purpose)}"


def split_purpose_token(token: str) -> tuple[str, str] | None:
    """(reference, secret) if the token has the shape of a purpose token, else None."""
    reference, _, secret = (token or "").strip().rpartition(_PURPOSE_SEPARATOR)
    if not reference or len(secret) != PURPOSE_SECRET_LENGTH or len(reference) > 12:
        return None
    return reference, secret


def purpose_secret_matches(secret: str, *, seed: str, purpose: str) -> bool:
    """Under SECRET_KEY or a key in SECRET_KEY_FALLBACKS: a QR code printed before a rotation
    still checks its holder in."""
    return any(hmac.compare_digest(purpose_secret(seed, purpose=purpose, key=key), secret) for key in _keys())
