"""Every figure the network reports, defined once: its code, name, what counts, unit and source,
and how it is computed for any cut (offices, municipality, service, advisor, period), whole or
grouped by office, municipality, service or advisor, or by several of them at once (open data
reads a month by municipality and service in one query). Screens, files and open data all read
figures from here (`reports.selectors`), so they agree.

Each figure also says how many distinct people it is built on: statistical disclosure control
(`reports.disclosure`) hides what rests on too few people before a figure leaves the office."""

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Min, Q, Sum
from django.utils.translation import gettext_lazy as _

from oae.cases.models import (
    Case,
    Outcome,
    OutcomeKind,
    Referral,
    ReferralStatus,
    Session,
    SurveyResponse,
    Verification,
)
from oae.crm.models import Person
from oae.reports.periods import Period

ALL = "all"  # the key of a figure not grouped
GROUPS = ("office", "municipality", "service", "advisor")
# Groups only some sources have: sessions by channel, financing by type and by source.
BREAKDOWNS = ("channel", "financing_type", "financing_source")


@dataclass(frozen=True)
class Cut:
    """What a figure is counted over: a period, and optionally some offices (None: the whole
    network), one municipality, one service (catalogue code) and one advisor."""

    period: Period
    offices: frozenset[int] | None = None
    municipality: int | None = None
    service: str = ""
    advisor: int | None = None


@dataclass(frozen=True)
class Figure:
    """A figure's value (None: no data) and the distinct people it rests on."""

    value: int | float | Decimal | None
    people: int


# Where figures come from: each source's model, its date, and the field that holds each group
# (and the person) on its rows.
@dataclass(frozen=True)
class Source:
    model: type
    date: str
    fields: dict[str, str]

    def rows(self, cut: Cut):
        """The source's rows within the cut."""
        first, after = cut.period.bounds
        rows = self.model.objects.filter(**{f"{self.date}__gte": first, f"{self.date}__lt": after})
        return self.within(rows, cut)

    def within(self, rows, cut: Cut):
        """`rows` limited to the cut's offices, municipality, service and advisor."""
        if cut.offices is not None:
            rows = rows.filter(**{f"{self.fields['office']}__in": cut.offices})
        if cut.municipality is not None:
            rows = rows.filter(**{self.fields["municipality"]: cut.municipality})
        if cut.service:
            rows = rows.filter(**{self.fields["service"]: cut.service})
        if cut.advisor is not None:
            rows = rows.filter(**{self.fields["advisor"]: cut.advisor})
        return rows


SESSIONS = Source(
    Session,
    "started_at",
    {
        "office": "office_id",
        "municipality": "office__municipality_id",
        "service": "case__service_code",
        "advisor": "advisor_id",
        "person": "person_id",
        "channel": "channel",
    },
)
CASES_OPENED = Source(
    Case,
    "opened_at",
    {
        "office": "office_id",
        "municipality": "office__municipality_id",
        "service": "service_code",
        "advisor": "assigned_to_id",
        "person": "person_id",
    },
)
CASES_CLOSED = Source(Case, "closed_at", CASES_OPENED.fields)
OUTCOMES = Source(
    Outcome,
    "occurred_on",
    {
        "office": "case__office_id",
        "municipality": "case__office__municipality_id",
        "service": "case__service_code",
        "advisor": "case__assigned_to_id",
        "person": "case__person_id",
        "financing_type": "financing_type",
        "financing_source": "source",
    },
)
SURVEYS = Source(
    SurveyResponse,
    "answered_at",
    {
        "office": "office_id",
        "municipality": "office__municipality_id",
        "service": "case__service_code",
        "advisor": "case__assigned_to_id",
        "person": "case__person_id",
    },
)
REFERRALS = Source(
    Referral,
    "created_at",
    {
        "office": "from_office_id",
        "municipality": "from_office__municipality_id",
        "service": "case__service_code",
        "advisor": "created_by_id",
        "person": "case__person_id",
    },
)
NEW_CLIENTS = Source(
    Person,
    "created_at",
    {
        "office": "office_id",
        "municipality": "office__municipality_id",
        "person": "id",
    },
)


def _grouped(rows, source: Source, by: str | tuple[str, ...] | None, **aggregates) -> dict:
    """The aggregates per group (`by`; a tuple of groups: keyed by tuples of their values), or
    for the whole cut under ALL; each with `people`, the distinct people of its rows."""
    aggregates["people"] = Count(source.fields["person"], distinct=True)
    if by is None:
        return {ALL: rows.aggregate(**aggregates)}
    groups = (by,) if isinstance(by, str) else by
    if not all(group in source.fields for group in groups):
        return {}
    fields = [source.fields[group] for group in groups]
    found = rows.order_by().values(*fields).annotate(**aggregates)
    if isinstance(by, str):
        return {row[fields[0]]: row for row in found}
    return {tuple(row[name] for name in fields): row for row in found}


def _figures(grouped: dict, value: str, scale=None) -> dict:
    figures = {}
    for key, row in grouped.items():
        number = row[value]
        if number is not None and scale is not None:
            number = scale(number)
        figures[key] = Figure(number, row["people"])
    return figures


def _count(source: Source, condition: Q | None = None):
    """A figure that counts the source's rows (those meeting `condition`)."""

    def compute(cut: Cut, by: str | None) -> dict:
        rows = source.rows(cut)
        if condition is not None:
            rows = rows.filter(condition)
        return _figures(_grouped(rows, source, by, value=Count("pk")), "value")

    return compute


def _total(source: Source, amount: str, condition: Q | None = None, scale=None):
    """A figure that adds up a column of the source's rows."""

    def compute(cut: Cut, by: str | None) -> dict:
        rows = source.rows(cut)
        if condition is not None:
            rows = rows.filter(condition)
        grouped = _grouped(rows, source, by, value=Sum(amount))
        return {
            key: Figure(figure.value or 0, figure.people)
            for key, figure in _figures(grouped, "value", scale).items()
        }

    return compute


def _people_served(cut: Cut, by: str | None) -> dict:
    """Distinct people with a session: a client of two offices counts once in a total."""
    return _figures(_grouped(SESSIONS.rows(cut), SESSIONS, by), "people")


def _open_cases(cut: Cut, by: str | None) -> dict:
    """Cases open on the period's last day."""
    first, after = cut.period.bounds
    rows = CASES_OPENED.within(Case.objects.filter(opened_at__lt=after), cut).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=after)
    )
    return _figures(_grouped(rows, CASES_OPENED, by, value=Count("pk")), "value")


def _medians(pairs, people: dict) -> dict:
    """The median of each group's values, with the people each group rests on."""
    values = defaultdict(list)
    for key, value in pairs:
        values[key].append(value)
    return {
        key: Figure(round(statistics.median(found), 1), people.get(key, 0))
        for key, found in values.items()
    }


def _people_of(rows, source: Source, by: str | None) -> dict:
    return {key: row["people"] for key, row in _grouped(rows, source, by).items()}


def _waiting_days(cut: Cut, by: str | None) -> dict:
    """Median days from a case's opening to its first session, of the cases opened in the
    period that had one."""
    if by is not None and by not in CASES_OPENED.fields:
        return {}
    rows = (
        CASES_OPENED.rows(cut)
        .annotate(first_session=Min("sessions__started_at"))
        .filter(first_session__isnull=False)
    )
    days = []
    group = CASES_OPENED.fields[by] if by else None
    fields = (
        ("opened_at", "first_session") if group is None else (group, "opened_at", "first_session")
    )
    for row in rows.values_list(*fields):
        key = ALL if group is None else row[0]
        opened, first = row[-2], row[-1]
        days.append((key, max((first - opened).days, 0)))
    return _medians(days, _people_of(rows, CASES_OPENED, by))


def _answer_days(cut: Cut, by: str | None) -> dict:
    """Median days from a referral to its answer, of those sent in the period and answered."""
    if by is not None and by not in REFERRALS.fields:
        return {}
    rows = REFERRALS.rows(cut).filter(responded_at__isnull=False)
    group = REFERRALS.fields[by] if by else None
    fields = (
        ("created_at", "responded_at") if group is None else (group, "created_at", "responded_at")
    )
    days = []
    for row in rows.values_list(*fields):
        key = ALL if group is None else row[0]
        days.append((key, max((row[-1] - row[-2]).days, 0)))
    return _medians(days, _people_of(rows, REFERRALS, by))


def _satisfaction_mean(cut: Cut, by: str | None) -> dict:
    rows = SURVEYS.rows(cut).filter(score__isnull=False)
    grouped = _grouped(rows, SURVEYS, by, value=Avg("score"))
    return _figures(grouped, "value", lambda mean: round(float(mean), 1))


def _satisfaction_share(cut: Cut, by: str | None) -> dict:
    """The share (%) of answers scoring 9 or 10."""
    rows = SURVEYS.rows(cut).filter(score__isnull=False)
    grouped = _grouped(rows, SURVEYS, by, answers=Count("pk"), high=Count("pk", Q(score__gte=9)))
    return {
        key: Figure(
            round(100 * row["high"] / row["answers"], 1) if row["answers"] else None, row["people"]
        )
        for key, row in grouped.items()
    }


@dataclass(frozen=True)
class Kpi:
    """One figure: what it is called and means, its unit and source, whether it adds up over
    offices (counts, hours, amounts) or not (distinct people, means, medians, shares), and how
    it is computed."""

    code: str
    name: str
    definition: str
    unit: str
    source: str
    additive: bool
    compute: Callable[[Cut, str | None], dict] = field(repr=False)
    impact: bool = False  # verified impact: only verified outcomes count
    lower_is_better: bool = False  # waiting days: the office with fewest ranks first

    @property
    def per_head(self) -> bool:
        """Whether the figure divides by inhabitants or advisors: counts, amounts and people
        do; a mean, a median or a share is compared as it is."""
        return self.additive or self.unit == "people"

    @property
    def unit_name(self) -> str:
        return UNITS[self.unit]

    def figures(self, cut: Cut, by: str | tuple[str, ...] | None = None) -> dict:
        """The figure for the cut (under ALL), or per group (per tuple of groups, for the
        figures computed from their source's rows: not the medians)."""
        return self.compute(cut, by)


UNITS = {
    "people": _("people"),
    "cases": _("cases"),
    "hours": _("hours"),
    "sessions": _("sessions"),
    "businesses": _("businesses"),
    "fte": _("full-time jobs"),
    "euros": _("euros"),
    "outcomes": _("outcomes"),
    "score": _("score 0–10"),
    "percent": _("%"),
    "days": _("days"),
    "referrals": _("referrals"),
}
VERIFIED = Q(verification=Verification.VERIFIED)
DECLARED = Q(verification=Verification.DECLARED)


def _outcomes(kind: str, more: Q | None = None) -> Q:
    condition = Q(kind=kind)
    return condition & more if more is not None else condition


KPIS = [
    Kpi(
        "people_served",
        _("People served"),
        _(
            "Distinct people with at least one advice session in the period. A client served "
            "by several offices counts once in a total over those offices."
        ),
        "people",
        _("Case management: sessions"),
        False,
        _people_served,
    ),
    Kpi(
        "new_clients",
        _("New clients"),
        _("People registered by the office in the period, in the joint database."),
        "people",
        _("Joint database: registrations"),
        True,
        _count(NEW_CLIENTS),
    ),
    Kpi(
        "cases_opened",
        _("Cases opened"),
        _("Cases opened in the period."),
        "cases",
        _("Case management: cases"),
        True,
        _count(CASES_OPENED),
    ),
    Kpi(
        "cases_closed",
        _("Cases closed"),
        _("Cases closed in the period, whatever the reason."),
        "cases",
        _("Case management: cases"),
        True,
        _count(CASES_CLOSED),
    ),
    Kpi(
        "cases_open",
        _("Open cases"),
        _("Cases open at the end of the period's last day."),
        "cases",
        _("Case management: cases"),
        True,
        _open_cases,
    ),
    Kpi(
        "advice_hours",
        _("Hours of advice"),
        _("The length of every advice session held in the period, in hours."),
        "hours",
        _("Case management: sessions"),
        True,
        _total(SESSIONS, "duration_minutes", scale=lambda minutes: round(minutes / 60, 1)),
    ),
    Kpi(
        "sessions",
        _("Sessions"),
        _("Advice sessions held in the period, on any channel."),
        "sessions",
        _("Case management: sessions"),
        True,
        _count(SESSIONS),
    ),
    Kpi(
        "businesses_verified",
        _("Businesses created (verified)"),
        _(
            "Businesses created by clients in the period, verified with evidence by the office. "
            "Only verified outcomes count as verified impact."
        ),
        "businesses",
        _("Case management: outcomes"),
        True,
        _count(OUTCOMES, _outcomes(OutcomeKind.BUSINESS_CREATED, VERIFIED)),
        impact=True,
    ),
    Kpi(
        "businesses_declared",
        _("Businesses created (declared)"),
        _("Businesses clients say they created in the period, not yet verified."),
        "businesses",
        _("Case management: outcomes"),
        True,
        _count(OUTCOMES, _outcomes(OutcomeKind.BUSINESS_CREATED, DECLARED)),
    ),
    Kpi(
        "jobs_created",
        _("Jobs created"),
        _("Full-time equivalent jobs created, verified outcomes of the period."),
        "fte",
        _("Case management: outcomes"),
        True,
        _total(OUTCOMES, "jobs_fte", _outcomes(OutcomeKind.JOBS_CREATED, VERIFIED)),
        impact=True,
    ),
    Kpi(
        "jobs_kept",
        _("Jobs kept"),
        _("Full-time equivalent jobs kept, verified outcomes of the period."),
        "fte",
        _("Case management: outcomes"),
        True,
        _total(OUTCOMES, "jobs_fte", _outcomes(OutcomeKind.JOBS_KEPT, VERIFIED)),
        impact=True,
    ),
    Kpi(
        "financing",
        _("Financing mobilised"),
        _(
            "Euros of financing obtained by clients (loans, grants, equity, microcredits, own "
            "funds), verified outcomes of the period."
        ),
        "euros",
        _("Case management: outcomes"),
        True,
        _total(OUTCOMES, "amount", _outcomes(OutcomeKind.FINANCING, VERIFIED)),
        impact=True,
    ),
    Kpi(
        "procedures",
        _("Licences and procedures completed"),
        _("Licences and procedures clients completed in the period, verified."),
        "outcomes",
        _("Case management: outcomes"),
        True,
        _count(OUTCOMES, _outcomes(OutcomeKind.PROCEDURE, VERIFIED)),
        impact=True,
    ),
    Kpi(
        "training",
        _("Training completed"),
        _("Training courses clients completed in the period, verified."),
        "outcomes",
        _("Case management: outcomes"),
        True,
        _count(OUTCOMES, _outcomes(OutcomeKind.TRAINING, VERIFIED)),
        impact=True,
    ),
    Kpi(
        "satisfaction_mean",
        _("Satisfaction"),
        _("The mean score (0 to 10) of the satisfaction surveys answered in the period."),
        "score",
        _("Case management: surveys"),
        False,
        _satisfaction_mean,
    ),
    Kpi(
        "satisfaction_high",
        _("Very satisfied"),
        _("The share of the surveys answered in the period that score 9 or 10."),
        "percent",
        _("Case management: surveys"),
        False,
        _satisfaction_share,
    ),
    Kpi(
        "waiting_days",
        _("Waiting time to the first session"),
        _(
            "The median days from a case's opening to its first session, of the cases opened "
            "in the period that had a session."
        ),
        "days",
        _("Case management: cases and sessions"),
        False,
        _waiting_days,
        lower_is_better=True,
    ),
    Kpi(
        "referrals_sent",
        _("Referrals sent"),
        _("Referrals the office sent to another office or service in the period."),
        "referrals",
        _("Case management: referrals"),
        True,
        _count(REFERRALS),
    ),
    Kpi(
        "referrals_accepted",
        _("Referrals accepted"),
        _("Referrals sent in the period that the receiving office accepted."),
        "referrals",
        _("Case management: referrals"),
        True,
        _count(REFERRALS, Q(status=ReferralStatus.ACCEPTED)),
    ),
    Kpi(
        "referrals_declined",
        _("Referrals declined"),
        _("Referrals sent in the period that the receiving office declined."),
        "referrals",
        _("Case management: referrals"),
        True,
        _count(REFERRALS, Q(status=ReferralStatus.DECLINED)),
    ),
    Kpi(
        "referral_answer_days",
        _("Time to answer a referral"),
        _(
            "The median days from a referral to its answer, of those sent in the period and "
            "answered."
        ),
        "days",
        _("Case management: referrals"),
        False,
        _answer_days,
        lower_is_better=True,
    ),
]
BY_CODE = {kpi.code: kpi for kpi in KPIS}
