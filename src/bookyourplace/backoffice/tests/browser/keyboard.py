"""What an organiser does in the back office with the keyboard only: tab to a link or button
and press Enter, type dates and times into Chromium's inputs, sign in."""

from datetime import date, time

from bookyourplace.accounts.testing import PASSWORD
from bookyourplace.core.testing.browser import focused_element, tab_to, type_into


def button(text: str):
    """A tab_to target: the button (or link styled as one) whose text is exactly ``text``."""
    return lambda element: element["tag"] in ("button", "a") and element["name"] == text


def link(text: str):
    return lambda element: element["tag"] == "a" and element["name"] == text


def press_enter_and_wait_for(page, url_pattern) -> None:
    page.keyboard.press("Enter")
    page.wait_for_url(url_pattern)
    page.wait_for_load_state()


def follow(page, target, url_pattern) -> None:
    """Tab to a link or button and press Enter, ending on the page it leads to."""
    tab_to(page, target)
    press_enter_and_wait_for(page, url_pattern)


def submit(page, target) -> None:
    """Tab to a form's button and press Enter, waiting for the answer (often the same URL)."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def clear_field(page, field_id: str) -> None:
    """Tab to a text field and delete what is in it, as a person would."""
    tab_to(page, field_id)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")


_DATE_ORDER = """() => new Intl.DateTimeFormat(navigator.language, {day: '2-digit', month: '2-digit', year: 'numeric'})
  .formatToParts(new Date(2000, 0, 2)).filter(p => p.type !== 'literal').map(p => p.type)"""


def type_date(page, field_id: str, day: date) -> None:
    """Tab to an <input type=date> and type the day into its segments.

    Chromium's date input is a row of segments (day, month, year) in the order of the
    browser's locale, each moving on to the next when full. Typing "2026-03-15" does not
    work; typing the digits segment by segment in the locale's order does.
    """
    tab_to(page, field_id)
    digits = {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": f"{day.year:04d}"}
    page.keyboard.type("".join(digits[part] for part in page.evaluate(_DATE_ORDER)))
    value = page.evaluate("document.activeElement.value")
    assert value == day.isoformat(), f"Typed {day} into #{field_id} but it holds {value!r}"


def type_time(page, field_id: str, at: time) -> None:
    """Tab to an <input type=time> and type hours and minutes (and AM/PM on a 12-hour clock)."""
    tab_to(page, field_id)
    page.keyboard.type(f"{at.hour:02d}{at.minute:02d}")
    wanted = at.strftime("%H:%M")
    if page.evaluate("document.activeElement.value") != wanted:
        # A 12-hour locale has a third segment; typing the hour does not always settle it.
        page.keyboard.type("A" if at.hour < 12 else "P")
    value = page.evaluate("document.activeElement.value")
    assert value == wanted, f"Typed {wanted} into #{field_id} but it holds {value!r}"


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    type_into(page, "id_username", email)
    type_into(page, "id_password", password)
    submit(page, button("Sign in"))


def banner_text(page) -> str:
    return " ".join(page.locator(".govuk-notification-banner").all_inner_texts())


def errors_showing(page) -> None:
    page.locator(".govuk-error-summary").wait_for()


def choose_with_arrow_keys(page, label: str, *, options: int = 6) -> None:
    """Tab into the radio group (the focus lands on the option chosen) and move with the arrow
    keys to the option wanted, which selects it."""
    tab_to(page, lambda element: element["type"] == "radio")
    for key in ["ArrowUp"] * options + ["ArrowDown"] * options:
        if label in focused_element(page)["name"]:
            break
        page.keyboard.press(key)
    assert label in focused_element(page)["name"]
    assert page.evaluate("document.activeElement.checked")
