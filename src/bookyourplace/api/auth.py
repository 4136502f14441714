"""Who is asking: an API token in ``Authorization: Bearer <token>``, and the scope an endpoint needs.

``accounts/api_tokens.py`` decides whether a token may be used (``usable_token``): one that is
unknown, expired or revoked is answered 401 with a ``WWW-Authenticate`` challenge (RFC 6750);
a usable token without the endpoint's scope, 403. An endpoint says what it needs with
``needs(scope)``, which also writes the scope into the OpenAPI document, so the two never differ.
Tokens are the only way in: no cookie, no session, no CSRF.
"""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from bookyourplace.accounts.api_tokens import has_scope, usable_token
from bookyourplace.accounts.models import ApiToken

# The OpenAPI security scheme's name, and the extension the schema's scopes are read from
# (openapi.py turns it into the operation's `security`).
SCHEME = "BearerToken"
SCOPE_EXTENSION = "x-required-scope"


class MissingScope(HttpError):
    def __init__(self, scope: str):
        super().__init__(403, f"This API token does not have the {scope} scope.")
        self.headers = {
            "WWW-Authenticate": f'Bearer realm="Book Your Place API", error="insufficient_scope", scope="{scope}"'
        }


class BearerToken(HttpBearer):
    """A usable token with ``scope``; the token is ``request.auth`` (and ``request.api_token``,
    set as soon as it is known, so a refused use is in the audit log too)."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = usable_token(token.strip())
        if found is None:
            return None
        request.api_token = found
        if not has_scope(found, self.scope):
            raise MissingScope(self.scope)
        return found


def needs(scope: str) -> dict:
    """The route decorator's arguments for an endpoint that needs a token with ``scope``."""
    return {"auth": BearerToken(scope), "openapi_extra": {SCOPE_EXTENSION: scope}}


def token_of(request: HttpRequest) -> ApiToken | None:
    """The usable token this request was made with, once authentication has found it."""
    return getattr(request, "api_token", None)
