"""The dashboards through their URLs, as each role sees them: the network's roles every office
in full; an office's staff their own office in full and the others only where enough people
are behind a figure; bad filters answered with a message; files with their filters on top."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oae.network.models import OfficeStatus
from oae.testing.reports import clients_served

YEAR = timezone.localdate().year


def _served(office, advisor, count: int, minutes: int = 60) -> None:
    """`count` clients of the office, each with a case and a session this January."""
    day = datetime.datetime(YEAR, 1, 15, 10, tzinfo=timezone.get_current_timezone())
    clients_served(office, advisor, count, day, minutes)


@pytest.fixture
def activity(people, office_a, office_b):
    """Office A serves 6 clients in January, office B 3 (too few to show to other offices)."""
    for office in (office_a, office_b):
        office.status = OfficeStatus.OPEN
        office.save(update_fields=["status"])
    _served(office_a, people["advisor_a"], 6)
    _served(office_b, people["advisor_b"], 3)
    return {"a": office_a, "b": office_b}


JANUARY = {"kind": "month", "year": str(YEAR), "number": "1", "figure": "people_served"}


def _page(client, url, query=None) -> str:
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response.content.decode()


def _cells(page: str, office) -> str:
    """The table row of an office on the network page."""
    start = page.index(office.name)
    return page[start : page.index("</tr>", start)]


@pytest.mark.django_db
def test_the_coordinator_sees_every_office_in_full(client_for, activity):
    page = _page(client_for("coordinator"), reverse("reports:network"), JANUARY)
    assert ">6<" in _cells(page, activity["a"]) and ">3<" in _cells(page, activity["b"])
    assert "Per 10,000 inhabitants" in page and "Network median" in page


@pytest.mark.django_db
def test_an_office_sees_its_own_figure_in_full_and_not_another_built_on_few(client_for, activity):
    page = _page(client_for("advisor_a"), reverse("reports:network"), JANUARY)
    assert ">6<" in _cells(page, activity["a"])
    assert ">3<" not in _cells(page, activity["b"])  # 3 people: hidden from office A
    other = _page(client_for("advisor_b"), reverse("reports:network"), JANUARY)
    assert ">3<" in _cells(other, activity["b"])  # office B's own staff see it
    # The network's total (9) would give office B's 3 away next to A's 6: hidden too.
    assert "hidden where fewer than 5 people" in page
    network_line = page[page.index("The network in the period") :]
    served = network_line[network_line.index("People served") :]
    assert served[: served.index("</tr>")].count("hidden-figure") == 1
    coordinator = _page(client_for("coordinator"), reverse("reports:network"), JANUARY)
    served = coordinator[coordinator.index("The network in the period") :]
    served = served[served.index("People served") :]
    assert ">9<" in served[: served.index("</tr>")]


@pytest.mark.django_db
def test_a_period_without_data_says_so(client_for, activity):
    query = {"kind": "year", "year": str(YEAR - 5)}
    assert "No data for this period." in _page(
        client_for("coordinator"), reverse("reports:network"), query
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "quarter", "year": str(YEAR), "number": "7"}, "A quarter is 1, 2, 3 or 4."),
        ({"kind": "month", "year": str(YEAR)}, "Say which quarter"),
        ({"kind": "range", "start": f"{YEAR}-03-01", "end": f"{YEAR}-02-01"}, "after the last"),
        ({"kind": "year", "year": "1850"}, "greater than or equal to 2000"),
    ],
)
def test_a_bad_period_is_answered_with_a_message(client_for, activity, query, message):
    page = _page(client_for("manager_a"), reverse("reports:network"), query)
    assert message in page


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_comparison_downloads_with_its_filters_written_on_top(
    client_for, activity, file_format
):
    response = client_for("coordinator").get(
        reverse("reports:network"), JANUARY | {"format": file_format}
    )
    assert response.status_code == 200
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    assert rows[0][:2] == ["Figure", "People served"]
    assert rows[1][0] == "Period" and f"01/01/{YEAR}" in rows[1][1]
    header = rows.index(next(row for row in rows if row and row[0] == "Office"))
    body = {row[0]: row for row in rows[header + 1 :] if row and row[0]}
    assert body[activity["a"].name][2] == "6" and body[activity["b"].name][2] == "3"


@pytest.mark.django_db
def test_an_office_download_hides_what_its_screen_hides(client_for, activity):
    response = client_for("advisor_a").get(reverse("reports:network"), JANUARY | {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    body = {
        row[0]: row for row in rows if row and row[0] in (activity["a"].name, activity["b"].name)
    }
    assert body[activity["a"].name][2] == "6" and body[activity["b"].name][2] == ""


@pytest.mark.django_db
def test_the_office_page_compares_with_a_year_before_and_the_network(client_for, activity):
    page = _page(client_for("manager_a"), reverse("reports:office"), JANUARY)
    assert activity["a"].name in page and "A year before" in page
    assert "1 of 1" in page  # office B's figure rests on 3 people: not ranked for A's staff
    query = JANUARY | {"office": str(activity["a"].public_id)}
    assert "1 of 2" in _page(client_for("coordinator"), reverse("reports:office"), query)


@pytest.mark.django_db
def test_another_office_figures_page_is_not_found_for_office_staff(client_for, activity):
    url = reverse("reports:office")
    response = client_for("manager_a").get(url, {"office": str(activity["b"].public_id)})
    assert response.status_code == 404
    coordinator = _page(client_for("coordinator"), url, {"office": str(activity["b"].public_id)})
    assert f"Figures of {activity['b'].name}" in coordinator


@pytest.mark.django_db
def test_the_definitions_page_names_every_figure(client_for):
    page = _page(client_for("advisor_a"), reverse("reports:definitions"))
    assert "People served" in page and "Only outcomes verified with evidence" in page


@pytest.mark.django_db
def test_my_work_counts_only_the_advisors_own(client_for, activity):
    page = _page(client_for("advisor_a"), reverse("reports:mine"), JANUARY)
    served = page[page.index("People served") :]
    assert ">6<" in served[: served.index("</tr>")]  # office A's six clients, all hers
    other = _page(client_for("advisor_b"), reverse("reports:mine"), JANUARY)
    served = other[other.index("People served") :]
    assert ">3<" in served[: served.index("</tr>")]


@pytest.mark.django_db
def test_a_mean_is_compared_as_it_is_and_waiting_days_rank_the_shortest_first(people, activity):
    from oae.reports import selectors
    from oae.reports.kpis import BY_CODE
    from oae.reports.periods import month

    compared = selectors.comparison(people["coordinator"], month(YEAR, 1))
    row = next(row for row in compared.rows if row.office == activity["a"])
    assert row.per_inhabitants("satisfaction_mean") is None
    assert row.per_inhabitants("sessions") == 1.2  # 6 sessions, 50,000 inhabitants
    row.figures["waiting_days"] = selectors.Figure(1, 6)
    other = next(r for r in compared.rows if r.office == activity["b"])
    other.figures["waiting_days"] = selectors.Figure(9, 6)
    places = selectors.ranking(compared, "waiting_days")
    assert [place.row.office for place in places][:2] == [activity["a"], activity["b"]]
    assert BY_CODE["waiting_days"].lower_is_better
