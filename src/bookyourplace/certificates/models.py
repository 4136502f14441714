from django.db import models
from django.utils.translation import gettext_lazy as _

from bookyourplace.bookings.models import Booking
from bookyourplace.certificates import codes


class Certificate(models.Model):
    """A booking's certificate of attendance, issued the first time it was wanted.

    Its code never changes; the PDF is written afresh on each download, from the booking as it
    is then (a corrected name shows). Whether it is valid is decided from the attendance each
    time it is looked at (services.certificate_status); ``revoked_at`` records the last time it
    was seen withdrawn, so the back office can find withdrawn ones.
    """

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("certificate code"), max_length=codes.LENGTH, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The size of the PDF last written, for the manage page's "PDF, 60 KB".
    pdf_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["revoked_at"], name="certificate_revoked_at", condition=models.Q(revoked_at__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return self.grouped_code

    @property
    def grouped_code(self) -> str:
        return codes.grouped(self.code)
