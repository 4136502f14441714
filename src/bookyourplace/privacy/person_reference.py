"""How a person is named where their address may not be: a keyed hash of the address, and
"person 3f9a2c1e" in the audit log. Used by erasure and by subject access alike."""

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

_HASH_SALT = "bookyourplace.privacy.erasure-request"


def normalise(email: str) -> str:
    return email.strip().lower()


def address_hash(email: str, *, secret: str | None = None) -> str:
    """A keyed hash of the address (HMAC-SHA256 with SECRET_KEY): the same address always gives
    the same hash, but the hash cannot be turned back into the address, nor a guessed address
    tested without the key."""
    return salted_hmac(_HASH_SALT, normalise(email), secret=secret, algorithm="sha256").hexdigest()


def address_hashes(email: str) -> list[str]:
    """The address's hash under the key and under any old keys still accepted, so a rotated
    SECRET_KEY (with the old one in SECRET_KEY_FALLBACKS) still finds earlier decisions."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [address_hash(email, secret=secret) for secret in secrets]


def reference(email: str) -> str:
    """How the audit log names a person without their address: "person 3f9a2c1e"."""
    return _("person %(reference)s") % {"reference": address_hash(email)[:8]}
