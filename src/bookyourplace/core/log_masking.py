"""Secrets out of the logs.

Some secrets travel in URLs: the manage link's token is a path segment, so is a password
reset link's, and a ``token=`` may ride in a query string. Every log line the service writes
(Django's "Not Found: /booking/<token>/", a wrong-method warning, gunicorn's access log, the
worker's lines) goes through ``mask_secrets`` first: ``MaskSecrets`` is on every handler in
settings.LOGGING, and ``GunicornLogger`` puts it on gunicorn's handlers (scripts/serve.sh).

A new secret-bearing URL adds one line to ``SECRET_PATTERNS``.
"""

import logging
import re

from gunicorn.glogging import Logger

MASK = "[token]"

# A path separator as logged: plain in Django's lines, maybe percent-encoded inside another
# URL (?next=%2Fbooking%2F...).
_SLASH = r"(?:/|%2[Ff])"
# One path segment: up to the next separator, query, fragment, space or quote.
_SEGMENT = r"(?:(?!%2[Ff])[^/\s?#&\"'<>])+"

# (pattern, replacement): each replacement keeps what shows the kind of URL and masks its secret.
SECRET_PATTERNS = [
    # The manage link: /booking/<token>/..., and its calendar, cancel and accept pages.
    (re.compile(rf"({_SLASH}booking{_SLASH}){_SEGMENT}"), rf"\1{MASK}"),
    # The QR code's check-in link: /backoffice/check-in/<reference>.<secret>/
    (re.compile(rf"({_SLASH}check-in{_SLASH}){_SEGMENT}"), rf"\1{MASK}"),
    # A certificate's verification page and download: /certificates/<code>/
    (re.compile(rf"({_SLASH}certificates{_SLASH}){_SEGMENT}"), rf"\1{MASK}"),
    # The feedback survey's link: /feedback/<reference>.<secret>/ and its thank-you page (the
    # back office's /programmes/<id>/feedback/questions/ has no secret and is left as it is).
    (re.compile(rf"({_SLASH}feedback{_SLASH})(?!questions(?:{_SLASH}|$|[\s?#\"'])){_SEGMENT}"), rf"\1{MASK}"),
    # Password reset and set-password links: /backoffice/password-reset/<uidb64>/<token>/
    # (Django's own "set-password" step, which keeps the token in the session, is left as it is).
    (
        re.compile(rf"({_SLASH}password-reset{_SLASH}(?!sent{_SLASH}){_SEGMENT}{_SLASH})(?!set-password\b){_SEGMENT}"),
        rf"\1{MASK}",
    ),
    # The "See all my bookings" sign-in link: /my-bookings/sign-in/<token>/
    (re.compile(rf"({_SLASH}my-bookings{_SLASH}sign-in{_SLASH}){_SEGMENT}"), rf"\1{MASK}"),
    # Council sign-in's return: /backoffice/sign-in/council/callback/?code=...&state=...
    (re.compile(r"((?:[?&]|%3[Ff]|%26)(?:code|state)(?:=|%3[Dd]))[^&\s#\"'<>]+"), rf"\1{MASK}"),
    # Any token in a query string: ?token=..., &manage_token=..., also percent-encoded (%3D).
    (re.compile(r"((?:[?&]|%3[Ff]|%26)[\w-]*token(?:=|%3[Dd]))[^&\s#\"'<>]+", re.IGNORECASE), rf"\1{MASK}"),
]


# Email addresses: the logs name an email or a booking by its number, never the person, but a
# mail server's refusal quoted in a log line can carry the address ("550 <alex@...>: no such
# user"). Masked here, log lines hold no address for retention or erasure to reach.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
ADDRESS_MASK = "[address]"
SECRET_PATTERNS.append((EMAIL_ADDRESS, ADDRESS_MASK))


def mask_secrets(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecrets(logging.Filter):
    """Rewrites a record's message (and its traceback) with every secret masked.

    A filter on a handler, not on a logger: a logger's filters do not see records that
    propagate up from its children, a handler's see everything it writes.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatted here once (the formatter reuses exc_text) so that it can be masked.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with secrets masked in its access and error logs (scripts/serve.sh
    uses core/structured_logs.py's, which adds JSON lines with LOG_FORMAT=json)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(existing, MaskSecrets) for existing in handler.filters):
                    handler.addFilter(MaskSecrets())
