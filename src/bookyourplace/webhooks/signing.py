"""Signing messages as the Standard Webhooks specification says (www.standardwebhooks.com).

Each message carries three headers:

    webhook-id:        the message's id, the same on every attempt (a receiver keeps the ids it
                       has handled, and ignores a message it already has)
    webhook-timestamp: when this attempt was made, in whole seconds since 1970 (a receiver
                       refuses one more than five minutes from its own clock)
    webhook-signature: "v1,<signature>", the base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>",
                       keyed with the secret's bytes (the base64 after "whsec_"); during a
                       rotation, one signature for each secret, separated by a space

A receiver needs only hmac, hashlib and base64 to check it (README, "Webhooks").
"""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    """ "v1,<base64 HMAC-SHA256 of id.timestamp.body>" for one secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(*, secrets_in_use: list[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id=message_id, timestamp=timestamp, body=body) for secret in secrets_in_use
        ),
    }
