"""A password alone cannot replace someone's authenticator app, nor open any back-office page:
only a session verified with a code may set up a new one (the first one excepted), and the
owner is told."""

import re
from urllib.parse import quote

from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.backoffice.tests.two_factor.steps import (
    ADMIN_EMAIL,
    EMAIL,
    RECOVERY_CODES,
    SETUP,
    VERIFY,
    code_for,
    sends_to_code_step,
    sign_in,
    sign_in_with_code,
)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent

# --- 1. The password alone cannot replace the authenticator ----------------------------------------


def test_two_factor_setup_with_only_a_password_sends_to_the_code_step(client, person, device, session):
    sign_in(client)

    page = client.get(SETUP)
    posted = client.post(SETUP, {"code": code_for(device)})

    assert sends_to_code_step(page) and sends_to_code_step(posted)
    assert page.url == f"{VERIFY}?next={quote(SETUP)}"
    # No new key was shown or made, the authenticator is untouched, and nothing opened.
    assert list(TOTPDevice.objects.filter(user=person).values_list("pk", "confirmed")) == [(device.pk, True)]
    for url in (
        reverse("backoffice:dashboard"),
        reverse("backoffice:session_export_csv", kwargs={"session_id": session.pk}),
    ):
        assert sends_to_code_step(client.get(url)), url


def test_a_key_being_set_up_never_replaces_the_authenticator_without_its_code(client, person, device):
    """A device left unconfirmed (an earlier set-up) whose code the attacker somehow has."""
    pending = TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=False)
    sign_in(client)

    response = client.post(SETUP, {"code": code_for(pending)})

    assert sends_to_code_step(response)
    pending.refresh_from_db()
    device.refresh_from_db()
    assert device.confirmed and not pending.confirmed
    assert sends_to_code_step(client.get(reverse("backoffice:dashboard")))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON).exists()


def test_with_a_verified_session_the_authenticator_can_be_replaced_and_the_owner_is_told(
    client, person, device, run_worker
):
    sign_in_with_code(client, EMAIL, device)

    assert client.get(SETUP).status_code == 200
    new = TOTPDevice.objects.get(user=person, confirmed=False)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()  # kept until the new code is checked
    response = client.post(SETUP, {"code": code_for(new)})

    assert response.status_code == 302 and response.url == RECOVERY_CODES
    assert "Codes from the old one no longer work" in text_of(client.get(response.url))
    assert list(TOTPDevice.objects.filter(user=person).values_list("pk", "confirmed")) == [(new.pk, True)]
    event = AuditEvent.objects.get(summary__startswith="Replaced")
    assert event.actor == person and event.summary == f"Replaced the authenticator app of Priya Shah <{EMAIL}>"
    assert mail.outbox == []  # the worker sends it
    run_worker()
    [message] = mail.outbox
    assert message.to == [EMAIL]
    assert message.subject == "A new authenticator app was set up for your Book Your Place account"
    assert re.search(r"set up for your back-office account on \w+day \d+ \w+ \d{4} at \d\d:\d\d", message.body)
    assert "If this was not you" in message.body and "/backoffice/password-reset/" in message.body


def test_the_first_authenticator_may_be_added_with_a_password_and_the_owner_is_told(
    client, person, settings, run_worker
):
    settings.BYP_REQUIRE_TWO_FACTOR = True
    sign_in(client)

    assert client.get(SETUP).status_code == 200
    new = TOTPDevice.objects.get(user=person)
    response = client.post(SETUP, {"code": code_for(new)})

    assert response.status_code == 302 and response.url == RECOVERY_CODES
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(summary__startswith="Turned on two-factor sign-in for").count() == 1
    run_worker()
    [message] = mail.outbox
    assert (
        message.to == [EMAIL] and message.subject == "Two-factor sign-in was turned on for your Book Your Place account"
    )


def test_with_only_a_password_every_back_office_page_sends_to_the_code_step(
    client, organiser, programme, session, book, admin, admin_device
):
    booking = book(session, "alex@coventry.gov.uk")
    colleague = make_person(organiser, Role.ORGANISER, email="sam@coventry.gov.uk")
    sign_in(client, ADMIN_EMAIL)

    for name, kwargs in [
        ("dashboard", {}),
        ("account", {}),
        ("people", {}),
        ("person_edit", {"member_id": colleague.pk}),
        ("person_reset_two_factor", {"member_id": colleague.pk}),
        ("audit_log", {}),
        ("programme", {"programme_id": programme.pk}),
        ("session_bookings", {"session_id": session.pk}),
        ("booking", {"booking_id": booking.pk}),
        ("approvals", {"session_id": session.pk}),
        ("waiting_list", {"session_id": session.pk}),
        ("session_export_csv", {"session_id": session.pk}),
        ("session_export_xlsx", {"session_id": session.pk}),
        ("programme_export_csv", {"programme_id": programme.pk}),
        ("programme_export_xlsx", {"programme_id": programme.pk}),
    ]:
        url = reverse(f"backoffice:{name}", kwargs=kwargs)
        response = client.get(url)
        assert sends_to_code_step(response), f"{url} gave {response.status_code}"
        assert "alex@coventry.gov.uk" not in response.content.decode()
    assert sends_to_code_step(
        client.post(reverse("backoffice:programme_archive", kwargs={"programme_id": programme.pk}))
    )
    programme.refresh_from_db()
    assert programme.status == programme.Status.PUBLISHED
