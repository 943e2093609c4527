"""The dashboards: the network's (every office compared, per 10,000 inhabitants), an office's
(its figures against a year before and the network), an advisor's own, and the figures'
definitions. A dashboard's filters ask htmx for its results alone, without reloading the page."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from oae.common.exports import Column, table_response
from oae.common.input import parsed
from oae.network.selectors import get_office_or_404
from oae.reports import goals, periods, selectors
from oae.reports.forms import BreakdownQueryForm, FigureQueryForm, OfficeQueryForm, PeriodForm
from oae.reports.kpis import BY_CODE, KPIS, UNITS
from oae.scoping import Action, can, office_to_act_for, require, staff_required


def _dashboard(request, page: str, results: str, context: dict):
    """The dashboard's page, or its results alone (`update`) when htmx asks after a filter
    changed. htmx going back to a page it no longer keeps asks for the whole page."""
    update = bool(request.htmx) and not request.htmx.history_restore_request
    response = render(request, results if update else page, context | {"update": update})
    # One address, two answers: a cache must not give either for the other.
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


def _period_form(request) -> PeriodForm:
    """The period asked for (the year to date when none is)."""
    return PeriodForm(request.GET, today=timezone.localdate())


@staff_required
def definitions(request):
    """What each figure counts, its unit and its source."""
    require(request.user, Action.VIEW_REPORTS)
    return render(request, "reports/definitions.html", {"kpis": KPIS, "units": UNITS})


@staff_required
def network(request):
    """Every office compared on one figure, and the network's totals, for a period."""
    require(request.user, Action.VIEW_REPORTS)
    form = _period_form(request)
    period = form.period()
    code = parsed(FigureQueryForm, request.GET)["figure"]
    compared = selectors.comparison(request.user, period)
    chosen = BY_CODE[code]
    file_format = parsed(FigureQueryForm, request.GET)["format"]
    full_view = selectors.viewer_offices(request.user) is None
    parts = selectors.breakdowns(request.user, period) if full_view else []
    breakdown = parsed(BreakdownQueryForm, request.GET)["breakdown"]
    if breakdown and file_format and parts:
        return _breakdown_file(parts, breakdown, period, _("the network"), file_format)
    if file_format:
        return _comparison_file(compared, chosen, file_format)
    ranking = selectors.ranking(compared, chosen.code)
    context = {
        "form": form,
        "compared": compared,
        "chosen": chosen,
        "kpis": KPIS,
        "full_view": full_view,
        "breakdowns": parts,
        "as_of": compared.as_of,
        "perms_mine": can(request.user, Action.VIEW_CASES),
        "ranking": ranking,
        "spread": compared.spreads[chosen.code],
        "chart": selectors.comparison_chart(ranking, chosen, compared.spreads[chosen.code].median),
        "network_lines": selectors.network_lines(compared),
        "population_years": ", ".join(map(str, compared.population_years)),
        "keep": [("figure", code)],
        "keep_period": _period_query(form),
        "query": urlencode([*_period_query(form), ("figure", code)]),
        "breakdown_query": urlencode(_period_query(form)),
    }
    return _dashboard(request, "reports/network.html", "reports/_network_results.html", context)


def _period_query(form: PeriodForm) -> list[tuple[str, str]]:
    """The period's parameters as asked, to keep them when another figure is chosen."""
    return [(name, form.data[name]) for name in form.fields if form.data.get(name)]


def _comparison_file(compared, kpi, file_format: str):
    """The offices compared on one figure, the period and figure written above the table."""
    columns = [
        Column(_("Office"), lambda row: row.office.name),
        Column(_("Municipality"), lambda row: row.office.municipality.name),
        Column(kpi.name, lambda row: selectors.number(row.figures[kpi.code].value)),
        Column(
            _("Per 10,000 inhabitants"), lambda row: selectors.number(row.per_inhabitants(kpi.code))
        ),
        Column(_("Per advisor"), lambda row: selectors.number(row.per_advisor(kpi.code))),
        Column(_("Inhabitants"), lambda row: row.population),
    ]
    preamble = [
        [_("Figure"), str(kpi.name), str(UNITS[kpi.unit])],
        [_("Period"), str(compared.period)],
        [_("Population year"), ", ".join(map(str, compared.population_years))],
        [_("Empty cells: no data, or hidden because fewer than 5 people are behind them.")],
    ]
    return table_response(
        columns=columns,
        objects=compared.rows,
        file_format=file_format,
        filename=f"oae-{kpi.code}-{compared.period.start}-{compared.period.end}",
        preamble=preamble,
    )


def _breakdown_file(parts, group: str, period, where: str, file_format: str):
    """One breakdown's table, with what it is of written above it."""
    chosen = next(part for part in parts if part.group == group)
    columns = [
        Column(chosen.title, lambda line: line.label),
        Column(chosen.kpi.unit_name, lambda line: selectors.number(line.value)),
        Column(_("Share (%)"), lambda line: selectors.number(line.share)),
    ]
    preamble = [
        [_("Table"), chosen.title],
        [_("Of"), where],
        [_("Period"), str(period)],
        [_("Total"), selectors.number(chosen.total)],
    ]
    return table_response(
        columns=columns,
        objects=chosen.lines,
        file_format=file_format,
        filename=f"oae-{group}-{period.start}-{period.end}",
        preamble=preamble,
    )


@staff_required
def office(request):
    """The acting office's figures (or, for the network's roles, an office they choose)
    against the same period a year before and against the network."""
    require(request.user, Action.VIEW_REPORTS)
    chosen = parsed(OfficeQueryForm, request.GET)["office"]
    network_wide = can(request.user, Action.VIEW_NETWORK_REPORTS)
    if chosen:
        shown = get_office_or_404(request.user, chosen, Action.VIEW_REPORTS)
    elif network_wide and request.office is None:
        shown = selectors.reported_offices().first()  # the network's roles: the first office
        if shown is None:
            raise Http404(_("No office is open yet."))
    else:
        shown = office_to_act_for(request, Action.VIEW_REPORTS)
    form = _period_form(request)
    period = form.period()
    figure = parsed(FigureQueryForm, request.GET)
    parts = selectors.breakdowns(request.user, period, shown)
    breakdown = parsed(BreakdownQueryForm, request.GET)["breakdown"]
    if breakdown and figure["format"]:
        return _breakdown_file(parts, breakdown, period, shown.name, figure["format"])
    series = selectors.monthly_series(request.user, shown, figure["figure"], period.end.year)
    if figure["format"]:
        return _monthly_file(series, figure["format"])
    trends = selectors.office_trends(request.user, shown, period)
    keep_office = [("office", chosen)] if chosen else []
    keep_figure = [("figure", figure["figure"])]  # the monthly chart's, kept by every form
    goals_year = period.end.year
    context = {
        "form": form,
        "office": shown,
        "period": period,
        "trends": trends,
        "any_data": any(trend.now.value for trend in trends),
        "goals_year": goals_year,
        "goals": goals.office_goals(shown, goals_year),
        "keep": [*keep_office, *keep_figure],
        "keep_period": _period_query(form),
        "keep_office": keep_office,
        "keep_figure": keep_figure,
        "series": series,
        "breakdowns": parts,
        "as_of": selectors.as_of(period),
        "kpis": KPIS,
        "monthly_query": urlencode([*_period_query(form), *keep_office, *keep_figure]),
        "breakdown_query": urlencode([*_period_query(form), *keep_office]),
        # The network's roles look at any office; an office's staff at theirs.
        "choices": selectors.reported_offices()
        if can(request.user, Action.VIEW_NETWORK_REPORTS)
        else [],
    }
    return _dashboard(request, "reports/office.html", "reports/_office_results.html", context)


def _monthly_file(series, file_format: str):
    """An office's figure month by month, the office, figure and years written above it."""
    columns = [
        Column(_("Month"), lambda row: str(row[0])),
        Column(str(series.year), lambda row: selectors.number(row[1])),
        Column(str(series.year - 1), lambda row: selectors.number(row[2])),
    ]
    preamble = [
        [_("Office"), series.office.name],
        [_("Figure"), str(series.kpi.name), str(UNITS[series.kpi.unit])],
        [
            _("Period"),
            str(periods.Period(periods.year(series.year - 1).start, periods.year(series.year).end)),
        ],
        [_("Empty cells: months still to come, or no data.")],
    ]
    return table_response(
        columns=columns,
        objects=series.rows,
        file_format=file_format,
        filename=f"oae-{series.kpi.code}-{series.year}-by-month",
        preamble=preamble,
    )


@staff_required
def mine(request):
    """The signed-in advisor's own work: their sessions, cases and referrals."""
    require(request.user, Action.VIEW_CASES)
    form = _period_form(request)
    period = form.period()
    figures = selectors.advisor_figures(request.user, period)
    context = {
        "form": form,
        "period": period,
        "figures": figures,
        "any_data": any(item.now.value for item in figures),
    }
    return _dashboard(request, "reports/mine.html", "reports/_mine_results.html", context)
