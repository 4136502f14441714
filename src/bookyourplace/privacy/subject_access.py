"""Subject access and erasure requests: everything held about one person, as a page, JSON and a
PDF; the attendee's "Delete my details"; an administrator's decision to erase or to keep.

What is held comes from every registered holder (privacy/personal_data.py), limited to the
programmes of the administrator's organiser. Erasing calls the engine
(privacy/erasure.py: ``erase_person``); this module keeps the erasure log (ErasureRequest)
that says who asked, what was decided, why, and by whom, and that a restore re-applies.

No address is written to the audit log here: an entry names the person by a short reference
(the start of the address's keyed hash), so the log does not become one more place to erase.
"""

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookyourplace.core.errors import DomainError
from bookyourplace.privacy.erasure import erase_person
from bookyourplace.privacy.models import AuditEvent, ErasureRequest
from bookyourplace.privacy.person_reference import address_hash, address_hashes, normalise, reference  # noqa: F401
from bookyourplace.privacy.personal_data import HeldRecord, holders
from bookyourplace.privacy.services import SYSTEM, Actor, record


class ReasonNeeded(DomainError):
    field = "reason"


def readable(value) -> str:
    """A held value as a person reads it, on the page and in the PDF."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j M Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    if isinstance(value, list | tuple | set):
        return ", ".join(readable(item) for item in value) or "–"
    return str(value)


@dataclass(frozen=True)
class Kind:
    """The records of one kind ("Booking", "Email sent"), in the order the holders gave them."""

    name: str
    records: list[HeldRecord]

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def rows(self) -> list[dict]:
        """Each record as the page and the PDF show it: when, which programme, its details."""
        return [
            {
                "when": readable(item.when) if item.when else "",
                "programme": item.programme,
                "details": [(str(label), readable(value)) for label, value in item.fields.items()],
            }
            for item in self.records
        ]


@dataclass(frozen=True)
class WhatIsHeld:
    email: str
    kinds: list[Kind]
    decisions: list[ErasureRequest] = field(default_factory=list)
    produced_at: datetime = field(default_factory=timezone.now)

    @property
    def count(self) -> int:
        return sum(kind.count for kind in self.kinds)

    @property
    def open_requests(self) -> list[ErasureRequest]:
        return [decision for decision in self.decisions if decision.status == ErasureRequest.Status.OPEN]

    @property
    def kept(self) -> list[ErasureRequest]:
        return [decision for decision in self.decisions if decision.status == ErasureRequest.Status.KEPT]


def _requests_about(email: str, organiser_ids: Collection[int] | None):
    requests = ErasureRequest.objects.filter(email_hash__in=address_hashes(email))
    if organiser_ids is not None:
        requests = requests.filter(organiser_id__in=organiser_ids)
    return requests


def what_is_held(
    email: str, *, programme_ids: Collection[int] | None, organiser_ids: Collection[int] | None
) -> WhatIsHeld:
    """Everything every holder has about this address in these programmes, grouped by kind,
    with the requests and decisions about it (kept with a reason, erased before)."""
    email = normalise(email)
    ids = None if programme_ids is None else list(programme_ids)
    kinds: dict[str, list[HeldRecord]] = {}
    for holder in holders():
        for held in holder.find(email, programme_ids=ids):
            kinds.setdefault(str(held.kind), []).append(held)
    return WhatIsHeld(
        email=email,
        kinds=[Kind(name=name, records=records) for name, records in kinds.items()],
        decisions=list(_requests_about(email, organiser_ids).order_by("-created_at", "-id")),
    )


def record_look_up(*, held: WhatIsHeld, actor: Actor) -> None:
    record(
        actor=actor,
        action=AuditEvent.Action.LOOKED_UP_PERSON,
        summary=ngettext(
            "Looked up %(person)s: %(count)d record held",
            "Looked up %(person)s: %(count)d records held",
            held.count,
        )
        % {"person": reference(held.email), "count": held.count},
    )


def record_download(*, held: WhatIsHeld, file_format: str, actor: Actor) -> None:
    record(
        actor=actor,
        action=AuditEvent.Action.DOWNLOADED_PERSON,
        summary=ngettext(
            "Downloaded what is held about %(person)s as %(format)s: %(count)d record",
            "Downloaded what is held about %(person)s as %(format)s: %(count)d records",
            held.count,
        )
        % {"person": reference(held.email), "format": file_format.upper(), "count": held.count},
    )


# Downloads -----------------------------------------------------------------------------


class _Encoder(DjangoJSONEncoder):
    """Dates as ISO 8601; anything else a holder gives that JSON has no type for, as text."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def as_json(held: WhatIsHeld) -> str:
    """Everything on the page, for the person or for another system: one object per kind."""
    document = {
        "email": held.email,
        "produced_at": held.produced_at,
        "total_records": held.count,
        "kinds": [
            {
                "kind": kind.name,
                "count": kind.count,
                "records": [
                    {"when": item.when, "programme": item.programme, "details": item.fields} for item in kind.records
                ],
            }
            for kind in held.kinds
        ],
        "decisions": [
            {
                "asked_at": decision.created_at,
                "source": decision.get_source_display(),
                "status": decision.get_status_display(),
                "reason": decision.reason,
                "decided_at": decision.decided_at,
            }
            for decision in held.decisions
        ],
    }
    return json.dumps(document, cls=_Encoder, indent=2, ensure_ascii=False)


def as_pdf(held: WhatIsHeld) -> bytes:
    """A readable A4 PDF of the same: a table per kind."""
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("privacy/what_is_held.html", {"held": held, "title": _("What we hold about you")})
    # Nothing is fetched: the page needs no file or address outside itself.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def filename(held: WhatIsHeld, extension: str) -> str:
    """No address in the file name: it ends up in download folders and mail attachments."""
    return f"personal-data-{address_hash(held.email)[:8]}-{held.produced_at:%Y-%m-%d}.{extension}"


# Requests and decisions ------------------------------------------------------------------


def ask_for_erasure(*, email: str, organiser_id: int, programme_id: int | None, actor: Actor) -> bool:
    """The attendee's "Delete my details": one open request per person and organiser.
    True if asked now, False if it was already asked and not yet decided."""
    email = normalise(email)
    if ErasureRequest.objects.filter(
        email_hash__in=address_hashes(email), organiser_id=organiser_id, status=ErasureRequest.Status.OPEN
    ).exists():
        return False
    try:
        with transaction.atomic():
            ErasureRequest.objects.create(
                email=email,
                email_hash=address_hash(email),
                organiser_id=organiser_id,
                source=ErasureRequest.Source.ATTENDEE,
            )
    except IntegrityError:  # asked twice at the same moment: the other press made it
        return False
    record(
        actor=actor,
        action=AuditEvent.Action.ASKED_FOR_ERASURE,
        summary=_("%(person)s asked for their details to be deleted") % {"person": reference(email)},
        programme_id=programme_id,
    )
    return True


def has_asked(*, email: str, organiser_id: int) -> ErasureRequest | None:
    """The person's request still waiting for a decision, if any (for the manage page)."""
    return (
        ErasureRequest.objects.filter(
            email_hash__in=address_hashes(email), organiser_id=organiser_id, status=ErasureRequest.Status.OPEN
        )
        .order_by("created_at")
        .first()
    )


def open_requests(*, organiser_ids: Collection[int] | None):
    requests = ErasureRequest.objects.filter(status=ErasureRequest.Status.OPEN)
    if organiser_ids is not None:
        requests = requests.filter(organiser_id__in=organiser_ids)
    return requests.order_by("created_at", "id")


def _decide(
    *,
    email: str,
    organiser_id: int | None,
    status: str,
    reason: str,
    actor: Actor,
    programme_ids: Iterable[int] | None = (),
    records_erased: int = 0,
) -> ErasureRequest:
    """Close the person's open requests with this decision, or write one if nobody asked. The
    address goes: only its hash is kept from now on."""
    now = timezone.now()
    decision = {
        "status": status,
        "reason": reason,
        "email": "",
        "programme_ids": None if programme_ids is None else sorted(set(programme_ids)),
        "records_erased": records_erased,
        "decided_at": now,
        "decided_by": actor.user if getattr(actor.user, "is_authenticated", False) else None,
        "decided_by_label": actor.name[:254],
    }
    requests = ErasureRequest.objects.filter(email_hash__in=address_hashes(email), status=ErasureRequest.Status.OPEN)
    if organiser_id is not None:  # None: a superuser's decision, for every organiser's requests
        requests = requests.filter(organiser_id=organiser_id)
    decided = None
    for request in requests.select_for_update():
        for name, value in decision.items():
            setattr(request, name, value)
        request.email_hash = address_hash(email)  # under today's key, for a later restore
        request.save()
        decided = request
    if decided is None:
        decided = ErasureRequest.objects.create(
            email_hash=address_hash(email),
            organiser_id=organiser_id,
            source=ErasureRequest.Source.ADMINISTRATOR,
            **decision,
        )
    return decided


def _required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ReasonNeeded(_("Enter the reason"))
    return reason


def keep_details(*, email: str, organiser_id: int | None, reason: str, actor: Actor) -> ErasureRequest:
    """The organiser keeps what is held (an ongoing safeguarding concern, a legal claim): the
    reason is stored, audited, and shown whenever this person is looked up again."""
    reason = _required(reason)
    email = normalise(email)
    with transaction.atomic():
        decided = _decide(
            email=email, organiser_id=organiser_id, status=ErasureRequest.Status.KEPT, reason=reason, actor=actor
        )
        record(
            actor=actor,
            action=AuditEvent.Action.KEPT_DETAILS,
            summary=_("Kept the details of %(person)s. Reason: %(reason)s")
            % {"person": reference(email), "reason": reason},
        )
    return decided


def erase_details(
    *, email: str, organiser_id: int | None, programme_ids: Collection[int] | None, reason: str, actor: Actor
) -> ErasureRequest:
    """Anonymise everything held about the person in these programmes now (the engine does it,
    and audits it), and log the decision with its reason and who made it."""
    reason = _required(reason)
    email = normalise(email)
    ids = None if programme_ids is None else sorted(programme_ids)
    with transaction.atomic():
        result = erase_person(email, reason=reason, actor=actor, programme_ids=ids)
        return _decide(
            email=email,
            organiser_id=organiser_id,
            status=ErasureRequest.Status.ERASED,
            reason=reason,
            actor=actor,
            programme_ids=ids,
            records_erased=result.total,
        )


# After a restore ---------------------------------------------------------------------------


def erasure_log() -> list[dict]:
    """The erasure log, to keep outside the database before restoring an older backup of it
    (which would take the log back too): hashes, programmes and days only, no reasons (they
    may name someone)."""
    return [
        {
            "email_hash": decision.email_hash,
            "organiser_id": decision.organiser_id,
            "programme_ids": decision.programme_ids,
            "decided_at": decision.decided_at.isoformat() if decision.decided_at else None,
        }
        for decision in ErasureRequest.objects.filter(status=ErasureRequest.Status.ERASED).order_by("decided_at", "id")
    ]


def restore_erasure_log(entries: Iterable[dict]) -> int:
    """Put back the erasures a restored database has lost (from ``erasure_log``); how many."""
    added = 0
    for entry in entries:
        decided_at = datetime.fromisoformat(entry["decided_at"]) if entry.get("decided_at") else None
        created = ErasureRequest.objects.get_or_create(
            email_hash=entry["email_hash"],
            status=ErasureRequest.Status.ERASED,
            decided_at=decided_at,
            defaults={
                "organiser_id": entry.get("organiser_id"),
                "programme_ids": entry.get("programme_ids"),
                "source": ErasureRequest.Source.ADMINISTRATOR,
                "reason": _("Brought back from the erasure log after a restore"),
                "decided_by_label": SYSTEM.name,
            },
        )[1]
        added += created
    return added


@dataclass(frozen=True)
class Reapplied:
    people: int
    records: int


def reapply_erasures(*, actor: Actor = SYSTEM, dry_run: bool = False) -> Reapplied:
    """Erase again everyone the erasure log says was erased, wherever a restored backup has
    brought them back. The log keeps only hashes, so every address the holders hold in clear
    is hashed and compared; each match is erased again in the programmes the erasure reached.
    Safe to run at any time: with nothing restored it finds no one."""
    erased: dict[str, ErasureRequest] = {}
    for decision in ErasureRequest.objects.filter(status=ErasureRequest.Status.ERASED).order_by("decided_at", "id"):
        erased.setdefault(decision.email_hash, decision)
    if not erased:
        return Reapplied(people=0, records=0)
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    addresses = {normalise(address) for holder in holders() for address in holder.addresses() if address}
    people = records = 0
    for address in sorted(addresses):
        decision = next(
            (erased[h] for h in (address_hash(address, secret=secret) for secret in secrets) if h in erased), None
        )
        if decision is None:
            continue
        people += 1
        if dry_run:
            continue
        reason = _("Erased again after a backup was restored (first erased on %(day)s). Reason: %(reason)s") % {
            "day": date_format(timezone.localtime(decision.decided_at), "j F Y") if decision.decided_at else "?",
            "reason": decision.reason,
        }
        records += erase_person(address, reason=reason, actor=actor, programme_ids=decision.programme_ids).total
    return Reapplied(people=people, records=records)
