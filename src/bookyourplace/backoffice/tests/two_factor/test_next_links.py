"""A ``next`` link never leads off the site through the sign-in and the code step (no open redirect)."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from bookyourplace.backoffice.tests.two_factor.steps import (
    VERIFY,
    enter_code,
    sends_to_code_step,
    sign_in,
)

# --- 4. No open redirect ---------------------------------------------------------------------------

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(document.cookie)",
    " javascript:alert(1)",
    "http://testserver.evil.example/",
]


def test_a_crafted_next_through_sign_in_and_the_code_step_stays_on_this_site(client, person, device):
    """The link from the issue: /backoffice/sign-in/?next=/backoffice/sign-in/code/?next=https://evil.example/"""
    nested = "/backoffice/sign-in/code/?next=https://evil.example/"
    page = client.get(f"/backoffice/sign-in/?next={nested}")
    carried = re.search(r'name="next" value="([^"]*)"', page.content.decode()).group(1).replace("&amp;", "&")

    password = sign_in(client, next=carried)
    assert password.status_code == 302 and password.url == nested  # a page of ours, so far
    code = enter_code(client, device, url=password.url)

    assert code.status_code == 302 and code.url == reverse("backoffice:dashboard")
    assert client.get(code.url).status_code == 200


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_no_next_leads_off_the_site_at_any_step(client, person, device, elsewhere):
    password = sign_in(client, next=elsewhere)
    assert password.url == reverse("backoffice:dashboard")

    code = enter_code(client, device, url=VERIFY + "?" + urlencode({"next": elsewhere}))

    assert code.status_code == 302 and code.url == reverse("backoffice:dashboard")


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_the_sign_in_page_does_not_carry_a_next_that_leads_off_the_site(client, db, elsewhere):
    # The page reads the database: its council sign-in buttons.
    page = client.get(reverse("backoffice:sign_in") + "?" + urlencode({"next": elsewhere}))

    assert re.search(r'name="next" value="([^"]*)"', page.content.decode()).group(1) == ""


def test_a_next_on_this_site_is_kept_through_both_steps(client, person, device):
    wanted = reverse("backoffice:account") + "?from=email"

    sign_in(client, next=wanted)
    to_code = client.get(wanted)
    assert sends_to_code_step(to_code)
    code = enter_code(client, device, url=to_code.url)

    assert code.url == wanted
