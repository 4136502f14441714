"""How a programme rule says no."""

from bookyourplace.core.errors import DomainError


class ProgrammeError(DomainError):
    """A programme cannot be imported, copied or published as asked. The message says why."""


class InvalidSessionDetails(ProgrammeError):
    """An organiser's session details break the session rules. ``problems`` holds every problem
    by the session field it is about (ends_at, capacity...), so the form shows them all at once;
    ``message`` and ``field`` are the first."""

    def __init__(self, problems: dict[str | None, list[str]]):
        field, messages = next(iter(problems.items()))
        super().__init__(messages[0], field=field)
        self.problems = problems
