"""A small, real OpenID Connect provider on loopback, for the tests of council sign-in.

It speaks plain HTTP on 127.0.0.1 in a thread, signs ID tokens with its own RSA key (RS256,
PyJWT and cryptography, which sign-in itself uses) and publishes it: the discovery document, /authorize (approves at once as the person
the test set, or shows a tiny page to choose one), /token (checks the client's id and secret,
the code, the redirect URI and the PKCE verifier), /jwks and /userinfo. Our server reaches it
over a real connection, as it would a council's Entra ID.

Each test sets who signs in (`provider.person`) and can make it misbehave: a token for another
audience, one already expired, one signed with a key it does not publish, another nonce or
issuer, or answering "access_denied".

Also runnable on its own, for trying council sign-in by hand: `make run` starts it as the demo
council's provider (`python -m bookyourplace.core.testing.oidc_provider --person
email=group,group ...`), whose page lets you choose who signs in. Never in production.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

HOST = "127.0.0.1"
CLIENT_ID = "book-your-place"
CLIENT_SECRET = "a-client-secret-for-tests-only"
MISBEHAVIOURS = ("wrong_audience", "expired", "bad_signature", "wrong_nonce", "wrong_issuer", "access_denied")


@dataclass
class Person:
    email: str = "sam.jones@coventry.gov.uk"
    groups: list[str] = field(default_factory=list)
    email_verified: bool | None = True  # None: the claim is not sent
    given_name: str = "Sam"
    family_name: str = "Jones"

    @property
    def sub(self) -> str:
        return hashlib.sha256(self.email.lower().encode()).hexdigest()[:24]


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    person: Person


class OidcProvider:
    def __init__(self, *, port: int = 0, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # Same key id, another key: what a forged token would be signed with.
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person = Person()
        self.people: list[Person] = []  # offered on the page that asks who signs in (the demo)
        self.misbehave: str | None = None
        self.ask_who = False  # /authorize shows a page to choose the person instead of approving at once
        self.grants: dict[str, Grant] = {}
        self.access_tokens: dict[str, dict] = {}
        self.requests: list[str] = []  # "GET /authorize", "POST /token"... in the order they came
        self.token_requests: list[dict] = []
        self._server = ThreadingHTTPServer((HOST, port), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def start(self) -> "OidcProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- What it answers --------------------------------------------------------------------

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": "signing-1", "use": "sig", "alg": "RS256"}]}

    def claims_of(self, person: Person) -> dict:
        claims = {
            "sub": person.sub,
            "email": person.email,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "name": f"{person.given_name} {person.family_name}",
            "groups": list(person.groups),
        }
        if person.email_verified is not None:
            claims["email_verified"] = person.email_verified
        return claims

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "nonce": grant.nonce,
            **self.claims_of(grant.person),
        }
        key = self.key
        if self.misbehave == "wrong_audience":
            claims["aud"] = "someone-else"
        elif self.misbehave == "expired":
            claims.update(iat=now - 7200, nbf=now - 7200, exp=now - 3600)
        elif self.misbehave == "bad_signature":
            key = self.other_key
        elif self.misbehave == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-you-sent"
        elif self.misbehave == "wrong_issuer":
            claims["iss"] = "https://login.example.org/someone-else"
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "signing-1", "typ": "JWT"})

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        """Approve as `self.person` (or the person chosen on the page), back to the redirect URI."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return 400, {"Content-Type": "text/plain"}, b"Unknown client or no redirect_uri"
        if self.misbehave == "access_denied":
            back = {"error": "access_denied", "error_description": "The user said no", "state": query.get("state")}
            return 302, {"Location": redirect_uri + "?" + urlencode(back)}, b""
        person = self.person
        if self.ask_who and not query.get("chosen"):
            return 200, {"Content-Type": "text/html; charset=utf-8"}, self._choose_page(query)
        if query.get("chosen"):
            offered = {p.email: p for p in self.people}
            person = offered.get(query["chosen"]) or Person(email=query["chosen"], groups=self.person.groups)
        code = secrets.token_urlsafe(24)
        self.grants[code] = Grant(
            client_id=query["client_id"],
            redirect_uri=redirect_uri,
            nonce=query.get("nonce"),
            code_challenge=query.get("code_challenge"),
            code_challenge_method=query.get("code_challenge_method"),
            person=person,
        )
        back = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": redirect_uri + "?" + urlencode(back)}, b""

    def _choose_page(self, query: dict) -> bytes:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items()
        )
        offered = "".join(
            f'<li><button type="submit" name="chosen" value="{html.escape(p.email)}">{html.escape(p.email)}</button>'
            f" (groups: {html.escape(', '.join(p.groups) or 'none')})</li>"
            for p in self.people
        )
        choose = f"<p>Sign in as:</p><ul>{offered}</ul><p>Or type an address:</p>" if offered else ""
        return (
            '<!DOCTYPE html><html lang="en"><head><title>Test sign-in</title></head><body><main>'
            "<h1>Test sign-in</h1>"
            f'<form method="get" action="/authorize">{hidden}{choose}'
            '<label for="chosen">Email address</label>'
            f'<input id="chosen" name="chosen" type="email" value="{html.escape(self.person.email)}">'
            '<button type="submit">Continue</button></form></main></body></html>'
        ).encode()

    def token(self, form: dict, authorization: str | None) -> tuple[int, dict]:
        self.token_requests.append(dict(form))
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _colon, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        grant = self.grants.pop(form.get("code", ""), None)  # each code once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant.code_challenge_method != "S256" or digest != grant.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = self.claims_of(grant.person)
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": self.id_token(grant),
        }

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        token = (authorization or "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return 401, {"error": "invalid_token"}
        return 200, self.access_tokens[token]


def _handler(provider: OidcProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet in the tests' output
            pass

        def _send(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, document: dict) -> None:
            self._send(status, {"Content-Type": "application/json"}, json.dumps(document).encode())

        def do_GET(self):
            parts = urlsplit(self.path)
            provider.requests.append(f"GET {parts.path}")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(200, provider.discovery())
            elif parts.path == "/jwks":
                self._json(200, provider.jwks())
            elif parts.path == "/authorize":
                self._send(*provider.authorize(query))
            elif parts.path == "/userinfo":
                self._json(*provider.userinfo(self.headers.get("Authorization")))
            else:
                self._send(404, {"Content-Type": "text/plain"}, b"Not found")

        def do_POST(self):
            parts = urlsplit(self.path)
            provider.requests.append(f"POST {parts.path}")
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if parts.path == "/token":
                self._json(*provider.token(form, self.headers.get("Authorization")))
            else:
                self._send(404, {"Content-Type": "text/plain"}, b"Not found")

    return Handler


def person_from(text: str) -> Person:
    """ "email=group,group" (or just "email") as a Person."""
    email, _equals, groups = text.partition("=")
    return Person(email=email.strip(), groups=[g.strip() for g in groups.split(",") if g.strip()])


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="A test OpenID Connect provider on 127.0.0.1 (never in production).")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--person", action="append", default=[], help="email=group,group: offered on its page")
    arguments = parser.parse_args()
    local = OidcProvider(port=arguments.port)
    local.people = [person_from(text) for text in arguments.person]
    if local.people:
        local.person = local.people[0]
    local.ask_who = True
    print(f"Issuer {local.issuer}, client ID {CLIENT_ID}, client secret {CLIENT_SECRET}", flush=True)
    local._server.serve_forever()
