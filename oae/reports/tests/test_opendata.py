"""Open data: the year's CSV and its Data Package validate with the Frictionless library, small
cells are empty (and stay so against the totals published elsewhere), the DCAT description says
licence, publisher, period and frequency, the public page works without sign-in, and no
person's data reaches any file."""

import csv
import datetime
import io
import itertools
import json

import frictionless
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from oae.cases.models import Case, Session
from oae.crm.models import Person
from oae.reports import disclosure, opendata, periods
from oae.reports.kpis import BY_CODE, Cut
from oae.testing.factories import MunicipalityFactory, OfficeFactory

YEAR = 2025  # a year that has ended: all its months are published
numbers = itertools.count(1)

# Someone whose every detail is distinctive, to look for in the files.
SECRET = {
    "first_name": "Zebulon",
    "last_name": "Quixotic-Farthingale",
    "email": "zebulon.quixotic@example.org",
    "id_number": "Z9876543X",
    "phone": "+34 699 123 987",
}
SECRET_NOTES = ("SECRET-CLOSING-NOTE", "SECRET-TOPIC", "SECRET-PRIVATE-NOTE")


def _at(month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, 10, tzinfo=timezone.get_current_timezone())


def _clients(office, advisor, *, service: str, month: int, count: int, **person) -> list[Case]:
    """`count` people of the office, each with a case of the service opened in the month and
    one session."""
    cases = []
    for _ in range(count):
        number = next(numbers)
        client = Person.objects.create(
            office=office, **{"first_name": f"Client {number}", **person}
        )
        case = Case.objects.create(
            reference=f"OD-{number}",
            office=office,
            person=client,
            service_code=service,
            service_name=service,
            assigned_to=advisor,
            opened_at=_at(month),
        )
        Session.objects.create(
            case=case,
            office=office,
            person=client,
            advisor=advisor,
            started_at=_at(month, 12),
            duration_minutes=60,
            channel="in_person",
        )
        cases.append(case)
    return cases


@pytest.fixture
def activity(people, office_a, office_b):
    """March: Sant Boi (office A) serves 6 people for "crear" and 2 for "financar" (too few);
    Badalona (office B) 6 and 6; L'Hospitalet 8 and 8. April: Badalona serves 7 for "crear",
    nothing else happens."""
    office_c = OfficeFactory(
        name="OAE Gamma",
        municipality=MunicipalityFactory(ine_code="08101", name="L'Hospitalet de Llobregat"),
    )
    advisor = people["advisor_a"]
    _clients(office_a, advisor, service="crear", month=3, count=6)
    _clients(office_a, advisor, service="financar", month=3, count=1)
    secret = _clients(
        office_a, advisor, service="financar", month=3, count=1, id_type="nie", **SECRET
    )[0]
    secret.closed_at, secret.state = _at(3, 20), "closed"
    secret.closing_reason, secret.closing_note = "goal_met", SECRET_NOTES[0]
    secret.save()
    Session.objects.filter(case=secret).update(
        topics=SECRET_NOTES[1], private_notes=SECRET_NOTES[2]
    )
    _clients(office_b, advisor, service="crear", month=3, count=6)
    _clients(office_b, advisor, service="financar", month=3, count=6)
    _clients(office_c, advisor, service="crear", month=3, count=8)
    _clients(office_c, advisor, service="financar", month=3, count=8)
    _clients(office_b, advisor, service="crear", month=4, count=7)
    return {"a": office_a, "b": office_b, "c": office_c}


def _rows(text: str) -> dict[tuple[str, str, str], dict]:
    return {
        (row["municipality_code"], row["month"], row["service_code"]): row
        for row in csv.DictReader(io.StringIO(text))
    }


@pytest.mark.django_db
def test_the_csv_and_its_data_package_validate_with_the_frictionless_library(activity, tmp_path):
    (tmp_path / opendata.CSV_NAME).write_text(opendata.open_data_csv(YEAR), encoding="utf-8")
    descriptor = opendata.open_data_package(YEAR)
    (tmp_path / opendata.PACKAGE_NAME).write_text(json.dumps(descriptor), encoding="utf-8")

    report = frictionless.validate(str(tmp_path / opendata.PACKAGE_NAME))

    assert report.valid, report.flatten(["type", "note"])
    package = frictionless.Package(str(tmp_path / opendata.PACKAGE_NAME))
    rows = package.get_resource(f"activitat-{YEAR}").read_rows()
    # One row per municipality × month × service, none per person.
    assert len(rows) == 3 * 12 * 2
    assert {row["service_code"] for row in rows} == {"crear", "financar"}


@pytest.mark.django_db
def test_the_package_names_licence_publisher_period_frequency_and_every_column(activity):
    descriptor = opendata.open_data_package(YEAR)

    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert descriptor["contributors"] == [
        {"title": "Xarxa OAE", "role": "publisher", "path": descriptor["homepage"]}
    ]
    assert descriptor["temporal"] == {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    assert descriptor["accrualPeriodicity"] == "monthly"
    resource = descriptor["resources"][0]
    assert (resource["path"], resource["mediatype"], resource["encoding"]) == (
        "activitat.csv",
        "text/csv",
        "utf-8",
    )
    schema = resource["schema"]
    assert [field["name"] for field in schema["fields"]] == list(opendata.COLUMNS)
    assert schema["primaryKey"] == ["municipality_code", "month", "service_code"]
    assert all(field["title"] and field["description"] for field in schema["fields"])
    # What an empty figure means is said with every figure.
    # (The files are written in Catalan, the network's language.)
    assert all("Buit: no publicat" in field["description"] for field in schema["fields"][5:])


@pytest.mark.django_db
def test_a_cell_of_fewer_than_five_people_is_empty_and_larger_ones_are_shown(activity):
    rows = _rows(opendata.open_data_csv(YEAR))

    small = rows["08200", f"{YEAR}-03", "financar"]  # Sant Boi's two people
    assert small["people_served"] == small["sessions"] == small["cases_opened"] == ""
    hospitalet = rows["08101", f"{YEAR}-03", "crear"]
    assert (hospitalet["people_served"], hospitalet["sessions"]) == ("8", "8")
    assert hospitalet["advice_hours"] == "8.0"
    april = rows["08015", f"{YEAR}-04", "crear"]  # the only cell of its month: nothing to hide
    assert (april["people_served"], april["cases_opened"]) == ("7", "7")
    # Nothing happened: a zero on nobody is published as zero.
    assert rows["08200", f"{YEAR}-04", "crear"]["sessions"] == "0"
    # A hidden cell never leaks its value: the Sant Boi row holds no "2".
    assert "2" not in {small[code] for code in opendata.FIGURES}


@pytest.mark.django_db
def test_hidden_cells_cannot_be_worked_out_from_the_totals_published_elsewhere(activity):
    """The network shows each municipality's month (and the network's) elsewhere: no line of
    March may hold a single hidden cell next to a published total."""
    rows = _rows(opendata.open_data_csv(YEAR))
    march = periods.month(YEAR, 3)
    municipalities, services = ("08015", "08101", "08200"), ("crear", "financar")
    for code in ("people_served", "sessions", "cases_opened"):
        kpi = BY_CODE[code]
        ine = {activity[key].municipality.pk: activity[key].municipality.ine_code for key in "abc"}
        totals = {ine[pk]: figure for pk, figure in kpi.figures(Cut(march), "municipality").items()}
        totals |= kpi.figures(Cut(march), "service")

        def hidden(municipality, service, code=code):
            return rows[municipality, f"{YEAR}-03", service][code] == ""

        lines = [[(m, s) for s in services] for m in municipalities]
        lines += [[(m, s) for m in municipalities] for s in services]
        for line, name in zip(lines, municipalities + services, strict=True):
            total = totals[name]
            assert total.people >= disclosure.THRESHOLD  # published: the reader has it
            assert sum(hidden(*cell) for cell in line) != 1, (code, name)
        # Sant Boi's small cell is hidden, and with it enough to hide it; L'Hospitalet's not.
        assert hidden("08200", "financar")
        assert not hidden("08101", "crear") and not hidden("08101", "financar")


@pytest.mark.django_db
def test_no_persons_name_email_document_phone_or_notes_reach_any_file(activity, client_for):
    files = [
        opendata.open_data_csv(YEAR),
        json.dumps(opendata.open_data_package(YEAR), ensure_ascii=False),
        json.dumps(opendata.dcat_description(YEAR), ensure_ascii=False),
    ]
    anonymous = client_for("anonymous")
    for name in ("index", "csv", "package", "dcat"):
        kwargs = {} if name == "index" else {"year": YEAR}
        files.append(anonymous.get(reverse(f"opendata:{name}", kwargs=kwargs)).content.decode())
    advisor_email = activity["a"].memberships.first().user.email
    for text in files:
        folded = text.casefold()
        for value in (*SECRET.values(), *SECRET_NOTES, advisor_email, "Client 1"):
            assert value.casefold() not in folded


@pytest.mark.django_db
def test_the_dcat_description_has_licence_publisher_period_and_monthly_frequency(activity):
    dcat = opendata.dcat_description(YEAR)
    site = settings.SITE_URL.rstrip("/")

    assert dcat["@type"] == "dcat:Dataset"
    assert dcat["dct:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    assert dcat["dct:publisher"]["foaf:name"] == "Xarxa OAE"
    assert dcat["dct:temporal"]["dcat:startDate"]["@value"] == f"{YEAR}-01-01"
    assert dcat["dct:temporal"]["dcat:endDate"]["@value"] == f"{YEAR}-12-31"
    assert dcat["dct:accrualPeriodicity"] == {
        "@id": "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    }
    assert dcat["dct:title"]["@value"] and dcat["dct:description"]["@value"]
    downloads = {item["dcat:downloadURL"]["@id"] for item in dcat["dcat:distribution"]}
    assert downloads == {
        site + reverse("opendata:csv", kwargs={"year": YEAR}),
        site + reverse("opendata:package", kwargs={"year": YEAR}),
    }
    media = {
        item["dcat:mediaType"]["@id"].rsplit("/", 2)[-2:][1] for item in dcat["dcat:distribution"]
    }
    assert media == {"csv", "json"}


@pytest.mark.django_db
def test_a_year_in_progress_publishes_only_its_ended_months():
    today = datetime.date(2026, 4, 15)
    assert opendata.published_months(2026, today) == [1, 2, 3]
    assert opendata.published_months(2025, today) == list(range(1, 13))
    assert opendata.published_months(2027, today) == []
    assert opendata.published_months(2026, datetime.date(2026, 1, 31)) == []
    assert opendata.coverage(2026, today) == periods.Period(
        datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
    )


@pytest.mark.django_db
def test_a_year_is_built_in_a_few_queries(activity, django_assert_max_num_queries):
    # Each figure of each month: by municipality and service, and its three totals.
    with django_assert_max_num_queries(12 * len(opendata.FIGURES) * 4 + 4):
        opendata.open_data_rows(YEAR)


@pytest.mark.django_db
def test_the_public_page_lists_each_years_files_without_sign_in(activity, client_for):
    response = client_for("anonymous").get(reverse("opendata:index"))

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("csv", "package", "dcat"):
        assert reverse(f"opendata:{name}", kwargs={"year": YEAR}) in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert response["Cache-Control"] == "private, max-age=600"  # kept a while, by the browser
    # Every page's footer leads to it, the public home page's too.
    assert (
        reverse("opendata:index") in client_for("anonymous").get(reverse("home")).content.decode()
    )


@pytest.mark.django_db
def test_the_downloads_work_without_sign_in_and_say_what_they_are(activity, client_for):
    anonymous = client_for("anonymous")

    data = anonymous.get(reverse("opendata:csv", kwargs={"year": YEAR}))
    assert data.status_code == 200
    assert data["Content-Type"] == "text/csv; charset=utf-8"
    assert data.content.decode().startswith(",".join(opendata.COLUMNS))
    package = anonymous.get(reverse("opendata:package", kwargs={"year": YEAR}))
    assert package.json()["resources"][0]["path"] == "activitat.csv"
    dcat = anonymous.get(reverse("opendata:dcat", kwargs={"year": YEAR}))
    assert dcat["Content-Type"] == "application/ld+json"
    for response in (data, package, dcat):  # anyone's cache may keep them a while
        assert response["Cache-Control"] == "public, max-age=3600"
        assert not response.cookies


@pytest.mark.django_db
def test_signed_in_visitors_get_the_files_but_no_cache_keeps_them(activity, client_for):
    response = client_for("advisor_a").get(reverse("opendata:csv", kwargs={"year": YEAR}))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_a_year_without_data_is_not_found_with_a_message(activity, client_for):
    anonymous = client_for("anonymous")
    for year in (2019, timezone.localdate().year + 1):
        for name in ("csv", "package", "dcat"):
            response = anonymous.get(reverse(f"opendata:{name}", kwargs={"year": year}))
            assert response.status_code == 404
            assert f"There are no open data for {year}." in response.content.decode()


@pytest.mark.django_db
def test_the_page_says_when_there_is_nothing_yet(client_for):
    response = client_for("anonymous").get(reverse("opendata:index"))

    assert response.status_code == 200
    assert "There are no open data yet" in response.content.decode()
