"""Every use of an API token in the audit log: one row per request, after it is answered.

The entry names the token (its actor label and its subject), the client's address, what was
asked (method and path, never the query string, which may hold an email address) and the
answer's status, with the programme when the endpoint knows it (``about_programme``). A change
the API makes (a booking, a cancellation) has its own entry too, written by the domain's
service in the change's transaction, with the same actor.

A read whose use could not be written down is not answered: its data is replaced by a 503.
"""

import logging

from django.http import HttpRequest, HttpResponse

from bookyourplace.accounts.models import ApiToken
from bookyourplace.api import problems
from bookyourplace.api.auth import token_of
from bookyourplace.core.requests import client_ip
from bookyourplace.privacy.services import Actor, record

logger = logging.getLogger(__name__)

ACTION = "api_request"
_PROGRAMME_ATTRIBUTE = "api_programme_id"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def actor_for_token(request: HttpRequest, token: ApiToken) -> Actor:
    """The token as the audit log names it, from the client's address."""
    return Actor(ip_address=client_ip(request), label=f"API token {token.name}")


def about_programme(request: HttpRequest, programme_id: int) -> None:
    """Note the programme this request is about, for its audit entry."""
    setattr(request, _PROGRAMME_ATTRIBUTE, programme_id)


def record_use(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    token = token_of(request)
    if token is None:
        return response
    try:
        record(
            actor=actor_for_token(request, token),
            action=ACTION,
            summary=f"{request.method} {request.path} {response.status_code}",
            subject=token,
            programme_id=getattr(request, _PROGRAMME_ATTRIBUTE, None),
        )
    except Exception:
        logger.exception("API request by token %s not written to the audit log", token.pk)
        if request.method in _SAFE_METHODS and response.status_code < 400:
            return problems.unavailable()
    return response
