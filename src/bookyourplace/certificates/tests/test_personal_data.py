"""A certificate names its booking's person: once the booking is anonymised, the public
verification page no longer shows a name, and says why."""

from django.urls import reverse

from bookyourplace.bookings import personal_data as bookings_held
from bookyourplace.certificates import personal_data as held
from bookyourplace.certificates.services import issue_certificate, verify
from bookyourplace.certificates.testing import attended_booking
from bookyourplace.core.testing import text_of
from bookyourplace.privacy.services import SYSTEM


def test_verification_shows_no_name_once_the_holder_is_anonymised(client, session):
    booking = attended_booking(session, first_name="Priya", last_name="Shah")
    certificate = issue_certificate(booking=booking, actor=SYSTEM)
    page = reverse("public:certificate_verify", kwargs={"code": certificate.grouped_code})
    assert "Priya Shah" in text_of(client.get(page))

    bookings_held.erase("alex.smith@coventry.gov.uk")

    shown = text_of(client.get(page))
    assert "Priya" not in shown and "Shah" not in shown and "Anonymised" not in shown
    assert "The holder's details have been removed" in shown
    assert verify(certificate.__class__.objects.get(pk=certificate.pk)).name == ""


def test_subject_access_lists_the_certificate_until_anonymised(session):
    booking = attended_booking(session)
    certificate = issue_certificate(booking=booking, actor=SYSTEM)

    [found] = held.find("alex.smith@coventry.gov.uk")
    assert found.fields["Certificate code"] == certificate.grouped_code

    bookings_held.erase("alex.smith@coventry.gov.uk")
    assert held.find("alex.smith@coventry.gov.uk") == []
