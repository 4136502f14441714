import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The caller's address: the one the nearest trusted proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N trusted proxies (TRUSTED_PROXY_COUNT) the client is the Nth entry from the right.
    Anything further left was written by the client itself and proves nothing. Fewer
    entries than proxies, or an entry that is not an address, falls back to REMOTE_ADDR.
    The audit log, django-axes (AXES_CLIENT_IP_CALLABLE) and the rate limits all use this.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # Several X-Forwarded-For headers arrive joined with commas, in order, as one.
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote
