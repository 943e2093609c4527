"""The legal-form advisor: a few answers rank the legal forms with the reasons, minimum capital,
costs and steps. The figures (capital, costs, the profit above which a company usually pays
less tax) are data of a year, kept in `LegalFormGuide`, never here."""

from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from oae.crm.models import LegalForm
from oae.tools.models import LegalFormGuide

TAXATIONS = ("income", "corporate")
NUMBERS = ("min_founders", "min_capital", "setup_cost", "yearly_cost")


@dataclass(frozen=True)
class Answers:
    founders: int
    limited_liability: bool  # wants personal assets protected
    expected_profit: Decimal  # yearly, before tax
    capital: Decimal  # what the founders can put in
    cooperative_model: bool
    investors: bool  # outside investors are expected
    professional: bool = False  # a regulated profession (lawyers, architects…)

    @classmethod
    def from_data(cls, data: dict) -> "Answers":
        return cls(
            founders=int(data["founders"]),
            limited_liability=bool(data["limited_liability"]),
            expected_profit=Decimal(str(data["expected_profit"])),
            capital=Decimal(str(data["capital"])),
            cooperative_model=bool(data["cooperative_model"]),
            investors=bool(data["investors"]),
            professional=bool(data.get("professional", False)),
        )

    def data(self) -> dict:
        """Plain JSON, as kept in the session or a saved result (decimals as exact text)."""
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(self).items()}


@dataclass
class Ranked:
    form: dict
    score: int = 0
    reasons: list[str] = field(default_factory=list)  # in favour
    against: list[str] = field(default_factory=list)
    excluded: str = ""  # why it is not possible


def _possible(form: dict, answers: Answers) -> str:
    if answers.founders < form["min_founders"]:
        return _("needs at least %(n)s founders") % {"n": form["min_founders"]}
    if form.get("max_founders") and answers.founders > form["max_founders"]:
        return _("is for one person only")
    if answers.capital < Decimal(str(form["min_capital"])):
        return _("needs a capital of at least %(capital)s €") % {"capital": form["min_capital"]}
    return ""


def _weigh(ranked: Ranked, answers: Answers, guide: dict) -> None:
    form, threshold = ranked.form, Decimal(str(guide["profit_for_company"]))
    company = form["taxation"] == "corporate"

    def good(points: int, text: str) -> None:
        ranked.score += points
        ranked.reasons.append(text)

    def bad(points: int, text: str) -> None:
        ranked.score -= points
        ranked.against.append(text)

    if answers.limited_liability:
        if form["limited_liability"]:
            good(3, _("your personal assets are not at risk for the business's debts"))
        else:
            bad(3, _("you answer for the business's debts with your personal assets"))
    if answers.expected_profit >= threshold:
        if company:
            good(
                2,
                _(
                    "from about %(n)s € of profit a year, corporate tax usually costs less "
                    "than income tax"
                )
                % {"n": threshold},
            )
        else:
            bad(1, _("at this profit, income tax usually costs more than corporate tax"))
    elif not company:
        good(2, _("the simplest and cheapest to start and run at this level of profit"))
    else:
        bad(1, _("its running costs weigh more than its tax advantage at this level of profit"))
    if answers.cooperative_model:
        if form["id"] == "cooperative":
            good(4, _("the members run it democratically: one person, one vote"))
        elif form["id"] == "labour":
            good(2, _("most of the capital belongs to the people who work in it"))
        else:
            bad(1, _("it is not a model of shared ownership by the workers"))
    if answers.investors:
        if form["id"] in ("limited", "public_limited"):
            good(3, _("investors can come in by buying shares"))
        elif not form["limited_liability"]:
            bad(2, _("outside investors cannot come in easily"))
    if answers.professional and company:
        bad(
            1,
            _(
                "a regulated profession practised as a company must be a professional company, "
                "entered in the register of its professional association"
            ),
        )


def rank(guide: dict, answers: Answers) -> list[Ranked]:
    """Possible forms first, best score first; impossible ones last, with the reason."""
    ranked = []
    for form in guide["forms"]:
        entry = Ranked(form=form, excluded=_possible(form, answers))
        if not entry.excluded:
            _weigh(entry, answers, guide)
        ranked.append(entry)
    return sorted(ranked, key=lambda r: (bool(r.excluded), -r.score))


def guide_for(year: int | None = None):
    """The guide of the year (this year by default), or the latest one before it."""
    year = year or timezone.localdate().year
    guides = LegalFormGuide.objects.all()
    return guides.filter(year__lte=year).first() or guides.order_by("year").first()


def _number_problem(form_id: str, key: str, value) -> str:
    try:
        if value is None or Decimal(str(value)) < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        return _("Form %(id)s: %(key)s must be a number of 0 or more.") % {
            "id": form_id,
            "key": key,
        }
    return ""


def _form_problems(form, known: set[str]) -> list[str]:
    if not isinstance(form, dict) or form.get("id") not in known:
        return [_("Every form needs an id among: %(ids)s.") % {"ids": ", ".join(sorted(known))}]
    form_id = form["id"]
    problems = [_number_problem(form_id, key, form.get(key)) for key in NUMBERS]
    if form.get("taxation") not in TAXATIONS:
        problems.append(_("Form %(id)s: taxation is income or corporate.") % {"id": form_id})
    if not isinstance(form.get("limited_liability"), bool):
        problems.append(_("Form %(id)s: limited_liability is true or false.") % {"id": form_id})
    if not (form.get("steps") or {}).get("ca"):
        problems.append(_("Form %(id)s needs its steps in Catalan.") % {"id": form_id})
    return [p for p in problems if p]


def guide_problems(content) -> list[str]:
    """What is wrong with a guide a coordinator wrote; empty when it can be used."""
    if not isinstance(content, dict):
        return [_("The guide must be a JSON object.")]
    problems = []
    year = content.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(_("year must be a year like 2027."))
    problem = _number_problem("—", "profit_for_company", content.get("profit_for_company"))
    problems += [problem] if problem else []
    forms = content.get("forms")
    if not isinstance(forms, list) or not forms:
        return problems + [_("Add at least one legal form.")]
    known = set(LegalForm.values)
    for form in forms:
        problems += _form_problems(form, known)
    ids = [f.get("id") for f in forms if isinstance(f, dict)]
    if len(ids) != len(set(ids)):
        problems.append(_("A legal form appears twice."))
    return problems
