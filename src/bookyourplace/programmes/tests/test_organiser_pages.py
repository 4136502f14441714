"""The organiser's privacy notice and accessibility statement: saving them, and what the
audit log says about it."""

import datetime as dt

from bookyourplace.privacy.models import AuditEvent
from bookyourplace.privacy.services import Actor
from bookyourplace.programmes import organiser_pages
from bookyourplace.programmes.models import AccessibilityStatement, PrivacyNotice, Programme

HANA = Actor(label="Hana Ali")


def test_saving_the_notice_names_what_changed_and_saving_it_unchanged_records_nothing(organiser):
    values = {"dpo_email": "dpo@coventry.example", "dpo_name": "Priya Shah"}

    organiser_pages.save_privacy_notice(organiser=organiser, values=values, actor=HANA)
    organiser_pages.save_privacy_notice(organiser=organiser, values=values, actor=HANA)

    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_PRIVACY_NOTICE)
    assert event.summary == (
        "Changed the privacy notice of Coventry Prevent Partnership: "
        "data protection officer's name, data protection officer's email address"
    )
    assert event.actor_label == "Hana Ali"
    assert PrivacyNotice.objects.get().updated_at is not None


def test_the_default_notice_and_statement_are_not_saved_until_an_administrator_saves_them(organiser):
    notice = organiser_pages.privacy_notice_for(organiser)
    statement = organiser_pages.accessibility_statement_for(organiser)

    assert notice.pk is None and statement.pk is None
    assert notice.controller == "Coventry Prevent Partnership"
    assert statement.email == "prevent@coventry.example"
    assert statement.issues and statement.how_tested
    assert not PrivacyNotice.objects.exists() and not AccessibilityStatement.objects.exists()


def test_the_statement_keeps_the_day_it_was_prepared_and_each_review_is_logged(organiser):
    for day in (dt.date(2026, 10, 1), dt.date(2026, 11, 20)):
        organiser_pages.save_accessibility_statement(organiser=organiser, values={}, actor=HANA, today=day)

    statement = AccessibilityStatement.objects.get()
    assert (statement.prepared_on, statement.reviewed_on) == (dt.date(2026, 10, 1), dt.date(2026, 11, 20))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED_ACCESSIBILITY_STATEMENT).count() == 2


def test_retention_periods_group_programmes_that_keep_details_as_long(organiser, programme):
    Programme.objects.create(
        organiser=organiser, title="Autumn Week", slug="autumn-week", status=Programme.Status.PUBLISHED
    )
    Programme.objects.create(
        organiser=organiser, title="Summer Week", slug="summer", status=Programme.Status.PUBLISHED, retention_months=6
    )

    periods = organiser_pages.retention_periods(organiser)

    assert periods == [
        organiser_pages.RetentionPeriod(6, 30, ("Summer Week",)),
        organiser_pages.RetentionPeriod(24, 30, ("Autumn Week", "Coventry Prevent Week")),
    ]
