"""What certificates hold about a person: nothing of their own. A certificate is a code on a
booking; its PDF and its public verification page are written from the booking each time, so
once the booking is anonymised neither shows a name again (the verification page says the
holder's details have been removed; services.verify). Subject access lists the codes.
"""

from collections.abc import Collection

from bookyourplace.certificates.models import Certificate
from bookyourplace.privacy.personal_data import HeldRecord, PersonalDataHolder


def find(email: str, *, programme_ids: Collection[int] | None = None) -> list[HeldRecord]:
    certificates = Certificate.objects.filter(
        booking__email=email.strip().lower(), booking__anonymised_at__isnull=True
    ).select_related("booking__session__programme")
    if programme_ids is not None:
        certificates = certificates.filter(booking__session__programme_id__in=programme_ids)
    return [
        HeldRecord(
            kind="Certificate",
            when=certificate.issued_at,
            programme=certificate.booking.session.programme.title,
            fields={
                "Certificate code": certificate.grouped_code,
                "Session": certificate.booking.session.title,
                "Withdrawn": certificate.revoked_at,
            },
        )
        for certificate in certificates
    ]


HOLDER = PersonalDataHolder(
    name="certificates",
    find=find,
    # Nothing of its own to change: the booking's holder anonymises the name it shows.
    erase=lambda email, **kwargs: 0,
    covers=("certificates.Certificate",),
)
