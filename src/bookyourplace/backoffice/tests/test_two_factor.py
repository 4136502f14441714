"""Two-factor sign-in as an attacker who knows a password (but not the authenticator) tries it:
the set-up page, the back office, Django's admin, an administrator's reset, crafted `next`
links, and what a browser may keep of back-office pages."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import PASSWORD, make_person, sign_in_as
from bookyourplace.backoffice.tests.test_permissions import MATRIX, _ask, _url, world  # noqa: F401 (a fixture)
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent

EMAIL = "priya.shah@coventry.gov.uk"
ADMIN_EMAIL = "hana.ali@coventry.gov.uk"
VERIFY = reverse("backoffice:verify")
SETUP = reverse("backoffice:two_factor_setup")
RECOVERY_CODES = reverse("backoffice:recovery_codes")


def code_for(device) -> str:
    return f"{totp(device.bin_key):06d}"


def sign_in(client, email=EMAIL, **data):
    """The password step, as the sign-in form posts it."""
    return client.post(reverse("backoffice:sign_in"), {"username": email, "password": PASSWORD, **data})


def enter_code(client, device, url=VERIFY):
    # A TOTP code is accepted once per 30 seconds; a test may need the same device twice.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return client.post(url, {"code": code_for(device)})


def sign_in_with_code(client, email, device) -> None:
    sign_in(client, email)
    response = enter_code(client, device)
    assert response.status_code == 302 and not response.url.startswith(VERIFY)


def sends_to_code_step(response) -> bool:
    return response.status_code == 302 and response.url.startswith(VERIFY + "?next=")


@pytest.fixture
def person(organiser, programme):
    return make_person(organiser, Role.ORGANISER, email=EMAIL, programmes=(programme,)).user


@pytest.fixture
def device(person):
    return TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)


@pytest.fixture
def admin(organiser):
    return make_person(organiser, Role.ADMINISTRATOR, email=ADMIN_EMAIL, first_name="Hana", last_name="Ali").user


@pytest.fixture
def admin_device(admin):
    return TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)


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


# --- Recovery codes --------------------------------------------------------------------------------


def recovery_codes_on(page) -> list[str]:
    return re.findall(r'<code class="byp-key">([a-z2-7]{8})</code>', page.content.decode())


def test_recovery_codes_are_shown_once_and_each_signs_in_once(client, person, run_worker):
    sign_in(client)
    client.get(SETUP)
    client.post(SETUP, {"code": code_for(TOTPDevice.objects.get(user=person))})

    codes = recovery_codes_on(client.get(RECOVERY_CODES))
    again = client.get(RECOVERY_CODES)

    assert len(set(codes)) == 10
    assert recovery_codes_on(again) == [] and "You have 10 recovery codes left" in text_of(again)
    phone_lost = Client()
    sign_in(phone_lost)
    response = phone_lost.post(VERIFY, {"code": codes[3].upper()})
    assert response.status_code == 302 and response.url == reverse("backoffice:dashboard")
    assert phone_lost.get(response.url).status_code == 200
    assert AuditEvent.objects.filter(summary__contains="signed in with a recovery code (9 left)").exists()
    run_worker()
    told = [m for m in mail.outbox if "recovery code was used" in m.subject]
    assert [m.to for m in told] == [[EMAIL]] and "you have 9 left" in told[0].body
    used_again = Client()
    sign_in(used_again)
    assert "That code is wrong or has expired" in text_of(used_again.post(VERIFY, {"code": codes[3]}))
    assert sends_to_code_step(used_again.get(reverse("backoffice:dashboard")))


def test_a_password_only_session_cannot_make_new_recovery_codes(client, person, device):
    sign_in(client)

    assert sends_to_code_step(client.get(RECOVERY_CODES))
    assert sends_to_code_step(client.post(RECOVERY_CODES))
    assert not AuditEvent.objects.filter(summary__startswith="Made new recovery codes").exists()


def test_new_recovery_codes_replace_the_old_ones(client, person, device):
    sign_in_with_code(client, EMAIL, device)
    client.post(RECOVERY_CODES)
    old = recovery_codes_on(client.get(RECOVERY_CODES))

    client.post(RECOVERY_CODES)
    new = recovery_codes_on(client.get(RECOVERY_CODES))

    assert len(old) == len(new) == 10 and not set(old) & set(new)
    elsewhere = Client()
    sign_in(elsewhere)
    assert elsewhere.post(VERIFY, {"code": old[0]}).status_code == 200  # refused: the form again
    StaticDevice.objects.update(throttling_failure_count=0)  # django-otp slows the next try after a wrong code
    assert elsewhere.post(VERIFY, {"code": new[0]}).status_code == 302


# --- An administrator resets someone's two-factor -------------------------------------------------


def test_an_administrator_with_a_verified_session_resets_a_colleagues_two_factor(
    client, person, device, admin, admin_device, run_worker, settings
):
    settings.BYP_REQUIRE_TWO_FACTOR = True
    StaticDevice.objects.create(user=person, name="Recovery codes", confirmed=True).token_set.create(token="abcdefgh")
    sign_in_with_code(client, ADMIN_EMAIL, admin_device)
    member = person.staff
    people = client.get(reverse("backoffice:people"))
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": member.pk})
    assert f'href="{url}"' in people.content.decode()

    assert "Reset two-factor sign-in" in text_of(client.get(url))
    response = client.post(url)

    assert response.status_code == 302 and response.url == reverse("backoffice:people")
    assert "Two-factor sign-in of Priya Shah is reset" in text_of(client.get(response.url))
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()  # nor their recovery codes
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED_PERSON)
    assert event.actor == admin and event.summary == f"Reset the two-factor sign-in of Priya Shah <{EMAIL}>"
    run_worker()
    [message] = mail.outbox
    assert message.to == [EMAIL] and "An administrator reset two-factor sign-in" in message.body
    # They set up an authenticator again at their next sign-in.
    again = Client()
    assert sign_in(again).url == reverse("backoffice:dashboard")
    assert again.get(reverse("backoffice:dashboard")).url == SETUP


def test_an_administrator_signed_in_with_only_a_password_cannot_reset_two_factor(
    client, person, device, admin, admin_device
):
    sign_in(client, ADMIN_EMAIL)
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": person.staff.pk})

    assert sends_to_code_step(client.get(url))
    assert sends_to_code_step(client.post(url))
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON).exists()


def test_an_administrator_without_two_factor_cannot_reset_anyone_elses(client, person, device, admin, run_worker):
    """With two-factor not required, such a session is allowed in, but it is only a password:
    it must not be able to strip a colleague's second factor."""
    sign_in(client, ADMIN_EMAIL)
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": person.staff.pk})

    page = client.get(url)
    response = client.post(url)

    assert "Only an administrator who signed in with a code from their own authenticator app" in text_of(page)
    assert "Reset two-factor sign-in" not in text_of(page)  # no button
    assert response.status_code == 200
    assert "There is a problem Turn on two-factor sign-in for your own account" in text_of(response)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PERSON).exists()
    run_worker()
    assert mail.outbox == []


def test_an_administrator_cannot_reset_their_own_two_factor_there(client, admin, admin_device):
    sign_in_with_code(client, ADMIN_EMAIL, admin_device)
    url = reverse("backoffice:person_reset_two_factor", kwargs={"member_id": admin.staff.pk})

    assert "To change your own authenticator app, use Your account" in text_of(client.get(url))
    response = client.post(url)

    assert "You cannot reset your own two-factor sign-in here" in text_of(response)
    assert TOTPDevice.objects.filter(pk=admin_device.pk).exists()


# --- 2. Django's admin -----------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@coventry.gov.uk", "root@coventry.gov.uk", PASSWORD)


@pytest.fixture
def superuser_device(superuser):
    return TOTPDevice.objects.create(user=superuser, name="Authenticator app", confirmed=True)


def test_the_admin_does_not_open_to_a_superusers_password_alone(client, superuser, superuser_device, person):
    sign_in(client, "root@coventry.gov.uk")  # the password step, through the back office
    change = reverse("admin:auth_user_change", args=[person.pk])

    for url in (reverse("admin:index"), change, reverse("admin:otp_totp_totpdevice_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), url
    client.post(change, {"username": person.username, "is_superuser": "on", "is_staff": "on", "is_active": "on"})
    person.refresh_from_db()
    assert not person.is_superuser

    forced = Client()
    forced.force_login(superuser)  # however the password was checked
    assert forced.get(reverse("admin:index")).url.startswith(reverse("admin:login"))


def test_the_admin_opens_to_a_superuser_verified_with_their_code(client, superuser, superuser_device, person):
    sign_in_with_code(client, "root@coventry.gov.uk", superuser_device)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:auth_user_change", args=[person.pk])).status_code == 200


def test_the_admin_has_no_sign_in_of_its_own(client, superuser, superuser_device):
    # django-otp's admin sign-in would verify a session with a recovery code without telling
    # the owner or the audit log: the only way in is the back office's sign-in and code step.
    recovery = StaticDevice.objects.create(user=superuser, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    login = reverse("admin:login")

    page = client.get(login + "?next=/admin/auth/user/")
    assert page.status_code == 302
    assert page.url == reverse("backoffice:sign_in") + "?next=/admin/auth/user/"

    fields = {"username": "root@coventry.gov.uk", "password": PASSWORD}
    for device, token in ((superuser_device, code_for(superuser_device)), (recovery, "abcd2345")):
        posted = client.post(login, {**fields, "otp_device": device.persistent_id, "otp_token": token})
        assert posted.status_code == 302 and posted.url.startswith(reverse("backoffice:sign_in"))
        assert client.get(reverse("admin:index")).status_code == 302
    assert recovery.token_set.filter(token="abcd2345").exists()  # not spent


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
def test_the_sign_in_page_does_not_carry_a_next_that_leads_off_the_site(client, elsewhere):
    page = client.get(reverse("backoffice:sign_in") + "?" + urlencode({"next": elsewhere}))

    assert re.search(r'name="next" value="([^"]*)"', page.content.decode()).group(1) == ""


def test_a_next_on_this_site_is_kept_through_both_steps(client, person, device):
    wanted = reverse("backoffice:account") + "?from=email"

    sign_in(client, next=wanted)
    to_code = client.get(wanted)
    assert sends_to_code_step(to_code)
    code = enter_code(client, device, url=to_code.url)

    assert code.url == wanted


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
