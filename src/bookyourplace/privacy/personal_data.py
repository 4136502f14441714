"""Where personal data is held, and how each holder finds, exports and anonymises it.

The privacy app sits below every domain app and knows none of them. Each app that holds
something about a person (bookings, the email outbox, attendance's walk-ins, feedback's free
text, certificates, the audit log itself) registers one ``PersonalDataHolder`` when Django
starts (its AppConfig's ``ready``). Subject access, erasure and the retention run then ask
every holder in turn, so a new app that stores a person's details is covered by registering
its holder, and a test checks every model with a personal field belongs to a holder.

    register_holder(PersonalDataHolder(
        name="bookings",
        find=lambda email, *, programme_ids=None: [...],   # what is held about this address (subject access)
        erase=lambda email, reason, actor, *, programme_ids=None: 3,  # anonymise it now; how many changed
        due=lambda now: [...],                 # what the retention schedule anonymises at `now` (dry run)
        anonymise_due=lambda now: 12,          # anonymise it; how many records changed
        addresses=lambda: [...],               # every address held in clear (reapply_erasures)
    ))

Scope (subject access and erasure, issue 15): an administrator sees and erases only what is
held in their organiser's programmes, so ``find`` and ``erase`` take ``programme_ids``: only
records about those programmes (a booking of one of their sessions, an email about such a
booking, an audit event with that ``programme_id``); ``None`` means every programme. Both are
called with it as a keyword, always; ``erase_person(email, *, reason, actor, programme_ids=None)``
passes it on to every holder's ``erase``.

After a restore from backup, ``manage.py reapply_erasures`` erases again everyone erased since:
the erasure log keeps only a keyed hash of each address (privacy/subject_access.py:
``address_hash``), so it asks every holder for the ``addresses`` it holds in clear, hashes
them, and calls ``erase`` with the addresses that match (and the erasure's programme_ids).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class HeldRecord:
    """One thing held about a person, for a subject access export: what it is (in the
    user's words: "Booking", "Email sent", "Feedback"), when, and its fields as shown."""

    kind: str
    when: datetime | None
    fields: dict[str, Any]
    programme: str = ""


@dataclass(frozen=True)
class DueRecords:
    """What the retention schedule would anonymise: how many of what, in which programmes."""

    kind: str
    count: int
    programmes: tuple[str, ...] = ()
    # When they fall due (in a ``schedule``): the moment their retention period ends.
    when: datetime | None = None
    # The programmes' ids, in the order of ``programmes``: the dry run shows each organiser its own.
    programme_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PersonalDataHolder:
    name: str
    find: Callable[[str], list[HeldRecord]]
    erase: Callable[..., int]
    due: Callable[[datetime], list[DueRecords]] = field(default=lambda now: [])
    anonymise_due: Callable[[datetime], int] = field(default=lambda now: 0)
    addresses: Callable[[], Iterable[str]] = field(default=lambda: ())
    # The retention dry run: what falls due from now until ``until`` (already due included,
    # with ``when`` in the past), one DueRecords per kind, programme and moment.
    schedule: Callable[[datetime, datetime], list[DueRecords]] = field(default=lambda now, until: [])
    # The models whose personal fields this holder covers ("bookings.Booking"): a test checks
    # every model with a personal field is covered by some holder.
    covers: tuple[str, ...] = ()


_holders: dict[str, PersonalDataHolder] = {}


def register_holder(holder: PersonalDataHolder) -> None:
    _holders[holder.name] = holder


def holders() -> list[PersonalDataHolder]:
    return list(_holders.values())
