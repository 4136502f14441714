"""Each organiser's privacy notice and accessibility statement, as people read them (issue 15)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes import organiser_pages
from bookyourplace.programmes.models import Compliance, Organiser, Programme, SpecialCategoryCondition


def notice_of(client, organiser) -> str:
    return text_of(client.get(reverse("public:organiser_privacy", kwargs={"organiser_slug": organiser.slug})))


def statement_of(client, organiser) -> str:
    return text_of(client.get(reverse("public:organiser_accessibility", kwargs={"organiser_slug": organiser.slug})))


# --- The privacy notice -----------------------------------------------------------------------


def test_the_notice_before_anyone_edits_it_names_the_organiser_the_law_recipients_and_rights(client, programme):
    text = notice_of(client, programme.organiser)

    assert "Coventry Prevent Partnership is the data controller for your booking" in text
    assert "Email: prevent@coventry.example" in text
    assert "Write to our data protection officer at prevent@coventry.example" in text
    assert "UK GDPR Article 6(1)(e), public task" in text
    assert "Article 9(2)(g), reasons of substantial public interest" in text
    for recipient in (
        "the staff of Coventry Prevent Partnership who run the programme",
        "your line manager, if you give their address",
        "our email provider",
        "Microsoft, for sessions held online on Microsoft Teams",
    ):
        assert recipient in text
    for right in ("ask for a copy", "correct information", "delete your information", "restrict", "object"):
        assert right in text
    assert "Information Commissioner's Office (ICO)" in text


def test_the_notice_gives_each_programmes_retention_periods_from_its_settings(client, organiser, programme):
    Programme.objects.filter(pk=programme.pk).update(retention_months=36, access_needs_retention_days=14)
    Programme.objects.create(
        organiser=organiser, title="Autumn Week", slug="autumn-week", status=Programme.Status.ARCHIVED
    )
    Programme.objects.create(organiser=organiser, title="Draft Week", slug="draft-week")  # holds nobody yet

    text = notice_of(client, organiser)

    assert (
        "For Autumn Week: we keep your details for 24 months after the programme's last session. "
        "We delete access needs 30 days after your session."
    ) in text
    assert (
        "For Coventry Prevent Week: we keep your details for 36 months after the programme's last session. "
        "We delete access needs 14 days after your session."
    ) in text
    assert "Draft Week" not in text


def test_an_organiser_with_no_programme_yet_gives_the_default_periods(client, db):
    newcomer = Organiser.objects.create(name="Solihull Prevent", slug="solihull", contact_email="p@solihull.example")

    text = notice_of(client, newcomer)

    assert "we keep your details for 24 months after the programme's last session" in text
    assert "We delete access needs 30 days after your session" in text


def test_the_notice_shows_the_administrators_details_as_plain_text(client, organiser, programme):
    organiser_pages.save_privacy_notice(
        organiser=organiser,
        values={
            "controller_name": "Coventry City Council",
            "controller_address": "Council House\nCoventry CV1 5RR",
            "controller_email": "dataprotection@coventry.example",
            "dpo_name": "Priya Shah",
            "dpo_email": "dpo@coventry.example",
            "dpo_phone": "024 7683 3333",
            "special_category_condition": SpecialCategoryCondition.HEALTH_OR_SOCIAL_CARE,
            "extra_recipients": "The Coventry Safeguarding Partnership\n\n<b>West Midlands Police</b>",
            "extra_text": "We review this notice each year.\n\n<script>alert(1)</script>",
        },
        actor=SYSTEM,
    )

    response = client.get(reverse("public:organiser_privacy", kwargs={"organiser_slug": organiser.slug}))
    text = text_of(response)

    assert "Coventry City Council is the data controller" in text
    assert "Council House Coventry CV1 5RR" in text
    assert "Priya Shah, data protection officer" in text
    assert "Email: dpo@coventry.example" in text and "Phone: 024 7683 3333" in text
    assert "UK GDPR Article 9(2)(h), health or social care" in text
    assert "Email dataprotection@coventry.example, saying which right you want to use" in text
    assert "The Coventry Safeguarding Partnership" in text
    assert "We review this notice each year." in text
    html = response.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>West Midlands Police</b>" not in html


def test_an_unknown_organiser_has_no_notice_or_statement(client, db):
    assert client.get("/organisers/nobody/privacy/").status_code == 404
    assert client.get("/organisers/nobody/accessibility/").status_code == 404


def test_the_sites_notice_and_statement_are_the_organisers_when_there_is_only_one(client, organiser):
    assert client.get("/privacy/")["Location"] == "/organisers/coventry/privacy/"
    assert client.get("/accessibility/")["Location"] == "/organisers/coventry/accessibility/"


def test_the_sites_notice_and_statement_lead_to_each_organisers_when_there_are_several(client, organiser):
    Organiser.objects.create(name="Warwickshire Prevent", slug="warwickshire", contact_email="w@x.org")

    privacy = client.get("/privacy/")
    accessibility = client.get("/accessibility/")

    assert privacy.status_code == accessibility.status_code == 200
    assert "Privacy notice of Coventry Prevent Partnership Privacy notice of Warwickshire Prevent" in text_of(privacy)
    assert 'href="/organisers/warwickshire/accessibility/"' in accessibility.content.decode()


# --- The accessibility statement --------------------------------------------------------------


def test_the_statement_before_anyone_reviews_it_follows_the_model_statement(client, organiser):
    text = statement_of(client, organiser)

    assert "This service is run by Coventry Prevent Partnership" in text
    assert "navigate the whole service using just a keyboard" in text
    assert "We know some parts of this service are not fully accessible: Certificates of attendance are PDF" in text
    assert "email prevent@coventry.example" in text
    assert "get back to you within 5 working days" in text
    assert "Reporting accessibility problems with this service" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "carried out with the keyboard alone in a real browser" in text
    assert "has not yet recorded the date of its own test" in text
    assert "Coventry Prevent Partnership has not yet reviewed it" in text


@pytest.mark.parametrize(
    ("compliance", "issues", "says"),
    [
        (Compliance.FULL, "", "This website is fully compliant with the Web Content Accessibility Guidelines"),
        (Compliance.PARTIAL, "Maps have no text\nVideos lack captions", "is partially compliant"),
        (Compliance.NOT_COMPLIANT, "Most forms", "This website is not compliant with the Web Content"),
    ],
)
def test_the_statement_says_how_accessible_the_service_is(client, organiser, compliance, issues, says):
    organiser_pages.save_accessibility_statement(
        organiser=organiser, values={"compliance": compliance, "known_issues": issues}, actor=SYSTEM
    )

    response = client.get(reverse("public:organiser_accessibility", kwargs={"organiser_slug": organiser.slug}))

    assert says in text_of(response)
    known = re.search(r'<ul [^>]*id="known-issues">(.*?)</ul>', response.content.decode(), re.S)
    assert (re.findall(r"<li>(.*?)</li>", known.group(1)) if known else []) == issues.splitlines()


def test_the_statement_as_reviewed_gives_its_dates_contact_and_northern_irish_enforcement(client, organiser):
    organiser_pages.save_accessibility_statement(
        organiser=organiser,
        values={
            "contact_email": "access@coventry.example",
            "contact_phone": "024 7683 1234",
            "response_days": 10,
            "northern_ireland": True,
            "how_tested": "Audited by the Digital Accessibility Centre.",
            "tested_on": dt.date(2026, 9, 14),
        },
        actor=SYSTEM,
        today=dt.date(2026, 10, 1),
    )
    organiser_pages.save_accessibility_statement(
        organiser=organiser, values={}, actor=SYSTEM, today=dt.date(2026, 11, 20)
    )

    text = statement_of(client, organiser)

    assert "email access@coventry.example call 024 7683 1234" in text
    assert "get back to you within 10 working days" in text
    assert "Equality Commission for Northern Ireland (ECNI)" in text and "EHRC" not in text
    assert "Audited by the Digital Accessibility Centre. The service was last tested on 14 September 2026." in text
    assert "This statement was prepared on 1 October 2026. It was last reviewed on 20 November 2026." in text
