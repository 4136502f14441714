"""A fake GOV.UK Notify API on loopback, for tests (``fake_notify``, made available to every
test by src/conftest.py, points BYP_NOTIFY_BASE_URL at it).

It answers POST /v2/notifications/email and /v2/notifications/sms as Notify does, and
checks each request as Notify would: the Authorization header's JWT (HS256, signed with the
secret part of the API key, ``iss`` the service id, ``iat`` within 30 seconds), the JSON
body's fields (a UUID template id it knows, personalisation of strings, an email address or
a phone number, nothing else). What it refuses it answers 400 or 403 with Notify's error
shape; ``fail_next(429, 2)`` makes it answer the next requests with that status. Every
request is kept (``requests``), accepted or not.

`make run` starts one as the demo's GOV.UK Notify (``manage.py demo_notify``): a fixed key and
templates, and every message it accepts written to a folder as a file, to read as the
attendee's phone or inbox would show it.
"""

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt

from bookyourplace.notifications.models import NotifySettings

JWT_LEEWAY_SECONDS = 30
_EMAIL_FIELDS = {"email_address", "template_id", "personalisation", "reference", "email_reply_to_id"}
_SMS_FIELDS = {"phone_number", "template_id", "personalisation", "reference", "sms_sender_id"}
_ERRORS = {
    400: "BadRequestError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
    503: "Exception",
}


@dataclass
class NotifyRequest:
    path: str
    body: dict | None
    claims: dict | None  # the JWT's, when its signature was good
    status: int  # what the fake answered
    problem: str = ""  # why it refused, if it did

    @property
    def template_id(self) -> str:
        return (self.body or {}).get("template_id", "")

    @property
    def personalisation(self) -> dict:
        return (self.body or {}).get("personalisation", {})


@dataclass
class FakeNotify:
    """The fake service: one API key (service id and secret) and the templates it has."""

    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    templates: set[str] = field(default_factory=set)
    requests: list[NotifyRequest] = field(default_factory=list)
    port: int = 0
    keep_in: Path | None = None  # a folder: each accepted message is written there as a file

    def __post_init__(self):
        self._lock = threading.Lock()
        self._failures: list[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, reply = fake._answer(self.path, self.headers, raw)
                body = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.server = Server(("127.0.0.1", self.port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def api_key(self) -> str:
        return f"byp_test-{self.service_id}-{self.secret}"

    def new_template(self) -> str:
        template_id = str(uuid.uuid4())
        self.templates.add(template_id)
        return template_id

    def fail_next(self, status: int, count: int = 1) -> None:
        with self._lock:
            self._failures += [status] * count

    def accepted(self, kind: str = "") -> list[NotifyRequest]:
        return [r for r in self.requests if r.status == 201 and r.path.endswith(kind)]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- Answering ---------------------------------------------------------------------------

    def _answer(self, path: str, headers, raw: bytes) -> tuple[int, dict]:
        claims, problem, status = None, "", 201
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        try:
            claims = self._check_token(headers.get("Authorization", ""))
            kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(path)
            if kind is None:
                raise _Refusal(404, f"No such endpoint: {path}")
            self._check_body(kind, body, headers.get("Content-Type", ""))
            with self._lock:
                failure = self._failures.pop(0) if self._failures else None
            if failure is not None:
                raise _Refusal(failure, f"Told to answer {failure}")
        except _Refusal as refusal:
            status, problem = refusal.status, refusal.message
        with self._lock:
            self.requests.append(NotifyRequest(path, body, claims, status, problem))
        if status == 201 and self.keep_in is not None:
            self._keep(kind, body)
        if status != 201:
            return status, {
                "status_code": status,
                "errors": [{"error": _ERRORS.get(status, "Error"), "message": problem}],
            }
        return 201, {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "content": {"body": body.get("personalisation", {}).get("body", "")},
            "uri": f"{self.url}/v2/notifications/x",
            "template": {"id": body["template_id"], "version": 1, "uri": ""},
        }

    def _keep(self, kind: str, body: dict) -> None:
        to = body.get("email_address") or body.get("phone_number")
        lines = [f"{kind.upper()} to {to}, template {body['template_id']}", ""]
        lines += [f"(({name}))\n{value}\n" for name, value in body.get("personalisation", {}).items()]
        self.keep_in.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{kind}-{uuid.uuid4().hex[:6]}.txt"
        (self.keep_in / name).write_text("\n".join(lines))

    def _check_token(self, authorization: str) -> dict:
        if not authorization.startswith("Bearer "):
            raise _Refusal(401, "Unauthorized: authentication token must be provided")
        token = authorization.removeprefix("Bearer ")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, key=self.secret, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.InvalidTokenError as error:
            raise _Refusal(403, f"Invalid token: signature, api token not found ({error})") from None
        if header.get("alg") != "HS256" or header.get("typ") != "JWT":
            raise _Refusal(403, "Invalid token: algorithm used is not HS256")
        if claims.get("iss") != self.service_id:
            raise _Refusal(403, "Invalid token: iss field does not match the service")
        iat = claims.get("iat")
        if not isinstance(iat, int) or abs(time.time() - iat) > JWT_LEEWAY_SECONDS:
            raise _Refusal(403, "Error: Your system clock must be accurate to within 30 seconds")
        return claims

    def _check_body(self, kind: str, body, content_type: str) -> None:
        if content_type != "application/json" or not isinstance(body, dict):
            raise _Refusal(400, "The request body must be JSON")
        allowed = _EMAIL_FIELDS if kind == "email" else _SMS_FIELDS
        if unknown := set(body) - allowed:
            raise _Refusal(400, f"Additional properties are not allowed ({', '.join(sorted(unknown))})")
        template_id = body.get("template_id")
        try:
            uuid.UUID(str(template_id))
        except ValueError:
            raise _Refusal(400, "template_id is not a valid UUID") from None
        if template_id not in self.templates:
            raise _Refusal(400, "Template not found")
        personalisation = body.get("personalisation", {})
        if not isinstance(personalisation, dict) or not all(isinstance(v, str) for v in personalisation.values()):
            raise _Refusal(400, "personalisation must be an object of strings")
        if kind == "email":
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(body.get("email_address", ""))):
                raise _Refusal(400, "email_address Not a valid email address")
        elif not re.fullmatch(r"\+447\d{9}", str(body.get("phone_number", ""))):
            raise _Refusal(400, "phone_number Not a UK mobile number")
        reference = body.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise _Refusal(400, "reference must be a string")


class _Refusal(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def notify_settings(organiser, fake: FakeNotify, **overrides) -> NotifySettings:
    """The organisation set to send by the fake Notify, with a default template (and an SMS
    template, unless ``sms_template_id=""``)."""
    values = {
        "sending": NotifySettings.Sending.NOTIFY,
        "api_key": fake.api_key,
        "default_template_id": fake.new_template(),
        "sms_template_id": fake.new_template(),
        **overrides,
    }
    found, _created = NotifySettings.objects.update_or_create(organiser=organiser, defaults=values)
    return found
