"""A report's tables: what each column holds, and the same figures shown on screen, written to
a spreadsheet or printed, with small numbers held back where they must be.

A column says what kind of figure it holds: a count of people, a rate or an average worked
out from counts in the same row (``based_on``), or text. Held back (``suppressed``), a count
of 1 to 4 becomes "fewer than 5", and a rate or average worked out from such a count becomes
"–": a 50% no-show rate of a school of two would give the two away as surely as the counts.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from django.utils.formats import number_format

from bookyourplace.reports.small_numbers import FEWER_THAN, is_small

LEFT_OUT = "–"


def percent(part: int, whole: int) -> int | None:
    """The share in whole per cent, halves rounded up as people do (5 of 8 is 63%)."""
    return (200 * part + whole) // (2 * whole) if whole else None


TEXT, COUNT, PLACES, RATE, AVERAGE, CHANGE = "text", "count", "places", "rate", "average", "change"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = COUNT
    # For a rate, an average or a change: the count columns (by index) it was worked out from.
    based_on: tuple[int, ...] = ()
    # A count the table needs to decide what to hold back, not shown or exported itself
    # (how many answered the confidence questions, behind their averages).
    hidden: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list]
    total: list | None = None
    # Held back: counts of fewer than 5 people, and what is worked out from them.
    suppressed: bool = False
    # Said under the table: what it counts.
    note: str = ""
    empty: str = ""

    @property
    def visible(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if not column.hidden]

    @property
    def headers(self) -> list[Column]:
        return [self.columns[i] for i in self.visible]

    def held_back(self, suppress: bool = True) -> "Table":
        return replace(self, suppressed=suppress)

    def is_hidden(self, row: list, index: int) -> bool:
        """Is this cell held back?"""
        if not self.suppressed:
            return False
        column = self.columns[index]
        if column.kind == COUNT:
            return is_small(row[index])
        if column.kind in (RATE, AVERAGE, CHANGE):
            return any(is_small(row[base]) for base in column.based_on)
        return False

    def value(self, row: list, index: int):
        """The cell's figure as exported: the number, "fewer than 5", "–" for nothing to show."""
        column = self.columns[index]
        raw = row[index]
        if self.is_hidden(row, index):
            return FEWER_THAN if column.kind == COUNT else LEFT_OUT
        if raw is None:
            return LEFT_OUT if column.numeric else ""
        if column.kind in (AVERAGE, CHANGE):
            return round(raw, 1)
        return raw

    def shown(self, row: list, index: int) -> str:
        """The cell as a reader sees it on the page or on paper: "85%", "4.2", "+1.5"."""
        column = self.columns[index]
        value = self.value(row, index)
        if isinstance(value, str):
            return value
        if column.kind == RATE:
            return f"{value}%"
        if column.kind == CHANGE:
            return f"{value:+.1f}" if value else "0.0"
        if column.kind == AVERAGE:
            return f"{value:.1f}"
        if column.kind in (COUNT, PLACES):
            return number_format(value, force_grouping=True)
        return str(value)

    def _cells(self, row: list) -> list[Cell]:
        return [Cell(self.shown(row, i), self.columns[i].numeric) for i in self.visible]

    def shown_rows(self) -> list[list[Cell]]:
        return [self._cells(row) for row in self.rows]

    def shown_total(self) -> list[Cell] | None:
        return None if self.total is None else self._cells(self.total)

    def export_rows(self) -> Iterator[list]:
        """The header, the rows and the total, for CSV or Excel."""
        yield [str(column.header) for column in self.headers]
        for row in [*self.rows, *([self.total] if self.total is not None else [])]:
            yield [self.value(row, i) for i in self.visible]


def shown_figure(count: int | None, *, suppressed: bool) -> str:
    """A headline count as a reader sees it: "1,234", or "fewer than 5" where held back."""
    if count is None:
        return LEFT_OUT
    if suppressed and is_small(count):
        return FEWER_THAN
    return number_format(count, force_grouping=True)


@dataclass
class Section:
    """A heading of the report, its charts and its tables."""

    slug: str
    title: str
    charts: list = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Headline figures shown as summary cards: (label, shown value).
    cards: list[tuple[str, str]] = field(default_factory=list)
    intro: str = ""
