"""How the tools show their results: amounts as the language writes money, a plan that may start
in the coming years, a cash chart with its axes, key figures that are not input boxes, a radar
whose labels fit, and advice for weak dimensions before any office is chosen."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from oae.catalogue import services as catalogue
from oae.testing.catalogue import build_small_model
from oae.tools import diagnosis, viability
from oae.tools.models import Questionnaire
from oae.tools.tests.test_viability_views import _post_data


def _result_page(client, language="ca", **changes) -> str:
    client.cookies["django_language"] = language
    response = client.post(reverse("tools:viability"), _post_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("tools:viability_result")).content.decode()


def _warnings(html: str) -> str:
    return re.search(r'<section class="card problems".*?</section>', html, re.S).group(0)


@pytest.mark.django_db
def test_warnings_write_amounts_as_catalan_writes_money(client):
    html = _result_page(client, own_funds="0", **{"products-0-units_per_month": "600"})
    warnings = _warnings(html)
    assert re.search(r"\(−\d{1,3}(\.\d{3})*,\d\d €\)", warnings)  # −8.544,62 €
    assert "falten 6.000,00 €" in warnings
    assert not re.search(r"-\d+\.\d\d", warnings)  # never "-1778.00"


def test_every_warning_with_an_amount_is_formatted():
    with translation.override("ca"):
        texts = [
            viability.WARNING_TEXTS["cash_negative"]({"month": 3, "amount": Decimal("-1778")}),
            viability.WARNING_TEXTS["financing_short"]({"missing": Decimal("1234.5")}),
            viability.WARNING_TEXTS["loss_in_year_3"]({"amount": Decimal("-25000.456")}),
        ]
    assert "(−1.778,00 €)" in texts[0]
    assert "1.234,50 €" in texts[1]
    assert "(−25.000,46 €)" in texts[2]


@pytest.mark.django_db
def test_a_plan_may_start_next_year_and_the_coming_ones(client):
    this_year = timezone.localdate().year
    client.cookies["django_language"] = "en"
    form = client.get(reverse("tools:viability")).content.decode()
    select = re.search(r'<select name="year".*?</select>', form, re.S).group(0)
    years = [int(y) for y in re.findall(r'<option value="(\d+)"', select)]
    assert {this_year, this_year + 1, this_year + 2, this_year + 3} <= set(years)
    assert re.search(rf'<option value="{this_year}" selected>', select)
    html = _result_page(client, "en", year=str(this_year + 1))
    assert "Profit and loss" in html


@pytest.mark.django_db
def test_the_cash_chart_has_both_axes_with_their_values(client):
    html = _result_page(client, own_funds="0", **{"products-0-units_per_month": "600"})
    chart = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    amounts = re.findall(r'text-anchor="end" fill="#4a5566">([^<]+)</text>', chart)
    assert "0\u00a0€" in amounts and any(a.startswith("−") for a in amounts) and len(amounts) >= 3
    months = re.findall(r'text-anchor="middle" fill="#4a5566">(\d+)</text>', chart)
    assert months == ["1", "6", "12", "18", "24", "30", "36"]
    assert ">Mes</text>" in chart
    assert "preserveAspectRatio" not in chart  # text keeps its shape
    assert "style=" not in chart and "<script" not in chart  # the CSP allows neither


def test_the_chart_s_value_axis_is_round_and_holds_every_month():
    plan = viability.compute(
        {
            "year": 2026,
            "own_funds": "1000",
            "fixed_costs_monthly": "2000",
            "products": [],
        },
        {
            "year": 2026,
            "vat_rate": "21",
            "employer_social_security": "31.5",
            "self_employed_quota": "80",
            "corporate_tax_new": "15",
            "income_tax_rate": "20",
            "version": 1,
        },
    ).base
    chart = viability.cash_chart(plan)
    ys = [float(point.split(",")[1]) for point in chart["points"].split()]
    assert all(chart["top"] <= y <= chart["bottom"] for y in ys)
    labels = [tick["label"] for tick in chart["y_ticks"]]
    assert labels[-1] == "0\u00a0€"  # every month loses money: zero is the top line
    assert all(
        label.replace("−", "").replace(".", "").split("\u00a0")[0].endswith("0") for label in labels
    )


@pytest.mark.django_db
def test_key_figures_are_tiles_not_input_boxes(client):
    html = _result_page(client)
    tiles = re.search(r'<dl class="key-figures">(.*?)</dl>', html, re.S).group(1)
    assert tiles.count("<dt>") == 4 and 'class="count"' not in html
    assert "<dd>18.000\u00a0€</dd>" in tiles


def _dimension(name: str, score: int, **extra) -> diagnosis.DimensionScore:
    return diagnosis.DimensionScore(
        id=name, name={"ca": name, "en": name}, score=score, categories=(), **extra
    )


def test_radar_labels_run_outwards_inside_the_view_box():
    names = ["Strategy", "Market and sales", "Finance", "Operations", "People",
             "Digitalisation", "Legal and compliance", "Sustainability"]  # fmt: skip
    radar = diagnosis.radar([_dimension(n, 50) for n in names])
    left, top, width, height = (float(v) for v in radar["view_box"].split())
    anchors = {d.name["en"]: (x, anchor) for x, _y, anchor, d in radar["labels"]}
    assert anchors["Strategy"][1] == "middle" and anchors["People"][1] == "middle"
    assert anchors["Legal and compliance"][1] == "end"  # on the left: runs leftwards
    assert anchors["Finance"][1] == "start"
    # A label anchored on the left side has room for about 12 characters of 13px text.
    x_left = anchors["Legal and compliance"][0]
    assert x_left - left >= 12 * 13 * 0.6
    assert left + width - anchors["Finance"][0] >= 12 * 13 * 0.6
    assert all(top <= y <= top + height for _x, y, _a, _d in radar["labels"])


@pytest.fixture
def published_model(office_a):
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    catalogue.office_catalogue_adopt(actor=None, office=office_a, version=version)
    return version


def _answer_all(client, weak: str = "legal"):
    questions = Questionnaire.objects.get(code="maduresa").content["questions"]
    answers = {f"q-{q['id']}": ("0" if q["dimension"] == weak else "3") for q in questions}
    assert client.post(reverse("tools:diagnosis"), answers).status_code == 302


@pytest.mark.django_db
def test_weak_dimensions_get_advice_and_network_services_before_an_office_is_chosen(
    client, published_model
):
    client.cookies["django_language"] = "en"
    _answer_all(client)
    html = client.get(reverse("tools:diagnosis_result")).content.decode()
    to_work_on = re.search(r'id="weaknesses-heading".*?</section>', html, re.S).group(0)
    assert "Legal and compliance (0)" in to_work_on
    assert "Check the legal form, licences" in to_work_on  # the questionnaire's advice
    services = re.search(r'<ul class="network-services">(.*?)</ul>', html, re.S).group(1)
    # Both services of the small model are of the "creation" category, which helps with legal.
    assert "<strong>Crear una empresa</strong>" in services and "Resum Finançament" in services


@pytest.mark.django_db
def test_no_network_service_is_listed_for_categories_the_model_lacks(client, published_model):
    client.cookies["django_language"] = "en"
    _answer_all(client, weak="finance")  # recommends "financing": no such service here
    html = client.get(reverse("tools:diagnosis_result")).content.decode()
    assert "Finance (0)" in html and 'class="network-services"' not in html


@pytest.mark.django_db
def test_the_radar_on_the_result_page_wraps_long_labels(client, published_model):
    client.cookies["django_language"] = "en"
    _answer_all(client)
    html = client.get(reverse("tools:diagnosis_result")).content.decode()
    radar = re.search(r'<svg class="radar".*?</svg>', html, re.S).group(0)
    assert re.search(r'viewBox="-\d+ 0 \d+ \d+"', radar)
    assert re.search(r'text-anchor="end"[^>]*><tspan[^>]*>Legal and</tspan><tspan', radar)
