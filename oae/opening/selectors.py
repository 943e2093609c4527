"""Reads of the opening domain for its pages: the network board (what needs attention first),
a municipality's path item by item, the agreements with their expiry, and the yearly review's
scorecard from the reports' KPI layer."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from oae.catalogue.content import text
from oae.network.models import JobRole
from oae.opening import facts, playbook
from oae.opening.models import (
    EXPIRY_WARNING_DAYS,
    Agreement,
    Evidence,
    ItemState,
    Path,
    PlaybookVersion,
    Review,
)
from oae.reports import goals, periods
from oae.reports.kpis import BY_CODE
from oae.reports.selectors import comparison
from oae.training.certificates import induction_certified
from oae.training.staffing import staffing_plan


def stall_days(path: Path) -> int:
    return path.version.content.get("stall_days", 45)


def is_stalled(path: Path, today: datetime.date) -> bool:
    """No new evidence (nor fact) for longer than the playbook allows, and not complete."""
    if path.complete:
        return False
    last = timezone.localdate(path.last_evidence_at) if path.last_evidence_at else path.started_on
    return (today - last).days > stall_days(path)


def expiring(agreement: Agreement | None, today: datetime.date) -> bool:
    """In force but ending, or its renewal to decide, within 90 days."""
    if agreement is None or agreement.ends_on <= today:
        return False
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    return min(agreement.ends_on, agreement.renewal_on) <= horizon


def latest_agreements(municipality_ids) -> dict[int, Agreement]:
    """Each municipality's latest agreement (the one in force or last signed)."""
    found = {}
    for agreement in Agreement.objects.filter(municipality_id__in=municipality_ids).order_by(
        "signed_on", "pk"
    ):
        found[agreement.municipality_id] = agreement
    return found


@dataclass
class ItemView:
    item: playbook.Item
    state: ItemState | None
    due_on: datetime.date | None = None
    proof: facts.Proof | None = None
    history: list[Evidence] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.state is not None and self.state.done_at is not None

    @property
    def sent_back(self) -> bool:
        """A coordinator opened it again, saying why (shown until new evidence)."""
        return not self.done and self.state is not None and bool(self.state.reopen_reason)

    @property
    def undone(self) -> bool:
        """A fact that once completed it stopped holding."""
        return not self.done and self.state is not None and self.state.undone_at is not None

    @property
    def fact_label(self):
        fact = facts.FACTS.get(self.item.fact)
        return fact.label if fact else ""

    def overdue(self, today: datetime.date) -> bool:
        return not self.done and self.due_on is not None and self.due_on < today


@dataclass
class StageView:
    key: str
    name: str
    items: list[ItemView]
    current: bool

    @property
    def done_count(self) -> int:
        return sum(i.done for i in self.items)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.items)


def _due(path: Path, item: playbook.Item, current: bool) -> datetime.date | None:
    """Items are due counted from the day their stage began; later stages have no dates yet."""
    return path.stage_since + datetime.timedelta(days=item.target_days) if current else None


def stage_views(path: Path, states: dict[str, ItemState], *, with_history=False) -> list[StageView]:
    history: dict[str, list[Evidence]] = {}
    if with_history:
        for evidence in path.evidence.filter(review=None).select_related("added_by"):
            history.setdefault(evidence.item_key, []).append(evidence)
    views = []
    for stage in playbook.stages(path.version.content):
        current = stage["key"] == path.stage_key and not path.complete
        items = []
        for item in playbook.stage_items(stage):
            view = ItemView(item, states.get(item.key), _due(path, item, current))
            view.history = history.get(item.key, [])
            if with_history and item.evidence == "fact" and view.done:
                view.proof = facts.proof(item.fact, path)
            items.append(view)
        views.append(StageView(stage["key"], text(stage["name"]), items, current))
    return views


@dataclass
class BoardRow:
    path: Path
    stage_name: str
    stage_number: int
    days_in_stage: int
    done: int
    total: int
    overdue: int
    stalled: bool
    agreement: Agreement | None
    agreement_expiring: bool
    review_due: bool = False

    @property
    def share(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def attention(self) -> int:
        """What comes first on the board: stalled, then overdue items, then an expiring
        agreement or a yearly review to hold."""
        return (
            4 * self.stalled + 2 * bool(self.overdue) + (self.agreement_expiring or self.review_due)
        )

    @property
    def reasons(self) -> list[str]:
        return [
            name
            for name, on in (
                ("stalled", self.stalled),
                ("overdue", self.overdue),
                ("expiring", self.agreement_expiring),
                ("review", self.review_due),
            )
            if on
        ]


def review_due(path: Path, views: list[ItemView], reviewed: set[int], today: datetime.date) -> bool:
    """An office open before this year (its "office open" fact holding since then) without
    its review of last year."""
    opened = [
        view.state.done_at
        for view in views
        if view.item.fact == "office_open" and view.done and view.state.by_fact
    ]
    return (
        bool(opened) and timezone.localdate(opened[0]).year < today.year and path.pk not in reviewed
    )


def board_rows(paths, today: datetime.date | None = None) -> list[BoardRow]:
    """Each path's progress, those needing attention first, then by stage and town."""
    today = today or timezone.localdate()
    paths = list(paths)
    states: dict[int, dict[str, ItemState]] = {}
    for state in ItemState.objects.filter(path__in=paths, review=None):
        states.setdefault(state.path_id, {})[state.item_key] = state
    agreements = latest_agreements([p.municipality_id for p in paths])
    reviewed = set(
        Review.objects.filter(path__in=paths, year=today.year - 1).values_list("path_id", flat=True)
    )
    rows = []
    for path in paths:
        stages = stage_views(path, states.get(path.pk, {}))
        number = next((n for n, s in enumerate(stages, 1) if s.key == path.stage_key), len(stages))
        items = [i for s in stages for i in s.items]
        agreement = agreements.get(path.municipality_id)
        rows.append(
            BoardRow(
                path=path,
                stage_name=stages[number - 1].name,
                stage_number=number,
                days_in_stage=(today - path.stage_since).days,
                done=sum(i.done for i in items),
                total=len(items),
                overdue=sum(i.overdue(today) for i in items),
                stalled=is_stalled(path, today),
                agreement=agreement,
                agreement_expiring=expiring(agreement, today),
                review_due=review_due(path, items, reviewed, today),
            )
        )
    return sorted(rows, key=lambda r: (-r.attention, r.stage_number, r.path.municipality.name))


def stage_counts(rows: list[BoardRow], content: dict) -> list[tuple[str, str, int]]:
    """Municipalities by stage of the latest playbook: (key, name, count)."""
    return [
        (stage["key"], text(stage["name"]), sum(r.path.stage_key == stage["key"] for r in rows))
        for stage in playbook.stages(content)
    ]


def filtered(rows: list[BoardRow], *, stage: str, attention: bool, q: str) -> list[BoardRow]:
    """The board's rows a coordinator asked for: a stage, what needs attention, a town."""
    words = q.casefold().split()
    return [
        row
        for row in rows
        if (not stage or row.path.stage_key == stage)
        and (not attention or row.attention)
        and all(word in row.path.municipality.name.casefold() for word in words)
    ]


@dataclass
class AgreementRow:
    agreement: Agreement
    in_force: bool
    expiring: bool
    renewed: bool


def agreement_rows(
    agreements: list[Agreement], today: datetime.date | None = None
) -> list[AgreementRow]:
    """Agreements, those ending soonest first; renewed ones after, as history."""
    today = today or timezone.localdate()
    renewed = set(
        Agreement.objects.filter(renews__in=agreements).values_list("renews_id", flat=True)
    )
    rows = [
        AgreementRow(
            a,
            a.signed_on <= today < a.ends_on,
            a.pk not in renewed and expiring(a, today),
            a.pk in renewed,
        )
        for a in agreements
    ]
    return sorted(rows, key=lambda r: (r.renewed, not r.expiring, r.agreement.ends_on))


def agreement_history(agreement: Agreement) -> list[Agreement]:
    """The municipality's agreements, latest first (renewals and what they renewed)."""
    return list(Agreement.objects.filter(municipality=agreement.municipality))


def renewal_initial(agreement: Agreement) -> dict:
    """A renewal starts from the terms of the agreement it renews."""
    return {
        "parties": agreement.parties,
        "term_months": agreement.term_months,
        "network_obligations": agreement.network_obligations,
        "municipality_obligations": agreement.municipality_obligations,
    }


@dataclass
class PathPage:
    path: Path
    stages: list[StageView]
    newer: PlaybookVersion | None
    changes: list[playbook.Change]
    agreements: list[Agreement]
    reviews: list[Review]
    contacts: list
    stalled: bool
    overdue: int
    days_in_stage: int


def path_page(path: Path, today: datetime.date | None = None) -> PathPage:
    today = today or timezone.localdate()
    states = {s.item_key: s for s in path.states.filter(review=None)}
    stages = stage_views(path, states, with_history=True)
    newer = PlaybookVersion.objects.filter(number__gt=path.version.number).first()
    return PathPage(
        path=path,
        stages=stages,
        newer=newer,
        changes=playbook.changes(path.version.content, newer.content) if newer else [],
        agreements=list(Agreement.objects.filter(municipality=path.municipality)),
        reviews=list(
            path.reviews.annotate(open_actions=Count("actions", filter=Q(actions__done_on=None)))
        ),
        contacts=list(path.contacts.select_related("user").order_by("-is_active", "user__email")),
        stalled=is_stalled(path, today),
        overdue=sum(i.overdue(today) for s in stages for i in s.items),
        days_in_stage=(today - path.stage_since).days,
    )


# The yearly review ------------------------------------------------------------------------

SCORECARD_KPIS = (
    "people_served",
    "cases_opened",
    "businesses_verified",
    "jobs_created",
    "satisfaction_mean",
)
SATISFACTION_ENOUGH = 7  # of 10: the network's threshold for a satisfied clientele


def _number(value):
    return None if value is None else float(value)


def scorecard(user, path: Path, year: int) -> dict:
    """The office's year against its goals, per 10,000 inhabitants against the network's
    median, its staffing and its agreement: a JSON snapshot kept with the review."""
    office = path.office
    compared = comparison(user, periods.year(year), list(SCORECARD_KPIS))
    row = next((r for r in compared.rows if r.office.pk == office.pk), None)
    targets = {p.kpi.code: p for p in goals.office_progress(office, year)}
    figures = []
    for kpi in compared.kpis:
        figure = row.figures.get(kpi.code) if row else None
        progress = targets.get(kpi.code)
        figures.append(
            {
                "code": kpi.code,
                "value": _number(figure.value) if figure else None,
                "per_10000": row.comparable(kpi.code) if row else None,
                "median": compared.spreads[kpi.code].median,
                "goal": _number(progress.target) if progress else None,
                "met": progress.achieved >= float(progress.target) if progress else None,
            }
        )
    today = timezone.localdate()
    plan = staffing_plan(office, today)
    jobs = [person.membership.job for person in plan.people]
    team = {p.membership.user_id for p in plan.people if p.membership.job != JobRole.FRONT_DESK}
    agreement = latest_agreements([path.municipality_id]).get(path.municipality_id)
    return {
        "year": year,
        "figures": figures,
        "staff": {
            "managers": jobs.count(JobRole.MANAGER),
            "advisors": jobs.count(JobRole.ADVISOR),
            "planned_fte": float(plan.needed),
            "in_post_fte": float(plan.in_post),
            "vacant_fte": float(plan.vacancy),
            "team": len(team),
            "trained": len(induction_certified(team)),
        },
        "agreement": {
            "in_force": bool(agreement and agreement.signed_on <= today < agreement.ends_on),
            "ends_on": str(agreement.ends_on) if agreement else None,
            "expiring": expiring(agreement, today),
        },
    }


def scorecard_rows(card: dict) -> list[dict]:
    """The kept scorecard's figures with their names in the reader's language."""
    return [
        figure | {"name": BY_CODE[figure["code"]].name}
        for figure in card.get("figures", [])
        if figure["code"] in BY_CODE
    ]


@dataclass
class Signal:
    sustainable: bool
    reasons: list[tuple[str, bool]]  # (reason code, holds)


def sustainability(card: dict) -> Signal:
    """Sustainable when the goals are met (at least half of those set), the staff is in
    place (a manager, an advisor, no post of the plan vacant), clients are satisfied and the
    agreement is in force; each reason shown."""
    judged = [f["met"] for f in card.get("figures", []) if f["met"] is not None]
    satisfaction = next(
        (f["value"] for f in card.get("figures", []) if f["code"] == "satisfaction_mean"), None
    )
    staff = card.get("staff", {})
    reasons = [
        ("goals", bool(judged) and 2 * sum(judged) >= len(judged)),
        (
            "staff",
            staff.get("managers", 0) >= 1
            and staff.get("advisors", 0) >= 1
            and not staff.get("vacant_fte"),
        ),
        ("satisfaction", satisfaction is not None and satisfaction >= SATISFACTION_ENOUGH),
        ("agreement", bool(card.get("agreement", {}).get("in_force"))),
    ]
    return Signal(all(holds for _, holds in reasons), reasons)


@dataclass
class ReviewPage:
    review: Review
    items: list[ItemView]
    signal: Signal
    actions: list

    @property
    def agreement_ends(self) -> datetime.date | None:
        ends = self.review.scorecard.get("agreement", {}).get("ends_on")
        return datetime.date.fromisoformat(ends) if ends else None


def review_page(review: Review) -> ReviewPage:
    states = {s.item_key: s for s in ItemState.objects.filter(review=review)}
    history: dict[str, list[Evidence]] = {}
    for evidence in review.evidence.select_related("added_by"):
        history.setdefault(evidence.item_key, []).append(evidence)
    items = []
    for item in playbook.review_items(review.path.version.content):
        view = ItemView(item, states.get(item.key), history=history.get(item.key, []))
        if item.evidence == "fact" and view.done:
            view.proof = facts.proof(item.fact, review.path, review)
        items.append(view)
    return ReviewPage(review, items, sustainability(review.scorecard), list(review.actions.all()))


# The playbook -----------------------------------------------------------------------------


def playbook_versions() -> list[PlaybookVersion]:
    return list(PlaybookVersion.objects.select_related("published_by"))


def playbook_version(number: int) -> tuple[PlaybookVersion, PlaybookVersion | None] | None:
    """A version and the one before it (None for the first); None when there is no such."""
    shown = PlaybookVersion.objects.filter(number=number).first()
    if shown is None:
        return None
    return shown, PlaybookVersion.objects.filter(number__lt=number).order_by("-number").first()


@dataclass
class DraftStage:
    key: str
    name: dict
    items: list[playbook.Item]


def draft_stages(content: dict) -> list[DraftStage]:
    """The stages with their items, then the yearly review's items as a stage of key ""."""
    found = [
        DraftStage(s["key"], s["name"], playbook.stage_items(s)) for s in playbook.stages(content)
    ]
    return [*found, DraftStage("", {}, playbook.review_items(content))]


def draft_item(content: dict, stage_key: str, item_key: str) -> tuple[str, dict | None]:
    """The stage and the item an edit is about (404 for one not in the draft)."""
    if item_key:
        for stage in [
            *playbook.stages(content),
            {"key": "", "items": content.get("review_items", [])},
        ]:
            for item in stage["items"]:
                if item["key"] == item_key:
                    return stage["key"], item
        raise Http404("No such item in the draft")
    if stage_key and stage_key not in {s["key"] for s in playbook.stages(content)}:
        raise Http404("No such stage in the draft")
    return stage_key, None


def stage_name(content: dict, stage_key: str) -> str:
    stage = next((s for s in playbook.stages(content) if s["key"] == stage_key), None)
    return text(stage["name"]) if stage else ""
