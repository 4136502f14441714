"""Editing the organiser's privacy notice and accessibility statement in the back office:
administrators change them (in the audit log), everyone else on the staff reads them."""

import datetime as dt

import pytest
from django.urls import reverse

from bookyourplace.core.testing import text_of
from bookyourplace.privacy.models import AuditEvent
from bookyourplace.programmes.models import AccessibilityStatement, Compliance, PrivacyNotice

PRIVACY = reverse("backoffice:privacy_notice_edit")
ACCESSIBILITY = reverse("backoffice:accessibility_statement_edit")

NOTICE = {
    "controller_name": "Coventry City Council",
    "controller_address": "Council House\nCoventry CV1 5RR",
    "controller_email": "",
    "dpo_name": "Priya Shah",
    "dpo_email": "dpo@coventry.example",
    "dpo_phone": "",
    "special_category_condition": "health_or_social_care",
    "extra_recipients": "The Coventry Safeguarding Partnership",
    "extra_text": "",
}
STATEMENT = {
    "compliance": "partial",
    "known_issues": "The sign-in sheet PDF has no tags",
    "contact_email": "access@coventry.example",
    "contact_phone": "",
    "response_days": "5",
    "how_tested": "Audited by the Digital Accessibility Centre.",
    "tested_on": "2026-09-14",
}


def test_an_administrator_saves_the_privacy_notice_and_people_see_it(client, admin, organiser):
    response = client.post(PRIVACY, NOTICE, follow=True)

    assert "The privacy notice has been saved" in text_of(response)
    notice = PrivacyNotice.objects.get(organiser=organiser)
    assert (notice.controller_name, notice.dpo_email) == ("Coventry City Council", "dpo@coventry.example")
    public = text_of(client.get(reverse("public:organiser_privacy", kwargs={"organiser_slug": organiser.slug})))
    assert "Coventry City Council is the data controller" in public
    assert "Article 9(2)(h), health or social care" in public
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED_PRIVACY_NOTICE)
    assert event.actor_label == "Hana Ali"
    assert "data protection officer's email address" in event.summary
    assert "data controller" in event.summary


def test_the_privacy_notice_form_starts_from_what_is_saved_and_links_to_the_public_page(client, admin, organiser):
    client.post(PRIVACY, NOTICE)

    html = client.get(PRIVACY).content.decode()

    assert 'value="dpo@coventry.example"' in html
    assert 'value="health_or_social_care" checked' in html
    assert f'href="/organisers/{organiser.slug}/privacy/"' in html


def test_the_privacy_notice_form_says_what_is_missing_in_an_error_summary(client, admin, organiser):
    response = client.post(PRIVACY, {**NOTICE, "dpo_email": "", "controller_email": "not an address"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_controller_email">Enter an email address in the correct format' in html
    assert '<a href="#id_dpo_email">Enter the data protection officer&#x27;s email address</a>' in html
    assert not PrivacyNotice.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PRIVACY_NOTICE).exists()


def test_an_administrator_saves_the_statement_and_it_is_marked_as_reviewed_today(client, admin, organiser):
    response = client.post(ACCESSIBILITY, STATEMENT, follow=True)

    assert "marked as reviewed today" in text_of(response)
    statement = AccessibilityStatement.objects.get(organiser=organiser)
    assert statement.issues == ["The sign-in sheet PDF has no tags"]
    assert statement.tested_on == dt.date(2026, 9, 14)
    assert statement.prepared_on == statement.reviewed_on == dt.date.today()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_ACCESSIBILITY_STATEMENT).count() == 1
    public = text_of(client.get(reverse("public:organiser_accessibility", kwargs={"organiser_slug": organiser.slug})))
    assert "The sign-in sheet PDF has no tags" in public


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"known_issues": ""}, "id_known_issues", "List the parts that are not accessible"),
        ({"compliance": "full"}, "id_compliance_0", "Choose partially compliant"),
        ({"how_tested": "  "}, "id_how_tested", "Say how the service was tested"),
        ({"tested_on": "2999-01-01"}, "id_tested_on", "The date of the last test must be today or in the past"),
        ({"response_days": "0"}, "id_response_days", "Reply within at least 1 working day"),
    ],
)
def test_the_statement_form_refuses_what_would_mislead(client, admin, change, field, message):
    response = client.post(ACCESSIBILITY, {**STATEMENT, **change})

    assert response.status_code == 200
    assert f'<a href="#{field}">{message}' in response.content.decode()
    assert not AccessibilityStatement.objects.exists()


def test_the_statement_form_offers_each_compliance_status(client, admin):
    text = text_of(client.get(ACCESSIBILITY))

    for status in Compliance.labels:
        assert str(status) in text
    assert "Nobody has reviewed it yet" in text


def test_an_organiser_reads_both_but_cannot_change_them(client, coordinator, organiser):
    privacy = text_of(client.get(PRIVACY))
    accessibility = text_of(client.get(ACCESSIBILITY))

    assert "Only an administrator can change it." in privacy and "Save privacy notice" not in privacy
    assert "Data controller Coventry Prevent Partnership" in privacy
    assert "Only an administrator can change it." in accessibility
    assert "Certificates of attendance are PDF files" in accessibility
    assert client.post(PRIVACY, NOTICE).status_code == 403
    assert not PrivacyNotice.objects.exists()


def test_your_account_links_to_both(client, viewer):
    html = client.get(reverse("backoffice:account")).content.decode()

    assert f'href="{PRIVACY}"' in html and f'href="{ACCESSIBILITY}"' in html
