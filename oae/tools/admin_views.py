"""Coordinators' pages to maintain the tools' data: the self-diagnosis questionnaire (JSON,
versioned, checked before saving) and the catalogue of financing programmes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.input import parsed
from oae.scoping import Action, can, require, staff_required
from oae.tools import selectors, services
from oae.tools.forms import LegalGuideForm, ProgrammeForm, QuestionnaireForm, YearQueryForm
from oae.tools.selectors import QUESTIONNAIRE_CODE


@staff_required
def questionnaire(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)
    versions = selectors.questionnaire_versions(QUESTIONNAIRE_CODE)
    latest = versions.first()
    form = QuestionnaireForm(
        request.POST or None, initial={"content": latest.content if latest else {}}
    )
    if request.method == "POST":
        require(request.user, Action.EDIT_NETWORK_MODEL)
        if form.is_valid():
            try:
                draft = services.questionnaire_draft_save(
                    actor=request.user,
                    code=QUESTIONNAIRE_CODE,
                    content=form.cleaned_data["content"],
                )
                messages.success(request, _("Draft of version %(v)s saved.") % {"v": draft.version})
                return redirect("tools:questionnaire")
            except ValidationError as error:
                form.add_error("content", error)
    return render(
        request,
        "tools/questionnaire.html",
        {
            "form": form,
            "versions": versions,
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
            "draft": latest if latest and latest.published_at is None else None,
        },
    )


@require_POST
@staff_required
def questionnaire_publish(request):
    require(request.user, Action.EDIT_NETWORK_MODEL)
    try:
        draft = services.questionnaire_publish(actor=request.user, code=QUESTIONNAIRE_CODE)
        messages.success(request, _("Version %(v)s published.") % {"v": draft.version})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tools:questionnaire")


@staff_required
def programmes(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)
    return render(
        request,
        "tools/programmes.html",
        {
            "programmes": selectors.financing_programmes(),
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )


@staff_required
def programme_edit(request, code=None):
    require(request.user, Action.EDIT_NETWORK_MODEL)
    instance = selectors.get_programme_or_404(code) if code else None
    form = ProgrammeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_save(actor=request.user, programme=form.programme())
            messages.success(request, _("Programme saved."))
            return redirect("tools:programmes")
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "tools/programme_form.html", {"form": form, "programme": instance})


@staff_required
def legal_forms(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)
    shown = selectors.legal_form_guide_shown(parsed(YearQueryForm, request.GET)["year"])
    form = LegalGuideForm(request.POST or None, initial={"content": shown.content if shown else {}})
    form.fields["content"].disabled = not can(request.user, Action.EDIT_NETWORK_MODEL)
    if request.method == "POST":
        require(request.user, Action.EDIT_NETWORK_MODEL)
        if form.is_valid():
            try:
                guide = services.legal_guide_save(
                    actor=request.user, content=form.cleaned_data["content"]
                )
                messages.success(request, _("Guide of %(year)s saved.") % {"year": guide.year})
                return redirect(f"{request.path}?year={guide.year}")
            except ValidationError as error:
                form.add_error("content", error)
    return render(
        request,
        "tools/legal_forms.html",
        {
            "form": form,
            "guides": selectors.legal_form_guides(),
            "shown": shown,
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )
