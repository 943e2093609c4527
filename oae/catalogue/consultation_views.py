"""Consultation rounds: coordinators open them on items of the draft, every member of staff
and the auditor read them, an office's managers answer for their office once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oae.catalogue import consultation
from oae.catalogue import content as content_lib
from oae.catalogue.consultation_forms import AnswerForm, RoundForm, refusal_on_form
from oae.common.exports import table_response
from oae.scoping import Action, can, office_to_act_for, require, staff_required

_ROUND_FIELDS = {"item_keys": "items"}  # the service's arguments named otherwise on the form


@staff_required
def round_list(request):
    require(request.user, Action.VIEW_PROPOSALS)
    context = {
        "rounds": consultation.round_rows(request.user),
        "can_open": can(request.user, Action.EDIT_NETWORK_MODEL),
        "sees_every_office": consultation.sees_every_office(request.user),
    }
    return render(request, "catalogue/round_list.html", context)


@staff_required
def round_new(request):
    require(request.user, Action.EDIT_NETWORK_MODEL)
    form = RoundForm(request.POST or None, groups=consultation.draft_item_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = consultation.round_open(
                actor=request.user,
                title=data["title"],
                questions=data["questions"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                item_keys=form.item_keys(),
            )
        except ValidationError as error:
            refusal_on_form(form, error, lambda name: _ROUND_FIELDS.get(name, name))
        else:
            messages.success(request, _("The round is open to the offices on its first day."))
            return redirect("catalogue:round", public_id=opened.public_id)
    return render(request, "catalogue/round_form.html", {"form": form})


@staff_required
def round_detail(request, public_id):
    require(request.user, Action.VIEW_PROPOSALS)
    found = consultation.get_round_or_404(public_id)
    office = getattr(request, "office", None)
    context = {
        "summary": consultation.round_summary(
            request.user, found, language=content_lib.current_language()
        ),
        "office": office,
        "office_answer": consultation.office_answer(found, office),
        "may_answer": consultation.may_answer(request.user, found, office),
        "sees_every_office": consultation.sees_every_office(request.user),
    }
    return render(request, "catalogue/round_detail.html", context)


@staff_required
def round_answer(request, public_id):
    require(request.user, Action.ANSWER_CONSULTATION)
    office = office_to_act_for(request, Action.ANSWER_CONSULTATION)
    found = consultation.get_round_or_404(public_id)
    refusal = consultation.answer_refusal(found, office)
    if refusal is not None:
        messages.error(request, " ".join(refusal.messages))
        return redirect("catalogue:round", public_id=found.public_id)
    items = consultation.round_items(found, language=content_lib.current_language())
    form = AnswerForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            consultation.round_answer(
                actor=request.user,
                office=office,
                round=found,
                items=form.answers(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) in consultation.ROUND_REFUSALS:
                messages.error(request, " ".join(error.messages))
                return redirect("catalogue:round", public_id=found.public_id)
            refusal_on_form(form, error, form.field_of)
        else:
            messages.success(request, _("Your office's answer is saved. Thank you."))
            return redirect("catalogue:round", public_id=found.public_id)
    context = {"round": found, "office": office, "form": form}
    return render(request, "catalogue/round_answer.html", context)


@staff_required
def round_export(request, public_id, file_format):
    require(request.user, Action.VIEW_PROPOSALS)
    found = consultation.get_round_or_404(public_id)
    return table_response(
        columns=consultation.EXPORT_COLUMNS,
        objects=consultation.round_export_rows(request.user, found),
        file_format=file_format,
        filename=f"round-{slugify(found.title)[:50] or found.public_id}",
    )
