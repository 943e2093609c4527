"""The staffing plan's pages: the offices with their full-time posts needed, in post and
vacant; an office's plan, its people in post and the competences they have still to certify,
where the office's managers and the coordinators change the positions and each post; and the
network's training needs, with the sessions to schedule first."""

import datetime
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oae.common.feedback import refusals_on_form
from oae.common.input import parsed
from oae.network.models import JobRole
from oae.scoping import staff_required
from oae.training import access, staffing, staffing_services
from oae.training.staffing_forms import MembershipPostForm, PositionForm, StaffingQueryForm


def staffing_required(view):
    """Sign-in, staff (as `staff_required`), then someone who reads a staffing plan: 403
    for advisors and read-only staff."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.may_read_staffing(request.user):
            raise PermissionDenied("staffing: an office's managers and the network's roles")
        return view(request, *args, **kwargs)

    return wrapper


def _day(request) -> datetime.date:
    return parsed(StaffingQueryForm, request.GET)["on"] or timezone.localdate()


def _editable_office(request, public_id):
    office = access.get_staffing_office_or_404(request.user, public_id)
    if not access.may_edit_staffing(request.user, office):
        raise PermissionDenied("staffing: the office's managers and coordinators")
    return office


def _plan_url(office) -> str:
    return reverse("training:staffing_office", args=[office.public_id])


@staffing_required
def offices(request):
    """Every office whose plan the user reads; a manager of one office goes straight to it."""
    day = _day(request)
    scoped = access.staffing_offices_for(request.user)
    if access.staffing_office_ids(request.user) is not None and len(scoped) == 1:
        query = "" if day == timezone.localdate() else f"?{urlencode({'on': day.isoformat()})}"
        return redirect(_plan_url(scoped[0]) + query)
    context = {"rows": staffing.staffing_overview(scoped, day), "day": day}
    return render(request, "training/staffing_list.html", context)


def _plan_page(request, office, position_form=None):
    day = _day(request)
    can_edit = access.may_edit_staffing(request.user, office)
    context = {
        "plan": staffing.staffing_plan(office, day),
        "can_edit": can_edit,
        "position_form": position_form or (PositionForm() if can_edit else None),
        "is_today": day == timezone.localdate(),
        "can_see_list": access.staffing_office_ids(request.user) is None,
    }
    return render(request, "training/staffing_office.html", context)


@staffing_required
def office_plan(request, public_id):
    return _plan_page(request, access.get_staffing_office_or_404(request.user, public_id))


@require_http_methods(["GET", "POST"])
@staffing_required
def position_save(request, public_id):
    """Add a job to the plan or change its posts; sent wrong, the plan again with the form's
    reasons. The plan shown then has this address: read again (a reload, the plan's day or
    the language changed) it is the plan itself."""
    office = _editable_office(request, public_id)
    if request.method != "POST":
        day = parsed(StaffingQueryForm, request.GET)["on"]
        query = f"?{urlencode({'on': day.isoformat()})}" if day else ""
        return redirect(_plan_url(office) + query)
    form = PositionForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            position = staffing_services.position_save(
                actor=request.user, office=office, **form.cleaned_data
            )
            messages.success(
                request,
                _("The plan needs %(fte)s full-time posts of %(job)s.")
                % {"fte": floatformat(position.fte, "-2"), "job": position.get_job_role_display()},
            )
            return redirect(_plan_url(office))
    return _plan_page(request, office, position_form=form)


@staffing_required
def position_remove(request, public_id, job: str):
    """GET asks for confirmation; POST takes the job out of the plan."""
    office = _editable_office(request, public_id)
    position = staffing.position_or_404(office, job)
    if request.method != "POST":
        return render(request, "training/position_remove.html", {"position": position})
    staffing_services.position_remove(actor=request.user, position=position)
    messages.success(
        request,
        _("%(job)s is no longer in the plan; the people in that job stay in post.")
        % {"job": capfirst(JobRole(job).label)},
    )
    return redirect(_plan_url(office))


@staffing_required
def membership_post(request, public_id, membership_id):
    """The post a member of staff holds: job, share of a full-time post, dates."""
    office = _editable_office(request, public_id)
    membership = access.post_of_office_or_404(request.user, office, membership_id)
    form = MembershipPostForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            staffing_services.membership_post_save(
                actor=request.user, membership=membership, **form.cleaned_data
            )
            messages.success(
                request,
                _("The post of %(name)s is saved.") % {"name": membership.user.display_name},
            )
            return redirect(_plan_url(office))
    return render(
        request, "training/membership_post.html", {"form": form, "membership": membership}
    )


@staff_required
def training_needs(request):
    """The network's training needs: coordinators, who schedule the sessions, and auditors."""
    if not access.may_read_training_needs(request.user):
        raise PermissionDenied("training needs: the network's roles")
    day = _day(request)
    context = {
        "needs": staffing.network_training_needs(day),
        "can_schedule": access.may_manage(request.user),
        "is_today": day == timezone.localdate(),
    }
    return render(request, "training/training_needs.html", context)
