"""What the certificate rules say when they say no, written for the attendee."""

from django.utils.translation import gettext_lazy as _

from bookyourplace.core.errors import DomainError


class NoCertificate(DomainError):
    message = _("There is no certificate of attendance for this booking.")
