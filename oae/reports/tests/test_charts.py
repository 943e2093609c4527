"""The dashboards' charts: their numbers written by `json_script` for js/charts.js (hidden
figures as null, never zero), a text alternative on each canvas, no inline script (the CSP
allows only 'self'), Chart.js served locally, and the monthly series with its download."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oae.network.models import OfficeStatus
from oae.reports import selectors
from oae.testing.reports import clients_served

TODAY = timezone.localdate()
YEAR = TODAY.year
JANUARY = {"kind": "month", "year": str(YEAR), "number": "1", "figure": "people_served"}
PACKAGE = Path(__file__).resolve().parents[3] / "package.json"


def _served(office, advisor, count: int, when: datetime.datetime) -> None:
    """`count` clients of the office, each with a case and a one-hour session `when`."""
    clients_served(office, advisor, count, when)


def _at(year: int, month: int) -> datetime.datetime:
    return datetime.datetime(year, month, 15, 10, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def activity(people, office_a, office_b):
    """Office A serves 6 clients this January and 2 the March before; office B 3 this January
    (too few to show to another office). Both municipalities have 50,000 inhabitants."""
    for office in (office_a, office_b):
        office.status = OfficeStatus.OPEN
        office.save(update_fields=["status"])
    _served(office_a, people["advisor_a"], 6, _at(YEAR, 1))
    _served(office_a, people["advisor_a"], 2, _at(YEAR - 1, 3))
    _served(office_b, people["advisor_b"], 3, _at(YEAR, 1))
    return {"a": office_a, "b": office_b}


def _page(client, url, query=None) -> str:
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response.content.decode()


def _chart_data(page: str, chart_id: str) -> dict:
    """What `json_script` wrote for the canvas `data-chart="chart_id"`."""
    assert f'data-chart="{chart_id}"' in page
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', page)
    assert found, f"no json_script block {chart_id}"
    return json.loads(found.group(1))


def _canvas(page: str, chart_id: str) -> str:
    found = re.search(rf'<canvas data-chart="{chart_id}"[^>]*>', page)
    assert found
    return found.group(0)


def _inline_scripts(page: str) -> list[str]:
    """Script tags that would run inline: neither a file (`src`) nor JSON data."""
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", page)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]


def _by_label(data: dict, series: int = 0) -> dict:
    return dict(zip(data["labels"], data["series"][series]["values"], strict=True))


@pytest.mark.django_db
def test_the_network_chart_draws_each_office_per_10000_inhabitants_and_the_median(
    client_for, activity
):
    page = _page(client_for("coordinator"), reverse("reports:network"), JANUARY)
    data = _chart_data(page, "comparison-chart")
    assert data["type"] == "bar"
    # 6 and 3 people in 50,000 inhabitants each, from the highest to the lowest.
    assert _by_label(data) == {"OAE Alfa": 1.2, "OAE Beta": 0.6}
    assert data["labels"] == ["OAE Alfa", "OAE Beta"]
    assert data["series"][1]["values"] == [0.9, 0.9] and data["series"][1]["reference"]
    canvas = _canvas(page, "comparison-chart")
    assert 'role="img"' in canvas
    assert "People served per 10,000 inhabitants" in canvas and "median (0.9)" in canvas
    assert "Highest: OAE Alfa (1.2); lowest: OAE Beta (0.6)" in canvas
    assert "Not in the chart" not in page


@pytest.mark.django_db
def test_a_hidden_figure_goes_to_the_chart_as_null_and_the_page_says_it_is_left_out(
    client_for, activity
):
    page = _page(client_for("advisor_a"), reverse("reports:network"), JANUARY)
    data = _chart_data(page, "comparison-chart")
    # Office B rests on 3 people: hidden from office A's staff, null (never 0) in the chart.
    assert _by_label(data) == {"OAE Alfa (yours)": 1.2, "OAE Beta": None}
    assert data["series"][1]["values"] == [1.2, 1.2]  # the median of what A may see
    assert "0.6" not in json.dumps(data)
    assert re.search(r"Not in the chart \([^)]*fewer than 5 people[^)]*\): OAE Beta\.", page)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reports:network", "reports:office"])
def test_chart_pages_load_chart_js_from_this_site_and_run_no_inline_script(
    client_for, activity, name
):
    page = _page(client_for("coordinator"), reverse(name), JANUARY)
    assert '<script src="/static/vendor/chart.umd.min.js" defer></script>' in page
    assert '<script src="/static/js/charts.js" defer></script>' in page
    assert page.index("chart.umd.min.js") < page.index("js/charts.js")  # Chart first
    assert _inline_scripts(page) == []
    assert "<script" in page and "cdn" not in page.lower()


@pytest.mark.django_db
def test_pages_without_a_chart_do_not_load_chart_js(client_for, activity):
    empty = _page(
        client_for("coordinator"), reverse("reports:network"), {"kind": "year", "year": "2001"}
    )
    definitions = _page(client_for("coordinator"), reverse("reports:definitions"))
    for page in (empty, definitions):
        assert "chart.umd.min.js" not in page and "data-chart=" not in page


@pytest.mark.django_db
def test_the_office_page_draws_a_figure_month_by_month_against_the_year_before(
    client_for, activity
):
    page = _page(client_for("manager_a"), reverse("reports:office"), JANUARY)
    data = _chart_data(page, "monthly-chart")
    assert data["type"] == "line" and data["labels"][0] == "Jan" and len(data["labels"]) == 12
    this_year, year_before = data["series"]
    assert (this_year["label"], year_before["label"]) == (str(YEAR), str(YEAR - 1))
    to_come = [month > TODAY.month for month in range(1, 13)]
    # Months still to come are null (a gap), never a zero; past months without sessions are 0.
    assert this_year["values"] == [
        None if later else (6 if month == 1 else 0)
        for month, later in zip(range(1, 13), to_come, strict=True)
    ]
    assert year_before["values"] == [2 if month == 3 else 0 for month in range(1, 13)]
    canvas = _canvas(page, "monthly-chart")
    assert 'role="img"' in canvas
    assert f"People served of OAE Alfa, month by month, {YEAR} against {YEAR - 1}" in canvas
    assert f"Highest month of {YEAR}: January (6)" in canvas
    assert f"Highest month of {YEAR - 1}: March (2)" in canvas
    # The table alternative gives the same numbers.
    table = page[page.index("Month by month") :]
    assert re.search(r'<th scope="row">January</th>\s*<td class="num">6</td>', table)
    assert re.search(
        r'<th scope="row">March</th>\s*<td class="num">\d</td>\s*<td class="num">2<', table
    )
    if any(to_come):
        assert "Months still to come" in page and "never drawn as zero" in page


@pytest.mark.django_db
def test_the_monthly_figure_is_chosen_and_kept_by_every_form(client_for, activity):
    query = JANUARY | {"figure": "advice_hours"}
    page = _page(client_for("manager_a"), reverse("reports:office"), query)
    data = _chart_data(page, "monthly-chart")
    assert data["series"][0]["values"][0] == 6.0 and data["series"][1]["values"][2] == 2.0
    assert "Month by month: Hours of advice" in page
    assert page.count('<input type="hidden" name="figure" value="advice_hours">') == 1  # period
    assert '<option value="advice_hours" selected>' in page
    # A mean with no answers is no data: null, not 0.
    mean = _chart_data(
        _page(client_for("manager_a"), reverse("reports:office"), {"figure": "satisfaction_mean"}),
        "monthly-chart",
    )
    assert set(mean["series"][0]["values"]) == {None}
    # Nothing to name as the highest month when no month has a figure above zero.
    empty = _page(client_for("manager_a"), reverse("reports:office"), {"figure": "financing"})
    assert "Highest month" not in _canvas(empty, "monthly-chart")


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_monthly_series_downloads_with_the_office_figure_and_period_on_top(
    client_for, activity, file_format
):
    response = client_for("manager_a").get(
        reverse("reports:office"), JANUARY | {"format": file_format}
    )
    assert response.status_code == 200
    assert f"by-month.{file_format}" in response["Content-Disposition"]
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    assert rows[0][:2] == ["Office", "OAE Alfa"]
    assert rows[1][:2] == ["Figure", "People served"]
    assert rows[2][:2] == ["Period", f"01/01/{YEAR - 1} to 31/12/{YEAR}"]
    header = next(i for i, row in enumerate(rows) if row[:3] == ["Month", str(YEAR), str(YEAR - 1)])
    body = {row[0]: row for row in rows[header + 1 :]}
    assert body["January"][1] == "6" and body["March"][2] == "2"
    assert len(body) == 12
    if TODAY.month < 12:
        assert body["December"][1] == ""  # to come: empty, not 0


@pytest.mark.django_db
def test_another_office_monthly_download_is_not_found_for_office_staff(client_for, activity):
    query = {"office": str(activity["b"].public_id), "format": "csv"}
    assert client_for("manager_a").get(reverse("reports:office"), query).status_code == 404
    # The network's roles see every office in full: office B's 3 people are shown.
    response = client_for("coordinator").get(reverse("reports:office"), JANUARY | query)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Office", "OAE Beta"]
    assert next(row for row in rows if row and row[0] == "January")[1] == "3"


@pytest.mark.django_db
def test_the_monthly_series_is_only_for_an_office_seen_in_full(people, activity):
    with pytest.raises(PermissionDenied):
        selectors.monthly_series(people["advisor_a"], activity["b"], "people_served", YEAR)
    series = selectors.monthly_series(
        people["coordinator"], activity["b"], "people_served", YEAR, today=datetime.date(YEAR, 2, 1)
    )
    assert series.this_year[:3] == [3, 0, None]


def test_chart_js_is_served_locally_at_the_version_package_json_pins():
    pinned = json.loads(PACKAGE.read_text(encoding="utf-8"))["dependencies"]["chart.js"]
    vendored = finders.find("vendor/chart.umd.min.js")
    assert vendored, "make assets copies Chart.js into oae/common/static/vendor"
    assert f"Chart.js v{pinned}" in Path(vendored).read_text(encoding="utf-8")[:200]
    script = Path(finders.find("js/charts.js")).read_text(encoding="utf-8")
    assert "prefers-reduced-motion" in script and "animation = false" in script
    assert 'getAttribute("data-chart")' in script
