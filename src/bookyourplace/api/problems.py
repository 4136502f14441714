"""Every error under /api/ as problem JSON (RFC 9457: ``application/problem+json``).

One shape for all of them: ``type``, ``title``, ``status``, ``detail``, and for a request that
could not be accepted (422) ``errors``, one per field, named as the request names it
(``attendee.email``, ``answers.12``, ``limit``). Ninja's own errors (validation, a missing
token, a page not found) and the domain's refusals (``core/errors.py: DomainError``) are turned
into it here, in one place; ``middleware.py`` turns whatever else answers under /api/ (an
unknown address, a wrong method, the database away) into it too.
"""

import logging
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from bookyourplace.bookings import errors as booking_errors
from bookyourplace.core.errors import DomainError
from bookyourplace.core.middleware import is_database_unavailable

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
# Each kind of problem the API names is described on the documentation page, at this anchor.
TYPE_BASE = "/api/docs#problem-"
# Seconds a client is asked to wait when the database is briefly away (as the pages' 503).
RETRY_AFTER_UNAVAILABLE = 5


class FieldProblem(Schema):
    field: str = Field(description="The field, as the request names it: `attendee.email`, `answers.12`, `limit`.")
    location: str = Field(description="Where the field is: `body`, `query`, `path` or `header`.")
    message: str = Field(description="What is wrong with it, written to be shown as it is.")


class Problem(Schema):
    """An error (RFC 9457 problem details)."""

    type: str = Field(description="What kind of problem; `about:blank` for a plain HTTP status.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="For 422: each field that could not be accepted."
    )


def problem(
    status: int,
    detail: str,
    *,
    title: str = "",
    kind: str = "",
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem JSON response. ``kind`` names a problem described on the docs page; without
    it the type is ``about:blank`` and the title the status's own phrase."""
    body = {
        "type": f"{TYPE_BASE}{kind}" if kind else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        Problem(**body).model_dump_json(exclude_none=True), status=status, content_type=CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_problem(field: str, message: str, location: str = "body") -> dict:
    return {"field": field, "location": location, "message": str(message)}


def invalid(errors: list[dict], detail: str = "") -> HttpResponse:
    """422: the request was understood but some of its fields could not be accepted."""
    count = len(errors)
    return problem(
        422,
        detail or ("1 field could not be accepted." if count == 1 else f"{count} fields could not be accepted."),
        title="Invalid request",
        kind="invalid-request",
        errors=errors,
    )


# --- The domain's refusals ------------------------------------------------------------------------

# A refusal the booking rules make about the session or the booking as it stands (not the
# request's fields): 409 Conflict, with a type naming the rule.
REFUSAL_KINDS: dict[type[DomainError], tuple[str, str]] = {
    booking_errors.SessionFull: ("session-full", "Session full"),
    booking_errors.BookingClosed: ("booking-closed", "Booking closed"),
    booking_errors.BookingNotOpenYet: ("booking-not-open-yet", "Booking not open yet"),
    booking_errors.SessionCancelled: ("session-cancelled", "Session cancelled"),
    booking_errors.SessionNotAvailable: ("session-not-available", "Session not open for booking"),
    booking_errors.AlreadyBooked: ("already-booked", "Already booked"),
    booking_errors.CancellationNotAllowed: ("cancellation-not-allowed", "Cancellation not allowed"),
}
GENERIC_REFUSAL = ("refused", "Refused")


def answer_problems(error: booking_errors.InvalidAnswers) -> list[dict]:
    """The answers the booking rules refused, named as the request names them: answers.<id>."""
    return [
        field_problem(f"answers.{name.removeprefix('question_')}", message)
        for name, messages in error.problems.items()
        for message in messages
    ]


def refusal(error: DomainError) -> HttpResponse:
    """A DomainError as problem JSON: 422 naming the field(s) it is about, else 409."""
    if isinstance(error, booking_errors.InvalidAnswers):
        return invalid(answer_problems(error))
    if isinstance(error, booking_errors.InvalidAttendeeDetails):
        return invalid([field_problem("attendee", error.message)])
    if error.field:
        return invalid([field_problem(error.field, error.message)])
    kind, title = next(
        (found for cls in type(error).__mro__ if (found := REFUSAL_KINDS.get(cls)) is not None), GENERIC_REFUSAL
    )
    return problem(409, error.message, title=title, kind=kind)


# --- Ninja's errors ------------------------------------------------------------------------------------

_LOCATIONS = {"body": "body", "query": "query", "path": "path", "header": "header", "cookie": "cookie"}


def _validation_problems(errors: list[dict]) -> list[dict]:
    problems = []
    for error in errors:
        location, *names = error.get("loc", ("body",))
        # Ninja names the body parameter itself first ("body", "payload"): the client never sees it.
        if location == "body" and names and names[0] in ("payload", "details"):
            names = names[1:]
        names = [str(name) for name in names if name not in ("[key]",)]
        field = ".".join(names) or str(location)
        problems.append(field_problem(field, _message(error), _LOCATIONS.get(str(location), "body")))
    return problems


def _message(error: dict) -> str:
    message = str(error.get("msg", "Invalid value"))
    # Pydantic's "Value error, ..." prefix says nothing to the reader.
    return message.removeprefix("Value error, ")


def _authentication_problem(request: HttpRequest) -> HttpResponse:
    given = request.headers.get("Authorization", "")
    challenge = 'Bearer realm="Book Your Place API"'
    if given:
        challenge += ', error="invalid_token"'
        detail = "The API token is not valid: it may be mistyped, expired or revoked."
    else:
        detail = "Send an API token in the Authorization header: `Authorization: Bearer <token>`."
    return problem(401, detail, headers={"WWW-Authenticate": challenge})


def install(api: NinjaAPI) -> None:
    """Answer every error the API raises with problem JSON."""

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        return invalid(_validation_problems(exc.errors))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return _authentication_problem(request)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        headers = getattr(exc, "headers", None)
        return problem(exc.status_code, exc.message, headers=headers)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(404, str(exc) or "Nothing was found at this address.")

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        return refusal(exc)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        return failure(request, exc)


def failure(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """A 503 while the database is away (try again shortly), otherwise a 500, logged."""
    if is_database_unavailable(exc):
        logger.warning("Database unavailable: %s", exc)
        return unavailable()
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem(500, "Something went wrong on our side. It has been logged; try again later.")


def unavailable() -> HttpResponse:
    return problem(
        503,
        "The service is briefly unavailable. Try again in a few seconds.",
        headers={"Retry-After": str(RETRY_AFTER_UNAVAILABLE)},
    )


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any address under /api/ the API does not have, whatever the method."""
    return problem(404, "Nothing was found at this address. The documentation at /api/docs lists every endpoint.")
