""" "See all my bookings": the sign-in link (sent only to known addresses, expires, used once,
even by two uses at once), the one ownership check, and the link as personal data."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from bookyourplace.bookings import own_record
from bookyourplace.bookings.models import SignInLink
from bookyourplace.bookings.testing import book
from bookyourplace.privacy.erasure import erase_person
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.retention import ask_for_run
from bookyourplace.privacy.services import SYSTEM, Actor
from bookyourplace.privacy.subject_access import what_is_held

ALEX = "alex@coventry.gov.uk"
LINK = re.compile(r"/my-bookings/sign-in/([A-Za-z0-9_-]{32})/")
VISITOR = Actor(ip_address="198.51.100.7")


def token_in(message) -> str:
    return LINK.search(message.body).group(1)


def book_alex(session, run_worker):
    """Alex's booking, its confirmation already sent."""
    booking = book(session, ALEX)
    run_worker()
    mail.outbox.clear()
    return booking


def ask(email, run_worker):
    own_record.ask_for_sign_in_link(email=email, actor=VISITOR)
    run_worker()


def test_a_link_is_emailed_to_an_address_with_bookings(session, run_worker):
    book_alex(session, run_worker)

    ask("  Alex@Coventry.gov.uk ", run_worker)

    assert [m.to for m in mail.outbox] == [[ALEX]]
    assert mail.outbox[0].subject == "Sign in to see all your bookings"
    assert "The link works once, within 30 minutes." in mail.outbox[0].body
    link = SignInLink.objects.get()
    assert link.email == ALEX
    assert token_in(mail.outbox[0]) not in link.token_hash  # only its hash is kept
    assert AuditEvent.objects.filter(action=own_record.LINK_SENT, summary__contains=ALEX).exists()


def test_nothing_is_emailed_or_kept_for_an_address_without_bookings(session, run_worker):
    book_alex(session, run_worker)

    ask("nobody@coventry.gov.uk", run_worker)

    assert mail.outbox == []
    assert not SignInLink.objects.exists()
    refused = AuditEvent.objects.get(action=own_record.LINK_NOT_SENT)
    assert "nobody" not in refused.summary and refused.ip_address == VISITOR.ip_address


def test_a_link_signs_in_once(session, run_worker):
    book_alex(session, run_worker)
    ask(ALEX, run_worker)
    token = token_in(mail.outbox[-1])

    assert own_record.usable_link(token) is not None
    assert own_record.use_sign_in_link(token=token, actor=VISITOR) == ALEX
    assert own_record.use_sign_in_link(token=token, actor=VISITOR) is None
    assert own_record.usable_link(token) is None
    assert AuditEvent.objects.filter(action=own_record.SIGNED_IN).count() == 1


def test_a_link_expires_after_its_minutes(session, run_worker, settings):
    settings.BYP_SIGN_IN_LINK_MINUTES = 30
    book_alex(session, run_worker)
    ask(ALEX, run_worker)
    token = token_in(mail.outbox[-1])
    later = timezone.now() + timedelta(minutes=30, seconds=1)

    assert own_record.usable_link(token, now=later) is None
    assert own_record.use_sign_in_link(token=token, actor=VISITOR, now=later) is None
    assert own_record.use_sign_in_link(token=token, actor=VISITOR) == ALEX  # still in time


def test_a_made_up_token_signs_nobody_in(session, run_worker):
    book_alex(session, run_worker)
    ask(ALEX, run_worker)

    assert own_record.use_sign_in_link(token="A" * 32, actor=VISITOR) is None
    assert own_record.use_sign_in_link(token="not-a-token", actor=VISITOR) is None


def test_two_uses_of_one_link_at_once_sign_in_only_one(transactional_db, session, run_worker):
    book_alex(session, run_worker)
    ask(ALEX, run_worker)
    token = token_in(mail.outbox[-1])
    attempts = 8
    barrier = threading.Barrier(attempts)
    results: list[object] = [None] * attempts

    def attempt(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = own_record.use_sign_in_link(token=token, actor=VISITOR)
        except Exception as exc:
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results.count(ALEX) == 1, results
    assert results.count(None) == attempts - 1, results
    assert AuditEvent.objects.filter(action=own_record.SIGNED_IN).count() == 1


def test_booking_for_gives_only_the_signed_in_address_s_own_bookings(session):
    alex = book(session, ALEX)
    bea = book(session, "bea@coventry.gov.uk")

    assert own_record.booking_for(ALEX, alex.pk) == alex
    assert own_record.booking_for(ALEX, bea.pk) is None
    assert own_record.booking_for("", alex.pk) is None


# -- Personal data ---------------------------------------------------------------------------


def test_erasing_a_person_deletes_their_sign_in_links_and_the_address_in_their_audit_entries(session, run_worker):
    book_alex(session, run_worker)
    ask(ALEX, run_worker)
    own_record.use_sign_in_link(token=token_in(mail.outbox[-1]), actor=VISITOR)

    erase_person(ALEX, reason="Asked", actor=SYSTEM, programme_ids=[session.programme_id])

    assert not SignInLink.objects.exists()
    about_links = AuditEvent.objects.filter(action__startswith="own_record.")
    assert about_links.count() == 2
    assert not about_links.filter(summary__icontains=ALEX).exists()
    assert not about_links.filter(actor_label__icontains=ALEX).exists()


def test_retention_deletes_expired_sign_in_links_only(session, run_worker):
    book_alex(session, run_worker)
    ask(ALEX, run_worker)
    ask(ALEX, run_worker)
    old = SignInLink.objects.order_by("pk").first()
    SignInLink.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    run = ask_for_run(actor=SYSTEM)
    run_worker()

    assert SignInLink.objects.count() == 1
    assert not SignInLink.objects.filter(pk=old.pk).exists()
    run.refresh_from_db()
    assert run.counts["sign_in_links"] == 1


def test_subject_access_lists_sign_in_links(session, run_worker):
    book_alex(session, run_worker)
    ask(ALEX, run_worker)

    everything = what_is_held(ALEX, programme_ids=None, organiser_ids=None)
    organisers_own = what_is_held(ALEX, programme_ids=[session.programme_id], organiser_ids=None)

    assert "Sign-in link" in [kind.name for kind in everything.kinds]
    assert "Sign-in link" not in [kind.name for kind in organisers_own.kinds]


@pytest.mark.parametrize("email", [ALEX, "ALEX@coventry.gov.uk"])
def test_has_bookings_ignores_case(session, email):
    book(session, ALEX)
    assert own_record.has_bookings(email)
