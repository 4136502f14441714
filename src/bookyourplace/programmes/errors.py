"""How a programme rule says no."""

from bookyourplace.core.errors import DomainError


class ProgrammeError(DomainError):
    """A programme cannot be imported, copied or published as asked. The message says why."""
