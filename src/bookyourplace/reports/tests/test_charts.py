"""Charts drawn on the server: an image a screen reader can name and describe, bars and lines
told apart by pattern as well as colour, and the same figures in a table behind "Show data";
the same SVG in the report PDF."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from pypdf import PdfReader

from bookyourplace.core.testing.browser import DESKTOP, PHONE, assert_no_axe_violations, tab_to
from bookyourplace.reports.charts import COLOURS, Series, bar_chart, line_chart
from bookyourplace.reports.tests.chart_page_urls import two_charts

SVG = "{http://www.w3.org/2000/svg}"


def places_by_day(**options):
    return bar_chart(
        title="Places filled by session",
        categories=["Monday", "Tuesday", "Wednesday", "Thursday"],
        series=[Series("Booked", [40, 48, None, 22]), Series("Places", [50, 50, 50, 30])],
        value_label="People",
        category_label="Session",
        **options,
    )


def parsed(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def shapes(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if e.get("class") == css_class]


def texts(root: ET.Element) -> list[str]:
    return [e.text for e in root.iter(SVG + "text")]


def contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_a_chart_is_an_image_named_by_its_title_and_described_in_words():
    chart = places_by_day()
    root = parsed(chart)

    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    assert (title.get("id"), title.text) == (title_id, "Places filled by session")
    assert desc.get("id") == desc_id
    assert desc.text == (
        "Bar chart: People by session. Booked: highest Tuesday, 48; lowest Thursday, 22. "
        "Places: highest Monday, 50; lowest Thursday, 30."
    )
    assert chart.summary == desc.text


def test_the_words_may_be_the_callers_own():
    chart = places_by_day(summary="Tuesday was fullest: 48 of 50 places filled.")

    assert parsed(chart).find(SVG + "desc").text == "Tuesday was fullest: 48 of 50 places filled."


def test_a_single_series_is_described_by_its_highest_and_lowest():
    chart = bar_chart(
        title="Fill rate",
        categories=["Mon", "Tue", "Wed"],
        series=[Series("Filled", [80, 96.5, 80])],
        value_label="Places filled",
        category_label="Day",
        unit="%",
    )

    assert chart.summary == "Bar chart: Places filled by day. Highest Tue, 96.5%; lowest Mon, 80%."
    assert "96.5%" in texts(parsed(chart))


def test_each_value_is_one_bar_and_none_is_a_gap():
    root = parsed(places_by_day())

    # Eight values, one of them missing: seven bars.
    assert len(shapes(root, "rect", "byp-chart__bar")) == 7


@pytest.mark.parametrize("options", [{"stacked": True}, {"horizontal": True}, {"horizontal": True, "stacked": True}])
def test_stacked_and_horizontal_bars_are_one_per_value_too(options):
    assert len(shapes(parsed(places_by_day(**options)), "rect", "byp-chart__bar")) == 7


def test_a_category_without_any_data_is_said_to_have_none():
    chart = bar_chart(
        title="Satisfaction",
        categories=["Monday", "Tuesday"],
        series=[Series("Average", [4.2, None])],
        value_label="Average from 1 to 5",
        category_label="Session",
    )

    assert "No data for Tuesday." in chart.summary
    assert chart.table.shown_rows() == [("Monday", ["4.2"]), ("Tuesday", ["No data"])]
    assert len(shapes(parsed(chart), "rect", "byp-chart__bar")) == 1


def test_a_small_number_given_as_fewer_than_5_is_not_drawn_and_the_table_says_so():
    chart = bar_chart(
        title="People trained by school",
        categories=["Radford Fields Academy", "Wyken Vale School", "Binley Meadow Primary School"],
        series=[Series("People", [12, "fewer than 5", 0])],
        value_label="People",
        category_label="School",
    )

    assert len(shapes(parsed(chart), "rect", "byp-chart__bar")) == 2
    assert chart.table.shown_rows()[1] == ("Wyken Vale School", ["fewer than 5"])
    assert "No data" not in chart.summary
    assert "fewer than 5" not in texts(parsed(chart))


def test_each_series_has_a_pattern_of_its_own_on_its_bars_and_in_the_legend():
    chart = bar_chart(
        title="Attendance by sector",
        categories=["Schools", "Health"],
        series=[Series(name, [3, 4]) for name in ("Attended", "Partly attended", "No-show", "Cancelled")],
        value_label="People",
        category_label="Sector",
        stacked=True,
    )
    root = parsed(chart)

    patterns = {p.get("id"): p for p in root.iter(SVG + "pattern")}
    assert len(patterns) == 4
    # Told apart without colour: each pattern is drawn differently (solid, lines, dots, hatch).
    drawings = {
        re.sub(r'fill="#\w+"|stroke="#\w+"', "", ET.tostring(p, encoding="unicode").split(">", 1)[1])
        for p in patterns.values()
    }
    assert len(drawings) == 4
    fills = [e.get("fill") for e in root.iter(SVG + "rect") if (e.get("fill") or "").startswith("url(#")]
    assert {fill[5:-1] for fill in fills} == set(patterns)
    # Each pattern on its two bars and its legend swatch.
    assert sorted(fills.count(f"url(#{pattern_id})") for pattern_id in patterns) == [3, 3, 3, 3]
    assert {"Attended", "Partly attended", "No-show", "Cancelled"} <= set(texts(root))


def test_the_outlines_of_bars_and_lines_stand_out_from_white():
    root = parsed(places_by_day())

    outlines = {e.get("stroke") for e in shapes(root, "rect", "byp-chart__bar")}
    assert outlines == {COLOURS[0], COLOURS[1]}
    assert all(contrast_with_white(colour) >= 3 for colour in COLOURS), [
        (c, round(contrast_with_white(c), 2)) for c in COLOURS
    ]


def test_the_value_axis_has_round_ticks_and_both_axes_are_named():
    root = parsed(places_by_day())

    words = texts(root)
    assert [w for w in words if w in {"0", "10", "20", "30", "40", "50", "60"}][:6] == [
        "0",
        "10",
        "20",
        "30",
        "40",
        "50",
    ]
    assert {"People", "Session", "Monday", "Tuesday", "Wednesday", "Thursday"} <= set(words)


def test_values_are_written_on_the_bars_when_there_is_room():
    words = texts(parsed(places_by_day()))

    assert words.count("48") == 1 and words.count("22") == 1


def test_a_long_category_name_is_wrapped_and_the_table_keeps_it_whole():
    long_name = "Understanding Prevent in early years and childcare settings"
    chart = bar_chart(
        title="Bookings",
        categories=["Monday", long_name],
        series=[Series("Booked", [5, 7])],
        value_label="People",
        category_label="Session",
    )
    words = texts(parsed(chart))

    assert long_name not in words
    lines = [w for w in words if w and w.split()[0] in long_name and w not in {"Monday"}]
    assert len(lines) >= 2 and " ".join(lines).replace("…", "").split()[:3] == long_name.split()[:3]
    assert chart.table.rows[1][0] == long_name


def test_many_categories_have_their_names_turned():
    categories = [f"Organisation number {n}" for n in range(20)]
    chart = bar_chart(
        title="People by organisation",
        categories=categories,
        series=[Series("People", list(range(20)))],
        value_label="People",
        category_label="Organisation",
    )
    turned = [e for e in parsed(chart).iter(SVG + "text") if "rotate(-45" in (e.get("transform") or "")]

    assert [e.text for e in turned] == categories


def test_every_text_is_escaped():
    chart = bar_chart(
        title="Bookings <b>by</b> school",
        categories=["<script>alert(1)</script>", "St Mary & St John's"],
        series=[Series('Booked "now"', [3, 4])],
        value_label="People",
        category_label="School",
    )

    assert "<script>" not in chart.svg and "<b>" not in chart.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart.svg
    root = parsed(chart)  # still well-formed
    assert {"<script>alert(1)</script>", "St Mary & St John's"} <= set(texts(root))
    assert root.find(SVG + "title").text == "Bookings <b>by</b> school"


def test_negative_values_go_below_zero():
    chart = bar_chart(
        title="Confidence uplift",
        categories=["A", "B"],
        series=[Series("Uplift", [1.5, -0.5])],
        value_label="Points",
        category_label="Session",
    )
    root = parsed(chart)
    bars = shapes(root, "rect", "byp-chart__bar")
    zero = next(e for e in root.iter(SVG + "text") if e.text == "0")

    zero_y = float(zero.get("y")) - 4
    assert float(bars[0].get("y")) + float(bars[0].get("height")) == pytest.approx(zero_y, abs=0.2)
    assert float(bars[1].get("y")) == pytest.approx(zero_y, abs=0.2)
    assert "-0.5" in texts(root)


def test_the_same_figures_draw_the_same_chart_and_other_figures_other_ids():
    first, again = places_by_day(), places_by_day()
    other = places_by_day(stacked=True)

    assert first.svg == again.svg
    assert first.chart_id != other.chart_id
    assert places_by_day(chart_id="second copy").chart_id == "second-copy"


def test_translated_words_draw_the_same_chart_every_time():
    def chart():
        return bar_chart(
            title=gettext_lazy("Places filled by session"),
            categories=[gettext_lazy("Monday")],
            series=[Series(gettext_lazy("Booked"), [40])],
            value_label=gettext_lazy("People"),
            category_label=gettext_lazy("Session"),
        )

    assert chart().svg == chart().svg
    assert chart().table.headers == ["Session", "Booked"]


def test_a_line_has_a_marker_per_value_and_breaks_at_a_gap():
    chart = line_chart(
        title="Confidence",
        categories=["Jan", "Feb", "Mar", "Apr", "May"],
        series=[Series("Before", [2.1, 2.3, None, 2.0, 2.2]), Series("After", [3.9, 4.1, 4.0, 4.2, 4.4])],
        value_label="Average from 1 to 5",
        category_label="Month",
    )
    root = parsed(chart)

    markers = [e for e in root.iter() if e.get("class") == "byp-chart__point"]
    # Nine values, and a marker beside each name in the legend.
    assert len(markers) == 9 + 2
    lines = [e for e in root.iter(SVG + "path") if e.get("stroke-width") == "2.5" and "h20" not in e.get("d")]
    # "Before" in two pieces around its gap, "After" in one; dashed differently.
    assert sorted(e.get("d").count("L") + 1 for e in lines) == [2, 2, 5]
    assert {e.get("stroke-dasharray") for e in lines} == {None, "8 4"}
    assert "Before: highest Feb, 2.3; lowest Apr, 2." in chart.summary


def test_the_table_has_the_same_figures():
    chart = places_by_day(stacked=True)

    assert chart.table.caption == "Places filled by session"
    assert chart.table.headers == ["Session", "Booked", "Places", "Total"]
    assert chart.table.rows == [
        ["Monday", 40, 50, 90],
        ["Tuesday", 48, 50, 98],
        ["Wednesday", None, 50, 50],
        ["Thursday", 22, 30, 52],
    ]
    assert chart.table.shown_rows()[2] == ("Wednesday", ["No data", "50", "50"])


def test_the_chart_shows_with_its_data_behind_show_data():
    html = render_to_string("reports/_chart.html", {"chart": places_by_day()})

    assert re.search(r"<figure [^>]*>\s*<figcaption[^>]*>Places filled by session</figcaption>\s*<svg ", html)
    assert 'Show data<span class="govuk-visually-hidden">: Places filled by session</span>' in html
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Places filled by session</caption>' in html
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>(.*?)</tr>', html, flags=re.S)
    cells = [(name, re.findall(r'govuk-table__cell--numeric">(.*?)</td>', rest)) for name, rest in rows]
    assert cells == [
        ("Monday", ["40", "50"]),
        ("Tuesday", ["48", "50"]),
        ("Wednesday", ["No data", "50"]),
        ("Thursday", ["22", "30"]),
    ]


def test_the_charts_print_in_a_pdf():
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    body = "".join(render_to_string("reports/_chart.html", {"chart": chart}) for chart in two_charts())
    html = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Report</title></head><body>{body}</body></html>'

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()

    assert pdf.startswith(b"%PDF")
    # The bars are filled with their patterns, and the chart's words are on the page.
    assert b"/PatternType" in pdf
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("Places filled by session", "Tuesday", "People", "Confidence before and after", "February"):
        assert words in text


@pytest.mark.browser
@pytest.mark.urls("bookyourplace.reports.tests.chart_page_urls")
def test_a_page_with_two_charts_has_no_axe_violations_and_shows_data_by_keyboard(live_server, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/charts-under-test/")

    assert page.locator("svg[role=img]").count() == 2
    assert_no_axe_violations(page)
    tab_to(page, "Show data")
    page.keyboard.press("Enter")
    table = page.locator("details[open] table")
    assert table.locator("caption").inner_text() == "Places filled by session"
    assert "No data" in table.inner_text()
    assert_no_axe_violations(page)
    # On a phone the charts shrink to the screen and the table scrolls on its own (WCAG 1.4.10).
    page.set_viewport_size(PHONE)
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
