"""Back-office pages are never kept by a browser or a proxy (Cache-Control: no-store)."""

import pytest
from django.test import Client
from django.urls import reverse

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person, sign_in_as
from bookyourplace.backoffice.tests.test_permissions import MATRIX, _ask, _url, world  # noqa: F401 (a fixture)
from bookyourplace.backoffice.tests.two_factor.steps import VERIFY, sign_in

# --- 10. Back-office pages are never kept by a browser or proxy ------------------------------------


def assert_no_store(response, what):
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= cache_control, f"{what}: Cache-Control {response.get('Cache-Control')!r}"


@pytest.mark.parametrize(
    ("name", "method", "about"),
    [pytest.param(name, method, about, id=f"{method} {name} {about or ''}") for name, method, about, *_ in MATRIX],
)
def test_every_back_office_response_is_no_store(client, world, name, method, about):  # noqa: F811 (world is the fixture)
    url = _url(world, name, about)
    sign_in_as(client, world["administrator"])

    assert_no_store(_ask(client, method, name, url), f"{method} {url}")
    assert_no_store(_ask(Client(), method, name, url), f"{method} {url} signed out")


def test_back_office_sign_in_and_error_pages_are_no_store(client, person, device, organiser):
    assert_no_store(client.get(reverse("backoffice:sign_in")), "sign-in page")
    assert_no_store(client.get(reverse("backoffice:password_reset")), "password reset")
    assert_no_store(sign_in(client), "password step")
    assert_no_store(client.get(VERIFY), "code step")
    assert_no_store(client.get("/backoffice/no-such-page/"), "404")
    assert_no_store(client.get("/backoffice"), "the redirect to /backoffice/")
    viewer = Client()
    sign_in_as(viewer, make_person(organiser, Role.VIEWER, email="vic@coventry.gov.uk").user)
    refused = viewer.get(reverse("backoffice:people"))
    assert refused.status_code == 403
    assert_no_store(refused, "403")
