"""Referral screens: refer a case's client, the inbox of referrals received, and answering."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.cases import referrals, selectors, services
from oae.cases.access import (
    get_case_child_or_404,
    get_case_or_404,
    get_referral_received_or_404,
)
from oae.cases.forms import ReferralAnswerForm, ReferralForm, ReferralInboxForm
from oae.cases.models import Referral, ReferralStatus
from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.common.input import parsed
from oae.privacy.services import list_read_logged
from oae.scoping import Action, require, staff_required


@staff_required
def refer(request, public_id):
    case = get_case_or_404(request.user, public_id, Action.EDIT_CASES)
    form = ReferralForm(
        request.POST or None,
        offices=selectors.referral_offices(),
        services=selectors.network_services(),
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            referrals.referral_create(
                actor=request.user,
                case=case,
                to_office=form.offices[form.cleaned_data["to_office"]],
                service_code=form.cleaned_data["service"],
                reason=form.cleaned_data["reason"],
                shared=form.cleaned_data["shared"],
                consent_given_now=form.cleaned_data["consent"],
            )
            messages.success(request, _("Referral sent. You will see the answer on the case."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/refer.html", {"case": case, "form": form})


@staff_required
def inbox(request):
    require(request.user, Action.VIEW_CASES)
    status = parsed(ReferralInboxForm, request.GET)["status"]
    referrals = selectors.referrals_received(user=request.user, status=status)
    list_read_logged(
        actor=request.user,
        action="cases.referral.inbox_read",
        office=request.office,
        filters={"status": status},
    )
    context = {
        "referrals": referrals,
        "status": status,
        "statuses": ReferralStatus.choices,
    }
    return render(request, "cases/referral_inbox.html", context)


@staff_required
def referral_detail(request, public_id):
    referral = get_referral_received_or_404(request.user, public_id)
    services.referral_read_logged(actor=request.user, referral=referral)
    context = selectors.referral_view(user=request.user, referral=referral)
    context["form"] = ReferralAnswerForm() if context["can_answer"] else None
    return render(request, "cases/referral_detail.html", context)


@require_POST
@staff_required
def referral_answer(request, public_id):
    referral = get_referral_received_or_404(request.user, public_id)
    require(request.user, Action.EDIT_CASES, referral.to_office)
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to decline."))
        return redirect("cases:referral", public_id=referral.public_id)
    answered = None
    with refusals_as_messages(request):
        answered = referrals.referral_answer(
            actor=request.user,
            referral=referral,
            accept=form.cleaned_data["answer"] == "accept",
            note=form.cleaned_data["note"],
        )
    if answered is None:
        return redirect("cases:referral", public_id=referral.public_id)
    if answered.received_case:
        messages.success(request, _("Referral accepted: the case is opened in your office."))
        return redirect("cases:detail", public_id=answered.received_case.public_id)
    messages.success(request, _("Referral declined; the other office can see why."))
    return redirect("cases:referrals")


@require_POST
@staff_required
def referral_withdraw(request, public_id):
    referral = get_case_child_or_404(request.user, Referral, public_id, Action.EDIT_CASES)
    with refusals_as_messages(request):
        referrals.referral_withdraw(actor=request.user, referral=referral)
        messages.success(request, _("Referral withdrawn."))
    return redirect("cases:detail", public_id=referral.case.public_id)
