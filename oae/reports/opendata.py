"""Open data: the network's activity per municipality, month and service, anonymised, as a CSV
file with its Frictionless Data Package descriptor (`datapackage.json`) and a DCAT-AP style
description, one set per year; public, for anyone to download and reuse (CC BY 4.0).

What is published. One row per municipality (of an office: where the service was given, not
where the client lives) × month × service (catalogue code), with the figures of `kpis.KPIS`
that count people or add up: people served, sessions, hours of advice, cases opened and
closed, verified businesses, jobs, procedures and training, referrals. Means, medians and
shares are left out (they add up into nothing and say little on a handful of cases), and so
are amounts of money (a sum of five loans can be one loan and four small ones: dominance is
not controlled) and declared, unverified outcomes. No row is a person's, no text comes from a
case, and only months that have ended are published, so a year's file changes only when the
data do.

Disclosure control. Each figure of each month is one table (rows: municipalities, columns:
services) protected by `disclosure.protect`; a hidden cell is written empty, never its value.
The file publishes no totals, so within the file primary suppression alone would do: every
hidden cell could still move against the unpublished totals of its line. But the network
publishes those totals elsewhere (each office's month on the dashboards, to the staff of the
other offices; the monthly reports), and a reader holding a municipality's month could
subtract the shown services from it. So each table is protected as if its totals were
published: per municipality (across services), per service (across municipalities) and the
network's, with their true values and people. Secondary suppression then hides what a
total would give away. Distinct people are protected as if their totals were sums (a client
counted in two cells is at most counted once in the total: the sum only overstates it).
What stays unprotected: two published tables that share cells (the same figure by month
here, and by quarter or year elsewhere), as `disclosure` says.

Files are written in the network's language (`LANGUAGE_CODE`) so that every visitor, and every
cache, gets the same bytes."""

import csv
import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oae.cases.models import Case, Session
from oae.catalogue import content as catalogue_content
from oae.catalogue.schema import Kind
from oae.catalogue.selectors import latest_version, published_contents
from oae.network.models import Municipality
from oae.reports import disclosure, periods
from oae.reports.kpis import ALL, BY_CODE, Cut, Figure, Kpi

# The figures published, in the file's column order.
FIGURES = (
    "people_served",
    "sessions",
    "advice_hours",
    "cases_opened",
    "cases_closed",
    "businesses_verified",
    "jobs_created",
    "procedures",
    "training",
    "referrals_sent",
)
# Table Schema types: whole counts, or numbers with decimals (hours, full-time jobs).
NUMBER_UNITS = {"hours", "fte"}
CSV_NAME = "activitat.csv"
PACKAGE_NAME = "datapackage.json"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
PUBLISHER = "Xarxa OAE"
MONTHLY = "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
# How long a year's built file is kept in the cache: a new month, or late records of past
# ones, show within the hour; a visitor never makes the figures be computed more often.
CACHE_SECONDS = 60 * 60


# Which years and months ----------------------------------------------------------------------


def open_data_years(today: datetime.date | None = None) -> list[int]:
    """The years with any case (opened, or with a session) and at least one month ended."""
    today = today or timezone.localdate()
    years = {moment.year for moment in Case.objects.datetimes("opened_at", "year")}
    years |= {moment.year for moment in Session.objects.datetimes("started_at", "year")}
    return sorted(year for year in years if published_months(year, today))


def open_data_years_cached() -> list[int]:
    """`open_data_years`, read at most once an hour (it reads every case's date)."""
    key = f"reports:opendata:years:{timezone.localdate():%Y-%m}"
    return cache.get_or_set(key, open_data_years, CACHE_SECONDS)


def published_months(year: int, today: datetime.date | None = None) -> list[int]:
    """The months of the year that have ended: a month is published once it is over."""
    today = today or timezone.localdate()
    if year < today.year:
        return list(range(1, 13))
    if year == today.year:
        return list(range(1, today.month))
    return []


def coverage(year: int, today: datetime.date | None = None) -> periods.Period:
    """The days the year's file covers: from 1 January to the last day of its last month."""
    months = published_months(year, today)
    return periods.Period(periods.month(year, months[0]).start, periods.month(year, months[-1]).end)


# The rows --------------------------------------------------------------------------------


def _municipalities() -> list[Municipality]:
    """The municipalities where the network has (or had) an office."""
    return list(Municipality.objects.filter(offices__isnull=False).distinct().order_by("ine_code"))


def _services(year: int, months: list[int]) -> dict[str, str]:
    """Service codes and names: the network catalogue's services and any other service of a
    case that ran during the months (an office's own), named as the network's catalogue names
    them (an office's own service: no name, only its code)."""
    first = periods.month(year, months[0]).bounds[0]
    after = periods.month(year, months[-1]).bounds[1]
    used = set(
        Case.objects.filter(opened_at__lt=after)
        .exclude(closed_at__lt=first)
        .exclude(service_code="")
        .order_by()
        .values_list("service_code", flat=True)
        .distinct()
    )
    names = {
        code: catalogue_content.title(Kind.SERVICE, content, settings.LANGUAGE_CODE)
        for (kind, code), content in published_contents(latest_version()).items()
        if kind == Kind.SERVICE
    }
    return {code: names.get(code, "") for code in sorted(used | set(names))}


def _figure_cells(kpi: Kpi, period: periods.Period) -> dict:
    """The figure per (municipality id, service code) for the period, in one query."""
    return kpi.figures(Cut(period), ("municipality", "service"))


def _cell(figure: Figure | None) -> disclosure.Cell:
    """A figure for disclosure control: people's counts enter as if they added up (see the
    module's docstring); a figure without rows is a zero on nobody."""
    if figure is None:
        return disclosure.Cell(0, 0)
    return disclosure.Cell(0 if figure.value is None else figure.value, figure.people)


def _protected_table(kpi: Kpi, period: periods.Period, ine: dict[int, str], services: list[str]):
    """One figure of one month, by municipality (INE code) and service, protected as if its
    totals per municipality, per service and for the network were published."""
    cut = Cut(period)
    cells = _figure_cells(kpi, period)
    by_municipality = kpi.figures(cut, "municipality")
    by_service = kpi.figures(cut, "service")
    table = disclosure.Table(
        rows=list(ine.values()),
        columns=services,
        cells={
            (code, service): _cell(cells.get((pk, service)))
            for pk, code in ine.items()
            for service in services
        },
        row_totals={code: _cell(by_municipality.get(pk)) for pk, code in ine.items()},
        column_totals={service: _cell(by_service.get(service)) for service in services},
        grand_total=_cell(kpi.figures(cut).get(ALL)),
    )
    return disclosure.protect(table)


def open_data_rows(year: int, today: datetime.date | None = None) -> list[dict]:
    """The year's rows (ended months only), every figure as published: None when hidden by
    disclosure control. Each figure of each month is protected on its own (see the module)."""
    months = published_months(year, today)
    if not months:
        return []
    municipalities = _municipalities()
    ine = {municipality.pk: municipality.ine_code for municipality in municipalities}
    services = _services(year, months)
    codes = list(services)
    rows = []
    for number in months:
        period = periods.month(year, number)
        tables = {code: _protected_table(BY_CODE[code], period, ine, codes) for code in FIGURES}
        for municipality in municipalities:
            for service, name in services.items():
                row = {
                    "municipality_code": municipality.ine_code,
                    "municipality": municipality.name,
                    "month": f"{year}-{number:02d}",
                    "service_code": service,
                    "service": name,
                }
                for code, table in tables.items():
                    row[code] = table.cell(municipality.ine_code, service).shown
                rows.append(row)
    return rows


# The files --------------------------------------------------------------------------------


COLUMNS = ("municipality_code", "municipality", "month", "service_code", "service", *FIGURES)


def _written(value) -> str:
    """A figure as the CSV writes it: empty when not published, a point for decimals."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def open_data_csv(year: int, today: datetime.date | None = None) -> str:
    """The year's CSV (UTF-8 text, a header row, comma-separated): every row of
    `open_data_rows`, hidden figures empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in open_data_rows(year, today):
        writer.writerow([_written(row[column]) for column in COLUMNS])
    return buffer.getvalue()


def open_data_csv_cached(year: int) -> str:
    """The year's CSV, built at most once an hour (figures over a whole year take a while)."""
    months = published_months(year)
    key = f"reports:opendata:{year}:{len(months)}"
    return cache.get_or_set(key, lambda: open_data_csv(year), CACHE_SECONDS)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _urls(year: int) -> dict[str, str]:
    return {
        "page": _absolute(reverse("opendata:index")),
        "csv": _absolute(reverse("opendata:csv", kwargs={"year": year})),
        "package": _absolute(reverse("opendata:package", kwargs={"year": year})),
        "dcat": _absolute(reverse("opendata:dcat", kwargs={"year": year})),
    }


def _title(year: int) -> str:
    return _("Activity of the Business Support Offices, %(year)s") % {"year": year}


def _description() -> str:
    return _(
        "People served, advice sessions and hours, cases, verified businesses and jobs, "
        "procedures, training and referrals of the network's Business Support Offices, per "
        "municipality of the office, month and service. Anonymised: an empty figure was not "
        "published (it rests on fewer than %(threshold)s people, or it would let such a figure "
        "be worked out) or there are no data."
    ) % {"threshold": disclosure.THRESHOLD}


def _field(name: str, type_: str, title: str, description: str, **constraints) -> dict:
    field = {"name": name, "type": type_, "title": title, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _schema() -> dict:
    empty = _(
        "Empty: not published (fewer than %(threshold)s people, or hidden so that such a "
        "figure cannot be worked out from totals) or no data."
    ) % {"threshold": disclosure.THRESHOLD}
    fields = [
        _field(
            "municipality_code",
            "string",
            _("INE code"),
            _("The municipality's code in the Spanish National Statistics Institute (INE)."),
            required=True,
            pattern="[0-9]{5}",
        ),
        _field(
            "municipality",
            "string",
            _("Municipality"),
            _("Where the office that gave the service is."),
            required=True,
        ),
        _field("month", "yearmonth", _("Month"), _("The month, as YYYY-MM."), required=True),
        _field(
            "service_code",
            "string",
            _("Service code"),
            _("The service's code in the network's catalogue."),
            required=True,
        ),
        _field(
            "service",
            "string",
            _("Service"),
            _("The service's name in the network's catalogue (empty: an office's own service)."),
        ),
    ]
    for code in FIGURES:
        kpi = BY_CODE[code]
        fields.append(
            _field(
                code,
                "number" if kpi.unit in NUMBER_UNITS else "integer",
                f"{kpi.name} ({kpi.unit_name})",
                f"{kpi.definition} {empty}",
                minimum=0,
            )
        )
    return {
        "fields": fields,
        "primaryKey": ["municipality_code", "month", "service_code"],
        "missingValues": [""],
    }


def open_data_package(year: int, today: datetime.date | None = None) -> dict:
    """The year's Data Package descriptor (Frictionless Data Package v1, Table Schema),
    `datapackage.json`, beside `activitat.csv`."""
    with translation.override(settings.LANGUAGE_CODE):
        period = coverage(year, today)
        urls = _urls(year)
        return {
            "profile": "tabular-data-package",
            "name": f"xarxa-oae-activitat-{year}",
            "title": _title(year),
            "description": _description(),
            "homepage": urls["page"],
            "licenses": [LICENCE],
            "contributors": [{"title": PUBLISHER, "role": "publisher", "path": urls["page"]}],
            "keywords": [_("business support"), _("entrepreneurship"), _("municipalities")],
            "created": timezone.now().replace(microsecond=0).isoformat(),
            # Not in the Data Package standard (it allows more properties): DCAT's words.
            "temporal": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "accrualPeriodicity": "monthly",
            "resources": [
                {
                    "name": f"activitat-{year}",
                    "path": CSV_NAME,
                    "profile": "tabular-data-resource",
                    "title": _title(year),
                    "description": _description(),
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "licenses": [LICENCE],
                    "schema": _schema(),
                }
            ],
        }


def dcat_description(year: int, today: datetime.date | None = None) -> dict:
    """The year's dataset described as DCAT-AP does (JSON-LD)."""
    with translation.override(settings.LANGUAGE_CODE):
        period = coverage(year, today)
        urls = _urls(year)
        language = settings.LANGUAGE_CODE

        def text(value: str) -> dict:
            return {"@language": language, "@value": value}

        licence = {"@id": LICENCE["path"]}
        return {
            "@context": {
                "dcat": "http://www.w3.org/ns/dcat#",
                "dct": "http://purl.org/dc/terms/",
                "foaf": "http://xmlns.com/foaf/0.1/",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
            },
            "@id": urls["dcat"],
            "@type": "dcat:Dataset",
            "dct:identifier": f"xarxa-oae-activitat-{year}",
            "dct:title": text(_title(year)),
            "dct:description": text(_description()),
            "dct:license": licence,
            "dct:publisher": {
                "@type": "foaf:Agent",
                "foaf:name": PUBLISHER,
                "foaf:homepage": {"@id": _absolute("/")},
            },
            "dct:temporal": {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": {"@type": "xsd:date", "@value": period.start.isoformat()},
                "dcat:endDate": {"@type": "xsd:date", "@value": period.end.isoformat()},
            },
            "dct:accrualPeriodicity": {"@id": MONTHLY},
            "dct:language": {
                "@id": "http://publications.europa.eu/resource/authority/language/"
                + {"ca": "CAT", "es": "SPA", "en": "ENG"}.get(language, "CAT")
            },
            "dcat:keyword": [
                text(_("business support")),
                text(_("entrepreneurship")),
                text(_("municipalities")),
            ],
            "dcat:landingPage": {"@id": urls["page"]},
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:title": text(_("Data (CSV)")),
                    "dcat:accessURL": {"@id": urls["page"]},
                    "dcat:downloadURL": {"@id": urls["csv"]},
                    "dcat:mediaType": {
                        "@id": "http://www.iana.org/assignments/media-types/text/csv"
                    },
                    "dct:format": {
                        "@id": "http://publications.europa.eu/resource/authority/file-type/CSV"
                    },
                    "dct:license": licence,
                    "dct:conformsTo": {"@id": urls["package"]},
                },
                {
                    "@type": "dcat:Distribution",
                    "dct:title": text(_("Description of the data (Frictionless Data Package)")),
                    "dcat:accessURL": {"@id": urls["page"]},
                    "dcat:downloadURL": {"@id": urls["package"]},
                    "dcat:mediaType": {
                        "@id": "http://www.iana.org/assignments/media-types/application/json"
                    },
                    "dct:format": {
                        "@id": "http://publications.europa.eu/resource/authority/file-type/JSON"
                    },
                    "dct:license": licence,
                },
            ],
        }
