from django.conf import settings

from bookyourplace.privacy.services import Actor


def client_ip(request) -> str | None:
    """The caller's address; behind a trusted proxy, the one it reports."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def actor_for(request, label: str = "") -> Actor:
    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    return Actor(user=user, ip_address=client_ip(request), label=label)
