"""A real Chromium, and helpers that use it as a person would, for every face's browser tests.

src/conftest.py makes the ``browser`` and ``page`` fixtures available to every test. Tests
drive pages with the keyboard only: ``tab_to`` moves the focus the way a keyboard user does,
and axe-core checks what a screen reader would meet. The last part books a place on the
public booking form, as the public and the back-office browser tests both need.
"""

import functools
import os
import re
from pathlib import Path

import pytest
from django.core import mail

from bookyourplace.core.testing import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a test module.

    Module-scoped, not session-scoped: while Playwright runs, an asyncio loop stays registered
    as running on the main thread, so DJANGO_ALLOW_ASYNC_UNSAFE has to be set (see below).
    Ending with the module keeps both from leaking into the rest of the run; for one, a later
    ``manage.py check --deploy`` subprocess would inherit the variable and fail with async.E001.
    """
    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM}: browser tests need it (apt-get install chromium).")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[test]'.")

    # Playwright's sync API keeps an asyncio loop registered as running on this thread, and
    # Django refuses ORM calls while it sees one. The tests' own ORM calls are plain
    # synchronous code on the main thread, so the check is switched off while the browser
    # is up (the switch Django documents for this case).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser):
    """A fresh browser tab, sized like a phone; no cookies from other tests."""
    context = browser.new_context(accept_downloads=True, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# --- Keyboard ---------------------------------------------------------------------------------

_DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const labels = el.labels ? Array.from(el.labels).map(l => l.innerText).join(' ') : '';
  const name = el.getAttribute('aria-label') || labels || el.innerText || el.value || '';
  return {id: el.id, tag: el.tagName.toLowerCase(), type: el.type || '', name: name.replace(/\\s+/g, ' ').trim()};
}"""


def focused_element(page) -> dict | None:
    """What has the keyboard focus: its id, tag, type and accessible text (label or content)."""
    return page.evaluate(_DESCRIBE_FOCUS)


def _matches(target, element: dict | None) -> bool:
    if element is None:
        return False
    if callable(target):
        return bool(target(element))
    return element["id"] == target or target.casefold() in element["name"].casefold()


def tab_to(page, target, max_presses: int = 80, *, backwards: bool = False) -> dict:
    """Press Tab until the focused element is ``target``, and return what is focused.

    ``target`` is text the element's label or content contains, the element's id, or a
    predicate taking the dict ``focused_element`` returns.
    """
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(max_presses):
        page.keyboard.press(key)
        element = focused_element(page)
        if _matches(target, element):
            return element
        visited.append(element and (element["name"] or element["id"] or element["tag"]))
    pytest.fail(f"Pressed {key} {max_presses} times without reaching {target!r}. Focus went to: {visited}")


def wait_for_focus(page, selector: str, timeout_ms: int = 5_000) -> None:
    """Wait until the element matching the CSS selector has the focus (page scripts move it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(
            "s => document.activeElement && document.activeElement.matches(s)", arg=selector, timeout=timeout_ms
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"The focus did not move to {selector!r}; it is on {focused_element(page)}")


def type_into(page, field_id: str, text: str) -> None:
    """Tab to the field with this id and type into it, as a person filling in a form."""
    tab_to(page, field_id)
    page.keyboard.type(text)


# --- Accessibility ----------------------------------------------------------------------------


def assert_no_axe_violations(page) -> None:
    """Run axe-core on the page as it is now and fail with every WCAG 2.2 AA problem found."""
    # Not page.add_script_tag: it inserts an inline <script>, which the site's Content Security
    # Policy rightly blocks. Evaluating the source through DevTools is not subject to CSP, so
    # the pages are checked with their real policy on (no bypass_csp).
    page.evaluate(axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert violations == [], f"axe found problems on {page.url}:\n" + describe_violations(violations)


@functools.cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        unavailable(f"axe-core is not installed at {AXE_SCRIPT}: run npm ci.")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


# --- Booking a place on the public form, as a person does -------------------------------------

EMAIL = "alex.smith@coventry.gov.uk"
REFERENCE = re.compile(r"BYP-[0-9A-Z]{5}")


def press_enter_and_wait_for(page, url_pattern) -> None:
    page.keyboard.press("Enter")
    page.wait_for_url(url_pattern)


def press_enter_for_new_tab(page):
    """Press Enter on the focused link that opens in a new tab; that tab, loaded."""
    with page.context.expect_page() as opened:
        page.keyboard.press("Enter")
    tab = opened.value
    tab.wait_for_load_state()
    return tab


def choose_radio(page, group_id: str, label: str) -> None:
    """Tab into a radio group, then move through it with the arrow keys to the option wanted."""
    tab_to(page, f"{group_id}_0")
    page.keyboard.press("Space")
    for _ in range(20):
        if label in focused_element(page)["name"]:
            break
        page.keyboard.press("ArrowDown")
    focused = focused_element(page)
    assert label in focused["name"], f"Could not reach the {label!r} option, stopped on {focused}"
    assert page.evaluate("document.activeElement.checked"), f"{label!r} is focused but not selected"


def fill_in_booking_form(page, email: str = EMAIL) -> None:
    type_into(page, "id_first_name", "Alex")
    type_into(page, "id_last_name", "Smith")
    type_into(page, "id_email", email)
    type_into(page, "id_organisation", "Coventry City Council")
    choose_radio(page, "id_sector", "Local authority children's services")
    type_into(page, "id_job_title", "Social worker")
    type_into(page, "id_access_needs", "Captions, please")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), "Space did not tick the consent box"


def submit_booking_form(page) -> None:
    tab_to(page, "Book my place")
    page.keyboard.press("Enter")


def book_a_place(page, email: str = EMAIL) -> None:
    """On the booking form: fill it in and send it, ending on the "check your email" page."""
    fill_in_booking_form(page, email)
    submit_booking_form(page)
    page.wait_for_url("**/book/confirmed/")


def reference_from_email(run_worker, email: str = EMAIL) -> str:
    """The booking's reference, as the confirmation email gives it (the page after booking
    shows none: issue 10, point 7)."""
    run_worker()
    references = [
        match.group() for message in mail.outbox if message.to == [email] if (match := REFERENCE.search(message.body))
    ]
    assert references, f"No reference was emailed to {email}; emails sent: {[m.subject for m in mail.outbox]}"
    return references[0]
