"""What the webhook delivery log holds about a person: each message's body, which names the
attendee (bookings/records.py), kept so that a failed message can be sent again.

The log is kept for BYP_WEBHOOK_LOG_DAYS (30 days), then the rows go, bodies and all, with
the daily retention run (housekeeping of a log, not shown in the retention dry run). Erasing a person removes every body that holds their address at
once (and a message not yet sent is not sent). Subject access lists the messages that
carried their details to the organiser's other systems.
"""

from collections.abc import Collection
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bookyourplace.privacy.personal_data import HeldRecord, PersonalDataHolder
from bookyourplace.programmes.models import Programme
from bookyourplace.webhooks.models import Delivery


def _kept_until(now: datetime) -> datetime:
    return now - timedelta(days=settings.BYP_WEBHOOK_LOG_DAYS)


def _mentioning(email: str, programme_ids: Collection[int] | None) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(payload__icontains=email.strip().lower()).exclude(payload="")
    if programme_ids is not None:
        organisers = Programme.objects.filter(pk__in=programme_ids).values("organiser_id")
        deliveries = deliveries.filter(endpoint__organiser_id__in=organisers)
    return deliveries


def find(email: str, *, programme_ids: Collection[int] | None = None) -> list[HeldRecord]:
    return [
        HeldRecord(
            kind="Sent to another system (webhook)",
            when=delivery.created_at,
            fields={
                "Event": delivery.event,
                "Sent to": delivery.endpoint.url,
                "Status": delivery.get_status_display(),
            },
        )
        for delivery in _mentioning(email, programme_ids).select_related("endpoint").order_by("created_at", "id")
    ]


def erase(email: str, *, reason: str = "", actor=None, programme_ids: Collection[int] | None = None) -> int:
    deliveries = _mentioning(email, programme_ids)
    deliveries.filter(status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, error=_("Not sent: the person's details were erased")
    )
    return deliveries.update(payload="")


def anonymise_due(now: datetime) -> int:
    removed, _by_model = Delivery.objects.filter(created_at__lt=_kept_until(now)).delete()
    return removed


HOLDER = PersonalDataHolder(
    name="webhook_deliveries",
    find=find,
    erase=erase,
    anonymise_due=anonymise_due,
    covers=("webhooks.Delivery",),
)
