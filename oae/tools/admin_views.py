"""Coordinators' pages to maintain the tools' data: the self-diagnosis questionnaire (JSON,
versioned, checked before saving) and the catalogue of financing programmes."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oae.scoping import Action, can, require, staff_required
from oae.tools import services
from oae.tools.models import FinancingProgramme, Questionnaire

CODE = "maduresa"


class JsonField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 24, "class": "code", "spellcheck": "false"})

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return json.loads(value or "null")
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
                % {"line": error.lineno, "column": error.colno, "reason": error.msg}
            ) from error

    def prepare_value(self, value):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)


class QuestionnaireForm(forms.Form):
    content = JsonField(label=gettext_lazy("Questionnaire (JSON)"))


@staff_required
def questionnaire(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)
    versions = Questionnaire.objects.filter(code=CODE).order_by("-version")
    latest = versions.first()
    form = QuestionnaireForm(
        request.POST or None, initial={"content": latest.content if latest else {}}
    )
    if request.method == "POST":
        require(request.user, Action.EDIT_NETWORK_MODEL)
        if form.is_valid():
            try:
                draft = services.questionnaire_draft_save(
                    actor=request.user, code=CODE, content=form.cleaned_data["content"]
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
        draft = services.questionnaire_publish(actor=request.user, code=CODE)
        messages.success(request, _("Version %(v)s published.") % {"v": draft.version})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tools:questionnaire")


class ProgrammeForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("web page"), required=False, assume_scheme="https")
    name_ca = forms.CharField(label=gettext_lazy("Name (Catalan)"), max_length=200)
    name_es = forms.CharField(label=gettext_lazy("Name (Spanish)"), max_length=200, required=False)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=200, required=False)
    description_ca = forms.CharField(
        label=gettext_lazy("Description (Catalan)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description_es = forms.CharField(
        label=gettext_lazy("Description (Spanish)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    rules = JsonField(
        label=gettext_lazy("Eligibility rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "code"}),
        help_text=gettext_lazy(
            "Rule types: max_company_age_months, legal_forms, cnae_sections_excluded, "
            "cnae_sections_included, municipalities, max_employees, amount_range, "
            "target_groups_any, deadline, before_start."
        ),
    )

    class Meta:
        model = FinancingProgramme
        fields = ["code", "kind", "provider", "url", "active", "sample"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = self.instance
        for language in ("ca", "es", "en"):
            self.fields[f"name_{language}"].initial = (programme.name or {}).get(language, "")
        for language in ("ca", "es"):
            self.fields[f"description_{language}"].initial = (programme.description or {}).get(
                language, ""
            )
        self.fields["rules"].initial = programme.rules or {}

    def programme(self) -> FinancingProgramme:
        programme = super().save(commit=False)
        data = self.cleaned_data
        programme.name = {lang: data[f"name_{lang}"] for lang in ("ca", "es", "en")}
        programme.description = {lang: data[f"description_{lang}"] for lang in ("ca", "es")}
        programme.rules = data["rules"]
        return programme


@staff_required
def programmes(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)
    return render(
        request,
        "tools/programmes.html",
        {
            "programmes": FinancingProgramme.objects.all(),
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )


@staff_required
def programme_edit(request, code=None):
    require(request.user, Action.EDIT_NETWORK_MODEL)
    instance = FinancingProgramme.objects.filter(code=code).first() if code else None
    if code and instance is None:
        from django.http import Http404

        raise Http404("No such programme")
    form = ProgrammeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_save(actor=request.user, programme=form.programme())
            messages.success(request, _("Programme saved."))
            return redirect("tools:programmes")
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "tools/programme_form.html", {"form": form, "programme": instance})


class LegalGuideForm(forms.Form):
    content = JsonField(
        label=gettext_lazy("Legal-form guide of a year (JSON)"),
        help_text=gettext_lazy(
            "year; profit_for_company (the yearly profit from which a company usually pays "
            "less tax); forms: id, min_founders, max_founders, limited_liability, min_capital, "
            "setup_cost, yearly_cost, taxation (income or corporate), steps in ca/es/en, one "
            "per line. Saving a year that exists replaces it; advice already saved keeps the "
            "guide it used."
        ),
    )


@staff_required
def legal_forms(request):
    from oae.tools.models import LegalFormGuide

    require(request.user, Action.VIEW_NETWORK_MODEL)
    guides = LegalFormGuide.objects.all()
    shown = guides.filter(year=request.GET.get("year") or 0).first() or guides.first()
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
            "guides": guides,
            "shown": shown,
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )
