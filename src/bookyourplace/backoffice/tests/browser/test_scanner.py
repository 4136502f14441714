"""The check-in scanner in a real Chromium: a reference typed with the keyboard checks the
attendee in without a reload (and without JavaScript, with one); a QR code held up to a
(fake) camera is read and checked in; the scanner and check-in pages pass axe-core."""

import re

import pytest
import segno

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.attendance.models import Attendance
from bookyourplace.backoffice.tests.browser.axe_sweep import AxeSweep
from bookyourplace.backoffice.tests.browser.keyboard import sign_in
from bookyourplace.bookings.check_in import check_in_token, check_in_url
from bookyourplace.bookings.testing import book
from bookyourplace.core.testing.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    focused_element,
    tab_to,
    type_into,
)
from bookyourplace.programmes.models import Session

pytestmark = pytest.mark.browser

ORGANISER_EMAIL = "sam.jones@coventry.gov.uk"
IN_PERSON = {"delivery": Session.Delivery.IN_PERSON, "venue": "Council House", "room": "Room 1.4", "joining_url": ""}


@pytest.fixture
def door(transactional_db, organiser, programme, make_session):
    make_person(organiser, Role.ORGANISER, email=ORGANISER_EMAIL, programmes=(programme,))
    session = make_session(title="Understanding Prevent", **IN_PERSON)
    alex = book(session, "alex@example.org", first_name="Alex", last_name="Smith")
    book(session, "bea@example.org", first_name="Bea", last_name="Jones")
    return session, alex


def signed_in(page, live_server, next_path: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/backoffice/sign-in/?next={next_path}")
    sign_in(page, ORGANISER_EMAIL)
    assert page.url == live_server.url + next_path


def scan_path(session) -> str:
    return f"/backoffice/sessions/{session.pk}/scan/"


def answer_on(page) -> str:
    return page.locator("[data-scan-message]").inner_text()


def test_reference_typed_by_keyboard_checks_in_without_a_reload(page, live_server, door):
    session, alex = door
    signed_in(page, live_server, scan_path(session))
    page.evaluate("window.notReloaded = true")

    type_into(page, "id_reference", " " + alex.reference.lower().replace("-", " ") + " ")
    page.keyboard.press("Enter")

    page.get_by_text("Checked in: Alex Smith (Coventry City Council)").wait_for()
    assert page.locator("[data-scan-counts]").inner_text() == "1 of 2 checked in"
    assert page.get_by_role("status").inner_text().startswith("Checked in")
    assert page.evaluate("window.notReloaded") is True
    assert focused_element(page)["id"] == "id_reference"  # ready for the next one
    assert page.locator("#id_reference").input_value() == ""

    page.keyboard.type(alex.reference)
    page.keyboard.press("Enter")

    page.get_by_text(re.compile(r"^Already checked in at \d\d:\d\d$")).wait_for()
    assert Attendance.objects.get(booking=alex).outcome == "attended"


def test_reference_form_works_without_javascript(browser, live_server, door):
    session, alex = door
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    try:
        signed_in(page, live_server, scan_path(session))
        assert page.get_by_role("button", name="Start camera").is_hidden()

        type_into(page, "id_reference", alex.reference)
        with page.expect_navigation():
            page.keyboard.press("Enter")

        assert (
            "Checked in: Alex Smith (Coventry City Council)" in page.locator(".govuk-notification-banner").inner_text()
        )
        assert "1 of 2 checked in" in page.locator("main").inner_text()
    finally:
        context.close()


def test_scanner_and_check_in_pages_have_no_axe_violations(page, live_server, door):
    session, alex = door
    signed_in(page, live_server, scan_path(session))
    sweep = AxeSweep(live_server.url)

    sweep.check(page, "Scanner")
    type_into(page, "id_reference", "BYP-ZZ")
    page.keyboard.press("Enter")
    page.get_by_text("Enter a booking reference like BYP-7K2MQ").wait_for()
    sweep.check(page, "Scanner, after a refusal")
    sweep.visit(page, f"/backoffice/check-in/{check_in_token(alex)}/", "Check-in page from the camera app")
    tab_to(page, lambda element: element["tag"] == "button" and element["name"] == "Check in Alex Smith")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    sweep.check(page, "Check-in page, checked in")
    sweep.visit(page, f"/backoffice/check-in/{check_in_token(alex)}/", "Check-in page, already checked in")
    response = page.goto(f"{live_server.url}/backoffice/check-in/{alex.reference}.{'x' * 22}/")
    assert response.status == 404
    sweep.check(page, "Check-in code not valid")

    sweep.assert_clean()


# --- A fake camera showing a QR code --------------------------------------------------------


def camera_file_showing(text: str, path, width: int = 640, height: int = 480):
    """A one-frame Y4M video (what Chromium's fake camera plays, in a loop) of a QR code."""
    rows = [list(row) for row in segno.make_qr(text, error="m").matrix_iter(scale=1, border=4)]
    size = len(rows)
    scale = min(width, height) * 9 // 10 // size
    left, top = (width - size * scale) // 2, (height - size * scale) // 2
    luma = bytearray([235]) * (width * height)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                for y in range(top + r * scale, top + (r + 1) * scale):
                    start = y * width + left + c * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path


@pytest.fixture
def camera_page(browser, door, tmp_path):
    """A tab in a second Chromium, started by the same Playwright as ``browser``, whose
    camera shows Alex's QR code and which may use it."""
    _session, alex = door
    video = camera_file_showing(check_in_url(alex), tmp_path / "qr.y4m")
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        page = chromium.new_context(viewport=DESKTOP).new_page()
        page.set_default_timeout(15_000)
        yield page
    finally:
        chromium.close()


def test_qr_code_held_up_to_the_camera_checks_the_attendee_in(camera_page, live_server, door):
    session, alex = door
    page = camera_page
    page.context.grant_permissions(["camera"], origin=live_server.url)
    signed_in(page, live_server, scan_path(session))
    assert not Attendance.objects.exists()  # nothing before the camera is started

    tab_to(page, lambda element: element["tag"] == "button" and element["name"] == "Start camera")
    page.keyboard.press("Enter")

    page.get_by_text("Checked in: Alex Smith (Coventry City Council)").wait_for()
    assert page.locator("[data-scan-counts]").inner_text() == "1 of 2 checked in"
    assert Attendance.objects.get(booking=alex).method == "qr_code"
    assert page.evaluate("typeof window.jsQR") == "function"  # no BarcodeDetector here: jsQR read it
    # Still in front of the camera a while later: read again, and told so, not checked in twice.
    page.get_by_text(re.compile(r"^Already checked in at \d\d:\d\d$")).wait_for()
    assert Attendance.objects.count() == 1

    tab_to(page, lambda element: element["tag"] == "button" and element["name"] == "Stop camera")
    page.keyboard.press("Enter")
    assert page.locator("video").is_hidden()


# Where the browser has its own BarcodeDetector (Chrome on Android, Safari), the scanner uses
# it rather than jsQR. Headless Chromium on Linux has none, so one stands in for it here that
# "reads" Bea's code, whatever the camera shows: Bea checked in proves it was asked.
FAKE_BARCODE_DETECTOR = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
  constructor(options) { this.formats = options.formats; }
  async detect(source) { return source.videoWidth ? [{ rawValue: window.codeInFrontOfTheCamera }] : []; }
};
"""


def test_browsers_own_barcode_detector_is_used_where_there_is_one(camera_page, live_server, door):
    session, _alex = door
    bea = session.bookings.get(first_name="Bea")
    page = camera_page
    page.add_init_script(FAKE_BARCODE_DETECTOR + f"window.codeInFrontOfTheCamera = {check_in_url(bea)!r};")
    signed_in(page, live_server, scan_path(session))

    tab_to(page, lambda element: element["tag"] == "button" and element["name"] == "Start camera")
    page.keyboard.press("Enter")

    page.get_by_text("Checked in: Bea Jones (Coventry City Council)").wait_for()
    assert list(Attendance.objects.values_list("booking__first_name", flat=True)) == ["Bea"]
    assert page.evaluate("typeof window.jsQR") == "undefined"  # never loaded
