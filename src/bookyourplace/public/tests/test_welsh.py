"""The public site in Welsh: every page read in Welsh has no English left (but the
organisation's own words), the right lang attributes, Welsh dates, a switch that keeps the
page, and a page cache that keeps each language's page apart."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookyourplace.bookings import testing as bookings_testing
from bookyourplace.bookings.models import Booking
from bookyourplace.core.testing import booking_form_data, text_of
from bookyourplace.core.testing.languages import FIXTURE_WORDS, english_left
from bookyourplace.programmes.models import Organiser, Session
from bookyourplace.public.tests.pages import book_url, manage_url_for

# The organisation's own words, people's names and what they typed: the same in both languages.
OWN_WORDS = [
    *FIXTURE_WORDS,
    "University Hospitals Coventry",
    "Sam Patel",
    "Social worker",
    "Safeguarding nurse",
    "Council House",
    "Earl Street, Coventry",
    # Outlook's own menus, named as Outlook shows them.
    "Add calendar",
    "Subscribe from web",
    "Import",
]


def welsh_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def html_lang(response) -> str | None:
    found = re.search(r'<html lang="([^"]+)"', response.content.decode())
    return found and found.group(1)


@pytest.fixture
def in_person(make_session):
    return make_session(
        title="Self-Initiated Terrorism",
        delivery=Session.Delivery.IN_PERSON,
        venue="Council House",
        address="Earl Street, Coventry",
        platform="",
        joining_url="",
        joining_instructions="",
        capacity=1,
    )


def _pages(session, in_person):
    """Every public page an attendee meets, as (name, method, url, data)."""
    programme = session.programme
    booked = bookings_testing.book(session, "alex.smith@coventry.gov.uk")
    bookings_testing.book(in_person, "first@coventry.gov.uk")
    waiting = bookings_testing.book(in_person, "alex.smith@coventry.gov.uk", waiting=True)
    token = manage_url_for(booked).rsplit("/", 2)[-2]
    return [
        ("home", "get", "/", None),
        ("programme", "get", programme.get_absolute_url(), None),
        ("session", "get", session.get_absolute_url(), None),
        ("full session", "get", in_person.get_absolute_url(), None),
        ("booking form", "get", book_url(session), None),
        ("booking form with every error", "post", book_url(session), {"consent": ""}),
        ("waiting list form", "get", book_url(in_person), None),
        ("fully booked", "post", book_url(in_person), booking_form_data(email="late@nhs.net")),
        ("manage a confirmed booking", "get", manage_url_for(booked), None),
        ("manage a place on the waiting list", "get", manage_url_for(waiting), None),
        ("cancel", "get", reverse("public:cancel", args=[token]), None),
        ("delete my details", "get", reverse("public:delete_my_details", args=[token]), None),
        ("privacy notice", "get", "/privacy/", None),
        ("accessibility statement", "get", "/accessibility/", None),
        ("organiser's privacy notice", "get", reverse("public:organiser_privacy", args=["coventry"]), None),
        (
            "organiser's accessibility statement",
            "get",
            reverse("public:organiser_accessibility", args=["coventry"]),
            None,
        ),
        ("see all my bookings", "get", reverse("public:own_record"), None),
        ("see all my bookings: check your email", "post", reverse("public:own_record"), {"email": "a@example.org"}),
        ("check a certificate", "get", reverse("public:certificate_lookup"), None),
        ("no such certificate", "get", reverse("public:certificate_verify", args=["7K3M-9QXD-2F"]), None),
        ("page not found", "get", "/no-such-page/", None),
    ]


def _get(client, method, url, data):
    return client.get(url, follow=True) if method == "get" else client.post(url, data, follow=True)


def test_every_public_page_in_welsh_has_no_english_left(client, session, in_person):
    welsh = welsh_client()
    left = {}
    for name, method, url, data in _pages(session, in_person):
        english_page = _get(client, method, url, data)
        welsh_page = _get(welsh, method, url, data)
        assert english_page.status_code in (200, 404, 409), (name, english_page.status_code)
        assert html_lang(english_page) == "en-gb", name
        assert html_lang(welsh_page) == "cy", name
        found = english_left(english_page.content.decode(), welsh_page.content.decode(), allowed=OWN_WORDS)
        if found:
            left[name] = found
    assert left == {}, "\n".join(f"{name}: {found}" for name, found in left.items())


def test_booking_in_welsh_checks_your_email_in_welsh_and_emails_in_welsh(client, session, run_worker):
    english_page = client.post(book_url(session), booking_form_data(email="sam@nhs.net"), follow=True)
    welsh_page = welsh_client().post(book_url(session), booking_form_data(email="sam.patel@nhs.net"), follow=True)

    assert "Gwiriwch eich e-bost" in text_of(welsh_page)
    assert english_left(english_page.content.decode(), welsh_page.content.decode(), allowed=OWN_WORDS) == []
    assert Booking.objects.get(email="sam.patel@nhs.net").language == "cy"
    assert Booking.objects.get(email="sam@nhs.net").language == "en-gb"
    run_worker()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["sam.patel@nhs.net"].subject.startswith("Archeb wedi’i chadarnhau")
    assert by_address["sam@nhs.net"].subject.startswith("Booking confirmed")


def test_a_form_error_in_welsh_is_in_welsh(session):
    page = welsh_client().post(book_url(session), booking_form_data(email="", first_name=""))

    assert "Mae problem" in text_of(page)
    assert "Rhowch eich enw cyntaf" in text_of(page)
    assert "Rhowch eich cyfeiriad e-bost gwaith" in text_of(page)


def test_dates_and_times_read_in_welsh(client, make_session, programme):
    # Monday 19 January 2026, 13:00 to 15:00 (booking opens on a Friday, in May).
    starts = timezone.datetime(2026, 1, 19, 13, 0, tzinfo=programme.tz)
    session = make_session(starts_at=starts, ends_at=starts + timedelta(hours=2))
    session.booking_opens_at = timezone.datetime(2025, 5, 2, 9, 0, tzinfo=programme.tz)
    session.save()

    english = text_of(client.get(session.get_absolute_url()))
    welsh = text_of(welsh_client().get(session.get_absolute_url()))

    assert "Monday 19 January 2026" in english and "13:00 to 15:00" in english
    assert "Dydd Llun 19 Ionawr 2026" in welsh and "13:00 tan 15:00" in welsh
    assert "Monday" not in welsh and "January" not in welsh


def test_the_switch_keeps_the_page_and_the_language(client, session):
    page = client.get(session.get_absolute_url())
    html = page.content.decode()
    # The current language marked, the other a link (in its own language) to this page in it.
    assert '<span class="govuk-language-navigation__text" aria-current="true" lang="en">English</span>' in html
    link = re.search(
        r'<a class="govuk-language-navigation__link" href="([^"]+)"[^>]*lang="cy" hreflang="cy">Cymraeg', html
    )
    assert link is not None

    switched = client.get(link.group(1).replace("&amp;", "&"))

    assert switched.status_code == 302
    assert switched["Location"] == session.get_absolute_url()
    welsh = client.get(switched["Location"])
    assert html_lang(welsh) == "cy"
    assert "Archebwch eich lle" in text_of(welsh)
    back = re.search(
        r'<a class="govuk-language-navigation__link" href="([^"]+)"[^>]*lang="en" hreflang="en">English',
        welsh.content.decode(),
    )
    client.get(back.group(1).replace("&amp;", "&"))
    assert html_lang(client.get(session.get_absolute_url())) == "en-gb"


def test_the_switch_goes_back_only_to_this_site(client):
    response = client.get(reverse("choose_language", args=["cy"]) + "?next=https://evil.example/")

    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"


def test_a_browser_set_to_welsh_gets_welsh(client, programme):
    page = client.get(programme.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="cy-GB,cy;q=0.9,en;q=0.5")

    assert html_lang(page) == "cy"


def test_the_page_cache_keeps_each_language_its_own_page(client, programme, session):
    url = programme.get_absolute_url()
    welsh = welsh_client()
    for _ in range(2):  # the second time from the cache
        assert html_lang(client.get(url)) == "en-gb"
        assert html_lang(welsh.get(url)) == "cy"
        assert "Archebwch eich lle" in text_of(welsh.get(session.get_absolute_url()))
        assert "Book your place" in text_of(client.get(session.get_absolute_url()))
    # Nor may a browser's or a proxy's cache: the language is chosen by a cookie.
    assert "Cookie" in client.get(url)["Vary"]


def test_an_organisation_in_english_only_has_no_switch_and_emails_in_english(client, organiser, session, run_worker):
    Organiser.objects.filter(pk=organiser.pk).update(offers_welsh=False)
    from bookyourplace.programmes.page_version import programme_changed

    programme_changed(session.programme_id)

    page = client.get(session.get_absolute_url()).content.decode()
    assert "govuk-language-navigation" not in page
    # Someone who chose Welsh elsewhere still has a way back to English.
    assert "English" in welsh_client().get(session.get_absolute_url()).content.decode()

    welsh_client().post(book_url(session), booking_form_data(email="sam.patel@nhs.net"))
    run_worker()
    assert mail.outbox[-1].subject.startswith("Booking confirmed")


def test_the_back_office_stays_in_english(organiser):
    page = welsh_client().get(reverse("backoffice:sign_in"))

    assert html_lang(page) == "en-gb"
    assert "govuk-language-navigation" not in page.content.decode()
