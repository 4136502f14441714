"""Every error under /api/ is problem JSON, never a page: unknown addresses, wrong methods,
bodies that are not JSON, a crash, the database away."""

from unittest import mock

import pytest
from django.db import OperationalError

from bookyourplace.api.testing import problem_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/", "/api/nothing-here", "/api/programmes/", "/api/bookings/BYP-00000/x"])
def test_an_unknown_address_is_a_404_problem(anonymous, path):
    for method in ("GET", "POST", "DELETE"):
        response = anonymous.request(method, path)
        assert response.status_code == 404, (method, path)
        problem = problem_of(response)
        assert problem == {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "Nothing was found at this address. The documentation at /api/docs lists every endpoint.",
        }


def test_a_method_an_address_does_not_take_is_a_405_problem_with_allow(anonymous, api, programme):
    response = anonymous.request("DELETE", "/api/programmes")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert problem_of(response)["detail"] == "This address takes GET only."
    assert problem_of(api.request("PUT", "/api/bookings"))["status"] == 405
    docs = anonymous.request("POST", "/api/docs")
    assert docs.status_code == 405
    assert problem_of(docs)["detail"] == "This address takes GET, HEAD only."


def test_a_body_that_is_not_json_is_a_400_problem(api, session):
    response = api.client.post(
        f"/api/sessions/{session.pk}/bookings",
        "first_name=Sam",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert response.status_code == 400
    assert problem_of(response)["detail"] == "Cannot parse request body"


def test_a_query_parameter_of_the_wrong_type_is_named(api, session):
    response = api.get("/api/bookings", {"session": "twelve", "created_since": "yesterday"})
    assert response.status_code == 422
    assert {e["field"] for e in problem_of(response)["errors"]} == {"session", "created_since"}


def test_a_crash_is_a_500_problem_that_says_nothing_of_it(api, session):
    with mock.patch("bookyourplace.api.routers.bookings.bookings_of", side_effect=RuntimeError("secret detail")):
        response = api.get("/api/bookings")
    assert response.status_code == 500
    problem = problem_of(response)
    assert problem["title"] == "Internal Server Error"
    assert "secret detail" not in response.content.decode()


def test_the_database_away_is_a_503_problem_to_retry(anonymous, programme):
    with mock.patch(
        "bookyourplace.api.routers.programmes._published",
        side_effect=OperationalError("connection to server was lost"),
    ):
        response = anonymous.get("/api/programmes")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert problem_of(response)["title"] == "Service Unavailable"


def test_an_error_page_made_outside_the_api_is_turned_into_a_problem(anonymous, settings):
    """Django's own answers (here a host not allowed: 400) are problems under /api/ too."""
    settings.ALLOWED_HOSTS = ["example.org"]
    response = anonymous.get("/api/programmes")
    assert response.status_code == 400
    assert problem_of(response)["title"] == "Bad Request"
