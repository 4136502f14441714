"""What a booking holds about a person, when it is anonymised, and anonymising it.

Anonymising keeps the booking (its status, dates, session, sector and organisation, its
attendance, feedback scores and certificate) so that every count and report adds up as
before, and removes the person: the name becomes "Anonymised", the address
``anonymised-<random>@invalid``, one random value per address in each run (so the reports'
count of people stays right for what is anonymised together, one active booking per address
per session still holds, and nothing links it back to the old address), the
job title, access needs, line manager's address and the reasons written about them are
emptied, and the manage link's secret is replaced, so no old link (manage, check-in,
feedback) opens it. ``anonymised_at`` marks it, never to be shown as a person again. The
organisation's name is kept: it names the employer, not the person, and the reports count
people by organisation. Answers to the organiser's own questions (bookings/answers.py) lose
what the person wrote (text and dates); the choices they picked stay for the counts, as
feedback keeps its ratings. Erasing a person removes their answers altogether. The emails about it lose their recipient, note and error text
(notifications/personal_data.py), and the audit entries about it lose the person's name,
address and, where they acted themselves, their label and IP address
(privacy/audit_personal_data.py).

When: a programme's people ``retention_months`` after its last session ends; access needs
(health data) ``access_needs_retention_days`` after their session, on their own.
"""

import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from bookyourplace.bookings import answers, services, tokens
from bookyourplace.bookings.models import Booking, SignInLink
from bookyourplace.notifications.models import Email
from bookyourplace.notifications.personal_data import anonymise_emails, email_records
from bookyourplace.privacy.audit_personal_data import anonymise_audit_entries, entries_about
from bookyourplace.privacy.personal_data import DueRecords, HeldRecord, PersonalDataHolder
from bookyourplace.privacy.retention import months_after
from bookyourplace.privacy.services import SYSTEM
from bookyourplace.programmes.models import Programme

ANONYMISED_NAME = "Anonymised"
BOOKINGS_ANONYMISED = "Bookings anonymised"
ACCESS_NEEDS_REMOVED = "Access needs removed"
_BATCH = 500
_PERSONAL_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "job_title",
    "access_needs",
    "line_manager_email",
    "mobile_number",
    "text_reminder_wanted",
    "cancellation_reason",
    "decision_reason",
    "manage_token_seed",
    "manage_token_hash",
    "anonymised_at",
]


# -- When --------------------------------------------------------------------------------------


def retention_ends() -> dict[int, tuple[str, datetime]]:
    """Each programme with sessions: its title and the moment its people's details are due
    to be anonymised (its last session's end plus its retention period)."""
    rows = (
        Programme.objects.annotate(last_end=Max("sessions__ends_at"))
        .filter(last_end__isnull=False)
        .values_list("pk", "title", "last_end", "retention_months")
    )
    return {pk: (title, months_after(last_end, months)) for pk, title, last_end, months in rows}


def programmes_due(now: datetime) -> list[int]:
    return [pk for pk, (_title, due_at) in retention_ends().items() if due_at <= now]


def _bookings_due(now: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(session__programme_id__in=programmes_due(now), anonymised_at__isnull=True)


def _access_needs_due(now: datetime) -> QuerySet[Booking]:
    """Bookings whose session ended at least their programme's access-needs period ago and
    that still hold access needs. One condition per distinct period, not per programme."""
    periods = Programme.objects.values_list("access_needs_retention_days", flat=True).distinct()
    condition = Q(pk__in=[])
    for days in periods:
        condition |= Q(
            session__programme__access_needs_retention_days=days, session__ends_at__lte=now - timedelta(days=days)
        )
    return Booking.objects.exclude(access_needs="").filter(condition)


# -- Anonymising -------------------------------------------------------------------------------


def anonymise_bookings(bookings: QuerySet[Booking], *, now: datetime) -> int:
    """Anonymise these bookings (those not anonymised yet), their emails and their audit
    entries, a batch at a time so a large run holds no lock for long. How many bookings."""
    ids = list(bookings.filter(anonymised_at__isnull=True).values_list("pk", flat=True).order_by("pk"))
    pseudonyms: dict[str, str] = {}
    done = 0
    for start in range(0, len(ids), _BATCH):
        with transaction.atomic():
            batch = list(
                Booking.objects.select_for_update()
                .filter(pk__in=ids[start : start + _BATCH], anonymised_at__isnull=True)
                .order_by("pk")
            )
            words = {}
            for booking in batch:
                words[booking.pk] = (booking.full_name, booking.email, booking.line_manager_email)
                pseudonym = pseudonyms.setdefault(booking.email, uuid.uuid4().hex)
                _anonymise(booking, pseudonym=pseudonym, now=now)
            Booking.objects.bulk_update(batch, _PERSONAL_FIELDS)
            answers.empty_free_text([booking.pk for booking in batch])
            anonymise_emails(Email.objects.filter(booking__in=[booking.pk for booking in batch]))
            anonymise_audit_entries(subject_type="booking", words_by_subject=words)
            done += len(batch)
    return done


def _anonymise(booking: Booking, *, pseudonym: str, now: datetime) -> None:
    booking.first_name, booking.last_name = ANONYMISED_NAME, ""
    booking.email = f"anonymised-{pseudonym}@invalid"
    booking.job_title = booking.access_needs = booking.line_manager_email = booking.mobile_number = ""
    booking.text_reminder_wanted = False
    booking.cancellation_reason = booking.decision_reason = ""
    # A new secret: every link made from the old one (manage, check-in, feedback) stops working.
    booking.manage_token_seed = tokens.new_seed()
    booking.manage_token_hash = tokens.hash_token(tokens.token_from_seed(booking.manage_token_seed))
    booking.anonymised_at = now


def remove_access_needs(bookings: QuerySet[Booking]) -> int:
    return bookings.exclude(access_needs="").update(access_needs="")


def anonymise_due(now: datetime) -> int:
    """The retention run's part here: access needs past their period, then whole bookings."""
    return remove_access_needs(_access_needs_due(now)) + anonymise_bookings(_bookings_due(now), now=now)


# -- The dry run ----------------------------------------------------------------------------


def schedule(now: datetime, until: datetime) -> list[DueRecords]:
    """What falls due before ``until`` (already due included): per programme, its bookings not
    yet anonymised; per session, its bookings that still hold access needs."""
    ends = {pk: (title, due_at) for pk, (title, due_at) in retention_ends().items() if due_at <= until}
    waiting = dict(
        Booking.objects.filter(session__programme_id__in=ends, anonymised_at__isnull=True)
        .values_list("session__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    due = [
        DueRecords(kind=BOOKINGS_ANONYMISED, count=waiting[pk], programmes=(title,), programme_ids=(pk,), when=due_at)
        for pk, (title, due_at) in ends.items()
        if waiting.get(pk)
    ]
    with_needs = (
        Booking.objects.exclude(access_needs="")
        .values_list(
            "session__programme_id",
            "session__programme__title",
            "session__programme__access_needs_retention_days",
            "session__ends_at",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for programme_id, title, days, ends_at, count in with_needs:
        when = ends_at + timedelta(days=days)
        if when <= until:
            due.append(
                DueRecords(
                    kind=ACCESS_NEEDS_REMOVED,
                    count=count,
                    programmes=(title,),
                    programme_ids=(programme_id,),
                    when=when,
                )
            )
    return due


def due(now: datetime) -> list[DueRecords]:
    return [item for item in schedule(now, now) if item.when <= now]


# -- Subject access and erasure ------------------------------------------------------------


def _of(email: str, programme_ids: Collection[int] | None, *, field: str = "email") -> QuerySet[Booking]:
    bookings = Booking.objects.filter(**{field: email.strip().lower()}, anonymised_at__isnull=True)
    if programme_ids is not None:
        bookings = bookings.filter(session__programme_id__in=programme_ids)
    return bookings.select_related("session__programme")


def find(email: str, *, programme_ids: Collection[int] | None = None) -> list[HeldRecord]:
    """The person's bookings (and waiting places), the emails sent about them, the audit
    entries about them, and the bookings that name them as a line manager."""
    found = []
    bookings = list(_of(email, programme_ids))
    for booking in bookings:
        programme = booking.session.programme.title
        found.append(
            HeldRecord(
                kind="Booking" if booking.status != Booking.Status.WAITING else "Waiting list place",
                when=booking.created_at,
                programme=programme,
                fields={
                    "Reference": booking.reference,
                    "Session": booking.session.title,
                    "Session starts": booking.session.starts_at,
                    "Status": booking.get_status_display(),
                    "First name": booking.first_name,
                    "Last name": booking.last_name,
                    "Email address": booking.email,
                    "Organisation": booking.organisation,
                    "Sector": booking.get_sector_display(),
                    "Job title or role": booking.job_title,
                    "Access needs": booking.access_needs,
                    "Line manager's email address": booking.line_manager_email,
                    "Mobile number": booking.mobile_number,
                    "Text reminder asked for": booking.text_reminder_wanted,
                    "Consent given": booking.consented_at,
                    "Cancelled": booking.cancelled_at,
                    "Reason for cancelling": booking.cancellation_reason,
                    "Decided": booking.decided_at,
                    "Reason given": booking.decision_reason,
                },
            )
        )
        if given := answers.held_fields(booking):
            found.append(
                HeldRecord(
                    kind="Answers to the organiser's questions",
                    when=booking.created_at,
                    programme=programme,
                    fields={"Reference": booking.reference, **given},
                )
            )
        found += [
            HeldRecord(kind="Email sent", when=row["Sent"], programme=programme, fields=row)
            for row in email_records(Email.objects.filter(booking=booking, to=booking.email))
        ]
        if booking.mobile_number:
            found += [
                HeldRecord(kind="Text message sent", when=row["Sent"], programme=programme, fields=row)
                for row in email_records(Email.objects.filter(booking=booking, channel="sms", to=booking.mobile_number))
            ]
        found += [
            HeldRecord(kind=item.kind, when=item.when, programme=programme, fields=item.fields)
            for item in entries_about(subject_type="booking", subject_ids=[booking.pk], excluding=email)
        ]
    for booking in _of(email, programme_ids, field="line_manager_email"):
        found.append(
            HeldRecord(
                kind="Named as a line manager",
                when=booking.created_at,
                programme=booking.session.programme.title,
                fields={"Reference": booking.reference, "Session": booking.session.title},
            )
        )
    return found


def erase(email: str, *, reason: str = "", actor=None, programme_ids: Collection[int] | None = None) -> int:
    """Anonymise the person's bookings now, and take their address off the bookings that name
    them as a line manager (with the copies of emails sent to them about those)."""
    now = timezone.now()
    # A place still to come is given up first (to the next person waiting): an anonymised
    # booking is never emailed, so it cannot go on holding a place. The cancellation email is
    # cleared with the rest, unsent: the person asked to be forgotten.
    upcoming = _of(email, programme_ids).filter(status__in=Booking.ACTIVE_STATUSES, session__ends_at__gt=now)
    for booking_id in upcoming.values_list("pk", flat=True):
        services.cancel_booking(booking_id=booking_id, actor=actor or SYSTEM, by_organiser=True, now=now)
    theirs = list(_of(email, programme_ids).values_list("pk", flat=True))
    changed = anonymise_bookings(_of(email, programme_ids), now=now)
    answers.remove_all(theirs)
    managed = _of(email, programme_ids, field="line_manager_email")
    managed_ids = list(managed.values_list("pk", flat=True))
    if managed_ids:
        anonymise_emails(Email.objects.filter(booking__in=managed_ids, to__iexact=email))
        anonymise_audit_entries(subject_type="booking", words_by_subject=dict.fromkeys(managed_ids, (email,)))
        changed += Booking.objects.filter(pk__in=managed_ids).update(line_manager_email="")
    return changed


def addresses() -> list[str]:
    held = Booking.objects.filter(anonymised_at__isnull=True)
    return sorted(
        set(held.values_list("email", flat=True))
        | set(held.exclude(line_manager_email="").values_list("line_manager_email", flat=True))
    )


HOLDER = PersonalDataHolder(
    name="bookings",
    find=find,
    erase=erase,
    due=due,
    anonymise_due=anonymise_due,
    addresses=addresses,
    schedule=schedule,
    covers=("bookings.Booking", "bookings.Answer"),
)


# -- Sign-in links ("See all my bookings", bookings/own_record.py) ----------------------------
# Not any organiser's: an address and when its link was made and used. Erasure deletes them
# (whichever programmes it reaches: a deleted link costs the person only asking again) and
# takes the address out of the audit entries about them; the retention run deletes each once
# it has expired. Subject access lists them when asked about every programme.

SIGN_IN_LINKS_DELETED = "Sign-in links deleted"


def _links_of(email: str) -> QuerySet[SignInLink]:
    return SignInLink.objects.filter(email=email.strip().lower())


def find_sign_in_links(email: str, *, programme_ids: Collection[int] | None = None) -> list[HeldRecord]:
    if programme_ids is not None:
        return []
    return [
        HeldRecord(
            kind="Sign-in link",
            when=link.created_at,
            fields={"Email address": link.email, "Expires": link.expires_at, "Used": link.used_at},
        )
        for link in _links_of(email)
    ]


def erase_sign_in_links(
    email: str, *, reason: str = "", actor=None, programme_ids: Collection[int] | None = None
) -> int:
    links = _links_of(email)
    ids = list(links.values_list("pk", flat=True))
    if ids:
        anonymise_audit_entries(
            subject_type=SignInLink._meta.model_name, words_by_subject=dict.fromkeys(ids, (email.strip().lower(),))
        )
    return links.delete()[0]


def _expired_links(now: datetime) -> QuerySet[SignInLink]:
    return SignInLink.objects.filter(expires_at__lte=now)


def sign_in_links_schedule(now: datetime, until: datetime) -> list[DueRecords]:
    links = _expired_links(until)
    count = links.count()
    if not count:
        return []
    latest = links.order_by("-expires_at").values_list("expires_at", flat=True).first()
    return [DueRecords(kind=SIGN_IN_LINKS_DELETED, count=count, when=latest)]


SIGN_IN_LINKS_HOLDER = PersonalDataHolder(
    name="sign_in_links",
    find=find_sign_in_links,
    erase=erase_sign_in_links,
    due=lambda now: [item for item in sign_in_links_schedule(now, now) if item.when <= now],
    anonymise_due=lambda now: _expired_links(now).delete()[0],
    addresses=lambda: sorted(set(SignInLink.objects.values_list("email", flat=True))),
    schedule=sign_in_links_schedule,
    covers=("bookings.SignInLink",),
)
