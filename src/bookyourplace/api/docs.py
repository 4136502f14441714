"""/api/docs: the API's documentation as a page of the site, drawn from its OpenAPI document.

Server-rendered GOV.UK markup with no script of its own (the site's Content-Security-Policy
allows no CDN and no inline script; Swagger UI would need both, or its bundle, and is hard to
use with a keyboard or a screen reader): for each endpoint, its scope, parameters, request
body, answers and a curl example; then how to get a token, the scopes, the errors, the limits.
"""

import functools
import json
import shlex
from dataclasses import dataclass, field

from django.conf import settings
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from bookyourplace.accounts.models import ApiScope
from bookyourplace.api.endpoints import api
from bookyourplace.api.openapi import METHODS, scope_of
from bookyourplace.api.problems import GENERIC_REFUSAL, REFUSAL_KINDS
from bookyourplace.core.rate_limits import parse

# What each endpoint's curl example asks (the rest is drawn from the document).
EXAMPLE_PATH_VALUES = {"slug": "coventry-prevent-week", "session_id": "12", "reference": "BYP-3K9QZ"}
EXAMPLE_QUERIES = {
    "list_bookings": "session=12&status=confirmed&limit=50",
    "report": "programme=coventry-prevent-week&date_from=2026-01-19&date_to=2026-01-23",
}
EXAMPLE_BODIES = {
    "create_booking": {
        "first_name": "Sam",
        "last_name": "Patel",
        "email": "sam.patel@nhs.net",
        "organisation": "University Hospitals Coventry",
        "sector": "health",
        "job_title": "Safeguarding nurse",
        "consent": True,
        "join_waiting_list": True,
        "answers": {"7": "Yes"},
    },
    "cancel_booking": {"reason": "Sam has moved to another team."},
}


@dataclass
class Row:
    name: str
    kind: str
    required: bool
    description: SafeString
    where: str = ""
    # The shape the type names, described further down the page (its anchor is shape-<name>).
    link: str = ""


@dataclass
class Answer:
    status: str
    description: SafeString
    kind: str
    media_type: str
    link: str = ""


@dataclass
class Shape:
    name: str
    description: SafeString
    fields: list[Row]


@dataclass
class Endpoint:
    anchor: str
    method: str
    path: str
    summary: str
    paragraphs: list[SafeString]
    scope: str | None
    parameters: list[Row]
    body: list[Row]
    answers: list[Answer]
    curl: str


@dataclass
class Group:
    title: str
    endpoints: list[Endpoint] = field(default_factory=list)


def _resolve(schema: dict, document: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        return document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def prose(text: str) -> SafeString:
    """Text from the document, with `this` shown as code."""
    parts = (text or "").split("`")
    return mark_safe("".join(f"<code>{escape(part)}</code>" if n % 2 else escape(part) for n, part in enumerate(parts)))


def _link(schema: dict, document: dict) -> str:
    """The name of the described shape a type is, or is a list of ("" for none)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return "" if "enum" in _resolve(schema, document) else name
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            if found := _link(option, document):
                return found
    if schema.get("type") == "array":
        return _link(schema.get("items", {}), document)
    return ""


def _kind(schema: dict, document: dict) -> str:
    """The type as a person reads it: "text", "whole number", "one of: a, b", "list of Booking"."""
    if "$ref" in schema:
        target = _resolve(schema, document)
        if "enum" in target:
            return _kind(target, document)
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            text = " or ".join(_kind(s, document) for s in options)
            return f"{text}, or null" if len(options) < len(schema[key]) else text
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return f"“{schema['const']}”"
    kind = schema.get("type", "")
    if kind == "array":
        return f"list of {_kind(schema.get('items', {}), document)}"
    if kind == "object":
        extra = schema.get("additionalProperties")
        return f"object of {_kind(extra, document)}" if isinstance(extra, dict) else "object"
    return {
        ("string", "date-time"): "date and time (ISO 8601, with a time zone)",
        ("string", "date"): "date (YYYY-MM-DD)",
        ("string", "email"): "email address",
        ("string", "uuid"): "UUID",
        ("integer", None): "whole number",
        ("number", None): "number",
        ("boolean", None): "true or false",
        ("string", None): "text",
    }.get((kind, schema.get("format")), kind or "any")


def _limits(schema: dict) -> str:
    parts = []
    if "minimum" in schema and "maximum" in schema and schema["maximum"] < 10**9:
        parts.append(f"{schema['minimum']} to {schema['maximum']}")
    if "maxLength" in schema:
        parts.append(f"at most {schema['maxLength']} characters")
    if "default" in schema and schema["default"] not in (None, "", [], {}):
        parts.append(f"default {json.dumps(schema['default'])}")
    return "; ".join(parts)


def _row(name: str, schema: dict, required: bool, document: dict, where: str = "") -> Row:
    description = schema.get("description", "")
    limits = _limits(schema)
    kind = _kind(schema, document)
    if where and kind.endswith(", or null"):
        kind = kind.removesuffix(", or null")  # an optional parameter is left out, not sent as null
    return Row(
        name=name,
        kind=kind,
        required=required,
        description=prose(" ".join(part for part in (description, f"({limits})" if limits else "") if part)),
        where=where,
        link=_link(schema, document),
    )


def _body_rows(operation: dict, document: dict) -> list[Row]:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        target = _resolve(media.get("schema", {}), document)
        if "anyOf" in target:
            target = _resolve(next(s for s in target["anyOf"] if s.get("type") != "null"), document)
        required = set(target.get("required", []))
        return [_row(name, prop, name in required, document) for name, prop in target.get("properties", {}).items()]
    return []


def _answers(operation: dict, document: dict) -> list[Answer]:
    answers = []
    for status, response in operation.get("responses", {}).items():
        answer = Answer(str(status), prose(response.get("description", "")), "", "")
        for media_type, media in response.get("content", {}).items():
            answer.kind = _kind(media.get("schema", {}), document)
            answer.media_type = media_type
            answer.link = _link(media.get("schema", {}), document)
        answers.append(answer)
    return answers


def shapes(document: dict) -> list[Shape]:
    """Every object the API sends or takes, with its fields, by name."""
    found = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        if "properties" not in schema:
            continue
        required = set(schema.get("required", []))
        found.append(
            Shape(
                name=name,
                description=prose(schema.get("description", "")),
                fields=[_row(field, prop, field in required, document) for field, prop in schema["properties"].items()],
            )
        )
    return found


def _curl(operation_id: str, method: str, path: str, scope: str | None) -> str:
    for name, value in EXAMPLE_PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    url = settings.SITE_URL + path
    if operation_id in EXAMPLE_QUERIES:
        url += "?" + EXAMPLE_QUERIES[operation_id]
    lines = ["curl"]
    if method != "GET":
        lines[0] += f" -X {method}"
    if scope:
        lines.append('-H "Authorization: Bearer $BYP_API_TOKEN"')
    if operation_id in EXAMPLE_BODIES:
        lines.append('-H "Content-Type: application/json"')
        lines.append("-d " + shlex.quote(json.dumps(EXAMPLE_BODIES[operation_id])))
    lines.append(shlex.quote(url))
    if len(lines) == 2:
        return " ".join(lines)
    return " \\\n  ".join(lines)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in (text or "").split("\n\n") if block.strip()]


def endpoints(document: dict) -> list[Group]:
    groups: dict[str, Group] = {}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            tag = (operation.get("tags") or ["Other"])[0]
            scope = scope_of(operation)
            groups.setdefault(tag, Group(tag)).endpoints.append(
                Endpoint(
                    anchor=operation["operationId"],
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    paragraphs=[prose(p) for p in _paragraphs(operation.get("description", ""))],
                    scope=scope,
                    parameters=[
                        _row(p["name"], p.get("schema", {}), p.get("required", False), document, where=p["in"])
                        for p in operation.get("parameters", [])
                    ],
                    body=_body_rows(operation, document),
                    answers=_answers(operation, document),
                    curl=_curl(operation["operationId"], method.upper(), path, scope),
                )
            )
    return list(groups.values())


def _rate(name: str) -> str:
    rates = parse(settings.BYP_RATE_LIMITS[name])
    if not rates:
        return "no limit"
    return ", and ".join(f"{rate.count} requests in {_seconds(rate.seconds)}" for rate in rates)


def _seconds(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"1 {unit}" if count == 1 else f"{count} {unit}s"
    return f"{seconds} seconds"


@functools.cache
def _context() -> dict:
    document = api.get_openapi_schema()
    return {
        "groups": endpoints(document),
        "shapes": shapes(document),
        "scopes": [(scope.value, scope.label) for scope in ApiScope],
        "refusals": [*REFUSAL_KINDS.values(), GENERIC_REFUSAL],
        "site_url": settings.SITE_URL,
        "example_problem": json.dumps(
            {
                "type": "/api/docs#problem-invalid-request",
                "title": "Invalid request",
                "status": 422,
                "detail": "1 field could not be accepted.",
                "errors": [
                    {"field": "email", "location": "body", "message": "Enter your work email address"},
                ],
            },
            indent=2,
        ),
    }


@require_safe
def page(request):
    context = dict(_context())
    context["per_token"] = _rate("api_per_token")
    context["per_address"] = _rate("api_per_address")
    return render(request, "api/docs.html", context)
