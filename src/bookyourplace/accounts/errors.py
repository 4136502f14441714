"""What the account rules say when they say no. Each message is written for the person asking
(an administrator, or someone changing their own sign-in); faces show it as it is."""

from bookyourplace.core.errors import DomainError


class StaffMemberError(DomainError):
    """A back-office account cannot be added or changed as asked. The message says why;
    ``field`` names the form field it is about, if any."""


class TwoFactorError(DomainError):
    """A two-factor change refused."""
