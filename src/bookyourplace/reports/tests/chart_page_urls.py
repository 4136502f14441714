"""The site's pages and one more for the chart tests: two charts on a GOV.UK page, as a report
page shows them, for axe-core to check (the report pages themselves are the faces')."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from bookyourplace.reports.charts import Series, bar_chart, line_chart

PAGE = """{% extends "base.html" %}
{% block title %}Charts{% endblock %}
{% block content %}
<h1 class="govuk-heading-l">Charts</h1>
{% for chart in charts %}{% include "reports/_chart.html" with chart=chart %}{% endfor %}
{% endblock %}"""


def two_charts() -> list:
    return [
        bar_chart(
            title="Places filled by session",
            categories=["Monday", "Tuesday", "Wednesday", "Thursday: Understanding Prevent in early years settings"],
            series=[Series("Booked", [40, 48, None, 22]), Series("Places", [50, 50, 50, 30])],
            value_label="People",
            category_label="Session",
        ),
        line_chart(
            title="Confidence before and after",
            categories=["January", "February", "March"],
            series=[Series("Before", [2.1, None, 2.4]), Series("After", [3.9, 4.1, 4.2])],
            value_label="Average from 1 to 5",
            category_label="Month",
        ),
    ]


def chart_page(request):
    return HttpResponse(engines["django"].from_string(PAGE).render({"charts": two_charts()}, request))


urlpatterns = [
    path("charts-under-test/", chart_page),
    # By name, not imported: the site's pages include the faces, which reports may not import.
    path("", include("bookyourplace.urls")),
]
