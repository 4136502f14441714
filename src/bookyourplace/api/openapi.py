"""The OpenAPI document as ninja writes it, finished: each endpoint's scope in its `security`, every
error answer as `application/problem+json`, and the headers a client can count on (Retry-After
with a 429, WWW-Authenticate with a 401)."""

from bookyourplace.api.auth import SCHEME, SCOPE_EXTENSION
from bookyourplace.api.problems import CONTENT_TYPE

SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API token made in the back office (Integrations, API tokens), with the scopes the "
    "endpoint needs: `Authorization: Bearer byp_...`.",
}
_HEADERS = {
    "401": {
        "WWW-Authenticate": {
            "description": 'The challenge (RFC 6750): `Bearer realm=...`, with `error="invalid_token"` when one was sent.',
            "required": True,
            "schema": {"type": "string"},
        }
    },
    "429": {
        "Retry-After": {
            "description": "Whole seconds to wait before trying again.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}
_DESCRIPTIONS = {
    "401": "No API token, or one that is not valid (mistyped, expired or revoked).",
    "403": "The token does not have the scope this endpoint needs.",
    "404": "Not found (or not one of your organiser's).",
    "409": "Refused by the booking rules: the `type` names the rule.",
    "422": "Some fields could not be accepted: `errors` names each.",
    "429": "Too many requests: wait for `Retry-After` seconds.",
}
METHODS = ("get", "put", "post", "delete", "patch")


def finish(schema: dict) -> dict:
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})[SCHEME] = SECURITY_SCHEME
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            scope = operation.pop(SCOPE_EXTENSION, None)
            if scope is not None:
                operation["security"] = [{SCHEME: [scope]}]
            for status, response in operation.get("responses", {}).items():
                status = str(status)
                if not status.isdigit() or int(status) < 400:
                    continue
                content = response.get("content", {})
                if "application/json" in content:
                    response["content"] = {CONTENT_TYPE: content["application/json"]}
                if status in _DESCRIPTIONS:
                    response["description"] = _DESCRIPTIONS[status]
                if status in _HEADERS:
                    response["headers"] = _HEADERS[status]
    return schema


def scope_of(operation: dict) -> str | None:
    """The scope an operation of the finished document needs, or None (public)."""
    for requirement in operation.get("security", []):
        scopes = requirement.get(SCHEME)
        if scopes:
            return scopes[0]
    return None
