"""The network's annual goals: the coordinator proposes them from the population, edits them
and approves them; the auditor reads them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.common.input import parsed
from oae.reports import goals, selectors
from oae.reports.forms import GoalActionForm, GoalGridForm, NetworkGoalsForm, YearQueryForm
from oae.scoping import Action, can, require, staff_required

ACTIONS = ("propose", "save", "approve")


@staff_required
def goal_plan(request):
    """The year's goals per office and figure (this year unless `?year=`); a POST proposes
    them from the network's goals, saves the grid, or approves the year."""
    require(request.user, Action.VIEW_NETWORK_REPORTS)
    year = parsed(YearQueryForm, request.GET)["year"] or timezone.localdate().year
    offices, kpis = list(selectors.reported_offices()), goals.goal_kpis()
    grid = goals.goal_grid(year)
    asked = parsed(GoalActionForm, request.POST) if request.method == "POST" else {}
    action = asked.get("action", "")
    proposal = NetworkGoalsForm(request.POST if action == "propose" else None, kpis=kpis)
    table = GoalGridForm(
        request.POST if action == "save" else None, offices=offices, kpis=kpis, goals=grid["goals"]
    )
    if action in ACTIONS:
        require(request.user, Action.MANAGE_REPORTS)
        try:
            if action == "approve" and not asked["confirm"]:
                raise ValidationError(_("Tick the box to confirm the approval."))
            if _apply(request, year, action, proposal, table):
                return redirect(f"{request.path}?year={year}")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context = {
        "year": year,
        "plan": grid["plan"],
        "kpis": kpis,
        "rows": _rows(offices, kpis, table, goals.population_shares(offices)),
        "proposal": proposal,
        "table": table,
        "can_edit": can(request.user, Action.MANAGE_REPORTS)
        and not (grid["plan"] and grid["plan"].approved),
    }
    return render(request, "reports/goals.html", context)


def _apply(request, year: int, action: str, proposal, table) -> bool:
    """Carry out the coordinator's action; False when its form has errors (shown)."""
    if action == "propose":
        if not proposal.is_valid():
            return False
        goals.goals_propose(actor=request.user, year=year, network_targets=proposal.targets())
        messages.success(request, _("Goals proposed from each municipality's population."))
    elif action == "save":
        if not table.is_valid():
            return False
        goals.goals_set(actor=request.user, year=year, targets=table.targets())
        messages.success(request, _("The goals have been saved."))
    else:
        goals.goals_approve(actor=request.user, year=year)
        messages.success(request, _("The goals of %(year)s are approved.") % {"year": year})
    return True


def _rows(offices, kpis, table, shares: dict) -> list[dict]:
    """Each office with its share of the population (%) and its goal fields, in the
    figures' order."""
    return [
        {
            "office": office,
            "share": round(100 * shares[office.pk], 1),
            "fields": [table[f"goal_{office.pk}_{kpi.code}"] for kpi in kpis],
        }
        for office in offices
    ]
