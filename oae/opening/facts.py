"""Facts the platform already knows that complete playbook items by themselves, each with the
proof in words and a link to it. A fact that stops holding (the staff left) opens its item
again. Each fact reads the municipality's path (and, for a review's items, the review)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oae.cases.models import Case, SurveyResponse
from oae.catalogue.models import OfficeItem
from oae.network.models import JobRole, OfficeStatus, OpeningPeriod
from oae.opening.models import Agreement, Path, Review
from oae.training.certificates import induction_certified
from oae.training.staffing import StaffingPlan, staffing_plan


@dataclass(frozen=True)
class Proof:
    text: str
    url: str = ""


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def contact_invited(path: Path, review: Review | None) -> Proof | None:
    contact = path.contacts.filter(is_active=True).select_related("user").first()
    if contact is None:
        return None
    return Proof(
        _("Municipal contact: %(name)s")
        % {"name": contact.user.get_full_name() or contact.user.email},
        reverse("opening:path", args=[path.public_id]) + "#contacts",
    )


def _latest_agreement(path: Path) -> Agreement | None:
    return Agreement.objects.filter(municipality_id=path.municipality_id).first()


def agreement_signed(path: Path, review: Review | None) -> Proof | None:
    agreement = _latest_agreement(path)
    if agreement is None:
        return None
    return Proof(
        _("Agreement signed on %(day)s (%(file)s)")
        % {"day": _day(agreement.signed_on), "file": agreement.original_name},
        reverse("opening:agreement", args=[agreement.public_id]),
    )


def agreement_in_force(path: Path, review: Review | None) -> Proof | None:
    agreement = _latest_agreement(path)
    today = timezone.localdate()
    if agreement is None or not agreement.signed_on <= today < agreement.ends_on:
        return None
    return Proof(
        _("Agreement in force until %(day)s") % {"day": _day(agreement.ends_on)},
        reverse("opening:agreement", args=[agreement.public_id]),
    )


def office_recorded(path: Path, review: Review | None) -> Proof | None:
    if path.office is None:
        return None
    return Proof(path.office.name, reverse("network:office_detail", args=[path.office.public_id]))


def services_chosen(path: Path, review: Review | None) -> Proof | None:
    if path.office is None:
        return None
    adopted = (
        OfficeItem.objects.filter(office=path.office, adopted_version__isnull=False)
        .select_related("adopted_version")
        .order_by("adopted_version__number")
        .first()
    )
    if adopted is None:
        return None
    return Proof(
        _("Catalogue adopted from version %(number)s") % {"number": adopted.adopted_version.number},
        reverse("catalogue:office_catalogue", args=[path.office.public_id]),
    )


def hours_published(path: Path, review: Review | None) -> Proof | None:
    office = path.office
    if office is None or not office.address:
        return None
    periods = OpeningPeriod.objects.filter(office=office).count()
    if not periods:
        return None
    return Proof(
        _("%(address)s, %(count)s opening periods a week")
        % {"address": office.address, "count": periods},
        reverse("network:office_detail", args=[office.public_id]),
    )


def _plan(path: Path) -> StaffingPlan | None:
    return staffing_plan(path.office, timezone.localdate()) if path.office else None


def _jobs_in_post(plan: StaffingPlan) -> tuple[int, int]:
    jobs = [person.membership.job for person in plan.people]
    return jobs.count(JobRole.MANAGER), jobs.count(JobRole.ADVISOR)


def staff_in_place(path: Path, review: Review | None) -> Proof | None:
    """A manager and an advisor in post; the proof sets them against the staffing plan."""
    plan = _plan(path)
    if plan is None:
        return None
    managers, advisors = _jobs_in_post(plan)
    if not managers or not advisors:
        return None
    words = _("%(managers)s manager(s) and %(advisors)s advisor(s) in post") % {
        "managers": managers,
        "advisors": advisors,
    }
    if plan.needed:
        words += " · " + _("%(in_post)s of %(needed)s full-time posts planned") % {
            "in_post": _fte(plan.in_post),
            "needed": _fte(plan.needed),
        }
        if plan.vacancy:
            words += " · " + _("%(vacancy)s vacant") % {"vacancy": _fte(plan.vacancy)}
    return Proof(words, reverse("training:staffing_office", args=[path.office.public_id]))


def _fte(value) -> str:
    return number_format(value.normalize(), use_l10n=True)


def staff_trained(path: Path, review: Review | None) -> Proof | None:
    """Every manager and advisor in post holds the induction's certificate (in force)."""
    plan = _plan(path)
    if plan is None:
        return None
    team = [p.membership for p in plan.people if p.membership.job != JobRole.FRONT_DESK]
    if not team:
        return None
    certified = induction_certified({membership.user_id for membership in team})
    if any(membership.user_id not in certified for membership in team):
        return None
    return Proof(
        _("All %(count)s managers and advisors in post hold the induction certificate")
        % {"count": len(team)},
        reverse("training:staffing_office", args=[path.office.public_id]),
    )


def office_open(path: Path, review: Review | None) -> Proof | None:
    if path.office is None or path.office.status != OfficeStatus.OPEN:
        return None
    return Proof(
        _("%(office)s is open") % {"office": path.office.name},
        reverse("network:office_detail", args=[path.office.public_id]),
    )


def first_case(path: Path, review: Review | None) -> Proof | None:
    if path.office is None:
        return None
    opened = (
        Case.objects.filter(office=path.office)
        .order_by("opened_at")
        .values_list("opened_at", flat=True)
        .first()
    )
    if opened is None:
        return None
    return Proof(_("First case opened on %(day)s") % {"day": _day(timezone.localtime(opened))})


def first_survey(path: Path, review: Review | None) -> Proof | None:
    if path.office is None:
        return None
    answered = (
        SurveyResponse.objects.filter(office=path.office, answered_at__isnull=False)
        .order_by("answered_at")
        .values_list("answered_at", flat=True)
        .first()
    )
    if answered is None:
        return None
    return Proof(
        _("First survey answered on %(day)s") % {"day": _day(timezone.localtime(answered))}
    )


def _reviews(path: Path, review: Review | None):
    return [review] if review is not None else list(path.reviews.all())


def review_meeting(path: Path, review: Review | None) -> Proof | None:
    held = [r for r in _reviews(path, review) if r.met_on is not None]
    if not held:
        return None
    first = min(held, key=lambda r: r.met_on)
    return Proof(
        _("Review of %(year)s held on %(day)s") % {"year": first.year, "day": _day(first.met_on)},
        reverse("opening:review", args=[first.public_id]),
    )


def review_actions(path: Path, review: Review | None) -> Proof | None:
    for candidate in _reviews(path, review):
        count = candidate.actions.count()
        if count:
            return Proof(
                _("%(count)s action(s) agreed") % {"count": count},
                reverse("opening:review", args=[candidate.public_id]),
            )
    return None


@dataclass(frozen=True)
class Fact:
    label: object
    check: Callable[[Path, Review | None], Proof | None]


FACTS: dict[str, Fact] = {
    "contact_invited": Fact(gettext_lazy("a municipal contact is invited"), contact_invited),
    "agreement_signed": Fact(
        gettext_lazy("an agreement is recorded with its PDF"), agreement_signed
    ),
    "agreement_in_force": Fact(
        gettext_lazy("the latest agreement is in force"), agreement_in_force
    ),
    "office_recorded": Fact(gettext_lazy("the office is recorded in the network"), office_recorded),
    "services_chosen": Fact(
        gettext_lazy("the office adopted a catalogue version"), services_chosen
    ),
    "hours_published": Fact(
        gettext_lazy("the office has its address and opening hours"), hours_published
    ),
    "staff_in_place": Fact(
        gettext_lazy("a manager and an advisor are in post at the office"), staff_in_place
    ),
    "staff_trained": Fact(
        gettext_lazy("every manager and advisor in post holds the induction certificate"),
        staff_trained,
    ),
    "office_open": Fact(gettext_lazy("the office's status is open"), office_open),
    "first_case": Fact(gettext_lazy("the office opened its first case"), first_case),
    "first_survey": Fact(gettext_lazy("a client answered the satisfaction survey"), first_survey),
    "review_meeting": Fact(gettext_lazy("a yearly review meeting is recorded"), review_meeting),
    "review_actions": Fact(gettext_lazy("the review agreed actions"), review_actions),
}


def proof(code: str, path: Path, review: Review | None = None) -> Proof | None:
    return FACTS[code].check(path, review)
