"""The API's OpenAPI document and its documentation page."""

import pytest
from django.test import Client

from bookyourplace.core.testing import text_of

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield path, method, operation


def test_the_document_is_openapi_3_1_with_scopes_and_problem_errors():
    document = Client().get("/api/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    scopes = {(method.upper(), path): operation.get("security") for path, method, operation in _operations(document)}
    assert scopes[("GET", "/api/programmes")] is None
    assert scopes[("GET", "/api/bookings")] == [{"BearerToken": ["read:bookings"]}]
    assert scopes[("POST", "/api/sessions/{session_id}/bookings")] == [{"BearerToken": ["write:bookings"]}]
    assert scopes[("GET", "/api/sessions/{session_id}/attendance")] == [{"BearerToken": ["read:attendance"]}]
    assert scopes[("GET", "/api/reports")] == [{"BearerToken": ["read:reports"]}]
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response["content"]) == ["application/problem+json"], (method, path, status)
        assert "429" in operation["responses"], (method, path)


def test_the_page_describes_every_endpoint_with_its_scope_and_a_curl_example():
    document = Client().get("/api/openapi.json").json()
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = text_of(response)
    for path, method, operation in _operations(document):
        assert f"{method.upper()} {path}" in page
        assert operation["summary"] in page
    assert "Needs a token with the read:bookings scope" in page
    assert "None: public" in page
    html = response.content.decode()
    assert "Authorization: Bearer $BYP_API_TOKEN" in html
    assert "http://testserver/api/sessions/12/bookings" in html
    assert 'id="problem-session-full"' in html
    assert "cdn" not in html.lower()
    assert "Each token may make 600 requests in 1 minute" in page


def test_the_page_describes_what_each_answer_holds():
    html = Client().get("/api/docs").content.decode()
    assert 'href="#shape-BookingPage"' in html
    assert 'id="shape-BookingRecord"' in html
    record = html[
        html.index('id="shape-BookingRecord"') : html.index("</section>", html.index('id="shape-BookingRecord"'))
    ]
    for field in ("reference", "status", "attendee", "cancelled_at", "anonymised"):
        assert f"<code>{field}</code>" in record
    assert "access_needs" not in record
    assert "<code>joining_url</code>" not in record
