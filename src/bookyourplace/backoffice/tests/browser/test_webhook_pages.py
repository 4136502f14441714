"""The webhook pages in a real browser, by keyboard alone, each checked with axe-core on a
desktop and a phone: add an endpoint (after a mistake), read its secret, send a test message
and find its answer in the log, open a message, send a failed one again, make a new secret,
change the endpoint and remove it."""

import pytest

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import (
    banner_text,
    button,
    errors_showing,
    follow,
    link,
    sign_in,
    submit,
)
from bookyourplace.core.testing.browser import DESKTOP, focused_element, tab_to, type_into
from bookyourplace.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "hana.ali@coventry.gov.uk"


def untick_every_event(page) -> None:
    """Tab to each ticked event and press Space to untick it."""
    for _ in range(5):
        tab_to(page, lambda element: element["type"] == "checkbox" and page.evaluate("document.activeElement.checked"))
        page.keyboard.press("Space")


def tick(page, label: str) -> None:
    tab_to(page, lambda element: element["type"] == "checkbox" and label in element["name"])
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), f"{label!r} is not ticked"


def test_an_administrator_sets_up_a_webhook_by_keyboard(
    page, live_server, transactional_db, organiser, webhook_receiver, run_worker
):
    make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/backoffice/sign-in/")
    sign_in(page, ADMIN_EMAIL)
    sweep = AxeSweep(live_server.url)
    sweep.visit(page, "/backoffice/integrations/webhooks/", "Webhooks, none yet")

    # Add one: first with nothing filled in, then as it should be.
    follow(page, button("Add an endpoint"), "**/integrations/webhooks/new/")
    sweep.check(page, "Add a webhook endpoint")
    untick_every_event(page)
    submit(page, button("Add endpoint"))
    errors_showing(page)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the endpoint URL" in summary and "Select at least one event to send" in summary
    sweep.check(page, "Add a webhook endpoint, with errors")
    type_into(page, "id_url", webhook_receiver.url)
    tick(page, "Someone books a place")
    tick(page, "Attendance is marked")
    submit(page, button("Add endpoint"))
    assert "Endpoint added." in banner_text(page)
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["booking.created", "attendance.marked"]

    # Its secret, behind "Show the signing secret".
    tab_to(page, "Show the signing secret")
    page.keyboard.press("Enter")
    tab_to(page, "signing-secret")
    assert page.evaluate("document.activeElement.value") == endpoint.secret
    sweep.check(page, "A webhook endpoint, no messages yet, its secret showing")

    # A test message, delivered by the worker; its answer in the log.
    webhook_receiver.answer_with(500)
    submit(page, button("Send a test message"))
    assert "A test message is on its way." in banner_text(page)
    run_worker()
    page.reload()
    row = page.locator("tbody tr").first.inner_text()
    assert "ping" in row and "500" in row and "Will try again" in row
    Delivery.objects.update(status="failed", attempts=7)
    page.reload()
    sweep.check(page, "A webhook endpoint with a failed message")

    # The message itself, and sending it again.
    follow(page, lambda element: element["tag"] == "a" and element["name"].startswith("ping queued"), "**/messages/*/")
    assert "Response code 500" in " ".join(page.locator("dl").inner_text().split())
    sweep.check(page, "A webhook message")
    submit(page, button("Send again"))
    assert "The message is on its way again" in banner_text(page)
    run_worker()
    page.reload()
    assert "Delivered" in page.locator("tbody tr").first.inner_text()
    assert [request.json["type"] for request in webhook_receiver.received] == ["ping", "ping"]

    # A new secret.
    old_secret = endpoint.secret
    follow(page, link("Make a new signing secret"), "**/secret/")
    sweep.check(page, "Make a new signing secret")
    submit(page, button("Make a new secret"))
    assert "New signing secret made." in banner_text(page)
    endpoint.refresh_from_db()
    assert endpoint.secret != old_secret

    # Switch it off, then remove it.
    follow(page, button("Change endpoint"), "**/edit/")
    sweep.check(page, "Change a webhook endpoint")
    tab_to(page, lambda element: element["type"] == "radio")
    page.keyboard.press("ArrowDown")
    assert "No, keep it switched off" in focused_element(page)["name"]
    submit(page, button("Save endpoint"))
    assert "Endpoint saved." in banner_text(page)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    sweep.visit(page, "/backoffice/integrations/webhooks/", "Webhooks, one switched off")
    follow(page, link(endpoint.url), f"**/integrations/webhooks/{endpoint.pk}/")
    follow(page, link("Remove endpoint"), "**/remove/")
    sweep.check(page, "Remove a webhook endpoint")
    submit(page, button("Remove endpoint"))
    assert "Endpoint removed." in banner_text(page)
    assert not Endpoint.objects.exists()

    sweep.assert_clean()
