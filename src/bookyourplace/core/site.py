"""The site's own address and sender, from settings, for links and headers in emails."""

from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings


def site_host() -> str:
    """The host name of SITE_URL (no scheme, port or path): "bookings.coventry.gov.uk"."""
    return urlsplit(settings.SITE_URL).hostname or "bookyourplace"


def site_netloc() -> str:
    """Host and port of SITE_URL, as a link needs them: "127.0.0.1:8000"."""
    return urlsplit(settings.SITE_URL).netloc


def from_address(name: str) -> str:
    """The From header for mail sent on someone's behalf: their name, our address
    (DEFAULT_FROM_EMAIL's, so the mail passes the domain's SPF and DKIM)."""
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
