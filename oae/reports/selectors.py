"""What the dashboards show: every office's figures for a period, per 10,000 inhabitants of its
municipality and per advisor, the network's total, median and quartiles, each office's place,
and the trend against the same period a year before. Figures that leave an office's own staff
space (another office's, shown to office staff) go through disclosure control first."""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oae.cases.models import Channel, FinancingType
from oae.network.models import Office, OfficeStatus
from oae.reports import disclosure, periods, rollups
from oae.reports.kpis import ALL, BY_CODE, KPIS, Cut, Figure, Kpi
from oae.reports.periods import Period
from oae.scoping import Action, OfficeRole, can, office_ids_for

PER_INHABITANTS = 10_000


@dataclass
class OfficeFigures:
    """One office's figures, and what they are divided by."""

    office: Office
    advisors: int
    figures: dict[str, Figure] = field(default_factory=dict)
    own: bool = False  # the viewer's own office: shown in full

    @property
    def population(self) -> int:
        return self.office.municipality.population

    def per_inhabitants(self, code: str):
        if not BY_CODE[code].per_head:
            return None
        return _ratio(self.figures[code].value, self.population, PER_INHABITANTS)

    def per_advisor(self, code: str):
        if not BY_CODE[code].per_head:
            return None
        return _ratio(self.figures[code].value, self.advisors, 1)

    def comparable(self, code: str) -> float | None:
        """What offices are compared on: a count or amount per 10,000 inhabitants; a mean,
        a median or a share as it is."""
        if BY_CODE[code].per_head:
            return self.per_inhabitants(code)
        value = self.figures[code].value
        return None if value is None else float(value)


def _ratio(value, divisor: int, times: int):
    if value is None or not divisor:
        return None
    return round(float(value) * times / divisor, 2)


def reported_offices():
    """The offices figures are reported for: open ones, with their municipalities."""
    return (
        Office.objects.filter(status=OfficeStatus.OPEN)
        .select_related("municipality")
        .annotate(
            advisors=Count(
                "memberships",
                filter=Q(memberships__is_active=True, memberships__role=OfficeRole.ADVISOR),
            )
        )
        .order_by("name")
    )


def reported_office_ids() -> frozenset[int]:
    return frozenset(reported_offices().values_list("pk", flat=True))


LOOK_UP = object()  # the rollup not yet looked up (None: looked up, and there is none)


def rolled(period: Period, offices: frozenset[int]) -> rollups.Stored | None:
    """The period's rollup, when one may stand for its figures over these offices."""
    return rollups.stored([period], offices).get(period)


def as_of(period: Period) -> datetime.datetime | None:
    """When the period's figures were computed, if a write has changed them since (the
    screen says so); None when they are current."""
    found = rolled(period, reported_office_ids())
    return found.computed_at if found and found.touched else None


def offices_figures(period: Period, kpis: list[Kpi], found=LOOK_UP) -> list[OfficeFigures]:
    """Every open office's figures for the period, each figure computed once for all offices
    (grouped by office), or read from the period's rollup. An office without a figure's rows
    gets "no data"."""
    offices = list(reported_offices())
    rows = {office.pk: OfficeFigures(office, office.advisors) for office in offices}
    cut = Cut(period=period, offices=frozenset(rows))
    if found is LOOK_UP:
        found = rolled(period, cut.offices)
    for kpi in kpis:
        found_rows = rollups.figures_for(kpi, cut, "office", found)
        for key, row in rows.items():
            row.figures[kpi.code] = found_rows.get(key) or _nothing(kpi)
    return list(rows.values())


def _nothing(kpi: Kpi) -> Figure:
    """A figure with no rows behind it: zero for what counts or adds up, "no data" for a
    mean, a median or a share."""
    return Figure(0 if kpi.additive or kpi.unit == "people" else None, 0)


def network_totals(
    period: Period,
    kpis: list[Kpi],
    offices: list[OfficeFigures],
    found=LOOK_UP,
) -> dict:
    """Each figure over every reported office together (people counted once)."""
    cut = Cut(period=period, offices=frozenset(row.office.pk for row in offices))
    if found is LOOK_UP:
        found = rolled(period, cut.offices)
    return {
        kpi.code: rollups.figures_for(kpi, cut, None, found).get(ALL) or _nothing(kpi)
        for kpi in kpis
    }


@dataclass
class Spread:
    """The network's median and quartiles of a figure over its offices, per 10,000
    inhabitants."""

    median: float | None
    lower: float | None
    upper: float | None


def spread(values: list) -> Spread:
    known = sorted(float(v) for v in values if v is not None)
    if not known:
        return Spread(None, None, None)
    if len(known) == 1:
        return Spread(known[0], known[0], known[0])
    lower, median, upper = statistics.quantiles(known, n=4, method="inclusive")
    return Spread(round(median, 2), round(lower, 2), round(upper, 2))


def has_data(period: Period, offices: list[OfficeFigures]) -> bool:
    """Whether anything happened in the period: no session, case, outcome or survey at all
    is "no data", not a row of zeros."""
    return any(
        row.figures.get(code) and row.figures[code].value
        for row in offices
        for code in ("sessions", "cases_opened", "cases_closed", "cases_open", "new_clients")
    )


def viewer_offices(user) -> set[int] | None:
    """The offices whose figures the user sees in full (None: all)."""
    if can(user, Action.VIEW_NETWORK_REPORTS):
        return None
    return office_ids_for(user, Action.VIEW_REPORTS)


def protected(rows: list[OfficeFigures], totals: dict, kpis: list[Kpi], full: set[int] | None):
    """The figures as the viewer may see them: their own offices' in full, the others' (and
    the network's totals) through disclosure control, all together so that a total cannot
    give another office's hidden figure away."""
    if full is None:
        return rows, totals
    table = disclosure.Table(
        rows=[str(row.office.pk) for row in rows],
        columns=[kpi.code for kpi in kpis],
        cells={
            (str(row.office.pk), kpi.code): disclosure.Cell(
                row.figures[kpi.code].value, row.figures[kpi.code].people, _adds_up(kpi)
            )
            for row in rows
            for kpi in kpis
        },
        column_totals={
            kpi.code: disclosure.Cell(
                totals[kpi.code].value, totals[kpi.code].people, _adds_up(kpi)
            )
            for kpi in kpis
        },
    )
    # What the viewer sees in full is known to them: it cannot hide anything else.
    safe = disclosure.protect(table, known_rows={str(pk) for pk in full})
    for row in rows:
        row.own = row.office.pk in full
        if row.own:
            continue  # an office's own staff see its figures in full
        for kpi in kpis:
            cell = safe.cells[(str(row.office.pk), kpi.code)]
            row.figures[kpi.code] = _shown(cell, row.figures[kpi.code])
    totals = {kpi.code: _shown(safe.column_totals[kpi.code], totals[kpi.code]) for kpi in kpis}
    return rows, totals


def _adds_up(kpi: Kpi) -> bool:
    """Whether disclosure control takes the figure's total for the sum of its cells. Distinct
    people are at most that sum (a client of two offices counts once): taken as a sum, a
    total minus the offices one knows cannot narrow down a hidden office."""
    return kpi.additive or kpi.unit == "people"


def _shown(cell, figure: Figure) -> Figure:
    """A hidden figure keeps neither its value nor the people it rests on."""
    return Figure(None, 0) if cell.hidden else figure


@dataclass
class Comparison:
    """The network dashboard's table for a period: every office's figures (as the viewer may
    see them), the network's totals, each figure's spread per 10,000 inhabitants, and whether
    the period has any data at all."""

    period: Period
    kpis: list[Kpi]
    rows: list[OfficeFigures]
    totals: dict
    spreads: dict
    population: int
    any_data: bool
    population_years: list[int]
    as_of: datetime.datetime | None = None  # figures read from a rollup a write has touched


def comparison(user, period: Period, codes: list[str] | None = None) -> Comparison:
    kpis = [BY_CODE[code] for code in codes] if codes else KPIS
    found = rolled(period, reported_office_ids())
    rows = offices_figures(period, kpis, found)
    totals = network_totals(period, kpis, rows, found)
    rows, totals = protected(rows, totals, kpis, viewer_offices(user))
    spreads = {kpi.code: spread([row.comparable(kpi.code) for row in rows]) for kpi in kpis}
    return Comparison(
        period=period,
        kpis=kpis,
        rows=rows,
        totals=totals,
        spreads=spreads,
        population=sum(row.population for row in rows),
        any_data=has_data(period, rows),
        population_years=sorted({row.office.municipality.population_year for row in rows}),
        as_of=found.computed_at if found and found.touched else None,
    )


@dataclass
class Trend:
    """A figure of one office now and a year before, and the change in percent."""

    kpi: Kpi
    now: Figure
    before: Figure
    per_inhabitants: float | None
    network_median: float | None
    place: int | None  # 1 = the highest per 10,000 inhabitants among the offices
    of: int

    @property
    def change(self) -> float | None:
        if self.now.value is None or not self.before.value:
            return None
        return round(
            100 * (float(self.now.value) - float(self.before.value)) / float(self.before.value), 1
        )


def office_trends(user, office: Office, period: Period) -> list[Trend]:
    """Each figure of the office for the period, against the same period a year before and
    against the network (its median and the office's place per 10,000 inhabitants)."""
    now = comparison(user, period)
    before = comparison(user, period.year_before())
    mine = next((row for row in now.rows if row.office.pk == office.pk), None)
    earlier = next((row for row in before.rows if row.office.pk == office.pk), None)
    trends = []
    for kpi in now.kpis:
        ranked = sorted(
            (row.comparable(kpi.code) for row in now.rows if row.comparable(kpi.code) is not None),
            reverse=not kpi.lower_is_better,
        )
        value = mine.comparable(kpi.code) if mine else None
        trends.append(
            Trend(
                kpi=kpi,
                now=mine.figures[kpi.code] if mine else Figure(None, 0),
                before=earlier.figures[kpi.code] if earlier else Figure(None, 0),
                per_inhabitants=mine.per_inhabitants(kpi.code) if mine else None,
                network_median=now.spreads[kpi.code].median,
                place=ranked.index(value) + 1 if value is not None and value in ranked else None,
                of=len(ranked),
            )
        )
    return trends


@dataclass
class Place:
    """An office's place on one figure, per 10,000 inhabitants (hidden figures last)."""

    row: OfficeFigures
    place: int | None
    value: object
    per_inhabitants: float | None
    per_advisor: float | None


def ranking(compared: Comparison, code: str) -> list[Place]:
    """The offices from the best to the worst on the figure (per 10,000 inhabitants where it
    is a count; the highest first, the lowest for waiting days), hidden figures last."""
    sign = 1 if BY_CODE[code].lower_is_better else -1
    rows = sorted(
        compared.rows,
        key=lambda row: (row.comparable(code) is None, sign * (row.comparable(code) or 0)),
    )
    places, place = [], 0
    for row in rows:
        ratio = row.per_inhabitants(code)
        place += row.comparable(code) is not None
        places.append(
            Place(
                row=row,
                place=place if row.comparable(code) is not None else None,
                value=row.figures[code].value,
                per_inhabitants=ratio,
                per_advisor=row.per_advisor(code),
            )
        )
    return places


@dataclass
class NetworkLine:
    kpi: Kpi
    value: object
    per_inhabitants: float | None


def network_lines(compared: Comparison) -> list[NetworkLine]:
    """Each figure over the whole network, and per 10,000 of its offices' inhabitants."""
    return [
        NetworkLine(
            kpi,
            compared.totals[kpi.code].value,
            _ratio(compared.totals[kpi.code].value, compared.population, PER_INHABITANTS)
            if kpi.additive or kpi.unit == "people"
            else None,
        )
        for kpi in compared.kpis
    ]


def number(value) -> str:
    """A figure as a table shows it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = float(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


# Charts (drawn by oae/common/static/js/charts.js from what `json_script` writes): the same
# numbers as the tables beside them. None stays None (null): a hidden or missing figure is
# left out of a chart, never drawn as zero.


def _plain(value) -> int | float | None:
    """A figure as JSON carries it: Decimal would be written as a string."""
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class ComparisonChart:
    """The offices compared on one figure per 10,000 inhabitants: `data` for the chart (in
    the ranking's order, the network median as a second series), and what its text
    alternative says (the highest and lowest drawn, the offices left out)."""

    data: dict
    highest: Place | None
    lowest: Place | None
    left_out: list[str]


def comparison_chart(places: list[Place], kpi: Kpi, median: float | None) -> ComparisonChart:
    drawn = [place for place in places if place.per_inhabitants is not None]
    yours = _("yours")
    return ComparisonChart(
        data={
            "type": "bar",
            "labels": [
                f"{place.row.office.name} ({yours})" if place.row.own else place.row.office.name
                for place in places
            ],
            "series": [
                {
                    "label": f"{kpi.name} · {_('Per 10,000 inhabitants')}",
                    "values": [place.per_inhabitants for place in places],
                },
                {
                    "label": _("Network median"),
                    "values": [median] * len(places),
                    "reference": True,
                },
            ],
        },
        highest=drawn[0] if drawn else None,
        lowest=drawn[-1] if drawn else None,
        left_out=[place.row.office.name for place in places if place.per_inhabitants is None],
    )


@dataclass
class MonthlySeries:
    """One figure of an office month by month, over a year and the year before (None: a
    month still to come, or no data for a mean, a median or a share)."""

    kpi: Kpi
    office: Office
    year: int
    this_year: list
    year_before: list

    @property
    def rows(self) -> list[tuple[str, object, object]]:
        """Each month's name, and its figure in the year and in the year before."""
        names = [capfirst(MONTHS[number]) for number in range(1, 13)]
        return list(zip(names, self.this_year, self.year_before, strict=True))

    @property
    def peak(self) -> tuple[str, object] | None:
        """The year's highest month so far (its name and figure)."""
        return _peak(self.this_year)

    @property
    def peak_before(self) -> tuple[str, object] | None:
        return _peak(self.year_before)

    @property
    def left_out(self) -> bool:
        """Whether some month has no figure (to come, or no data): a gap in the line."""
        return None in self.this_year or None in self.year_before

    def chart(self) -> dict:
        return {
            "type": "line",
            "labels": [capfirst(MONTHS_3[number]) for number in range(1, 13)],
            "series": [
                {"label": str(self.year), "values": self.this_year},
                {"label": str(self.year - 1), "values": self.year_before, "reference": True},
            ],
        }


def _peak(values: list) -> tuple[str, object] | None:
    """The highest month and its figure; None when no month is above zero."""
    known = [(value, number) for number, value in enumerate(values, start=1) if value]
    if not known:
        return None
    value, number = max(known, key=lambda pair: (pair[0], -pair[1]))  # the first of equals
    return capfirst(MONTHS[number]), value


def monthly_series(
    user, office: Office, code: str, year: int, today: datetime.date | None = None
) -> MonthlySeries:
    """The figure of the office for each month of `year` and of the year before. Only for an
    office the user sees in full: its figures need no disclosure control."""
    full = viewer_offices(user)
    if full is not None and office.pk not in full:
        raise PermissionDenied
    today = today or timezone.localdate()
    kpi = BY_CODE[code]
    months = [periods.month(y, n) for y in (year - 1, year) for n in range(1, 13)]
    found = rollups.stored([month for month in months if month.start <= today], None)

    def value(in_year: int, number: int):
        period = periods.month(in_year, number)
        if period.start > today:
            return None  # a month to come has no figure yet, not a zero
        cut = Cut(period=period, offices=frozenset({office.pk}))
        if period in found:  # an office's figure of the month, as its group by office says
            figure = rollups.figures_for(kpi, cut, "office", found[period]).get(office.pk)
        else:
            figure = kpi.figures(cut).get(ALL)
        return _plain((figure or _nothing(kpi)).value)

    return MonthlySeries(
        kpi=kpi,
        office=office,
        year=year,
        this_year=[value(year, number) for number in range(1, 13)],
        year_before=[value(year - 1, number) for number in range(1, 13)],
    )


@dataclass
class OwnFigure:
    """One of an advisor's own figures for a period, and the same a year before."""

    kpi: Kpi
    now: Figure
    before: Figure


# Figures that say what an advisor did (those counted by office or person are not theirs).
ADVISOR_KPIS = [
    "people_served",
    "sessions",
    "advice_hours",
    "cases_opened",
    "cases_closed",
    "cases_open",
    "businesses_verified",
    "jobs_created",
    "financing",
    "satisfaction_mean",
    "waiting_days",
    "referrals_sent",
]


def advisor_figures(user, period: Period) -> list[OwnFigure]:
    """The advisor's own work in the period (every office they work for), against the same
    period a year before: their sessions, the cases assigned to them, their referrals."""
    now, before = (
        Cut(period=period, advisor=user.pk),
        Cut(period=period.year_before(), advisor=user.pk),
    )
    figures = []
    for code in ADVISOR_KPIS:
        kpi = BY_CODE[code]
        figures.append(
            OwnFigure(
                kpi,
                kpi.figures(now).get(ALL) or _nothing(kpi),
                kpi.figures(before).get(ALL) or _nothing(kpi),
            )
        )
    return figures


@dataclass
class BreakdownLine:
    """One part of a figure (a channel, a type or a source of financing) and its share."""

    label: str
    value: object
    share: float | None  # % of the figure's total


@dataclass
class Breakdown:
    """A figure split by one of its sources' groups, for one office or the network."""

    kpi: Kpi
    group: str
    title: str
    lines: list[BreakdownLine]
    total: object


SOURCES_SHOWN = 8  # the largest sources of financing named; the rest summed as "other"


def breakdowns(user, period: Period, office: Office | None = None) -> list[Breakdown]:
    """Sessions by channel, and verified financing by type and by source, of an office the
    user sees in full or (None) of the network, for the network's roles."""
    full = viewer_offices(user)
    if full is not None and (office is None or office.pk not in full):
        raise PermissionDenied
    reported = reported_office_ids()
    cut = Cut(period=period, offices=frozenset({office.pk}) if office else reported)
    found = rolled(period, reported)
    sessions, financing = BY_CODE["sessions"], BY_CODE["financing"]
    sources = _breakdown(financing, cut, "financing_source", {}, found)
    named = sorted(sources.lines, key=lambda line: -(line.value or 0))
    if len(named) > SOURCES_SHOWN:
        other = sum((line.value or 0) for line in named[SOURCES_SHOWN - 1 :])
        named = [
            *named[: SOURCES_SHOWN - 1],
            BreakdownLine(_("other sources"), other, _share(other, sources.total)),
        ]
    sources.lines = named
    return [
        _breakdown(sessions, cut, "channel", dict(Channel.choices), found),
        _breakdown(financing, cut, "financing_type", dict(FinancingType.choices), found),
        sources,
    ]


TITLES = {
    "channel": gettext_lazy("Sessions by channel"),
    "financing_type": gettext_lazy("Financing by type"),
    "financing_source": gettext_lazy("Financing by source"),
}


def _breakdown(kpi: Kpi, cut: Cut, group: str, labels: dict, found) -> Breakdown:
    """The figure's parts over the cut's offices (summed office by office: the parts kept
    are counts and amounts)."""
    parts = {}
    for (_office, part), figure in rollups.figures_for(kpi, cut, ("office", group), found).items():
        parts[part] = parts.get(part, 0) + (figure.value or 0)
    total = sum(parts.values())
    keys = [*labels, *sorted((key for key in parts if key not in labels), key=str)]
    lines = [
        BreakdownLine(
            str(labels.get(key, key)) if key else _("not stated"),
            parts.get(key, 0),
            _share(parts.get(key, 0), total),
        )
        for key in keys
    ]
    return Breakdown(kpi, group, str(TITLES[group]), lines, total)


def _share(value, total) -> float | None:
    if not total:
        return None
    return round(100 * float(value or 0) / float(total), 1)
