"""Where a message may be sent: never to this server's own network.

A webhook URL is typed by an organiser, and the worker that sends to it sits inside the
council's network, beside the database. So an address that resolves to a loopback, private,
link-local (cloud metadata, 169.254.169.254), shared or otherwise non-public address is
refused, when the endpoint is saved and again at every attempt (a name can be pointed
elsewhere later). The worker then connects to the very address it checked, not to the name
again (webhooks/http.py), so a second lookup cannot swap in a private one.

Only https, with the certificate checked, unless ``BYP_WEBHOOKS_ALLOW_PRIVATE`` is on (tests,
a closed network that has decided to allow it) or DEBUG (development); the same setting lets
private addresses through.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from bookyourplace.webhooks.errors import UnsafeDestination


@dataclass(frozen=True)
class Destination:
    """A checked URL: where to connect (``addresses``, each checked) and what to ask for."""

    scheme: str
    host: str
    port: int
    target: str  # the path and query, as the request line sends them
    addresses: tuple[tuple, ...]  # (family, socket address), from getaddrinfo

    @property
    def is_https(self) -> bool:
        return self.scheme == "https"


def private_allowed() -> bool:
    return settings.BYP_WEBHOOKS_ALLOW_PRIVATE


def plain_http_allowed() -> bool:
    return settings.BYP_WEBHOOKS_ALLOW_PRIVATE or settings.DEBUG


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, target) of a URL fit to send to, or UnsafeDestination saying why.
    Looks nothing up."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeDestination(_("Enter a full web address, like https://example.org/webhooks")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeDestination(_("Enter a full web address, like https://example.org/webhooks"))
    if scheme == "http" and not plain_http_allowed():
        raise UnsafeDestination(_("Enter an address that starts with https://, so that messages are encrypted"))
    if parts.username is not None or parts.password is not None:
        raise UnsafeDestination(
            _("Remove the user name and password from the address: every message is signed instead")
        )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), target


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Destination:
    """The URL checked and looked up; UnsafeDestination if it may not be sent to."""
    scheme, host, port, target = check_url(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeDestination(_("No server was found at %(host)s. Check the address") % {"host": host}) from None
    addresses = tuple(dict.fromkeys((family, sockaddr) for family, _type, _proto, _name, sockaddr in found))
    if not private_allowed():
        private = [sockaddr[0] for _family, sockaddr in addresses if not is_public(sockaddr[0])]
        if private:
            raise UnsafeDestination(
                _(
                    "%(host)s is on a private network (%(address)s), which Book Your Place does not send to. "
                    "Use an address that can be reached from the internet"
                )
                % {"host": host, "address": private[0]}
            )
    return Destination(scheme=scheme, host=host, port=port, target=target, addresses=addresses)
