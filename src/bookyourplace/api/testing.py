"""Helpers for the API's tests: a client that sends a token as integrations do, and the problem
JSON of an answer."""

import json

from django.test import Client

from bookyourplace.accounts.models import ApiScope

ALL_SCOPES = list(ApiScope.values)


class ApiClient:
    """Django's test client speaking JSON, with ``Authorization: Bearer <token>`` when given one."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    def _headers(self, token):
        token = self.token if token is None else token
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path, params=None, *, token=None, **extra):
        return self.client.get(path, params or {}, **self._headers(token), **extra)

    def post(self, path, body=None, *, token=None, **extra):
        data = json.dumps(body) if body is not None else ""
        return self.client.post(path, data, content_type="application/json", **self._headers(token), **extra)

    def request(self, method, path, *, token=None, **extra):
        return getattr(self.client, method.lower())(path, **self._headers(token), **extra)


def problem_of(response) -> dict:
    assert response["Content-Type"].startswith("application/problem+json"), (
        response.status_code,
        response["Content-Type"],
        response.content[:300],
    )
    return response.json()


def booking_body(email: str = "sam.patel@nhs.net", **overrides) -> dict:
    """What an integration posts to book Sam Patel, a nurse who consents, with ``overrides``."""
    body = {
        "first_name": "Sam",
        "last_name": "Patel",
        "email": email,
        "organisation": "University Hospitals Coventry",
        "sector": "health",
        "job_title": "Safeguarding nurse",
        "consent": True,
    }
    body.update(overrides)
    return body
