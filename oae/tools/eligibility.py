"""Eligibility of financing programmes: each programme's rules are data (a JSON object), each
rule type is one small check that says why it passes or fails. A programme matches when every
rule passes; with one rule failing it is a near miss, shown with that rule."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oae.crm.models import LegalForm
from oae.network.models import Municipality

TARGET_GROUPS = {
    "young": gettext_lazy("young founders (under 30)"),
    "unemployed": gettext_lazy("unemployed founders"),
    "women": gettext_lazy("women founders"),
    "over_45": gettext_lazy("founders over 45"),
    "disability": gettext_lazy("founders with a disability"),
}


@dataclass(frozen=True)
class Profile:
    """What the person says about the project; nothing that identifies them."""

    company_age_months: int  # 0: not started yet
    legal_form: str
    cnae_section: str  # A…U, or "" when unknown
    municipality: str  # INE code, or ""
    employees: int
    amount: Decimal
    groups: frozenset[str] = frozenset()
    today: datetime.date = field(default_factory=datetime.date.today)


@dataclass(frozen=True)
class Check:
    passed: bool
    reason: str


def _age(rules, p):
    limit = rules["max_company_age_months"]
    ok = p.company_age_months <= limit
    return Check(
        ok,
        _("the business is %(age)s months old; the limit is %(limit)s")
        % {"age": p.company_age_months, "limit": limit},
    )


def _legal_forms(rules, p):
    allowed = rules["legal_forms"]
    names = ", ".join(str(LegalForm(v).label) for v in allowed if v in LegalForm.values)
    ok = p.legal_form in allowed
    return Check(ok, _("legal forms accepted: %(forms)s") % {"forms": names})


def _cnae_excluded(rules, p):
    excluded = rules["cnae_sections_excluded"]
    ok = not p.cnae_section or p.cnae_section not in excluded
    return Check(
        ok,
        _("activities of sections %(sections)s are excluded") % {"sections": ", ".join(excluded)},
    )


def _cnae_included(rules, p):
    included = rules["cnae_sections_included"]
    ok = p.cnae_section in included
    return Check(
        ok, _("only activities of sections %(sections)s") % {"sections": ", ".join(included)}
    )


def _municipalities(rules, p):
    codes = rules["municipalities"]
    names = ", ".join(
        Municipality.objects.filter(ine_code__in=codes).values_list("name", flat=True)
    )
    ok = p.municipality in codes
    return Check(ok, _("for businesses in %(towns)s") % {"towns": names or ", ".join(codes)})


def _employees(rules, p):
    limit = rules["max_employees"]
    ok = p.employees <= limit
    return Check(
        ok,
        _("up to %(limit)s employees (you have %(count)s)")
        % {"limit": limit, "count": p.employees},
    )


def _amount(rules, p):
    low, high = Decimal(str(rules["amount_range"][0])), Decimal(str(rules["amount_range"][1]))
    ok = low <= p.amount <= high
    return Check(
        ok,
        _("amounts from %(low)s € to %(high)s € (you need %(amount)s €)")
        % {"low": low, "high": high, "amount": p.amount},
    )


def _groups(rules, p):
    wanted = rules["target_groups_any"]
    ok = bool(set(wanted) & p.groups)
    names = ", ".join(str(TARGET_GROUPS[g]) for g in wanted if g in TARGET_GROUPS)
    return Check(ok, _("for %(groups)s") % {"groups": names})


def _deadline(rules, p):
    deadline = datetime.date.fromisoformat(rules["deadline"])
    ok = p.today <= deadline
    return Check(ok, _("applications until %(date)s") % {"date": deadline.strftime("%d/%m/%Y")})


def _not_started(rules, p):
    ok = p.company_age_months == 0
    return Check(ok, _("only before the business starts trading"))


RULES = {
    "max_company_age_months": _age,
    "legal_forms": _legal_forms,
    "cnae_sections_excluded": _cnae_excluded,
    "cnae_sections_included": _cnae_included,
    "municipalities": _municipalities,
    "max_employees": _employees,
    "amount_range": _amount,
    "target_groups_any": _groups,
    "deadline": _deadline,
    "before_start": _not_started,
}


def rules_problems(rules: dict) -> list[str]:
    """What is wrong with a programme's rules (for the coordinators' form)."""
    problems = [
        _("“%(name)s” is not a rule type we know.") % {"name": name}
        for name in rules
        if name not in RULES
    ]
    if "amount_range" in rules:
        value = rules["amount_range"]
        if not (isinstance(value, list) and len(value) == 2 and 0 <= value[0] <= value[1]):
            problems.append(_("amount_range needs [minimum, maximum] with minimum ≤ maximum."))
    if "deadline" in rules:
        try:
            datetime.date.fromisoformat(str(rules["deadline"]))
        except ValueError:
            problems.append(_("deadline must be a date like 2026-12-31."))
    return problems


@dataclass
class Evaluation:
    programme: object
    passed: list[str]
    failed: list[str]

    @property
    def matches(self) -> bool:
        return not self.failed


def evaluate(programme, profile: Profile) -> Evaluation:
    checks = [RULES[name](programme.rules, profile) for name in programme.rules if name in RULES]
    return Evaluation(
        programme=programme,
        passed=[c.reason for c in checks if c.passed],
        failed=[c.reason for c in checks if not c.passed],
    )


def find(programmes, profile: Profile) -> tuple[list[Evaluation], list[Evaluation]]:
    """(matching programmes, near misses with exactly one failing rule)."""
    evaluations = [evaluate(p, profile) for p in programmes]
    matches = [e for e in evaluations if e.matches]
    near = [e for e in evaluations if len(e.failed) == 1]
    return matches, near
