"""Open data, public (no sign-in): the page listing each year's files, and the files (the CSV,
its `datapackage.json` and its DCAT description). Nothing here is about a person: see
`reports.opendata`. Anonymous visitors' caches may keep them a while (`common.nostore`)."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from oae.reports import disclosure, opendata
from oae.reports.kpis import BY_CODE

PAGE_SECONDS = 10 * 60
FILE_SECONDS = 60 * 60
JSON_FORMAT = {"ensure_ascii": False, "indent": 2}


def _public(response, seconds: int):
    """A file that browsers and proxies may keep for `seconds` (signed-in visitors still get
    `no-store`: `common.nostore`). The files set no cookie and hold nobody's token."""
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def _year_or_404(year: int) -> None:
    if year not in opendata.open_data_years_cached():
        raise Http404(_("There are no open data for %(year)s.") % {"year": year})


@require_safe
def index(request):
    """The years published, each with its files, and what the files hold."""
    context = {
        "years": list(reversed(opendata.open_data_years_cached())),
        "kpis": [BY_CODE[code] for code in opendata.FIGURES],
        "threshold": disclosure.THRESHOLD,
        "licence": opendata.LICENCE,
    }
    response = render(request, "reports/opendata.html", context)
    # The visitor's browser only: the page carries the visitor's CSRF token (language form).
    patch_cache_control(response, private=True, max_age=PAGE_SECONDS)
    return response


@require_safe
def csv_file(request, year: int):
    _year_or_404(year)
    response = HttpResponse(
        opendata.open_data_csv_cached(year), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{opendata.CSV_NAME}"'
    return _public(response, FILE_SECONDS)


@require_safe
def package(request, year: int):
    _year_or_404(year)
    return _public(
        JsonResponse(opendata.open_data_package(year), json_dumps_params=JSON_FORMAT),
        FILE_SECONDS,
    )


@require_safe
def dcat(request, year: int):
    _year_or_404(year)
    response = JsonResponse(
        opendata.dcat_description(year),
        content_type="application/ld+json",
        json_dumps_params=JSON_FORMAT,
    )
    return _public(response, FILE_SECONDS)
