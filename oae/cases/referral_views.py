"""Referral screens: refer a case's client, the inbox of referrals received, and answering."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.cases import referrals, selectors
from oae.cases.forms import ReferralAnswerForm, ReferralForm
from oae.cases.models import Referral, ReferralStatus
from oae.network.models import Office, OfficeStatus
from oae.scoping import (
    Action,
    can,
    get_case_or_404,
    referrals_received_for,
    require,
    staff_required,
)


def _network_services() -> list[tuple[str, str]]:
    """Services of the latest published model (each office offers its own selection)."""
    from oae.catalogue.content import title
    from oae.catalogue.selectors import latest_version, published_contents

    contents = published_contents(latest_version())
    return sorted(
        (
            (code, title(kind, content))
            for (kind, code), content in contents.items()
            if kind == "service"
        ),
        key=lambda pair: pair[1].lower(),
    )


@staff_required
def refer(request, public_id):
    case = get_case_or_404(request.user, public_id, Action.EDIT_CASES)
    offices = Office.objects.filter(status=OfficeStatus.OPEN).order_by("name")
    form = ReferralForm(request.POST or None, offices=offices, services=_network_services())
    if request.method == "POST" and form.is_valid():
        try:
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
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "cases/refer.html", {"case": case, "form": form})


@staff_required
def inbox(request):
    require(request.user, Action.VIEW_CASES)
    received = referrals_received_for(request.user).select_related(
        "from_office", "to_office", "case__person", "case__company"
    )
    status = request.GET.get("status", ReferralStatus.PENDING)
    if status in ReferralStatus.values:
        received = received.filter(status=status)
    return render(
        request,
        "cases/referral_inbox.html",
        {"referrals": received[:100], "status": status, "statuses": ReferralStatus.choices},
    )


def _received_or_404(user, public_id) -> Referral:
    require(user, Action.VIEW_CASES)
    referral = (
        referrals_received_for(user)
        .filter(public_id=public_id)
        .select_related("case__person", "case__company", "from_office", "to_office")
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


@staff_required
def referral_detail(request, public_id):
    referral = _received_or_404(request.user, public_id)
    can_answer = (
        can(request.user, Action.EDIT_CASES, referral.to_office)
        and referral.status == ReferralStatus.PENDING
    )
    context = selectors.referral_view(referral) | {
        "form": ReferralAnswerForm() if can_answer else None
    }
    return render(request, "cases/referral_detail.html", context)


@require_POST
@staff_required
def referral_answer(request, public_id):
    referral = _received_or_404(request.user, public_id)
    require(request.user, Action.EDIT_CASES, referral.to_office)
    form = ReferralAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or to decline."))
        return redirect("cases:referral", public_id=referral.public_id)
    try:
        answered = referrals.referral_answer(
            actor=request.user,
            referral=referral,
            accept=form.cleaned_data["answer"] == "accept",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("cases:referral", public_id=referral.public_id)
    if answered.received_case:
        messages.success(request, _("Referral accepted: the case is opened in your office."))
        return redirect("cases:detail", public_id=answered.received_case.public_id)
    messages.success(request, _("Referral declined; the other office can see why."))
    return redirect("cases:referrals")


@require_POST
@staff_required
def referral_withdraw(request, public_id):
    referral = Referral.objects.filter(public_id=public_id).select_related("case").first()
    if referral is None:
        raise Http404("No such referral")
    case = get_case_or_404(request.user, referral.case.public_id, Action.EDIT_CASES)
    try:
        referrals.referral_withdraw(actor=request.user, referral=referral)
        messages.success(request, _("Referral withdrawn."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("cases:detail", public_id=case.public_id)
