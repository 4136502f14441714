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


class InvalidDraftSessions(ProgrammeError):
    """Rows of an imported flyer that cannot become sessions as they stand. ``rows`` holds
    every problem: by the row's place in the list given (0 first), then by the DraftSession
    field it is about (date, start, end, title, delivery, venue, capacity...), so the preview
    shows them all at once; ``message`` (naming the row) and ``field`` are the first."""

    def __init__(self, rows: dict[int, dict[str, list[str]]], message: str):
        first_problems = next(iter(rows.values()))
        super().__init__(message, field=next(iter(first_problems)))
        self.rows = rows


class FlyerUnreadable(ProgrammeError):
    """A flyer that cannot be opened at all (a damaged Word file, a PDF with no text, a picture):
    the message tells the organiser what to send instead."""


class FlyerIncomplete(ProgrammeError):
    """A flyer read, but with a session that cannot be created as it stands (no date, no time):
    the message names the line. The back office's preview asks for the missing values instead."""


class InvalidQuestion(ProgrammeError):
    """A booking question that cannot be saved as it stands (programmes/questions.py).
    ``problems`` holds every problem by the question's field (label, hint, kind, choices), so
    the form shows them all at once; ``message`` and ``field`` are the first."""

    def __init__(self, problems: dict[str | None, list[str]]):
        field, messages = next(iter(problems.items()))
        super().__init__(messages[0], field=field)
        self.problems = problems
