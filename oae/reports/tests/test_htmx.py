"""The dashboards' filters through htmx: a request htmx sends gets the results alone, swapped
into the page with the filters kept in the address; the same address without htmx (or htmx
going back to a page it no longer keeps) gets the whole page; caches are told the two differ;
a bad filter is answered with the form's message either way. Last, in Chromium: the results
and their charts are redrawn in place, and the back button brings the earlier ones back."""

import datetime
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from oae.network.models import OfficeStatus
from oae.testing.reports import clients_served

YEAR = timezone.localdate().year
JANUARY = {"kind": "month", "year": str(YEAR), "number": "1", "figure": "people_served"}
HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY_RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
UPDATE_ONLY = r'<title>.*?</title>\n|<p id="report-status" hx-swap-oob="innerHTML">.*?</p>'

# Each dashboard, a persona who may see it, and a piece of its results' table.
DASHBOARDS = [
    ("reports:network", "coordinator", "Offices compared: People served"),
    ("reports:office", "manager_a", "A year before"),
    ("reports:mine", "advisor_a", "This period"),
]


@pytest.fixture
def activity(people, office_a, office_b):
    """Office A serves 6 clients this January, office B 3, both open."""
    january = datetime.datetime(YEAR, 1, 15, 10, tzinfo=timezone.get_current_timezone())
    for office in (office_a, office_b):
        office.status = OfficeStatus.OPEN
        office.save(update_fields=["status"])
    clients_served(office_a, people["advisor_a"], 6, january)
    clients_served(office_b, people["advisor_b"], 3, january)
    return {"a": office_a, "b": office_b}


def _get(client, name, query, headers=None):
    response = client.get(reverse(name), query, **(headers or {}))
    assert response.status_code == 200
    return response


def _varies(response) -> set[str]:
    return {header.strip().lower() for header in response.get("Vary", "").split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona", "results"), DASHBOARDS)
def test_htmx_gets_the_results_alone_and_a_plain_request_the_whole_page(
    client_for, activity, name, persona, results
):
    client = client_for(persona)
    update = _get(client, name, JANUARY, HTMX)
    partial = update.content.decode()
    assert (
        "<html" not in partial and "<body" not in partial and "Skip to main content" not in partial
    )
    assert results in partial and "<table>" in partial
    assert 'id="report"' not in partial  # the region swapped into, which stays in the page
    assert "<script src=" not in partial  # the page loaded the scripts once
    page = _get(client, name, JANUARY).content.decode()
    assert page.startswith("<!DOCTYPE html>") and "Skip to main content" in page
    assert results in page
    # One template for both: the page's region holds the partial, markup for markup, but for
    # what only an update carries (the status line, an office's title).
    region = page[page.index('<div id="report"') : page.index("</main>")]
    assert re.sub(UPDATE_ONLY, "", partial, flags=re.S).strip() in region
    for response in (update, _get(client, name, JANUARY)):
        assert {"hx-request", "hx-history-restore-request"} <= _varies(response)
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona", "results"), DASHBOARDS)
def test_going_back_to_a_page_htmx_no_longer_keeps_gets_the_whole_page(
    client_for, activity, name, persona, results
):
    page = _get(client_for(persona), name, JANUARY, HISTORY_RESTORE).content.decode()
    assert page.startswith("<!DOCTYPE html>") and results in page
    assert "hx-swap-oob" not in page and page.count("<title>") == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona", "_results"), DASHBOARDS)
def test_every_filter_form_updates_the_results_in_place_and_keeps_the_filters_in_the_address(
    client_for, activity, name, persona, _results
):
    path = reverse(name)
    page = _get(client_for(persona), name, JANUARY).content.decode()
    region = re.search(r'<div id="report"[^>]*>', page).group(0)
    assert 'hx-target="this"' in region and 'hx-push-url="true"' in region
    assert 'hx-indicator="#report-loading, #report"' in region
    # A visible loading line, and a status line screen readers hear after each update.
    assert re.search(r'<p id="report-loading" class="[^"]*htmx-indicator[^"]*">Loading', page)
    assert '<p id="report-status" class="visually-hidden" role="status"></p>' in page
    forms = re.findall(r"<form method=\"get\"[^>]*>.*?</form>", page, flags=re.S)
    assert forms and all(f'hx-get="{path}"' in form for form in forms)
    # Each keeps its button for keyboards and for browsers without JavaScript.
    assert all('<button type="submit"' in form for form in forms)
    period = next(form for form in forms if 'id="id_kind"' in form)
    assert "hx-trigger" not in period  # its fields go together: sent by its button only
    one_choice = [form for form in forms if form != period]
    assert all('hx-trigger="change, submit"' in form for form in one_choice)
    if name != "reports:mine":
        assert one_choice  # a figure (and, for the network's roles, an office) to pick


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "persona", "_results"), DASHBOARDS)
def test_an_update_tells_screen_readers_the_period_now_shown(
    client_for, activity, name, persona, _results
):
    partial = _get(client_for(persona), name, JANUARY, HTMX).content.decode()
    status = re.search(r'<p id="report-status" hx-swap-oob="innerHTML">(.*?)</p>', partial)
    assert status and status.group(1) == f"Figures updated: from 01/01/{YEAR} to 31/01/{YEAR}."
    page = _get(client_for(persona), name, JANUARY).content.decode()
    assert "hx-swap-oob" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
@pytest.mark.parametrize(("name", "persona", "_results"), DASHBOARDS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "quarter", "year": str(YEAR), "number": "7"}, "A quarter is 1, 2, 3 or 4."),
        ({"kind": "range", "start": f"{YEAR}-03-01", "end": f"{YEAR}-02-01"}, "after the last"),
        ({"kind": "year", "year": "1850"}, "greater than or equal to 2000"),
        ({"kind": "month", "year": "soon"}, "Enter a whole number."),
    ],
)
def test_a_bad_period_gets_the_form_message_with_or_without_htmx(
    client_for, activity, headers, name, persona, _results, query, message
):
    response = _get(client_for(persona), name, query, headers)
    content = response.content.decode()
    assert message in content
    # The summary htmx focuses (autofocus) as forms.js does on a page load.
    assert re.search(r'<div class="error-summary" role="alert"[^>]*autofocus', content)
    assert "hx-request" in _varies(response)


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_figure_no_form_offers_is_a_400_naming_it_with_or_without_htmx(
    client_for, activity, headers
):
    response = client_for("coordinator").get(
        reverse("reports:network"), JANUARY | {"figure": "salaries"}, **headers
    )
    assert response.status_code == 400 and "figure" in response.content.decode()


@pytest.mark.django_db
def test_another_office_chosen_through_htmx_brings_its_title_and_keeps_the_filters(
    client_for, activity
):
    query = JANUARY | {"office": str(activity["b"].public_id), "figure": "sessions"}
    partial = _get(client_for("coordinator"), "reports:office", query, HTMX).content.decode()
    # htmx puts a title at the top of the response in the document's.
    assert partial.lstrip().startswith("<title>Figures of OAE Beta · Xarxa OAE</title>")
    assert "<h1>Figures of OAE Beta</h1>" in partial
    office = f'<input type="hidden" name="office" value="{activity["b"].public_id}">'
    assert office in partial  # kept by the period form and the monthly figure's
    assert '<input type="hidden" name="figure" value="sessions">' in partial
    assert '<input type="hidden" name="number" value="1">' in partial
    assert (
        _get(client_for("coordinator"), "reports:office", query).content.decode().count("<title>")
        == 1
    )
    # An office's staff still cannot look at another office through htmx.
    refused = client_for("manager_a").get(reverse("reports:office"), query, **HTMX)
    assert refused.status_code == 404


@pytest.mark.django_db
def test_an_update_brings_its_charts_data_and_the_file_that_draws_them(client_for, activity):
    partial = _get(client_for("coordinator"), "reports:network", JANUARY, HTMX).content.decode()
    assert '<script id="comparison-chart" type="application/json">' in partial
    canvas = re.search(r'<canvas data-chart="comparison-chart"[^>]*>', partial).group(0)
    # A page that opened on a period without data has not loaded Chart.js: charts.js loads it.
    assert 'data-chart-library="/static/vendor/chart.umd.min.js"' in canvas
    empty = _get(client_for("coordinator"), "reports:network", {"kind": "year", "year": "2001"})
    empty = empty.content.decode()
    assert '<script src="/static/js/charts.js" defer></script>' in empty
    assert "chart.umd.min.js" not in empty
    # No script runs inline (CSP): only JSON and files.
    tags = re.findall(r"<script\b[^>]*>", partial)
    assert tags and all('type="application/json"' in tag for tag in tags)


# In the browser ---------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def browser_page(transactional_db):
    from playwright.sync_api import sync_playwright

    from oae.common.tests.test_browser import CHROMIUM_ARGS

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # fixtures' ORM calls beside Playwright's loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-GB")  # the app's own CSP stays on
        page = context.new_page()
        page.set_default_timeout(10_000)  # a redraw that does not come fails soon
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                page.js_errors.append(message.text) if message.type == "error" else None
            ),
        )
        yield page
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


CHARTS = "Object.keys(Chart.instances).length"
DRAWN = "[...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_filters_redraw_results_and_charts_in_place_and_back_brings_the_earlier(
    browser_page, live_server, people, activity
):
    from oae.common.tests.test_browser import sign_in

    page = browser_page
    manager = people["manager_a"]
    manager.language = "en"  # the messages below in English
    manager.save(update_fields=["language"])
    sign_in(page, live_server, manager.email)
    page.goto(f"{live_server.url}{reverse('reports:office')}?kind=month&year={YEAR}&number=1")
    page.wait_for_function(f"() => window.Chart && {CHARTS} === 1 && {DRAWN}")
    page.evaluate("window.notReloaded = true")

    # A figure chosen: the monthly chart is redrawn, the old one destroyed, the address kept.
    page.focus("#figure")
    page.select_option("#figure", "advice_hours")
    page.wait_for_function("() => location.search.includes('figure=advice_hours')")
    page.wait_for_function(
        "() => document.querySelector('#monthly-title').textContent.includes('Hours of advice')"
    )
    page.wait_for_function(f"() => {CHARTS} === 1 && {DRAWN}")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == "figure"  # the focus stays
    status = page.locator("#report-status")
    assert status.text_content() == f"Figures updated: from 01/01/{YEAR} to 31/01/{YEAR}."
    assert page.locator("#report-loading").is_hidden()

    # A bad period: the summary comes with the focus; the figure chosen is kept.
    page.select_option("#id_kind", "year")
    page.fill("#id_year", "1850")
    page.click("#period-show")
    page.wait_for_function("() => document.activeElement.matches('[data-error-summary]')")
    assert "greater than or equal to 2000" in page.locator("[data-error-summary]").text_content()
    page.locator("[data-error-summary] a").first.click()  # to the field, focused (forms.js)
    assert page.evaluate("document.activeElement.id") == "id_year"
    assert "figure=advice_hours" in page.url and "year=1850" in page.url

    # Back twice: the earlier results and their chart, still without a page load.
    page.go_back()
    page.wait_for_function("() => !document.querySelector('[data-error-summary]')")
    page.go_back()
    page.wait_for_function(
        "() => document.querySelector('#monthly-title').textContent.includes('People served')"
    )
    page.wait_for_function(f"() => {CHARTS} === 1 && {DRAWN}")
    assert page.evaluate("window.notReloaded") is True

    # The network's page opened on a year without data loads Chart.js when a chart comes.
    page.goto(f"{live_server.url}{reverse('reports:network')}?kind=year&year=2001")
    assert page.evaluate("typeof window.Chart") == "undefined"
    page.fill("#id_year", str(YEAR))
    page.press("#id_year", "Enter")
    page.wait_for_function(f"() => window.Chart && {CHARTS} === 1 && {DRAWN}")
    assert page.evaluate("document.title") == "Network figures · Xarxa OAE"
    assert page.js_errors == []
