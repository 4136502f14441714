"""Council sign-in's rules without a provider: reading the settings an administrator types,
and who the claims of a checked ID token let in (the whole journey: backoffice/tests/)."""

import pytest
from django.contrib.auth.models import User

from bookyourplace.accounts.council_sign_in import (
    REFUSED,
    SignInRefused,
    admit,
    is_acceptable_issuer,
    issuer_of,
    parse_email_domains,
    parse_group_roles,
    role_from_groups,
)
from bookyourplace.accounts.models import Role, SignInProvider, StaffMember
from bookyourplace.privacy.models import AuditEvent


@pytest.fixture
def provider(organiser):
    return SignInProvider.objects.create(
        organiser=organiser,
        name="Coventry City Council account",
        issuer="https://login.microsoftonline.com/tenant/v2.0",
        client_id="c",
        client_secret="s",
        group_roles="admins = administrator\nstaff = Organiser\n# a comment\n\nreaders=viewer",
    )


def claims(email="sam.jones@coventry.gov.uk", **more):
    return {"sub": "1", "email": email, "given_name": "Sam", "family_name": "Jones", **more}


def test_group_lines_are_read_with_any_spacing_and_case():
    assert parse_group_roles("a = Administrator\nb=organiser\n  c =  viewer ") == {
        "a": "administrator",
        "b": "organiser",
        "c": "viewer",
    }


@pytest.mark.parametrize("text", ["admins administrator", "admins = boss", " = viewer"])
def test_a_group_line_that_is_not_right_is_named(text):
    with pytest.raises(ValueError, match="Line 1"):
        parse_group_roles(text)


def test_email_domains_are_read_from_lines_or_commas():
    assert parse_email_domains("coventry.gov.uk, @Warwickshire.gov.uk\nnhs.net") == [
        "coventry.gov.uk",
        "warwickshire.gov.uk",
        "nhs.net",
    ]


@pytest.mark.parametrize(
    ("url", "acceptable"),
    [
        ("https://login.microsoftonline.com/t/v2.0", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8765", True),
        ("http://login.example.org", False),
        ("ftp://login.example.org", False),
    ],
)
def test_only_https_issuers_are_accepted_but_on_this_machine(url, acceptable):
    assert is_acceptable_issuer(url) is acceptable


def test_a_discovery_url_is_read_as_its_issuer():
    assert issuer_of("https://idp.example.org/t/.well-known/openid-configuration") == "https://idp.example.org/t"


def test_the_most_privileged_mapped_group_wins(provider):
    assert role_from_groups(provider, {"groups": ["readers", "staff"]}) == Role.ORGANISER
    assert role_from_groups(provider, {"groups": "admins"}) == Role.ADMINISTRATOR
    assert role_from_groups(provider, {"groups": ["nobody"]}) is None
    provider.groups_claim = "roles"
    assert role_from_groups(provider, {"groups": ["admins"], "roles": ["readers"]}) == Role.VIEWER


def test_an_account_with_no_role_anywhere_gets_one_from_its_groups(provider):
    user = User.objects.create_user("sam.jones@coventry.gov.uk", "sam.jones@coventry.gov.uk", "x")

    assert admit(provider=provider, claims=claims(groups=["readers"])) == user

    assert StaffMember.objects.get(user=user).role == Role.VIEWER


def test_a_superuser_does_not_sign_in_through_a_council(provider):
    User.objects.create_superuser("root@coventry.gov.uk", "root@coventry.gov.uk", "x")

    with pytest.raises(SignInRefused):
        admit(provider=provider, claims=claims("root@coventry.gov.uk", groups=["admins"]))


def test_claims_without_an_email_address_are_refused_and_audited(provider):
    with pytest.raises(SignInRefused, match="did not tell us your email address"):
        admit(provider=provider, claims={"sub": "1", "groups": ["admins"]}, ip_address="192.0.2.1")

    refusal = AuditEvent.objects.get(action=REFUSED)
    assert refusal.ip_address == "192.0.2.1" and "no email address" in refusal.summary
    assert not User.objects.exists()
