"""Checking people in at the door: the scanner page (a scanned code, or a reference typed in)
and the page a phone's own camera app opens from the QR code. Every way in is tried against
the same refusals: another session's code, a cancelled booking, a viewer, nobody signed in,
a second scan, a made-up code and a manage link passed off as a check-in code."""

import io
import logging
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bookyourplace.accounts.testing import sign_in_as, staff
from bookyourplace.attendance import services as attendance
from bookyourplace.attendance.models import Attendance, Method
from bookyourplace.bookings.check_in import check_in_token, check_in_url
from bookyourplace.bookings.links import manage_token, manage_url
from bookyourplace.bookings.services import cancel_booking
from bookyourplace.bookings.testing import book
from bookyourplace.core.formatting import session_date
from bookyourplace.core.log_masking import MASK, mask_secrets
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes.models import Organiser, Programme, Session

IN_PERSON = {"delivery": Session.Delivery.IN_PERSON, "venue": "Council House", "room": "Room 1.4", "joining_url": ""}


@pytest.fixture
def door(make_session, programme):
    """The session whose door the organiser stands at: in summer, when London is an hour
    ahead of UTC, so times shown in UTC would be wrong."""
    starts_at = datetime(timezone.now().year + 1, 7, 1, 10, 0, tzinfo=programme.tz)
    return make_session(title="Understanding Prevent", starts_at=starts_at, **IN_PERSON)


@pytest.fixture
def alex(door):
    return book(door, "alex@example.org", first_name="Alex", last_name="Smith")


@pytest.fixture
def elsewhere(make_session, door):
    """Another session of the same programme, the next day."""
    return make_session(title="Online Harms", starts_at=door.starts_at + timedelta(days=1), **IN_PERSON)


def scan_url(session) -> str:
    return reverse("backoffice:scan_check_in", kwargs={"session_id": session.pk})


def scan(client, session, code: str):
    """What the scanner page's script sends when the camera reads a code."""
    response = client.post(scan_url(session), {"code": code}, HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    return response.json()


def type_reference(client, session, reference: str):
    return client.post(scan_url(session), {"reference": reference}, HTTP_ACCEPT="application/json").json()


def open_code(client, booking, token: str | None = None):
    """A phone's camera app opening the URL in the QR code."""
    return client.get(reverse("backoffice:check_in", kwargs={"token": token or check_in_token(booking)}))


def press_check_in(client, booking):
    return client.post(reverse("backoffice:check_in", kwargs={"token": check_in_token(booking)}), follow=True)


def checked_in(booking) -> bool:
    return Attendance.objects.filter(booking=booking, outcome="attended").exists()


def checked_in_at_10_02(booking, session) -> None:
    """Checked in two minutes after the 10:00 start, at the door, earlier that morning."""
    at = session.starts_at + timedelta(minutes=2)
    attendance.check_in(booking=booking, session=session, actor=Actor(label="Priya"), method=Method.QR_CODE, now=at)


def offers_the_button(response, name: str) -> bool:
    return f">Check in {name}</button>" in response.content.decode()


# --- Scanning with the scanner page -----------------------------------------------------------


def test_scanning_a_code_checks_the_attendee_in(client, coordinator, door, alex):
    book(door, "bea@example.org", first_name="Bea", last_name="Jones")

    answer = scan(client, door, check_in_url(alex))

    assert answer["outcome"] == "checked_in"
    assert answer["message"] == "Checked in: Alex Smith (Coventry City Council)"
    assert answer["counts"] == {"checked_in": 1, "expected": 2, "text": "1 of 2 checked in"}
    mark = Attendance.objects.get(booking=alex)
    assert (mark.outcome, mark.method, mark.marked_by) == ("attended", Method.QR_CODE, coordinator)
    assert AuditEvent.objects.filter(action="attendance.marked", summary__contains=alex.reference).count() == 1


def test_scanning_the_bare_token_checks_in_too(client, coordinator, door, alex):
    assert scan(client, door, check_in_token(alex))["outcome"] == "checked_in"
    assert checked_in(alex)


def test_second_scan_says_when_they_were_checked_in(client, coordinator, door, alex):
    checked_in_at_10_02(alex, door)

    answer = scan(client, door, check_in_url(alex))

    assert answer == {
        "outcome": "already",
        "message": "Already checked in at 10:02",  # the programme's time, whatever the server's
        "counts": {"checked_in": 1, "expected": 1, "text": "1 of 1 checked in"},
    }
    assert AuditEvent.objects.filter(action="attendance.marked").count() == 1  # the first scan's only


def test_code_for_another_session_is_refused_with_its_title_and_date(client, coordinator, door, elsewhere):
    sam = book(elsewhere, "sam@example.org", first_name="Sam")

    answer = scan(client, door, check_in_url(sam))

    date = session_date(elsewhere.starts_at, elsewhere.programme.tz)
    assert answer["outcome"] == "refused"
    assert answer["message"] == f"This code is for another session: Online Harms, {date}"
    assert not Attendance.objects.exists()


def test_code_for_another_organisers_session_does_not_say_which(client, coordinator, door, make_session):
    theirs = Organiser.objects.create(name="Warwickshire Prevent", slug="warwickshire", contact_email="w@example.org")
    their_week = Programme.objects.create(
        organiser=theirs, title="Their week", slug="their-week", status=Programme.Status.PUBLISHED
    )
    stranger = book(make_session(programme=their_week, title="Their private briefing", **IN_PERSON), "s@example.org")

    answer = scan(client, door, check_in_url(stranger))

    assert answer["message"] == "This code is for another session."
    assert not Attendance.objects.exists()


def test_cancelled_booking_is_refused(client, coordinator, door, alex):
    cancel_booking(booking_id=alex.pk, actor=Actor(label="Alex Smith"))

    answer = scan(client, door, check_in_url(alex))

    assert (answer["outcome"], answer["message"]) == ("refused", "This booking was cancelled")
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "code",
    [
        "https://example.org/somewhere-else/",
        "hello",
        "BYP-AAAAA.aaaaaaaaaaaaaaaaaaaaaa",
        "http://testserver/backoffice/check-in/BYP-AAAAA.aaaaaaaaaaaaaaaaaaaaaa/",
    ],
)
def test_made_up_code_is_not_a_check_in_code(client, coordinator, door, alex, code):
    answer = scan(client, door, code)

    assert (answer["outcome"], answer["message"]) == ("refused", "Not a Book Your Place check-in code")
    assert not Attendance.objects.exists()


def test_tampered_code_is_refused(client, coordinator, door, alex):
    token = check_in_token(alex)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert scan(client, door, tampered)["message"] == "Not a Book Your Place check-in code"
    assert not checked_in(alex)


def test_manage_link_is_not_a_check_in_code(client, coordinator, door, alex):
    for code in (manage_url(alex), manage_token(alex)):
        assert scan(client, door, code)["message"] == "Not a Book Your Place check-in code"
    assert not checked_in(alex)


def test_viewer_cannot_scan_anyone_in(client, viewer, door, alex):
    assert client.get(reverse("backoffice:scan", kwargs={"session_id": door.pk})).status_code == 403
    response = client.post(scan_url(door), {"code": check_in_url(alex)}, HTTP_ACCEPT="application/json")

    assert response.status_code == 403
    assert not checked_in(alex)


def test_organiser_of_another_programme_does_not_find_the_session(client, organiser, door, alex):
    other_week = Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    sign_in_as(client, staff(organiser, "organiser", other_week, email="o@coventry.gov.uk"))

    response = client.post(scan_url(door), {"code": check_in_url(alex)}, HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert not checked_in(alex)


def test_nobody_signed_in_is_sent_to_sign_in(client, door, alex):
    response = client.post(scan_url(door), {"code": check_in_url(alex)})

    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:sign_in"))
    assert not checked_in(alex)


def test_scanner_page_shows_the_counts_and_the_reference_form(client, coordinator, door, alex):
    response = client.get(reverse("backoffice:scan", kwargs={"session_id": door.pk}))

    page = text_of(response)
    assert "Scan check-in codes" in page
    assert "0 of 1 checked in" in page
    assert "Or type the booking reference" in page
    assert "Start camera" in page
    # The camera only after a click: the scanner block is hidden until the script shows it.
    assert "<div data-scanner hidden" in response.content.decode()


# --- Typing the reference ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["{ref}", "{lower}", " {spaced} "])
def test_typed_reference_checks_the_attendee_in(client, coordinator, door, alex, typed):
    ref = alex.reference
    typed = typed.format(ref=ref, lower=ref.lower(), spaced=" ".join(ref.lower().replace("-", "")))

    answer = type_reference(client, door, typed)

    assert answer["message"] == "Checked in: Alex Smith (Coventry City Council)"
    assert Attendance.objects.get(booking=alex).method == Method.REGISTER


def test_typed_reference_of_another_session_is_refused(client, coordinator, door, elsewhere):
    sam = book(elsewhere, "sam@example.org", first_name="Sam")

    answer = type_reference(client, door, sam.reference)

    assert answer["message"].startswith("This code is for another session: Online Harms, ")
    assert not Attendance.objects.exists()


def test_typed_reference_of_a_cancelled_booking_is_refused(client, coordinator, door, alex):
    cancel_booking(booking_id=alex.pk, actor=Actor(label="Alex Smith"))

    assert type_reference(client, door, alex.reference)["message"] == "This booking was cancelled"


def test_typed_reference_twice_says_already(client, coordinator, door, alex):
    checked_in_at_10_02(alex, door)

    assert type_reference(client, door, alex.reference)["message"] == "Already checked in at 10:02"


def test_unknown_reference_is_refused(client, coordinator, door, alex):
    answer = type_reference(client, door, "BYP-ZZZZZ" if alex.reference != "BYP-ZZZZZ" else "BYP-YYYYY")

    assert answer["outcome"] == "refused"
    assert answer["message"].startswith("No booking has the reference BYP-")


def test_viewer_cannot_type_a_reference_in(client, viewer, door, alex):
    response = client.post(scan_url(door), {"reference": alex.reference})

    assert response.status_code == 403
    assert not checked_in(alex)


def test_reference_form_without_javascript_redirects_with_the_answer(client, coordinator, door, alex):
    response = client.post(scan_url(door), {"reference": alex.reference}, follow=True)

    assert response.redirect_chain == [(reverse("backoffice:scan", kwargs={"session_id": door.pk}), 302)]
    page = text_of(response)
    assert "Checked in: Alex Smith (Coventry City Council)" in page
    assert "1 of 1 checked in" in page


def test_reference_form_without_javascript_shows_a_refusal(client, coordinator, door, alex):
    cancel_booking(booking_id=alex.pk, actor=Actor(label="Alex Smith"))

    response = client.post(scan_url(door), {"reference": alex.reference}, follow=True)

    assert "This booking was cancelled" in text_of(response)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter the booking reference, for example BYP-7K2MQ"),
        ("BYP-12", "Enter a booking reference like BYP-7K2MQ: BYP and five letters or numbers"),
        ("<script>", "Enter a booking reference like BYP-7K2MQ: BYP and five letters or numbers"),
    ],
)
def test_reference_form_errors_are_in_an_error_summary(client, coordinator, door, typed, error):
    response = client.post(scan_url(door), {"reference": typed})

    assert response.status_code == 200
    page = text_of(response)
    assert f"There is a problem {error}" in page
    assert 'href="#id_reference"' in response.content.decode()


# --- A phone's own camera app opening the code --------------------------------------------


def test_opening_the_code_shows_the_attendee_and_one_button(client, coordinator, door, alex):
    response = open_code(client, alex)

    assert response.status_code == 200
    page = text_of(response)
    assert "Alex Smith" in page and "Coventry City Council" in page and "Understanding Prevent" in page
    assert offers_the_button(response, "Alex Smith")
    assert not Attendance.objects.exists()  # opening the link (a preview, a scanner) changes nothing


def test_pressing_the_button_checks_the_attendee_in(client, coordinator, door, alex):
    response = press_check_in(client, alex)

    assert "Checked in: Alex Smith (Coventry City Council)" in text_of(response)
    assert not offers_the_button(response, "Alex Smith")
    assert Attendance.objects.get(booking=alex).method == Method.QR_CODE


def test_opening_the_code_again_says_when_they_were_checked_in(client, coordinator, door, alex):
    checked_in_at_10_02(alex, door)

    response = open_code(client, alex)

    assert "Already checked in at 10:02" in text_of(response)
    assert not offers_the_button(response, "Alex Smith")
    assert "Already checked in at 10:02" in text_of(press_check_in(client, alex))


def test_opening_a_cancelled_bookings_code_says_so(client, coordinator, door, alex):
    cancel_booking(booking_id=alex.pk, actor=Actor(label="Alex Smith"))

    response = open_code(client, alex)
    pressed = press_check_in(client, alex)

    assert "This booking was cancelled" in text_of(response)
    assert not offers_the_button(response, "Alex Smith")
    assert "This booking was cancelled" in text_of(pressed)
    assert not Attendance.objects.exists()


def test_code_for_another_session_than_the_one_being_scanned_is_refused(client, coordinator, door, elsewhere):
    # The organiser is at the door of `door` (its scanner page is open) and uses the phone's camera app.
    client.get(reverse("backoffice:scan", kwargs={"session_id": door.pk}))
    sam = book(elsewhere, "sam@example.org", first_name="Sam")

    response = open_code(client, sam)
    shown = text_of(response)
    pressed = text_of(press_check_in(client, sam))

    message = (
        f"This code is for another session: Online Harms, {session_date(elsewhere.starts_at, elsewhere.programme.tz)}"
    )
    assert message in shown and message in pressed
    assert not offers_the_button(response, "Sam Smith")
    assert "Check people in to Online Harms instead" in shown
    assert not Attendance.objects.exists()


def test_code_opened_without_a_scanner_page_is_for_its_own_session(client, coordinator, door, elsewhere):
    sam = book(elsewhere, "sam@example.org", first_name="Sam")

    press_check_in(client, sam)

    assert Attendance.objects.get(booking=sam).session == elsewhere


def test_viewer_opening_a_code_is_refused_clearly(client, viewer, door, alex):
    shown = open_code(client, alex)
    pressed = client.post(reverse("backoffice:check_in", kwargs={"token": check_in_token(alex)}))

    assert shown.status_code == pressed.status_code == 403
    assert "Only the organisers of this programme can check people in" in text_of(shown)
    assert "Alex Smith" not in text_of(shown)
    assert not Attendance.objects.exists()


def test_organiser_of_another_programme_opening_a_code_finds_nothing(client, organiser, door, alex):
    other_week = Programme.objects.create(organiser=organiser, title="Autumn Week", slug="autumn-week")
    sign_in_as(client, staff(organiser, "organiser", other_week, email="o@coventry.gov.uk"))

    shown = open_code(client, alex)
    pressed = client.post(reverse("backoffice:check_in", kwargs={"token": check_in_token(alex)}))

    assert shown.status_code == pressed.status_code == 404
    assert "This check-in code is not valid" in text_of(shown)
    assert "Alex Smith" not in text_of(shown)
    assert not Attendance.objects.exists()


def test_opening_the_code_signed_out_goes_to_sign_in_and_back(client, door, alex, coordinator):
    client.logout()
    url = reverse("backoffice:check_in", kwargs={"token": check_in_token(alex)})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('backoffice:sign_in')}?next={url}"
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "BYP-AAAAA.aaaaaaaaaaaaaaaaaaaaaa", "." * 40])
def test_made_up_code_opened_is_not_valid(client, coordinator, door, alex, token):
    response = open_code(client, alex, token=token)

    assert response.status_code == 404
    assert "This check-in code is not valid" in text_of(response)


def test_manage_token_opened_as_a_check_in_code_is_not_valid(client, coordinator, door, alex):
    response = open_code(client, alex, token=manage_token(alex))
    pressed = client.post(reverse("backoffice:check_in", kwargs={"token": manage_token(alex)}))

    assert response.status_code == pressed.status_code == 404
    assert "This check-in code is not valid" in text_of(response)
    assert not Attendance.objects.exists()


# --- The code's secret stays out of the logs ------------------------------------------------


@contextmanager
def service_log():
    """What the handlers settings.LOGGING configured write while the block runs (their
    streams swapped for a buffer; the handlers and their masking filter are the real ones)."""
    handlers = [h for h in logging.getLogger().handlers if h.name in settings.LOGGING["handlers"]]
    assert handlers
    buffer = io.StringIO()
    streams = [handler.setStream(buffer) for handler in handlers]
    try:
        yield buffer
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)


def test_check_in_url_is_masked_in_a_log_line(alex):
    token = check_in_token(alex)

    masked = mask_secrets(
        f'"GET /backoffice/check-in/{token}/ HTTP/1.1" 200; next=%2Fbackoffice%2Fcheck-in%2F{token}%2F'
    )

    assert masked == f'"GET /backoffice/check-in/{MASK}/ HTTP/1.1" 200; next=%2Fbackoffice%2Fcheck-in%2F{MASK}%2F'


def test_check_in_codes_leave_no_secret_in_the_service_log(client, coordinator, door, alex):
    real = check_in_token(alex)
    made_up = f"{alex.reference}.{'x' * 22}"

    with service_log() as log:
        assert open_code(client, alex, token=made_up).status_code == 404  # "Not Found: ..."
        client.logout()
        assert open_code(client, alex).status_code == 302  # to sign in, the code in ?next=
        logging.getLogger("bookyourplace.backoffice").warning("Opened %s", check_in_url(alex))

    text = log.getvalue()
    assert f"Not Found: /backoffice/check-in/{MASK}/" in text
    assert f"Opened http://testserver/backoffice/check-in/{MASK}/" in text
    assert real.partition(".")[2] not in text and "x" * 22 not in text
