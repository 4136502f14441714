"""The privacy notice and accessibility statement are one link away from every public page,
the booking form's consent box and every email (issue 15): the organiser's own when the page
or email is about one of its programmes, the site's otherwise."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from bookyourplace.bookings.email_content import TEXT_REMINDER_KINDS
from bookyourplace.bookings.emails import EmailKind
from bookyourplace.bookings.links import manage_token
from bookyourplace.bookings.testing import book, end_session
from bookyourplace.certificates.models import Certificate
from bookyourplace.certificates.testing import attended_booking
from bookyourplace.core.testing import booking_form_data
from bookyourplace.feedback.links import feedback_path
from bookyourplace.feedback.testing import mark
from bookyourplace.notifications import composing
from bookyourplace.notifications.models import Email, Message
from bookyourplace.programmes.models import Organiser, Programme
from bookyourplace.public.tests.pages import book_url, manage_url_for

OURS = ("/organisers/coventry/privacy/", "/organisers/coventry/accessibility/")
SITE = ("/privacy/", "/accessibility/")
NOTICE_URL = "http://testserver/organisers/coventry/privacy/"


def footer_links(response) -> tuple[str, str]:
    """Where the footer's "Privacy notice" and "Accessibility statement" links go."""
    footer = response.content.decode().split('<footer class="govuk-footer">', 1)[1]
    privacy = re.search(r'href="([^"]+)">Privacy notice</a>', footer)
    accessibility = re.search(r'href="([^"]+)">Accessibility statement</a>', footer)
    assert privacy and accessibility, "The footer has no privacy notice or accessibility statement link"
    return privacy.group(1), accessibility.group(1)


@pytest.fixture
def another_organiser(db):
    """A second organiser with a published programme: the site's own pages then belong to nobody."""
    warwickshire = Organiser.objects.create(name="Warwickshire Prevent", slug="warwickshire", contact_email="w@x.org")
    Programme.objects.create(
        organiser=warwickshire, title="Their week", slug="their-week", status=Programme.Status.PUBLISHED
    )
    return warwickshire


def test_every_page_of_an_organisers_programme_links_to_its_notice_and_statement(
    client, programme, session, make_session, another_organiser
):
    # Arrange: a booking to manage and cancel; someone who came to yesterday's session
    booking = book(session, "alex@coventry.gov.uk")
    came = attended_booking(make_session(title="Held yesterday"), "bea@coventry.gov.uk")
    pages = {
        "programme": programme.get_absolute_url(),
        "session": session.get_absolute_url(),
        "booking form": book_url(session),
        "manage": manage_url_for(booking),
        "cancel": reverse("public:cancel", kwargs={"token": manage_token(booking)}),
        "feedback": feedback_path(came),
        "organiser's notice": OURS[0],
        "organiser's statement": OURS[1],
    }

    for name, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, name
        assert footer_links(response) == OURS, name
    # "Your certificate is not available" (the session is still to come)
    response = client.get(reverse("public:certificate", kwargs={"token": manage_token(booking)}))
    assert response.status_code == 404
    assert footer_links(response) == OURS

    # "Check your email" after booking
    response = client.post(book_url(session), booking_form_data(email="dee@coventry.gov.uk"), follow=True)
    assert "Check your email" in response.content.decode()
    assert footer_links(response) == OURS
    assert client.get(reverse("public:certificate", kwargs={"token": manage_token(came)})).status_code == 200
    code = Certificate.objects.get(booking=came).grouped_code
    # The public check of a certificate shows only the name, session, day and validity, not
    # who issued it, so it links to the site's pages (which lead to each organiser's).
    response = client.get(reverse("public:certificate_verify", kwargs={"code": code}))
    assert response.status_code == 200
    assert footer_links(response) == SITE


def test_pages_of_no_organiser_link_to_the_sites_notice_which_lists_every_organiser(
    client, programme, another_organiser
):
    for url in ["/", "/privacy/", "/accessibility/", reverse("public:certificate_lookup")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert footer_links(response) == SITE, url
    assert client.get("/no-such-page/").status_code == 404
    assert footer_links(client.get("/no-such-page/")) == SITE

    notice = client.get("/privacy/").content.decode()
    assert 'href="/organisers/coventry/privacy/"' in notice
    assert 'href="/organisers/warwickshire/privacy/"' in notice


def test_the_consent_box_links_to_the_notice_of_the_sessions_organiser(client, session, another_organiser):
    consent_hint = re.compile(r'<div id="id_consent-hint" class="govuk-hint">(.*?)</div>', re.S)

    empty_form = client.get(book_url(session)).content.decode()
    form_with_errors = client.post(book_url(session), {}).content.decode()

    for html in (empty_form, form_with_errors):
        hint = consent_hint.search(html).group(1)
        assert 'href="/organisers/coventry/privacy/"' in hint
    assert 'aria-describedby="id_consent-hint' in empty_form


# --- Every email ------------------------------------------------------------------------------


def every_kind_of_email() -> list[str]:
    """Every kind of email about a booking, including those other apps write (no-show,
    feedback request): any kind added later is tested too."""
    written_by_other_apps = {kind for _model, kind in composing._kind_composers}
    # A text message (GOV.UK Notify's text reminder) is a line or two, not an email: no notice link.
    return [*EmailKind.values, *sorted(written_by_other_apps - set(TEXT_REMINDER_KINDS))]


@pytest.mark.parametrize("kind", every_kind_of_email())
def test_every_kind_of_email_links_to_the_organisers_privacy_notice(kind, session, run_worker):
    # Arrange: a session that has ended, one person who came and one who did not
    came = book(session, "alex@coventry.gov.uk", line_manager_email="manager@coventry.gov.uk")
    missed = book(session, "bea@coventry.gov.uk")
    end_session(session)
    mark(came)
    booking = missed if kind == "no_show" else came
    message = Message.objects.create(
        programme=session.programme, session=session, subject="Room change", body="Now in Room 2.", idempotency_key="k"
    )
    Email.objects.all().delete()
    Email.objects.create(
        about=booking, kind=kind, to=booking.email, message=message if kind == EmailKind.MESSAGE else None
    )
    mail.outbox.clear()

    run_worker()

    (sent,) = mail.outbox
    html = sent.alternatives[0].content if hasattr(sent.alternatives[0], "content") else sent.alternatives[0][0]
    assert f"How we use your information: {NOTICE_URL}" in sent.body
    assert f'<a href="{NOTICE_URL}"' in html
