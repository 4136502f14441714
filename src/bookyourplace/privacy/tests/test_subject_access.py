"""Subject access and erasure requests against the holder interface, with a holder made up
here (privacy knows no app that holds people; backoffice/tests/test_subject_access.py runs the
same with every real holder)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookyourplace.privacy import personal_data, subject_access
from bookyourplace.privacy.models import AuditEvent, ErasureRequest
from bookyourplace.privacy.personal_data import HeldRecord, PersonalDataHolder
from bookyourplace.privacy.services import Actor

ADMIN = Actor(label="Hana Ali", ip_address="192.0.2.10")
ALEX = "alex.smith@coventry.gov.uk"


class Notebook:
    """A holder of people's bookings, one per (address, programme id), that can be "restored"."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, email: str, programme_id: int, name: str = "Alex Smith") -> None:
        self.rows.append({"email": email, "programme_id": programme_id, "name": name})

    def _of(self, email, programme_ids):
        return [
            row
            for row in self.rows
            if row["email"] == email and (programme_ids is None or row["programme_id"] in programme_ids)
        ]

    def find(self, email, *, programme_ids=None):
        return [
            HeldRecord(
                kind="Booking",
                when=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
                programme=f"Programme {row['programme_id']}",
                fields={"Name": row["name"], "Email address": row["email"], "Consent given": True},
            )
            for row in self._of(email, programme_ids)
        ]

    def erase(self, email, *, reason, actor, programme_ids=None):
        found = self._of(email, programme_ids)
        for row in found:
            row.update(email=f"anonymised-{id(row)}@invalid", name="Anonymised")
        return len(found)

    def addresses(self):
        return [row["email"] for row in self.rows]


@pytest.fixture
def notebook(monkeypatch):
    """The made-up holder, registered alone: the real apps' holders stay out of these tests."""
    book = Notebook()
    holder = PersonalDataHolder(name="notebook", find=book.find, erase=book.erase, addresses=book.addresses)
    monkeypatch.setattr(personal_data, "_holders", {"notebook": holder})
    return book


def test_an_address_hash_ignores_case_and_spaces_and_is_not_the_address():
    assert subject_access.address_hash(" Alex.Smith@Coventry.gov.uk ") == subject_access.address_hash(ALEX)
    assert ALEX not in subject_access.address_hash(ALEX)
    assert subject_access.address_hash(ALEX) != subject_access.address_hash("bea@coventry.gov.uk")


def test_an_address_hash_needs_the_secret_key(settings):
    before = subject_access.address_hash(ALEX)
    settings.SECRET_KEY = "another-key-" + "x" * 50

    assert subject_access.address_hash(ALEX) != before


def test_what_is_held_is_grouped_by_kind_within_the_programmes_asked(db, notebook):
    notebook.add(ALEX, 1)
    notebook.add(ALEX, 1)
    notebook.add(ALEX, 2)  # another organiser's programme
    notebook.add("bea@coventry.gov.uk", 1)

    held = subject_access.what_is_held(ALEX.upper(), programme_ids=[1], organiser_ids=[10])

    assert [(kind.name, kind.count) for kind in held.kinds] == [("Booking", 2)]
    assert held.count == 2
    assert held.kinds[0].rows[0]["details"] == [
        ("Name", "Alex Smith"),
        ("Email address", ALEX),
        ("Consent given", "Yes"),
    ]


def test_the_json_download_has_everything_on_the_page(db, notebook):
    notebook.add(ALEX, 1)

    document = json.loads(
        subject_access.as_json(subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10]))
    )

    assert document["email"] == ALEX
    assert document["total_records"] == 1
    assert document["kinds"][0]["kind"] == "Booking"
    assert document["kinds"][0]["records"][0]["details"]["Name"] == "Alex Smith"
    assert document["kinds"][0]["records"][0]["when"].startswith("2026-03-02T09:30")


def test_the_file_names_do_not_carry_the_address(db, notebook):
    held = subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10])

    assert "alex" not in subject_access.filename(held, "pdf")


def test_an_attendee_asks_once_and_it_is_audited_without_their_address(db):
    first = subject_access.ask_for_erasure(email=ALEX, organiser_id=10, programme_id=1, actor=Actor(label="Alex"))
    again = subject_access.ask_for_erasure(
        email=ALEX.upper(), organiser_id=10, programme_id=1, actor=Actor(label="Alex")
    )

    assert (first, again) == (True, False)
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.OPEN
    event = AuditEvent.objects.get(action=AuditEvent.Action.ASKED_FOR_ERASURE)
    assert event.programme_id == 1
    assert "alex" not in event.summary.lower()


def test_asking_at_another_organiser_is_a_request_of_its_own(db):
    subject_access.ask_for_erasure(email=ALEX, organiser_id=10, programme_id=1, actor=Actor(label="Alex"))
    subject_access.ask_for_erasure(email=ALEX, organiser_id=20, programme_id=2, actor=Actor(label="Alex"))

    assert [r.organiser_id for r in subject_access.open_requests(organiser_ids=[10])] == [10]
    assert subject_access.open_requests(organiser_ids=None).count() == 2


def test_a_request_is_answered_within_one_calendar_month():
    asked = ErasureRequest(created_at=datetime(2027, 1, 31, 15, 0, tzinfo=UTC))

    assert asked.reply_by == datetime(2027, 2, 28, 15, 0, tzinfo=UTC)


def test_keeping_needs_a_reason(db, notebook):
    with pytest.raises(subject_access.ReasonNeeded):
        subject_access.keep_details(email=ALEX, organiser_id=10, reason="  ", actor=ADMIN)

    assert not ErasureRequest.objects.exists()


def test_keeping_closes_the_request_keeps_the_reason_and_shows_it_later(db, notebook):
    notebook.add(ALEX, 1)
    subject_access.ask_for_erasure(email=ALEX, organiser_id=10, programme_id=1, actor=Actor(label="Alex"))

    subject_access.keep_details(email=ALEX, organiser_id=10, reason="An ongoing safeguarding concern.", actor=ADMIN)

    decision = ErasureRequest.objects.get()
    assert decision.status == ErasureRequest.Status.KEPT
    assert decision.email == ""  # decided: only the hash is kept
    assert (decision.reason, decision.decided_by_label) == ("An ongoing safeguarding concern.", "Hana Ali")
    held = subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10])
    assert [d.reason for d in held.kept] == ["An ongoing safeguarding concern."]
    assert held.count == 1  # nothing was changed
    event = AuditEvent.objects.get(action=AuditEvent.Action.KEPT_DETAILS)
    assert "An ongoing safeguarding concern." in event.summary
    assert "alex" not in event.summary.lower()


def test_another_organisers_decisions_are_not_shown(db, notebook):
    subject_access.keep_details(email=ALEX, organiser_id=20, reason="Their reason.", actor=ADMIN)

    assert subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10]).decisions == []


def test_erasing_anonymises_in_the_programmes_asked_and_logs_only_a_hash(db, notebook):
    notebook.add(ALEX, 1)
    notebook.add(ALEX, 2)
    subject_access.ask_for_erasure(email=ALEX, organiser_id=10, programme_id=1, actor=Actor(label="Alex"))

    decision = subject_access.erase_details(
        email=ALEX, organiser_id=10, programme_ids=[1], reason="They asked; nothing to keep.", actor=ADMIN
    )

    assert subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10]).count == 0
    assert subject_access.what_is_held(ALEX, programme_ids=[2], organiser_ids=[20]).count == 1
    decision.refresh_from_db()
    assert (decision.status, decision.email, decision.records_erased) == (ErasureRequest.Status.ERASED, "", 1)
    assert decision.source == ErasureRequest.Source.ATTENDEE  # their request, closed
    assert decision.programme_ids == [1]
    assert decision.email_hash == subject_access.address_hash(ALEX)
    assert ErasureRequest.objects.count() == 1


def test_erasing_needs_a_reason_and_changes_nothing_without_one(db, notebook):
    notebook.add(ALEX, 1)

    with pytest.raises(subject_access.ReasonNeeded):
        subject_access.erase_details(email=ALEX, organiser_id=10, programme_ids=[1], reason="", actor=ADMIN)

    assert subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10]).count == 1


def test_reapply_erasures_erases_again_what_a_restore_brought_back(db, notebook, capsys):
    notebook.add(ALEX, 1)
    notebook.add("bea@coventry.gov.uk", 1)
    subject_access.erase_details(email=ALEX, organiser_id=10, programme_ids=[1], reason="They asked.", actor=ADMIN)
    notebook.add(ALEX, 1)  # the restored backup brings Alex back
    notebook.add(ALEX, 2)  # and Alex's booking elsewhere, which the erasure never reached

    call_command("reapply_erasures")

    assert subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=None).count == 0
    assert subject_access.what_is_held(ALEX, programme_ids=[2], organiser_ids=None).count == 1
    assert subject_access.what_is_held("bea@coventry.gov.uk", programme_ids=None, organiser_ids=None).count == 1
    assert "Erased again: 1 people, 1 records." in capsys.readouterr().out


def test_the_erasure_log_survives_a_restore_of_an_older_database_through_a_file(db, notebook, tmp_path):
    notebook.add(ALEX, 1)
    subject_access.erase_details(email=ALEX, organiser_id=10, programme_ids=[1], reason="They asked.", actor=ADMIN)
    kept = tmp_path / "erasures.json"
    call_command("reapply_erasures", "--export", str(kept))
    assert "alex" not in kept.read_text().lower()
    # The backup predates the erasure: Alex is back, and the log has no row about them.
    ErasureRequest.objects.all().delete()
    notebook.add(ALEX, 1)

    call_command("reapply_erasures", "--from", str(kept))

    assert subject_access.what_is_held(ALEX, programme_ids=None, organiser_ids=None).count == 0
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.ERASED


def test_a_dry_run_changes_nothing(db, notebook, capsys):
    notebook.add(ALEX, 1)
    subject_access.erase_details(email=ALEX, organiser_id=10, programme_ids=[1], reason="They asked.", actor=ADMIN)
    notebook.add(ALEX, 1)

    call_command("reapply_erasures", "--dry-run")

    assert "1 erased people are held again" in capsys.readouterr().out
    assert subject_access.what_is_held(ALEX, programme_ids=None, organiser_ids=None).count == 1


def test_reapply_erasures_with_nothing_restored_finds_no_one(db, notebook, capsys):
    notebook.add("bea@coventry.gov.uk", 1)
    subject_access.erase_details(email=ALEX, organiser_id=10, programme_ids=[1], reason="They asked.", actor=ADMIN)

    call_command("reapply_erasures")

    assert "Erased again: 0 people, 0 records." in capsys.readouterr().out


def test_decisions_are_found_after_the_secret_key_changes(db, notebook, settings):
    subject_access.keep_details(email=ALEX, organiser_id=10, reason="A legal claim.", actor=ADMIN)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "y" * 50

    assert [d.reason for d in subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10]).kept] == [
        "A legal claim."
    ]


def test_looking_up_and_downloading_are_audited_without_the_address(db, notebook):
    notebook.add(ALEX, 1)
    held = subject_access.what_is_held(ALEX, programme_ids=[1], organiser_ids=[10])

    subject_access.record_look_up(held=held, actor=ADMIN)
    subject_access.record_download(held=held, file_format="pdf", actor=ADMIN)

    summaries = list(AuditEvent.objects.order_by("id").values_list("action", "summary"))
    reference = subject_access.address_hash(ALEX)[:8]
    assert summaries == [
        (AuditEvent.Action.LOOKED_UP_PERSON, f"Looked up person {reference}: 1 record held"),
        (AuditEvent.Action.DOWNLOADED_PERSON, f"Downloaded what is held about person {reference} as PDF: 1 record"),
    ]
    assert timezone.now() - AuditEvent.objects.first().created_at < timedelta(minutes=1)
