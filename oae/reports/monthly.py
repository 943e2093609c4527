"""The monthly report: a PDF per office and one for the network with the month's figures, the
year to date against the goals, the offices ranked per 10,000 inhabitants and bar charts drawn
here as SVG; generated on the 1st for the month before (`reports.tasks`), stored (one per
office and month: a month generated again replaces its file, keeping the row and its link),
listed for download and e-mailed to each office's managers and to the coordinators.

An office's report is read by that office's staff: its own figures in full, the other
offices' through disclosure control as its staff see them on the dashboard. The network's
report is for the network's roles: in full. PDFs are written in the network's language
(`LANGUAGE_CODE`); each e-mail in its reader's."""

import datetime
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Sum
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dates import MONTHS
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from weasyprint import HTML

from oae.common.pagination import LookaheadPage, lookahead_page
from oae.network.models import Office
from oae.reports import goals, periods, selectors
from oae.reports.kpis import ALL, BY_CODE, KPIS, Cut, Figure
from oae.reports.models import Goal, MonthlyReport
from oae.reports.periods import Period
from oae.reports.selectors import Comparison, OfficeFigures, Place, Trend
from oae.scoping import Action, NetworkRole, OfficeRole, can, scope_to_offices, scoped_or_404

# The figures the offices are ranked on, each with a bar chart.
RANKED = ("people_served", "advice_hours")
PER_PAGE = 36  # three years of the network's report and one office's


def previous_month(today: datetime.date) -> tuple[int, int]:
    """The year and number of the month before `today`'s (December of last year in January)."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def month_name(year: int, month: int) -> str:
    """ "May 2026", in the active language."""
    return f"{capfirst(MONTHS[month])} {year}"


# The figures, computed once for every report of a month -------------------------------------


@dataclass
class MonthFigures:
    """Every open office's figures for a month and for the same month a year before, the
    network's totals of both, and the year to date: as computed, before any disclosure
    control (each report protects its own copy as its readers may see it)."""

    period: Period
    rows: list[OfficeFigures]
    totals: dict
    rows_before: list[OfficeFigures]
    totals_before: dict


def month_figures(year: int, month: int) -> MonthFigures:
    period = periods.month(year, month)
    rows = selectors.offices_figures(period, KPIS)
    before = selectors.offices_figures(period.year_before(), KPIS)
    return MonthFigures(
        period=period,
        rows=rows,
        totals=selectors.network_totals(period, KPIS, rows),
        rows_before=before,
        totals_before=selectors.network_totals(period.year_before(), KPIS, before),
    )


def comparison_seen_by(
    full: set[int] | None, period: Period, rows: list[OfficeFigures], totals: dict
) -> Comparison:
    """What `selectors.comparison` shows a user who sees the offices `full` in full (None:
    every office), for a report made without a request: the staff of one office see theirs in
    full and the others through disclosure control, as on the dashboard."""
    # `selectors.protected` hides figures in the rows it is given: protect a copy.
    rows = [replace(row, figures=dict(row.figures)) for row in rows]
    rows, totals = selectors.protected(rows, dict(totals), KPIS, full)
    spreads = {
        kpi.code: selectors.spread([row.per_inhabitants(kpi.code) for row in rows]) for kpi in KPIS
    }
    return Comparison(
        period=period,
        kpis=KPIS,
        rows=rows,
        totals=totals,
        spreads=spreads,
        population=sum(row.population for row in rows),
        any_data=selectors.has_data(period, rows),
        population_years=sorted({row.office.municipality.population_year for row in rows}),
    )


def _trends(compared: Comparison, office: Office, rows_before: list[OfficeFigures]):
    """Each figure of the office in the month, a year before, per 10,000 inhabitants, the
    network's median and its place (as `selectors.office_trends` says them on the office's
    page)."""
    mine = next((row for row in compared.rows if row.office.pk == office.pk), None)
    earlier = next((row for row in rows_before if row.office.pk == office.pk), None)
    trends = []
    for kpi in KPIS:
        ranked = sorted(
            (
                row.per_inhabitants(kpi.code)
                for row in compared.rows
                if row.per_inhabitants(kpi.code) is not None
            ),
            reverse=True,
        )
        value = mine.per_inhabitants(kpi.code) if mine else None
        trends.append(
            Trend(
                kpi=kpi,
                now=mine.figures[kpi.code] if mine else Figure(None, 0),
                before=earlier.figures[kpi.code] if earlier else Figure(None, 0),
                per_inhabitants=value,
                network_median=compared.spreads[kpi.code].median,
                place=ranked.index(value) + 1 if value is not None else None,
                of=len(ranked),
            )
        )
    return trends


@dataclass
class NetworkGoals:
    """The network's year to date against the sum of its offices' approved goals, for the
    figures that add up over offices; the others are named as left out."""

    progress: list[goals.Progress]
    left_out: list[str]


def network_progress(year: int, until: datetime.date, offices: list[Office]) -> NetworkGoals:
    """The sum of the open offices' approved goals of `year` for each figure, against the
    network's figure from 1 January to `until`. Distinct people do not add up (a client of
    two offices counts once in the network): those figures are left out, not compared."""
    targets = dict(
        Goal.objects.filter(plan__year=year, plan__approved_at__isnull=False, office__in=offices)
        .values("kpi")
        .annotate(total=Sum("target"))
        .values_list("kpi", "total")
    )
    whole = periods.year(year)
    gone = ((until - whole.start).days + 1) / whole.days
    cut = Cut(period=Period(whole.start, until), offices=frozenset(o.pk for o in offices))
    progress, left_out = [], []
    for code in goals.GOAL_KPIS:
        if code not in targets:
            continue
        kpi = BY_CODE[code]
        if not kpi.additive:
            left_out.append(str(kpi.name))
            continue
        figure = kpi.figures(cut).get(ALL)
        achieved = float(figure.value or 0) if figure else 0.0
        expected = round(float(targets[code]) * gone, 1)
        progress.append(goals.Progress(kpi, targets[code], achieved, expected))
    return NetworkGoals(progress, left_out)


# Charts: bars drawn as inline SVG by the template, from these numbers ------------------------

CHART_WIDTH = 640  # px: the page's width (A4 less its margins) at WeasyPrint's 96 px an inch
LABEL_ROOM = 210  # the offices' names, left of the bars
VALUE_ROOM = 70  # each bar's number, right of it
ROW_HEIGHT = 20
BAR_HEIGHT = 13
LABEL_LENGTH = 32  # longer names are cut in the chart (the table gives them whole)


@dataclass(frozen=True)
class Bar:
    """One office's bar: its row's top (`y`), and where its name, bar and number go."""

    label: str
    value: float
    y: int
    width: float
    own: bool

    @property
    def label_x(self) -> int:
        return LABEL_ROOM - 6

    @property
    def text_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + 3

    @property
    def value_x(self) -> float:
        return round(LABEL_ROOM + self.width + 4, 1)


@dataclass
class BarChart:
    """Offices ranked on one figure per 10,000 inhabitants: a bar each (the longest the
    highest), the network median as a line, and the offices left out (hidden or no data),
    never drawn as zero. `title` and `description` say what it shows, for screen readers."""

    title: str
    description: str
    bars: list[Bar]
    median_x: float | None
    left_out: list[str]
    median: float | None = None
    width: int = CHART_WIDTH
    bar_x: int = LABEL_ROOM
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return ROW_HEIGHT * max(len(self.bars), 1) + 6


def _cut_label(name: str) -> str:
    return name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"


def bar_chart(places: list[Place], name: str, median: float | None) -> BarChart:
    """The bars of a ranking (`selectors.ranking`), the longest as wide as the chart allows."""
    drawn = [place for place in places if place.per_inhabitants is not None]
    room = CHART_WIDTH - LABEL_ROOM - VALUE_ROOM
    highest = max([place.per_inhabitants for place in drawn] + [median or 0]) or 1
    bars = [
        Bar(
            label=_cut_label(place.row.office.name),
            value=place.per_inhabitants,
            y=ROW_HEIGHT * number,
            width=round(room * place.per_inhabitants / highest, 1),
            own=place.row.own,
        )
        for number, place in enumerate(drawn)
    ]
    description = _("Bar chart: %(name)s per 10,000 inhabitants, office by office.") % {
        "name": name
    }
    if drawn:
        description += " " + _("Highest: %(highest)s (%(high)s); lowest: %(lowest)s (%(low)s).") % {
            "highest": drawn[0].row.office.name,
            "high": formats.localize(drawn[0].per_inhabitants),
            "lowest": drawn[-1].row.office.name,
            "low": formats.localize(drawn[-1].per_inhabitants),
        }
    return BarChart(
        title=_("%(name)s per 10,000 inhabitants") % {"name": name},
        description=description,
        bars=bars,
        median_x=LABEL_ROOM + round(room * median / highest, 1) if median is not None else None,
        left_out=[place.row.office.name for place in places if place.per_inhabitants is None],
        median=median,
    )


@dataclass
class Ranking:
    kpi: object
    places: list[Place]
    median: float | None
    chart: BarChart


def _rankings(compared: Comparison) -> list[Ranking]:
    rankings = []
    for code in RANKED:
        kpi = BY_CODE[code]
        places = selectors.ranking(compared, code)
        median = compared.spreads[code].median
        rankings.append(Ranking(kpi, places, median, bar_chart(places, str(kpi.name), median)))
    return rankings


# The PDF ---------------------------------------------------------------------------------------


def report_context(year: int, month: int, office: Office | None, figures: MonthFigures) -> dict:
    """What the PDF shows: an office's month against a year before and the network, or the
    network's month; the year to date against the goals; the rankings and their charts."""
    period = figures.period
    if office is None:
        compared = comparison_seen_by(None, period, figures.rows, figures.totals)
        before = comparison_seen_by(
            None, period.year_before(), figures.rows_before, figures.totals_before
        )
        lines = list(
            zip(selectors.network_lines(compared), selectors.network_lines(before), strict=True)
        )
        offices = [row.office for row in figures.rows]
        context = {"lines": lines, "goals": network_progress(year, period.end, offices)}
    else:
        compared = comparison_seen_by({office.pk}, period, figures.rows, figures.totals)
        context = {
            "trends": _trends(compared, office, figures.rows_before),
            "progress": goals.office_progress(office, year, today=period.end),
        }
    names = {"name": office.name if office else "", "month": month_name(year, month)}
    title = (
        _("Monthly report of %(name)s: %(month)s") % names
        if office
        else _("Monthly report of the network: %(month)s") % names
    )
    return context | {
        "title": title,
        "office": office,
        "period": period,
        "month_name": month_name(year, month),
        "year": year,
        "compared": compared,
        "rankings": _rankings(compared),
        "population_years": ", ".join(map(str, compared.population_years)),
        "generated_on": timezone.localdate(),
    }


def report_pdf(year: int, month: int, office: Office | None, figures: MonthFigures) -> bytes:
    """The report as a tagged PDF (its headings, tables and the charts' titles readable by
    screen readers), in the network's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = report_context(year, month, office, figures) | {
            "LANGUAGE_CODE": settings.LANGUAGE_CODE
        }
        html = render_to_string("reports/pdf/monthly.html", context)
    return HTML(string=html).write_pdf(pdf_tags=True)


def file_name(year: int, month: int, office: Office | None) -> str:
    """ "oae-2026-05-oae-alfa.pdf"; the network's "oae-2026-05-xarxa.pdf"."""
    who = (slugify(office.name) or str(office.public_id)) if office else "xarxa"
    return f"oae-{year}-{month:02d}-{who}.pdf"


def monthly_report_generate(
    *, year: int, month: int, office: Office | None = None, figures: MonthFigures | None = None
) -> MonthlyReport:
    """Render the month's report of the office (None: the network's) and store it. A month
    generated again replaces its file (the old one is deleted from storage once the new one is
    saved) and keeps its row, so there is never a second one and its link stays the same.
    `figures`: the month's, when several reports are generated together."""
    figures = figures or month_figures(year, month)
    pdf = report_pdf(year, month, office, figures)
    storage = MonthlyReport._meta.get_field("file").storage
    old = saved = ""
    try:
        with transaction.atomic():
            report = (
                MonthlyReport.objects.select_for_update()
                .filter(office=office, year=year, month=month)
                .first()
            ) or MonthlyReport(office=office, year=year, month=month)
            old = report.file.name if report.pk else ""
            report.file.save(file_name(year, month, office), ContentFile(pdf), save=False)
            saved = report.file.name
            report.generated_at, report.size = timezone.now(), len(pdf)
            report.save()
    except Exception:
        if saved:
            storage.delete(saved)  # no file without its row
        raise
    if old and old != saved:
        # Once the row names the new file for good; a file that cannot go is no failure.
        transaction.on_commit(lambda: storage.delete(old), robust=True)
    return report


# Announcing a month's reports ---------------------------------------------------------------


def readers(report: MonthlyReport):
    """Who is sent the report's link: the office's active managers; for the network's, the
    coordinators."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if report.office_id is None:
        return users.filter(network_role=NetworkRole.COORDINATOR).order_by("pk")
    return users.filter(
        memberships__office_id=report.office_id,
        memberships__role=OfficeRole.MANAGER,
        memberships__is_active=True,
    ).order_by("pk")


def report_link(report: MonthlyReport) -> str:
    path = reverse("reports:monthly_download", kwargs={"public_id": report.public_id})
    return settings.SITE_URL.rstrip("/") + path


def _message(report: MonthlyReport) -> tuple[str, str]:
    """The e-mail's subject and body, in the active language."""
    names = {
        "name": report.office.name if report.office else _("the network"),
        "month": month_name(report.year, report.month),
        "link": report_link(report),
        "list": settings.SITE_URL.rstrip("/") + reverse("reports:monthly"),
    }
    subject = _("Monthly report of %(month)s: %(name)s") % names
    body = (
        _(
            "Hello,\n\nThe monthly report of %(name)s for %(month)s is ready: the month's "
            "figures, the year to date against the goals and the offices compared.\n\n"
            "Download it (PDF): %(link)s\n\nEvery month's report: %(list)s\n"
        )
        % names
    )
    return subject, body


def monthly_report_announce(*, report_id: int) -> int:
    """E-mail the report's link to its readers, each in their language, once: the row is
    claimed in the transaction that sends, so a month generated again is not announced
    again, and a retry after a mail error sends what was not sent."""
    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("office")
            .filter(pk=report_id, announced_at__isnull=True)
            .first()
        )
        if report is None:
            return 0
        sent = 0
        for user in readers(report):
            with translation.override(user.language):
                subject, body = _message(report)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
        report.announced_at = timezone.now()
        report.save(update_fields=["announced_at"])
    return sent


def monthly_reports_generate_all(*, year: int, month: int) -> list[MonthlyReport]:
    """The network's report and each open office's for the month, each replacing the month's
    earlier one; then each is announced to its readers (once)."""
    figures = month_figures(year, month)
    reports = [monthly_report_generate(year=year, month=month, figures=figures)]
    for row in figures.rows:  # the open offices, as the figures count them
        reports.append(
            monthly_report_generate(year=year, month=month, office=row.office, figures=figures)
        )
    for report in reports:
        monthly_report_announce(report_id=report.pk)
    return reports


def check_month_ended(year: int, month: int, today: datetime.date | None = None) -> None:
    """Refuse a month that has not ended: its figures are still changing."""
    today = today or timezone.localdate()
    if (year, month) >= (today.year, today.month):
        raise ValidationError(_("Only a month that has ended can be generated."))


# Reading: the list and the downloads ----------------------------------------------------------


def may_generate(user) -> bool:
    """Only the network's coordinators generate a month again; auditors read."""
    return can(user, Action.MANAGE_REPORTS)


def reports_for(user):
    """The reports the user may read: an office's staff their offices'; the network's roles
    every office's and the network's."""
    reports = MonthlyReport.objects.select_related("office")
    return scope_to_offices(reports, user, Action.VIEW_REPORTS)


def monthly_reports_page(user, number) -> LookaheadPage:
    """The user's reports, the newest month first (the network's before the offices')."""
    reports = reports_for(user).order_by(
        "-year", "-month", F("office__name").asc(nulls_first=True), "pk"
    )
    return lookahead_page(reports, number, PER_PAGE)


def get_report_or_404(user, public_id) -> MonthlyReport:
    """The same 404 for a report that does not exist and one of another office (audited)."""
    return scoped_or_404(user, reports_for(user), public_id)


def report_file(report: MonthlyReport):
    """The report's PDF, open for reading (404 if its file is gone)."""
    try:
        return report.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The report's file is missing: generate the month again.")) from missing


def download_name(report: MonthlyReport) -> str:
    return file_name(report.year, report.month, report.office)
