"""Council sign-in, end to end: the sign-in page's button, the redirect to a real OpenID
Connect provider on loopback (core/testing/oidc_provider.py), its answer back to our callback,
and our server's own requests to the provider's token, JWKS and userinfo endpoints over HTTP.

Who gets in and with which role, and every way a token or an answer can be wrong."""

from io import StringIO

import pytest
import requests
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from bookyourplace.accounts.council_sign_in import REFUSED
from bookyourplace.accounts.models import Role, SignInProvider, StaffMember
from bookyourplace.accounts.testing import make_person
from bookyourplace.core.testing import text_of
from bookyourplace.core.testing.oidc_provider import CLIENT_ID, CLIENT_SECRET, Person, person_from
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import Organiser

ADMINS, ORGANISERS = "8a1f6c0e-admins", "5d2e9b7a-organisers"
COULD_NOT_COMPLETE = "Your sign-in could not be completed"


@pytest.fixture
def council(organiser, oidc_provider):
    return SignInProvider.objects.create(
        organiser=organiser,
        name="Coventry City Council account",
        issuer=oidc_provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains="coventry.gov.uk",
        group_roles=f"{ADMINS} = administrator\n{ORGANISERS} = organiser",
    )


def start(client, provider, next_url=""):
    url = reverse("backoffice:council_sign_in_start", args=[provider.pk])
    return client.get(url + (f"?next={next_url}" if next_url else ""))


def at_provider(response) -> str:
    """Follow our redirect to the provider over HTTP; the URL it sends the browser back to."""
    answer = requests.get(response.url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def sign_in_through(client, provider, next_url=""):
    """The whole round trip; the callback's response."""
    return client.get(at_provider(start(client, provider, next_url)))


def is_signed_in(client) -> bool:
    return client.get(reverse("backoffice:dashboard")).status_code == 200


def test_the_sign_in_page_offers_each_council_sign_in_above_the_password_form(client, council):
    page = text_of(client.get(reverse("backoffice:sign_in")))

    assert page.index("Sign in with Coventry City Council account") < page.index("Password")


def test_someone_new_in_a_mapped_group_gets_an_account_with_its_role(client, council, oidc_provider, settings):
    settings.BYP_REQUIRE_TWO_FACTOR = True  # every back-office page asks for a second factor
    oidc_provider.person = Person(email="Sam.Jones@Coventry.gov.uk", groups=["other-group", ORGANISERS])

    response = sign_in_through(client, council)

    assert response.status_code == 302 and response.url == reverse("backoffice:dashboard")
    member = StaffMember.objects.select_related("user").get(user__email="sam.jones@coventry.gov.uk")
    assert (member.role, member.organiser_id, member.user.get_full_name()) == (
        Role.ORGANISER,
        council.organiser_id,
        "Sam Jones",
    )
    assert not member.user.has_usable_password()
    # Two-factor sign-in is required, and the council's own counts: the dashboard opens.
    assert is_signed_in(client)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CHANGED_PERSON, summary__contains="as Organiser at their first council sign-in"
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGNED_IN, summary__contains="through Coventry City Council account"
    ).exists()


def test_our_server_talks_to_the_provider_itself_with_pkce(client, council, oidc_provider):
    oidc_provider.person = Person(groups=[ORGANISERS])
    redirect = start(client, council)

    assert "code_challenge=" in redirect.url and "code_challenge_method=S256" in redirect.url
    assert "nonce=" in redirect.url and "state=" in redirect.url
    client.get(at_provider(redirect))

    assert oidc_provider.requests[-3:] == ["POST /token", "GET /jwks", "GET /userinfo"]
    assert len(oidc_provider.token_requests[-1]["code_verifier"]) >= 43


def test_staff_are_matched_by_email_and_their_role_follows_their_groups(client, organiser, council, oidc_provider):
    member = make_person(organiser, Role.VIEWER, email="sam.jones@coventry.gov.uk")
    oidc_provider.person = Person(email="SAM.JONES@coventry.gov.uk", groups=[ADMINS, ORGANISERS])

    sign_in_through(client, council)

    member.refresh_from_db()
    assert member.role == Role.ADMINISTRATOR  # the more privileged of the two groups
    assert is_signed_in(client)
    assert StaffMember.objects.count() == 1
    assert AuditEvent.objects.filter(summary__contains="from Viewer to Administrator").exists()


def test_staff_in_no_mapped_group_keep_the_role_an_administrator_gave(client, organiser, council, oidc_provider):
    make_person(organiser, Role.VIEWER, email="sam.jones@coventry.gov.uk")
    oidc_provider.person = Person(groups=[])

    sign_in_through(client, council)

    assert is_signed_in(client)
    assert StaffMember.objects.get().role == Role.VIEWER


def test_staff_in_no_mapped_group_are_refused_when_only_groups_count(client, organiser, council, oidc_provider):
    council.allow_assigned_roles = False
    council.save()
    make_person(organiser, Role.VIEWER, email="sam.jones@coventry.gov.uk")
    oidc_provider.person = Person(groups=[])

    response = sign_in_through(client, council)

    assert response.status_code == 403
    assert "Your account has no role in Book Your Place yet" in text_of(response)
    assert not is_signed_in(client)


def test_someone_with_no_role_is_refused_and_the_refusal_audited(client, council, oidc_provider):
    oidc_provider.person = Person(email="new.starter@coventry.gov.uk", groups=["unmapped-group"])

    response = sign_in_through(client, council)

    assert response.status_code == 403
    page = text_of(response)
    assert "Your account has no role in Book Your Place yet" in page and "ask your administrator" in page
    assert not User.objects.filter(email="new.starter@coventry.gov.uk").exists()
    assert not is_signed_in(client)
    refusal = AuditEvent.objects.get(action=REFUSED)
    assert "new.starter@coventry.gov.uk" in refusal.summary and "no role" in refusal.summary


def test_staff_of_another_organisation_are_refused(client, council, oidc_provider):
    elsewhere = Organiser.objects.create(name="Warwickshire Prevent", slug="warwickshire", contact_email="w@e.org")
    make_person(elsewhere, Role.ADMINISTRATOR, email="sam.jones@coventry.gov.uk")
    oidc_provider.person = Person(groups=[ADMINS])

    response = sign_in_through(client, council)

    assert response.status_code == 403
    assert "belongs to an account of another organisation" in text_of(response)
    assert not is_signed_in(client)
    assert StaffMember.objects.get().organiser == elsewhere


def test_a_switched_off_account_is_refused(client, organiser, council, oidc_provider):
    member = make_person(organiser, Role.ORGANISER, email="sam.jones@coventry.gov.uk")
    member.user.is_active = False
    member.user.save()
    oidc_provider.person = Person(groups=[ORGANISERS])

    response = sign_in_through(client, council)

    assert response.status_code == 403 and "switched off" in text_of(response)
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("person", "says"),
    [
        (Person(email="sam@gmail.com", groups=[ORGANISERS]), "is not one that Coventry City Council account accepts"),
        (Person(email_verified=False, groups=[ORGANISERS]), "has not confirmed your email address"),
    ],
    ids=["another email domain", "email not verified"],
)
def test_an_email_address_the_council_does_not_vouch_for_is_refused(client, council, oidc_provider, person, says):
    oidc_provider.person = person

    response = sign_in_through(client, council)

    assert response.status_code == 403 and says in text_of(response)
    assert not User.objects.exists()


@pytest.mark.parametrize("misbehaviour", ["wrong_audience", "expired", "bad_signature", "wrong_nonce", "wrong_issuer"])
def test_a_token_that_is_not_right_is_refused(client, organiser, council, oidc_provider, misbehaviour):
    make_person(organiser, Role.ADMINISTRATOR, email="sam.jones@coventry.gov.uk")
    oidc_provider.person = Person(groups=[ADMINS])
    oidc_provider.misbehave = misbehaviour

    response = sign_in_through(client, council)

    assert response.status_code == 403
    assert COULD_NOT_COMPLETE in text_of(response)
    assert not is_signed_in(client)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN).exists()


def test_the_same_token_signs_in_when_nothing_is_wrong(client, organiser, council, oidc_provider):
    """The other side of the test above: the same person, provider and flow, no misbehaviour."""
    make_person(organiser, Role.ADMINISTRATOR, email="sam.jones@coventry.gov.uk")
    oidc_provider.person = Person(groups=[ADMINS])

    sign_in_through(client, council)

    assert is_signed_in(client)


def test_an_answer_for_a_sign_in_this_browser_did_not_start_is_refused(client, council, oidc_provider):
    oidc_provider.person = Person(groups=[ORGANISERS])
    back = at_provider(start(client, council))
    forged = back.replace("state=", "state=x")

    response = client.get(forged)

    assert response.status_code == 400
    assert COULD_NOT_COMPLETE in text_of(response)
    assert not is_signed_in(client)


def test_an_answer_is_used_once(client, council, oidc_provider):
    oidc_provider.person = Person(groups=[ORGANISERS])
    back = at_provider(start(client, council))
    client.get(back)
    client.post(reverse("backoffice:sign_out"))

    response = client.get(back)

    assert response.status_code == 400
    assert not is_signed_in(client)


def test_a_provider_that_says_no_gets_a_clear_page(client, council, oidc_provider):
    oidc_provider.misbehave = "access_denied"

    response = sign_in_through(client, council)

    assert response.status_code == 403
    page = text_of(response)
    assert "You were not signed in" in page and "Go back to the sign-in page" in page


def test_a_provider_that_cannot_be_reached_gets_a_clear_page(client, organiser):
    gone = SignInProvider.objects.create(
        organiser=organiser, name="Gone", issuer="http://127.0.0.1:9/", client_id="x", client_secret="y"
    )

    response = start(client, gone)

    assert response.status_code == 503
    assert "sign-in service is not available" in text_of(response)


def test_someone_with_an_authenticator_is_not_asked_for_its_code(client, organiser, council, oidc_provider):
    member = make_person(organiser, Role.ORGANISER, email="sam.jones@coventry.gov.uk")
    TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    oidc_provider.person = Person(groups=[ORGANISERS])

    sign_in_through(client, council)

    assert is_signed_in(client)


def test_a_password_sign_in_still_asks_for_the_code(client, organiser, council):
    """The council's mark is for its own sessions: a password alone is still not enough."""
    from bookyourplace.accounts.testing import PASSWORD

    member = make_person(organiser, Role.ORGANISER, email="sam.jones@coventry.gov.uk")
    TOTPDevice.objects.create(user=member.user, name="Authenticator app", confirmed=True)
    client.post(reverse("backoffice:sign_in"), {"username": member.user.email, "password": PASSWORD})

    response = client.get(reverse("backoffice:dashboard"))

    assert response.status_code == 302 and response.url.startswith(reverse("backoffice:verify"))


def test_it_goes_back_to_the_page_asked_for(client, council, oidc_provider):
    oidc_provider.person = Person(groups=[ORGANISERS])

    response = sign_in_through(client, council, next_url="/backoffice/account/")

    assert response.url == "/backoffice/account/"


def test_the_callback_is_rate_limited(client, council, oidc_provider, rate_limits_on, settings):
    settings.BYP_RATE_LIMITS = {**settings.BYP_RATE_LIMITS, "council_sign_in_per_address": "2/10m"}
    callback = reverse("backoffice:council_sign_in_callback")
    for _attempt in range(2):
        assert client.get(callback + "?code=x&state=y").status_code == 400

    response = client.get(callback + "?code=x&state=y")

    assert response.status_code == 429


# --- The administrators' pages ----------------------------------------------------------------


def test_an_administrator_adds_a_council_sign_in(client, admin, oidc_provider):
    url = reverse("backoffice:council_sign_in_provider_new")
    form = {
        "name": "Coventry City Council account",
        "issuer": oidc_provider.issuer + "/.well-known/openid-configuration",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "email_domains": "coventry.gov.uk",
        "groups_claim": "groups",
        "group_roles": f"{ADMINS} = Administrator",
        "allow_assigned_roles": "no",
    }

    response = client.post(url, form)

    provider = SignInProvider.objects.get()
    assert response.status_code == 302
    assert (provider.issuer, provider.client_secret, provider.allow_assigned_roles) == (
        oidc_provider.issuer,
        CLIENT_SECRET,
        False,
    )
    page = client.get(response.url)
    assert CLIENT_SECRET not in page.content.decode()
    assert "Saved (never shown)" in text_of(page)
    assert AuditEvent.objects.filter(action="sign_in_provider.added").exists()


def test_the_form_says_what_is_wrong(client, admin):
    response = client.post(
        reverse("backoffice:council_sign_in_provider_new"),
        {
            "name": "Council",
            "issuer": "http://login.example.org/tenant",
            "client_id": "x",
            "client_secret": "y",
            "group_roles": "admins = boss",
            "allow_assigned_roles": "yes",
        },
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter an issuer URL that starts with https://" in page
    assert not SignInProvider.objects.exists()


def test_a_bad_group_line_is_named(client, admin, oidc_provider):
    response = client.post(
        reverse("backoffice:council_sign_in_provider_new"),
        {
            "name": "Council",
            "issuer": oidc_provider.issuer,
            "client_id": "x",
            "client_secret": "y",
            "group_roles": "admins = administrator\nadmins is boss",
            "allow_assigned_roles": "yes",
        },
    )

    assert "Line 2: write each line as a group" in text_of(response)


def test_changing_settings_keeps_the_secret_unless_a_new_one_is_given(client, admin, council):
    url = reverse("backoffice:council_sign_in_provider_edit", args=[council.pk])
    page = client.get(url)
    assert CLIENT_SECRET not in page.content.decode()

    client.post(
        url,
        {
            "name": "Coventry account",
            "issuer": council.issuer,
            "client_id": CLIENT_ID,
            "client_secret": "",
            "groups_claim": "roles",
            "allow_assigned_roles": "yes",
        },
    )

    council.refresh_from_db()
    assert (council.name, council.groups_claim, council.client_secret) == ("Coventry account", "roles", CLIENT_SECRET)


def test_removing_a_council_sign_in_takes_its_button_away(client, admin, council):
    client.post(reverse("backoffice:council_sign_in_provider_remove", args=[council.pk]))

    assert not SignInProvider.objects.exists()
    client.post(reverse("backoffice:sign_out"))
    assert "Sign in with Coventry" not in text_of(client.get(reverse("backoffice:sign_in")))


def test_another_organisations_council_sign_in_is_not_found(client, admin, oidc_provider):
    elsewhere = Organiser.objects.create(name="Warwickshire Prevent", slug="warwickshire", contact_email="w@e.org")
    theirs = SignInProvider.objects.create(
        organiser=elsewhere, name="Warwickshire account", issuer=oidc_provider.issuer, client_id="w", client_secret="s"
    )

    listing = text_of(client.get(reverse("backoffice:council_sign_in_providers")))

    assert "Warwickshire account" not in listing
    for name in ("council_sign_in_provider", "council_sign_in_provider_edit", "council_sign_in_provider_remove"):
        assert client.get(reverse(f"backoffice:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("backoffice:council_sign_in_provider_remove", args=[theirs.pk])).status_code == 404
    assert SignInProvider.objects.filter(pk=theirs.pk).exists()


def test_checking_the_settings_reads_the_providers_discovery_document(client, admin, council, oidc_provider):
    response = client.post(reverse("backoffice:council_sign_in_provider_check", args=[council.pk]), follow=True)

    assert "The provider's settings were read" in text_of(response)
    assert oidc_provider.requests[-1] == "GET /.well-known/openid-configuration"


def test_refused_sign_ins_are_in_the_organisations_audit_log(client, admin, council, oidc_provider):
    other = client.__class__()
    oidc_provider.person = Person(email="new.starter@coventry.gov.uk", groups=[])
    sign_in_through(other, council)

    log = text_of(client.get(reverse("backoffice:audit_log")))

    assert "Refused council sign-in of new.starter@coventry.gov.uk" in log


def test_the_code_and_state_never_reach_the_logs():
    from bookyourplace.core.log_masking import mask_secrets

    line = mask_secrets('"GET /backoffice/sign-in/council/callback/?code=Zx81-secret&state=Qm2state HTTP/1.1" 302')

    assert "Zx81-secret" not in line and "Qm2state" not in line and "/council/callback/" in line


def test_the_demo_councils_sign_in_works_as_make_run_sets_it_up(client, organiser, oidc_provider):
    """`make run`: demo_council_sign_in gives the demo organiser a council sign-in and prints
    who the provider offers; each of them signs in (or is refused) as the README says."""
    for _ in range(2):  # run again by every `make run`: still one provider
        out = StringIO()
        call_command("demo_council_sign_in", issuer=oidc_provider.issuer, stdout=out)
    assert SignInProvider.objects.filter(organiser=organiser).count() == 1
    oidc_provider.people = [person_from(text) for text in out.getvalue().split("--person") if text.strip()]
    oidc_provider.ask_who = True
    provider = SignInProvider.objects.get(organiser=organiser)

    def choose(email):
        page = requests.get(start(client, provider).url, timeout=10)
        assert email in page.text  # the provider's page offers the demo's people
        return requests.get(start(client, provider).url + f"&chosen={email}", allow_redirects=False, timeout=10)

    client.get(choose("sam.jones@coventry.example").headers["Location"])
    assert is_signed_in(client)
    assert StaffMember.objects.get(user__email="sam.jones@coventry.example").role == Role.ADMINISTRATOR

    client.logout()
    refused = client.get(choose("pat.lee@coventry.example").headers["Location"])
    assert "no role" in text_of(refused)
    assert not is_signed_in(client)
