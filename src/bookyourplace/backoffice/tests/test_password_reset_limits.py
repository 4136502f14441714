"""Asking for a password reset is limited by client address and by the address typed, with the
real default limits, whether or not the address has an account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bookyourplace.accounts.models import Role
from bookyourplace.accounts.testing import make_person
from bookyourplace.core.testing import text_of

EMAIL = "priya.shah@coventry.gov.uk"


@pytest.fixture
def person(organiser):
    return make_person(organiser, Role.ORGANISER, email=EMAIL).user


def ask_for_reset(email: str, address: str = "192.0.2.1"):
    return Client(REMOTE_ADDR=address).post(reverse("backoffice:password_reset"), {"email": email})


def test_one_account_gets_only_a_few_reset_emails_however_many_addresses_ask(rate_limits_on, person, run_worker):
    answers = [ask_for_reset(EMAIL, address=f"192.0.2.{n}") for n in range(1, 9)]
    run_worker()

    assert [response.status_code for response in answers] == [302] * 5 + [429] * 3
    assert "Sorry, there have been too many attempts" in text_of(answers[5])
    assert int(answers[5]["Retry-After"]) > 0
    assert len([m for m in mail.outbox if m.to == [EMAIL]]) == 5


def test_one_client_address_may_ask_only_so_often(rate_limits_on, person, run_worker):
    answers = [ask_for_reset(f"someone{n}@coventry.gov.uk", address="198.51.100.9") for n in range(20)]
    assert all(response.status_code == 302 for response in answers)

    refused = ask_for_reset(EMAIL, address="198.51.100.9")
    run_worker()

    assert refused.status_code == 429
    assert "Wait " in text_of(refused) and "then try again." in text_of(refused)
    assert not [m for m in mail.outbox if m.to == [EMAIL]]
    assert ask_for_reset(EMAIL, address="198.51.100.10").status_code == 302  # another address still can


def test_the_limit_is_the_same_for_an_unknown_address(rate_limits_on, person):
    known = [ask_for_reset(EMAIL, address=f"192.0.2.{n}").status_code for n in range(1, 8)]
    unknown = [ask_for_reset("nobody@coventry.gov.uk", address=f"192.0.2.{n}").status_code for n in range(1, 8)]
    assert known == unknown == [302] * 5 + [429] * 2


def test_the_limit_passes_with_time(rate_limits_on, person):
    for n in range(6):
        ask_for_reset(EMAIL, address=f"192.0.2.{n + 1}")
    assert ask_for_reset(EMAIL).status_code == 429
    rate_limits_on.advance(2 * 60 * 60)
    assert ask_for_reset(EMAIL).status_code == 302
