"""Rollups: the figures of every standard period (each month, quarter and year of this year and
the two before, and the year to date with the same days a year before), per office and for the
network, kept computed so that dashboards read a few rows instead of aggregating millions.

They stay exact: database triggers note the days every write touches (`TouchedDays`, see the
migration that creates them); `rollups_refresh` (a job every few minutes) computes again the
periods those days fall in, with `reports.kpis` itself, so a rollup is the raw figure by
construction. A period touched since its rollup was computed is read raw, unless its rollup is
younger than `REPORTS_ROLLUP_MAX_AGE` minutes: then it is read as it stands, and the screen says
"as of" when (`Stored.touched`). Custom ranges and cuts by municipality, service or advisor are
always read raw."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from oae.reports import periods
from oae.reports.kpis import ALL, KPIS, Cut, Figure, Kpi
from oae.reports.models import FigureRollup, RollupPeriod, TouchedDays
from oae.reports.periods import Period

YEARS = 3  # this year and the two before
WHOLE = {"people", "cases", "sessions", "businesses", "outcomes", "referrals"}
EXACT = {"euros", "fte"}  # amounts: Decimal as the database adds them up
CENTS = Decimal("0.01")
# The figures also kept in parts, per office: sessions by channel, financing by type and source.
PARTS = {"sessions": ("channel",), "financing": ("financing_type", "financing_source")}


def rolled_periods(today: datetime.date) -> list[Period]:
    """The periods kept rolled up on `today`: months begun, quarters and years of the last
    YEARS years, and the year to date with the same days a year before."""
    kept = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        kept += [periods.month(year, n) for n in range(1, 13) if datetime.date(year, n, 1) <= today]
        kept += [
            periods.quarter(year, n)
            for n in range(1, 5)
            if datetime.date(year, 3 * n - 2, 1) <= today
        ]
        kept.append(periods.year(year))
    to_date = periods.year_to_date(today)
    kept += [to_date, to_date.year_before()]
    return list(dict.fromkeys(kept))


def offices_key(offices: frozenset[int]) -> str:
    """What names a set of offices in a rollup: the network's totals are of that set."""
    return hashlib.sha256(",".join(map(str, sorted(offices))).encode()).hexdigest()


@dataclass
class Stored:
    """A period's rolled-up figures: per office, and the network's totals (None: read for
    offices only), and the parts of some figures per office (keyed by the figure's code and
    the group, then by office and part). `touched`: some write changed the period after
    `computed_at`."""

    computed_at: datetime.datetime
    touched: bool
    by_office: dict[str, dict[int, Figure]]
    totals: dict[str, dict] | None
    parts: dict[tuple[str, str], dict[tuple[int, str], Figure]]


def stored(
    wanted: list[Period], offices: frozenset[int] | None, now: datetime.datetime | None = None
) -> dict[Period, Stored]:
    """The rollups that may stand for these periods' raw figures: of the same offices (unless
    `offices` is None: per office only), and untouched since computed or young enough."""
    if not settings.REPORTS_ROLLUPS or not wanted:
        return {}
    now = now or timezone.now()
    young = now - datetime.timedelta(minutes=settings.REPORTS_ROLLUP_MAX_AGE)
    bounds = Q()
    for period in wanted:
        bounds |= Q(start=period.start, end=period.end)
    key = offices_key(offices) if offices is not None else None
    found = {
        Period(row.start, row.end): row
        for row in RollupPeriod.objects.filter(bounds)
        if key is None or row.offices_key == key
    }
    touches = list(TouchedDays.objects.values_list("first", "last")) if found else []
    touched = {
        period: any(_overlaps(period, first, last) for first, last in touches) for period in found
    }
    usable = {
        period: row
        for period, row in found.items()
        if not touched[period] or row.computed_at >= young
    }
    figures = _figures_of(list(usable.values()))
    return {
        period: Stored(
            computed_at=row.computed_at,
            touched=touched[period],
            by_office=figures[row.pk][0],
            totals=figures[row.pk][1] if offices is not None else None,
            parts=figures[row.pk][2],
        )
        for period, row in usable.items()
    }


def _overlaps(period: Period, first: datetime.date, last: datetime.date | None) -> bool:
    return first <= period.end and (last is None or last >= period.start)


def _figures_of(rows: list[RollupPeriod]) -> dict[int, tuple[dict, dict, dict]]:
    by_period = {row.pk: ({}, {}, {}) for row in rows}
    kinds = {kpi.code: kpi for kpi in KPIS}
    for figure in FigureRollup.objects.filter(period__in=rows):
        kpi = kinds.get(figure.kpi)
        if kpi is None:
            continue
        by_office, totals, parts = by_period[figure.period_id]
        value = Figure(_typed(kpi, figure.value), figure.people)
        if figure.part:
            group, _colon, part = figure.part.partition(":")
            parts.setdefault((figure.kpi, group), {})[(figure.office_id, part)] = value
        elif figure.office_id is None:
            totals[figure.kpi] = {ALL: value}
        else:
            by_office.setdefault(figure.kpi, {})[figure.office_id] = value
    return by_period


def _typed(kpi: Kpi, value: Decimal | None):
    """A stored value as the figure computes it: a whole number for counts, Decimal for
    amounts, a float for hours, means, medians and shares."""
    if value is None:
        return None
    if kpi.unit in WHOLE:
        return int(value)
    if kpi.unit in EXACT:
        return value.quantize(CENTS)
    return float(value)


def figures_for(kpi: Kpi, cut: Cut, by, found: Stored | None) -> dict:
    """The figure as `kpi.figures(cut, by)` gives it, read from the rollup when there is one
    that stands for the cut: by office, by office and a part kept (`PARTS`), or the network's
    total of the same offices."""
    plain = cut.municipality is None and not cut.service and cut.advisor is None
    if found is None or not plain:
        return kpi.figures(cut, by)
    if by == "office":
        rows = found.by_office.get(kpi.code, {})
        return {key: row for key, row in rows.items() if _within(cut, key)}
    if isinstance(by, tuple) and len(by) == 2 and (kpi.code, by[1]) in _kept(kpi):
        rows = found.parts.get((kpi.code, by[1]), {})
        return {key: row for key, row in rows.items() if _within(cut, key[0])}
    if by is None and found.totals is not None:
        return found.totals.get(kpi.code, {})
    return kpi.figures(cut, by)


def _within(cut: Cut, office: int) -> bool:
    return cut.offices is None or office in cut.offices


def _kept(kpi: Kpi) -> set[tuple[str, str]]:
    return {(kpi.code, group) for group in PARTS.get(kpi.code, ())}


def rollups_refresh(offices: frozenset[int], today: datetime.date | None = None) -> int:
    """Computes again the rolled periods that are missing, of other offices, or touched since;
    drops the periods no longer kept and the touches it has dealt with. How many periods it
    computed."""
    today = today or timezone.localdate()
    touches = list(TouchedDays.objects.values_list("pk", "first", "last"))
    key = offices_key(offices)
    existing = {Period(row.start, row.end): row for row in RollupPeriod.objects.all()}
    kept = rolled_periods(today)
    due = [
        period
        for period in kept
        if period not in existing
        or existing[period].offices_key != key
        or any(_overlaps(period, first, last) for _pk, first, last in touches)
    ]
    for period in due:
        _compute(period, offices, key)
    with transaction.atomic():
        gone = [row.pk for period, row in existing.items() if period not in kept]
        RollupPeriod.objects.filter(pk__in=gone).delete()
        TouchedDays.objects.filter(pk__in=[pk for pk, _first, _last in touches]).delete()
    return len(due)


def _compute(period: Period, offices: frozenset[int], key: str) -> None:
    computed_at = timezone.now()  # before reading: a write after this is a touch after it
    rows = []
    for kpi in KPIS:
        for office, figure in kpi.figures(Cut(period), by="office").items():
            rows.append(
                FigureRollup(
                    kpi=kpi.code, office_id=office, value=figure.value, people=figure.people
                )
            )
        total = kpi.figures(Cut(period, offices=offices)).get(ALL)
        if total is not None:
            rows.append(FigureRollup(kpi=kpi.code, value=total.value, people=total.people))
        for group in PARTS.get(kpi.code, ()):
            for (office, part), figure in kpi.figures(Cut(period), ("office", group)).items():
                rows.append(
                    FigureRollup(
                        kpi=kpi.code,
                        office_id=office,
                        part=f"{group}:{part or ''}",
                        value=figure.value,
                        people=figure.people,
                    )
                )
    with transaction.atomic():
        rollup, _created = RollupPeriod.objects.update_or_create(
            start=period.start,
            end=period.end,
            defaults={"offices_key": key, "computed_at": computed_at},
        )
        rollup.figures.all().delete()
        for row in rows:
            row.period = rollup
        FigureRollup.objects.bulk_create(rows)
