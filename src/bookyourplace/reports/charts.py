"""Charts drawn on the server as accessible SVG, each with the table of its data.

The interface the report pages use:

    chart = bar_chart(title="Places filled by session", categories=["Mon", "Tue"],
                      series=[Series("Booked", [40, 35]), Series("Places", [50, 50])],
                      value_label="People", category_label="Session")
    chart.svg      # safe markup: <svg role="img" aria-labelledby=...><title>..</title><desc>..</desc>...</svg>
    chart.table    # ChartTable(caption, headers, rows): the same figures, for the "Show data" table

Templates show both with {% include "reports/_chart.html" with chart=chart %}.

A value may be None (no data: a gap in the chart, "No data" in the table) or text such as
"fewer than 5" (small_numbers.shown_count, for what is printed or exported): text is not
drawn, and the table shows it as it is. ``unit`` is written after each figure ("%" -> "75%").
``summary=`` replaces the description made from the figures; ``chart_id=`` is needed only to
show the same chart twice on one page.

Why it is drawn like this:
- No JavaScript and no chart library: the same markup goes on the page and into the report
  PDF (WeasyPrint draws inline SVG), and the page's Content-Security-Policy allows no inline
  style, so everything is a presentation attribute (fill=, stroke=), never style=.
- Each series has a colour from the GOV.UK palette (every one at least 3:1 against white, so
  the outlines meet WCAG 1.4.11) and a pattern of its own (solid, diagonal lines, dots,
  cross-hatch...), so a chart printed in black and white, or seen without some colours,
  still reads; lines differ by dash and marker shape as well as colour.
- A screen reader hears the title and a summary in words (``desc``); the full figures are in
  the table beside the chart. Nothing in the SVG is focusable or announced on its own.
- Every text is escaped (categories are organisation names people typed). The output is the
  same for the same figures, so tests compare it; ids are made from the figures, so several
  charts on one page do not clash (give ``chart_id`` for the same chart twice on one page).
"""

import hashlib
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NO_DATA = gettext_lazy("No data")


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | str | None]


@dataclass(frozen=True)
class ChartTable:
    caption: str
    headers: list[str]
    rows: list[list[object]]
    # Written after each figure in the table, as on the chart: "%" -> "75%".
    unit: str = ""

    def shown_rows(self) -> list[tuple[str, list[str]]]:
        """Each row as the table shows it: the category, then each figure written out
        ("1,234", "75%", "No data" for a gap; text such as "fewer than 5" as it is)."""
        return [(str(row[0]), [format_value(value, self.unit) for value in row[1:]]) for row in self.rows]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    table: ChartTable
    summary: str = field(default="")
    chart_id: str = field(default="")


# --- Colours and patterns ----------------------------------------------------------------

# GOV.UK Frontend's palette, in the order series take them; each at least 3:1 against white.
COLOURS = (
    "#1d70b8",  # blue        5.2:1
    "#00703c",  # green       6.0:1
    "#4c2c92",  # purple     10.9:1
    "#d4351c",  # red         4.5:1
    "#003078",  # dark blue  12.9:1
    "#d53880",  # pink        4.5:1
    "#505a5f",  # dark grey   7.0:1
)
TEXT = "#0b0c0c"
AXIS = "#505a5f"
GRID = "#b1b4b6"
WHITE = "#ffffff"
PATTERNS = ("solid", "diagonal", "dots", "crosshatch", "horizontal", "vertical", "checks")
# Lines: a dash and a marker of their own for each series.
DASHES = ("", "8 4", "2 4", "10 4 2 4", "4 4", "12 3", "1 3")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle")

WIDTH = 640
FONT_SIZE = 14
SMALL_SIZE = 12
FONT = "arial, sans-serif"


def colour_of(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def _pattern(pattern_id: str, index: int) -> str:
    """One series' fill: the colour, drawn as a pattern on white from the second series on."""
    colour = colour_of(index)
    kind = PATTERNS[index % len(PATTERNS)]
    shapes = {
        "solid": f'<rect width="8" height="8" fill="{colour}"/>',
        "diagonal": f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" stroke-width="2"/>',
        "dots": f'<circle cx="2" cy="2" r="1.6" fill="{colour}"/><circle cx="6" cy="6" r="1.6" fill="{colour}"/>',
        "crosshatch": (
            f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4 M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" '
            f'stroke="{colour}" stroke-width="1.2"/>'
        ),
        "horizontal": f'<path d="M0,2 h8 M0,6 h8" stroke="{colour}" stroke-width="1.6"/>',
        "vertical": f'<path d="M2,0 v8 M6,0 v8" stroke="{colour}" stroke-width="1.6"/>',
        "checks": f'<rect width="4" height="4" fill="{colour}"/><rect x="4" y="4" width="4" height="4" fill="{colour}"/>',
    }[kind]
    background = "" if kind == "solid" else f'<rect width="8" height="8" fill="{WHITE}"/>'
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8">{background}{shapes}</pattern>'
    )


# --- Numbers and words ---------------------------------------------------------------------


def _suffix(unit: str) -> str:
    if not unit or unit.startswith((" ", "%")):
        return unit
    return f" {unit}"


def format_value(value: object, unit: str = "") -> str:
    """1234 -> "1,234"; 0.75 -> "0.75"; 12.345 -> "12.35"; None -> "No data"; text as it is."""
    if value is None:
        return str(NO_DATA)
    if isinstance(value, str):
        return value
    number = float(value)
    if number.is_integer():
        text = f"{int(number):,}"
    else:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return text + _suffix(unit)


def _nice_step(span: float, steps: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``steps`` ticks."""
    raw = span / steps
    power = 10 ** math.floor(math.log10(raw))
    for nice in (1, 2, 2.5, 5, 10):
        if raw <= nice * power:
            return nice * power
    return 10 * power  # pragma: no cover - the loop always returns


def _ticks(low: float, high: float) -> list[float]:
    """Round tick values from at or below ``low`` to at or above ``high``, zero among them."""
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    count = round((last - first) / step)
    # Rounded, so 0.1 + 0.2 is written 0.3 (and compares equal in tests).
    return [round(first + n * step, 10) for n in range(count + 1)]


def _text_width(text: str, size: int = FONT_SIZE) -> float:
    # No font metrics on the server: Arial's average width is a little over half its size.
    return len(text) * size * 0.56


def _wrap(text: str, width: float, size: int = FONT_SIZE, max_lines: int = 3) -> list[str]:
    """The label in lines that fit ``width``; the last line shortened with "…" if it runs over.
    The table has the whole label."""
    chars = max(4, int(width / (size * 0.56)))
    lines = textwrap.wrap(text, chars, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def _in_words(categories: Sequence[str], values: Sequence[object], unit: str, category_label: str) -> str:
    """Words like "highest Tuesday, 48; lowest Monday, 12", or what there is to say instead."""
    present = [(categories[i], v) for i in range(len(categories)) if (v := _number(values, i)) is not None]
    if not present:
        return _("no data")
    high_category, high = max(present, key=lambda pair: pair[1])  # the first of equals
    low_category, low = min(present, key=lambda pair: pair[1])
    if len(present) == 1:
        return f"{high_category}, {format_value(high, unit)}"
    if high == low:
        return _("%(value)s for every %(category)s") % {
            "value": format_value(high, unit),
            "category": category_label.lower(),
        }
    return _("highest %(high_category)s, %(high)s; lowest %(low_category)s, %(low)s") % {
        "high_category": high_category,
        "high": format_value(high, unit),
        "low_category": low_category,
        "low": format_value(low, unit),
    }


def _summary(
    *,
    kind: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_label: str,
    category_label: str,
    unit: str,
    stacked: bool = False,
) -> str:
    """The chart in words, for the SVG's description: what it shows, each series' highest and
    lowest, the highest total of a stacked chart, and the categories with no data.
    "Bar chart: People by session. Highest Tuesday, 48; lowest Monday, 12."."""
    sentences = [
        _("%(kind)s: %(value)s by %(category)s.")
        % {
            "kind": kind,
            "value": value_label,
            "category": category_label.lower(),
        }
    ]
    for each in series:
        words = _in_words(categories, each.values, unit, category_label)
        sentences.append(f"{each.name}: {words}." if len(series) > 1 else f"{words[:1].upper()}{words[1:]}.")
    if stacked and len(series) > 1:
        sentences.append(
            _("Total: %(words)s.") % {"words": _in_words(categories, _totals(categories, series), unit, category_label)}
        )
    gaps = [category for i, category in enumerate(categories) if all(s.values[i] is None for s in series)]
    if gaps:
        sentences.append(_("No data for %(categories)s.") % {"categories": ", ".join(gaps)})
    return " ".join(sentences)


def _number(values: Sequence[object], index: int) -> float | None:
    """The value to draw: a number, or None for a gap (also for text such as "fewer than 5")."""
    value = values[index] if index < len(values) else None
    if value is None or isinstance(value, str):
        return None
    return float(value)


def _totals(categories: Sequence[str], series: Sequence[Series]) -> list[float | None]:
    totals = []
    for i in range(len(categories)):
        present = [v for s in series if (v := _number(s.values, i)) is not None]
        totals.append(sum(present) if present else None)
    return totals


def _chart_id(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(repr((kind, *parts)).encode()).hexdigest()[:8]
    return f"chart-{digest}"


def _table(*, title: str, categories, series, category_label: str, unit: str, stacked: bool = False) -> ChartTable:
    headers = [category_label, *(s.name for s in series)]
    rows: list[list[object]] = []
    totals = _totals(categories, series) if stacked and len(series) > 1 else None
    if totals is not None:
        headers.append(_("Total"))
    for i, category in enumerate(categories):
        row: list[object] = [category, *(s.values[i] for s in series)]
        if totals is not None:
            row.append(totals[i])
        rows.append(row)
    return ChartTable(caption=title, headers=headers, rows=rows, unit=unit)


# --- Drawing ---------------------------------------------------------------------------------


class _Canvas:
    """The SVG's elements as strings; every text escaped on the way in."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        anchor: str = "middle",
        size: int = FONT_SIZE,
        weight: str = "",
        rotate: float | None = None,
    ) -> None:
        extra = f' font-weight="{weight}"' if weight else ""
        if rotate is not None:
            extra += f' transform="rotate({_n(rotate)} {_n(x)} {_n(y)})"'
        self.add(
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{TEXT}"{extra}>{escape(text)}</text>'
        )

    def lines_of_text(self, x: float, y: float, lines: list[str], *, anchor: str, size: int = FONT_SIZE) -> None:
        for n, line in enumerate(lines):
            self.text(x, y + n * (size + 3), line, anchor=anchor, size=size)

    def label_chip(self, x: float, y: float, text: str) -> None:
        """A value written on a patterned bar: black on a white chip, readable on any fill."""
        width = _text_width(text, SMALL_SIZE) + 6
        self.add(
            f'<rect x="{_n(x - width / 2)}" y="{_n(y - SMALL_SIZE + 1)}" width="{_n(width)}" '
            f'height="{SMALL_SIZE + 3}" rx="2" fill="{WHITE}"/>'
        )
        self.text(x, y, text, size=SMALL_SIZE)


def _n(number: float) -> str:
    """A coordinate, rounded so the markup stays short and the same on every machine."""
    rounded = round(number, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def _svg(*, chart_id: str, height: float, title: str, summary: str, defs: str, body: str) -> SafeString:
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="byp-chart__image" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%" font-family="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>'
        f"<defs>{defs}</defs>{body}</svg>"
    )
    # Safe: every text and attribute above was escaped or is made here from numbers.
    return mark_safe(markup)  # noqa: S308


def _legend(canvas: _Canvas, *, series, chart_id: str, y: float, lines: bool = False) -> float:
    """The series' names with their swatches, in rows across the top from ``y``; where it ends."""
    left, row_height = 2.0, 24
    x = left
    for index, each in enumerate(series):
        label_width = _text_width(each.name) + 34
        if x > left and x + label_width > WIDTH:
            x, y = left, y + row_height
        if lines:
            _line_swatch(canvas, x, y + 8, index)
        else:
            canvas.add(
                f'<rect x="{_n(x)}" y="{_n(y)}" width="16" height="16" fill="url(#{chart_id}-pattern-{index})" '
                f'stroke="{colour_of(index)}" stroke-width="1.5"/>'
            )
        canvas.text(x + 24, y + 13, each.name, anchor="start")
        x += label_width + 12
    return y + row_height


def _line_swatch(canvas: _Canvas, x: float, y: float, index: int) -> None:
    colour = colour_of(index)
    dash = DASHES[index % len(DASHES)]
    dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
    canvas.add(f'<path d="M{_n(x)},{_n(y)} h20" stroke="{colour}" stroke-width="2.5" fill="none"{dash_attribute}/>')
    canvas.add(_marker(x + 10, y, index, size=4))


def _marker(x: float, y: float, index: int, *, size: float = 5) -> str:
    colour = colour_of(index)
    shape = MARKERS[index % len(MARKERS)]
    outline = f'fill="{colour}" stroke="{WHITE}" stroke-width="1" class="byp-chart__point"'
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" {outline}/>'
    if shape == "square":
        return f'<rect x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(size * 2)}" height="{_n(size * 2)}" {outline}/>'
    if shape == "triangle":
        points = f"{_n(x)},{_n(y - size * 1.2)} {_n(x + size * 1.1)},{_n(y + size * 0.9)} {_n(x - size * 1.1)},{_n(y + size * 0.9)}"
        return f'<polygon points="{points}" {outline}/>'
    points = f"{_n(x)},{_n(y - size * 1.3)} {_n(x + size * 1.3)},{_n(y)} {_n(x)},{_n(y + size * 1.3)} {_n(x - size * 1.3)},{_n(y)}"
    return f'<polygon points="{points}" {outline}/>'


@dataclass
class _Scale:
    """Values to positions along the value axis."""

    low: float
    high: float
    start: float  # the position of ``low``
    end: float  # the position of ``high``

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def _value_range(categories: Sequence[str], series: Sequence[Series], stacked: bool) -> tuple[float, float]:
    """The lowest and highest the value axis must reach, zero always among them."""
    values = [0.0]
    for i in range(len(categories)):
        present = [v for s in series if (v := _number(s.values, i)) is not None]
        if stacked:
            values += [sum(v for v in present if v > 0), sum(v for v in present if v < 0)]
        else:
            values += present
    return min(values), max(values)


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    if not series:
        raise ValueError("A chart needs at least one series.")
    for each in series:
        if len(each.values) != len(categories):
            raise ValueError(f"Series {each.name!r} has {len(each.values)} values for {len(categories)} categories.")


def _segments(categories: Sequence[str], series: Sequence[Series], stacked: bool):
    """(category index, series index, value, from, to) for each bar, or each piece of a stack.
    None is a gap: nothing is drawn for it."""
    for i in range(len(categories)):
        above = below = 0.0
        for s, each in enumerate(series):
            value = _number(each.values, i)
            if value is None:
                continue
            if not stacked:
                yield i, s, value, 0.0, value
            elif value >= 0:
                yield i, s, value, above, above + value
                above += value
            else:
                yield i, s, value, below, below + value
                below += value


def _bar(canvas: _Canvas, *, x: float, y: float, width: float, height: float, chart_id: str, index: int) -> None:
    canvas.add(
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0.5))}" height="{_n(max(height, 0.5))}" '
        f'fill="url(#{chart_id}-pattern-{index})" stroke="{colour_of(index)}" stroke-width="1.5" '
        f'class="byp-chart__bar"/>'
    )


@dataclass(frozen=True)
class _Columns:
    """The layout of a chart with its categories across and its values up (vertical bars,
    lines): the value axis on the left, the category labels under the plot."""

    left: float
    right: float
    slot: float  # the width each category has
    plot_top: float
    plot_bottom: float
    scale: _Scale
    ticks: list[float]

    def middle(self, index: int) -> float:
        return self.left + self.slot * index + self.slot / 2


PLOT_HEIGHT = 260


def _columns(*, top: float, categories: Sequence[str], low: float, high: float, unit: str) -> _Columns:
    ticks = _ticks(low, high)
    left = 28 + max(_text_width(format_value(t, unit), SMALL_SIZE) for t in ticks) + 8
    right = 16
    slot = (WIDTH - left - right) / max(1, len(categories))
    plot_top = top + 18  # room for the value written over the tallest bar or point
    plot_bottom = plot_top + PLOT_HEIGHT
    scale = _Scale(ticks[0], ticks[-1], plot_bottom, plot_top)
    return _Columns(left, right, slot, plot_top, plot_bottom, scale, ticks)


def _draw_value_axis_up(canvas: _Canvas, layout: _Columns, *, unit: str, value_label: str) -> None:
    for tick in layout.ticks:
        y = layout.scale(tick)
        colour, dash = (AXIS, "") if tick == 0 else (GRID, ' stroke-dasharray="2 3"')
        canvas.add(
            f'<path d="M{_n(layout.left)},{_n(y)} H{_n(WIDTH - layout.right)}" stroke="{colour}" '
            f'stroke-width="1"{dash}/>'
        )
        canvas.text(layout.left - 6, y + 4, format_value(tick, unit), anchor="end", size=SMALL_SIZE)
    canvas.add(
        f'<path d="M{_n(layout.left)},{_n(layout.plot_top)} V{_n(layout.plot_bottom)}" stroke="{AXIS}" '
        'stroke-width="1"/>'
    )
    canvas.text(14, (layout.plot_top + layout.plot_bottom) / 2, value_label, rotate=-90, weight="bold")


def _draw_categories_below(
    canvas: _Canvas, layout: _Columns, *, categories: Sequence[str], category_label: str
) -> float:
    """The category labels under the plot, wrapped under each, or turned when each has too
    little room; the axis' name under them. The height of the whole chart."""
    longest = max((len(c) for c in categories), default=0)
    label_top = layout.plot_bottom + FONT_SIZE + 6
    if layout.slot < 56 and _text_width("x" * longest) > layout.slot - 4:
        shortened = [c if len(c) <= ROTATED_MAX else c[: ROTATED_MAX - 1] + "…" for c in categories]
        for i, label in enumerate(shortened):
            canvas.text(layout.middle(i), label_top - 4, label, anchor="end", rotate=-45)
        # A label turned by 45 degrees reaches down by its length over the square root of 2.
        label_height = _text_width("x" * min(ROTATED_MAX, longest)) * 0.71 + 6
    else:
        wrapped = [_wrap(c, layout.slot - 6) for c in categories]
        for i, lines in enumerate(wrapped):
            canvas.lines_of_text(layout.middle(i), label_top, lines, anchor="middle")
        label_height = max(len(lines) for lines in wrapped) * (FONT_SIZE + 3) + 6
    axis_title_y = label_top + label_height + 4
    canvas.text((layout.left + WIDTH - layout.right) / 2, axis_title_y, category_label, weight="bold")
    return axis_title_y + 10


ROTATED_MAX = 28  # characters of a turned label; the table has the whole of it


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[Series],
    value_label: str,
    category_label: str,
    unit: str = "",
    horizontal: bool = False,
    stacked: bool = False,
    summary: str = "",
    chart_id: str = "",
) -> Chart:
    """Bars, one per value (side by side for several series, or stacked), with the table.

    ``summary`` replaces the words made from the figures ("48 of 50 places filled on
    Tuesday..."); ``chart_id`` is needed only to show the same chart twice on one page."""
    # Plain text from here on (the callers' may be lazy translations): drawn, measured, hashed.
    title, value_label, category_label, unit = str(title), str(value_label), str(category_label), str(unit)
    categories = [str(c) for c in categories]
    series = [Series(str(s.name), list(s.values)) for s in series]
    _check(categories, series)
    chart_id = slugify(chart_id) or _chart_id("bar", title, categories, series, unit, horizontal, stacked)
    summary = summary or _summary(
        kind=_("Bar chart"),
        categories=categories,
        series=series,
        value_label=value_label,
        category_label=category_label,
        unit=unit,
        stacked=stacked,
    )
    canvas = _Canvas()
    top = _legend(canvas, series=series, chart_id=chart_id, y=4) + 8 if len(series) > 1 else 12
    draw = _horizontal_bars if horizontal else _vertical_bars
    height = draw(
        canvas,
        top=top,
        categories=categories,
        series=series,
        chart_id=chart_id,
        unit=unit,
        stacked=stacked,
        value_label=value_label,
        category_label=category_label,
    )
    defs = "".join(_pattern(f"{chart_id}-pattern-{i}", i) for i in range(len(series)))
    svg = _svg(chart_id=chart_id, height=height, title=title, summary=summary, defs=defs, body="".join(canvas.parts))
    table = _table(
        title=title, categories=categories, series=series, category_label=category_label, unit=unit, stacked=stacked
    )
    return Chart(title=title, svg=svg, table=table, summary=summary, chart_id=chart_id)


def _stack_totals(canvas: _Canvas, categories, series, unit: str, place) -> None:
    """A stack's total at its end, in bold, where ``place(index, end)`` says."""
    for i, total in enumerate(_totals(categories, series)):
        if total is not None:
            end = _value_range([categories[i]], [Series(s.name, [s.values[i]]) for s in series], True)[1]
            place(i, end, format_value(total, unit))


def _values_fit(series: Sequence[Series], unit: str, room: float) -> bool:
    return all(
        _text_width(format_value(v, unit), SMALL_SIZE) <= room for s in series for v in s.values if v is not None
    )


def _vertical_bars(
    canvas: _Canvas, *, top, categories, series, chart_id, unit, stacked, value_label, category_label
) -> float:
    low, high = _value_range(categories, series, stacked)
    layout = _columns(top=top, categories=categories, low=low, high=high, unit=unit)
    _draw_value_axis_up(canvas, layout, unit=unit, value_label=value_label)
    group = layout.slot * 0.72
    bar_width = group if stacked else group / len(series)
    # Every bar's value over it, or none: some written and others not would look like gaps.
    values_fit = _values_fit(series, unit, bar_width + 4)
    for i, s, value, start, end in _segments(categories, series, stacked):
        x = layout.left + layout.slot * i + (layout.slot - group) / 2 + (0 if stacked else s * bar_width)
        y_top, y_bottom = sorted((layout.scale(start), layout.scale(end)))
        _bar(canvas, x=x, y=y_top, width=bar_width, height=y_bottom - y_top, chart_id=chart_id, index=s)
        text = format_value(value, unit)
        fits_across = _text_width(text, SMALL_SIZE) <= bar_width + 4
        if not stacked and values_fit:
            # Over the bar (under it when below zero), black on white.
            y = y_top - 4 if value >= 0 else y_bottom + SMALL_SIZE + 2
            canvas.text(x + bar_width / 2, y, text, size=SMALL_SIZE)
        elif stacked and fits_across and y_bottom - y_top >= SMALL_SIZE + 6:
            canvas.label_chip(x + bar_width / 2, (y_top + y_bottom) / 2 + SMALL_SIZE / 2 - 1, text)
    if stacked and len(series) > 1:

        def over_the_stack(i: int, end: float, text: str) -> None:
            if _text_width(text, SMALL_SIZE) <= group + 4:
                canvas.text(layout.middle(i), layout.scale(end) - 4, text, size=SMALL_SIZE, weight="bold")

        _stack_totals(canvas, categories, series, unit, over_the_stack)
    return _draw_categories_below(canvas, layout, categories=categories, category_label=category_label)


def _horizontal_bars(
    canvas: _Canvas, *, top, categories, series, chart_id, unit, stacked, value_label, category_label
) -> float:
    ticks = _ticks(*_value_range(categories, series, stacked))
    # The category labels on the left, wrapped in at most 200 units; the values' room on the right.
    label_width = min(200.0, max(60.0, *(_text_width(c) for c in categories)))
    label_lines = [_wrap(c, label_width, max_lines=2) for c in categories]
    ends = [*ticks, *(_totals(categories, series) if stacked else (v for s in series for v in s.values))]
    left = 8 + label_width + 10
    right = 8 + max(_text_width(format_value(v, unit), SMALL_SIZE) for v in ends if v is not None) + 8
    plot_width = WIDTH - left - right
    bars_per_band = 1 if stacked else len(series)
    bar_height = 20 if bars_per_band == 1 else 16
    band = max(bars_per_band * bar_height + 14, max(len(lines) for lines in label_lines) * (FONT_SIZE + 3) + 10)
    plot_top = top + 4
    plot_bottom = plot_top + band * len(categories)
    scale = _Scale(ticks[0], ticks[-1], left, left + plot_width)

    for tick in ticks:
        x = scale(tick)
        colour, dash = (AXIS, "") if tick == 0 else (GRID, ' stroke-dasharray="2 3"')
        canvas.add(f'<path d="M{_n(x)},{_n(plot_top)} V{_n(plot_bottom)}" stroke="{colour}" stroke-width="1"{dash}/>')
        canvas.text(x, plot_bottom + SMALL_SIZE + 6, format_value(tick, unit), size=SMALL_SIZE)
    canvas.add(f'<path d="M{_n(left)},{_n(plot_bottom)} H{_n(left + plot_width)}" stroke="{AXIS}" stroke-width="1"/>')
    for i, lines in enumerate(label_lines):
        middle = plot_top + band * i + band / 2
        first = middle - (len(lines) - 1) * (FONT_SIZE + 3) / 2 + FONT_SIZE / 2 - 2
        canvas.lines_of_text(left - 10, first, lines, anchor="end")

    for i, s, value, start, end in _segments(categories, series, stacked):
        y = plot_top + band * i + (band - bars_per_band * bar_height) / 2 + (0 if stacked else s * bar_height)
        x_left, x_right = sorted((scale(start), scale(end)))
        _bar(canvas, x=x_left, y=y + 1, width=x_right - x_left, height=bar_height - 2, chart_id=chart_id, index=s)
        text = format_value(value, unit)
        text_y = y + bar_height / 2 + SMALL_SIZE / 2 - 1
        if not stacked:
            anchor, x = ("start", x_right + 4) if value >= 0 else ("end", x_left - 4)
            canvas.text(x, text_y, text, anchor=anchor, size=SMALL_SIZE)
        elif x_right - x_left >= _text_width(text, SMALL_SIZE) + 8:
            canvas.label_chip((x_left + x_right) / 2, text_y, text)
    if stacked and len(series) > 1:

        def after_the_stack(i: int, end: float, text: str) -> None:
            y = plot_top + band * i + band / 2 + SMALL_SIZE / 2 - 1
            canvas.text(scale(end) + 4, y, text, anchor="start", size=SMALL_SIZE, weight="bold")

        _stack_totals(canvas, categories, series, unit, after_the_stack)

    # The category axis is named by the table's first column and the description; the value
    # axis is named under its figures.
    axis_title_y = plot_bottom + SMALL_SIZE + 6 + FONT_SIZE + 10
    canvas.text(left + plot_width / 2, axis_title_y, value_label, weight="bold")
    canvas.text(left - 10, top + 2 if len(series) > 1 else 14, category_label, anchor="end", weight="bold")
    return axis_title_y + 10


def line_chart(
    *,
    title: str,
    categories: list[str],
    series: list[Series],
    value_label: str,
    category_label: str,
    unit: str = "",
    summary: str = "",
    chart_id: str = "",
) -> Chart:
    """A line per series across the categories (in their order: weeks, months), a marker on
    each value; a None value breaks the line."""
    # Plain text from here on (the callers' may be lazy translations): drawn, measured, hashed.
    title, value_label, category_label, unit = str(title), str(value_label), str(category_label), str(unit)
    categories = [str(c) for c in categories]
    series = [Series(str(s.name), list(s.values)) for s in series]
    _check(categories, series)
    chart_id = slugify(chart_id) or _chart_id("line", title, categories, series, unit)
    summary = summary or _summary(
        kind=_("Line chart"),
        categories=categories,
        series=series,
        value_label=value_label,
        category_label=category_label,
        unit=unit,
    )
    canvas = _Canvas()
    top = _legend(canvas, series=series, chart_id=chart_id, y=4, lines=True) + 8 if len(series) > 1 else 12
    low, high = _value_range(categories, series, False)
    layout = _columns(top=top, categories=categories, low=low, high=high, unit=unit)
    _draw_value_axis_up(canvas, layout, unit=unit, value_label=value_label)
    # The values written by the points of a single line, when each has room.
    values_shown = len(series) == 1 and _values_fit(series, unit, layout.slot - 4)
    for s, each in enumerate(series):
        points = [
            (layout.middle(i), layout.scale(v)) if (v := _number(each.values, i)) is not None else None
            for i in range(len(categories))
        ]
        _line(canvas, points, s)
        for i, point in enumerate(points):
            if point is None:
                continue
            canvas.add(_marker(*point, s))
            if values_shown:
                canvas.text(point[0], point[1] - 9, format_value(each.values[i], unit), size=SMALL_SIZE)
    height = _draw_categories_below(canvas, layout, categories=categories, category_label=category_label)
    svg = _svg(chart_id=chart_id, height=height, title=title, summary=summary, defs="", body="".join(canvas.parts))
    table = _table(title=title, categories=categories, series=series, category_label=category_label, unit=unit)
    return Chart(title=title, svg=svg, table=table, summary=summary, chart_id=chart_id)


def _line(canvas: _Canvas, points: list[tuple[float, float] | None], index: int) -> None:
    """The series' line through its points; a gap breaks it, each run of values its own path."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    dash = DASHES[index % len(DASHES)]
    dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
    for run in runs:
        if len(run) > 1:
            d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in run)
            canvas.add(
                f'<path d="{d}" fill="none" stroke="{colour_of(index)}" stroke-width="2.5" '
                f'stroke-linejoin="round"{dash_attribute}/>'
            )
