"""Advisory tools' screens. Public (no sign-in, results in the browser session, rate-limited,
no personal data asked); an advisor runs the same pages with a client and saves the result to
the client's record or case; coordinators keep the fiscal parameters."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from oae.common.input import parsed
from oae.scoping import Action, can, office_to_act_for, require, staff_required
from oae.tools import canvas, results, selectors, viability
from oae.tools import diagnosis as scoring
from oae.tools.forms import (
    FORMSETS,
    DiagnosisAnswersForm,
    FinancingProfileForm,
    FiscalParametersForm,
    OfficeQueryForm,
    PlanForm,
    YearQueryForm,
)
from oae.tools.models import Questionnaire, Tool, ToolResult
from oae.tools.results import SESSION, current_client, remember_client
from oae.tools.services import parameters_save

SESSION_PLAN = SESSION[Tool.VIABILITY]
PUBLIC_RATE = "30/m"


def index(request):
    remember_client(request)
    person, case = current_client(request)
    return render(request, "tools/index.html", {"person": person, "case": case})


def _initial(data: dict) -> dict:
    initial = {k: v for k, v in data.items() if k not in FORMSETS and k != "seasonality"}
    for number, value in enumerate(data.get("seasonality") or [], start=1):
        initial[f"season_{number}"] = value
    return initial


def _forms(request, data: dict):
    post = request.POST if request.method == "POST" else None
    form = PlanForm(post, initial=_initial(data))
    sets = {
        key: formset(post, prefix=key, initial=data.get(key) or None)
        for key, formset in FORMSETS.items()
    }
    return form, sets


def _plain(value):
    return str(value) if value is not None and not isinstance(value, bool | int | str) else value


def _data(form, sets) -> dict:
    """The plan as plain JSON (decimals as text, exact), as kept in the session or a result."""
    main = {k: _plain(v) for k, v in form.cleaned_data.items() if not k.startswith("season_")}
    main["seasonality"] = [str(form.cleaned_data[f"season_{n}"]) for n in range(1, 13)]
    for key, formset in sets.items():
        main[key] = [
            {k: _plain(v) for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in formset
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
    return main


@ratelimit(key="ip", rate=PUBLIC_RATE, method="POST", block=False)
def viability_edit(request):
    remember_client(request)
    form, sets = _forms(request, request.session.get(SESSION_PLAN) or {})
    if not selectors.fiscal_parameters_entered():
        messages.error(
            request,
            _("The network has not entered the fiscal parameters yet; ask the coordinators."),
        )
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(request, _("Too many calculations in a minute; wait a moment."))
        elif form.is_valid() and all(s.is_valid() for s in sets.values()):
            request.session[SESSION_PLAN] = _data(form, sets)
            return redirect("tools:viability_result")
    return render(request, "tools/viability_form.html", {"form": form, "sets": sets})


def _session_outcome(request):
    data = request.session.get(SESSION_PLAN)
    if not data:
        return None
    return viability.compute(data)


def viability_result(request):
    try:
        outcome = _session_outcome(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tools:viability")
    if outcome is None:
        return redirect("tools:viability")
    person, case = current_client(request)
    context = viability.figures(outcome, outcome.data.get("title", "")) | {
        "person": person,
        "case": case,
    }
    return render(request, "tools/viability_result.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@ratelimit(key="ip", rate="10/m", block=False)
def viability_document(request, kind: str):
    outcome = _session_outcome(request)
    if outcome is None or getattr(request, "limited", False):
        raise Http404("No plan in this session")
    return _document(outcome, outcome.data.get("title", ""), kind)


def _document(outcome, title: str, kind: str) -> HttpResponse:
    if kind not in ("pdf", "xlsx"):
        raise Http404("No such document")
    if kind == "pdf":
        return _download(
            viability.pdf_bytes(outcome, title), "application/pdf", "pla-viabilitat.pdf"
        )
    return _download(
        viability.xlsx_bytes(outcome, title),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pla-viabilitat.xlsx",
    )


@require_POST
@staff_required
def result_keep(request, tool: str):
    """Keep the session's work of a tool with the client the advisor opened it for, filed in
    the case's office or else in the office the advisor acts for."""
    require(request.user, Action.EDIT_PEOPLE)
    if tool not in SESSION:
        raise Http404("No such tool")
    office = office_to_act_for(request, Action.EDIT_PEOPLE)
    data = request.session.get(SESSION[tool])
    person, case = current_client(request)
    if not data or person is None:
        messages.error(request, _("Open the tool from the client's page or case to save it there."))
        return redirect("tools:index")
    try:
        result = results.keep(
            actor=request.user, tool=tool, data=data, person=person, case=case, office=office
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("tools:index")
    request.session.pop(results.SESSION_CLIENT, None)
    messages.success(request, _("The result is saved with the client's record."))
    return redirect("tools:result", public_id=result.public_id)


@staff_required
def result_detail(request, public_id):
    require(request.user, Action.VIEW_PEOPLE)
    saved = selectors.get_tool_result_or_404(request.user, public_id)
    results.result_read_logged(actor=request.user, result=saved)
    context = results.show(saved) | {
        "saved": saved,
        "documents": DOCUMENTS.get(saved.tool, ()),
        "awaiting_filing": selectors.awaiting_filing(saved),
        "can_file": selectors.may_file(request.user, saved),
        "candidates": selectors.filing_candidates(request.user, saved),
    }
    return render(request, "tools/result_detail.html", context)


DOCUMENTS = {
    Tool.VIABILITY: ("pdf", "xlsx"),
    Tool.CANVAS: ("pdf",),
    Tool.DIAGNOSIS: ("pdf",),
    Tool.FINANCING: ("pdf",),
    Tool.LEGAL_FORM: ("pdf",),
}
REPORT_NAMES = {
    Tool.DIAGNOSIS: "autodiagnosi.pdf",
    Tool.FINANCING: "financament.pdf",
    Tool.LEGAL_FORM: "forma-juridica.pdf",
}


@staff_required
def result_document(request, public_id, kind: str):
    require(request.user, Action.VIEW_PEOPLE)
    saved = selectors.get_tool_result_or_404(request.user, public_id)
    response = result_download(saved, kind)
    results.result_read_logged(actor=request.user, result=saved, document=kind)
    return response


def result_download(saved: ToolResult, kind: str) -> HttpResponse:
    """A kept result's document (PDF, or the plan's XLSX), from what it kept."""
    if kind not in DOCUMENTS.get(saved.tool, ()):
        raise Http404("No such document")
    if saved.tool == Tool.CANVAS:
        return canvas_download(saved.inputs)
    if saved.tool in REPORT_NAMES:
        return report_download(saved)
    outcome = viability.compute(saved.inputs, saved.parameters)
    return _document(outcome, saved.title, kind)


def report_download(result: ToolResult) -> HttpResponse:
    return _download(results.pdf_bytes(result), "application/pdf", REPORT_NAMES[result.tool])


@ratelimit(key="ip", rate="10/m", block=False)
def session_report(request, tool: str):
    """A citizen's PDF of the self-diagnosis, financing search or legal-form advice in their
    session."""
    data = request.session.get(SESSION.get(tool, ""))
    if tool not in REPORT_NAMES or not data or getattr(request, "limited", False):
        raise Http404("Nothing to print in this session")
    return report_download(results.preview(tool, data))


def canvas_download(data: dict) -> HttpResponse:
    title = data.get("title", "")
    return _download(canvas.pdf_bytes(data, title), "application/pdf", "model-de-negoci.pdf")


# Fiscal parameters (coordinators) -------------------------------------------------------------


@staff_required
def parameters(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)
    year = parsed(YearQueryForm, request.GET)["year"]
    if year and 2000 <= year <= 2100 and can(request.user, Action.EDIT_NETWORK_MODEL):
        return redirect("tools:parameters_edit", year=year)
    return render(
        request,
        "tools/parameters.html",
        {
            "rows": selectors.fiscal_parameters(),
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )


@staff_required
def parameters_edit(request, year: int):
    require(request.user, Action.EDIT_NETWORK_MODEL)
    row = selectors.fiscal_parameters_of_year(year)
    form = FiscalParametersForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        parameters_save(actor=request.user, row=form.save(commit=False))
        messages.success(request, _("Parameters of %(year)s saved.") % {"year": year})
        return redirect("tools:parameters")
    return render(request, "tools/parameters_form.html", {"form": form, "year": year})


# Financing finder ---------------------------------------------------------------------------


def _profile_data(data: dict) -> dict:
    """The finder's profile as plain JSON, with the day it was asked (deadlines depend on it)."""
    return {
        "company_age_months": data["company_age_months"],
        "legal_form": data["legal_form"],
        "cnae_section": data["cnae_section"],
        "municipality": data["municipality"],
        "employees": data["employees"],
        "amount": str(data["amount"]),
        "groups": sorted(data["groups"]),
        "today": timezone.localdate().isoformat(),
    }


@ratelimit(key="ip", rate=PUBLIC_RATE, method="POST", block=False)
def financing(request):
    remember_client(request)
    form = FinancingProfileForm(request.POST or None)
    context = {"form": form, "matches": None}
    if request.method == "POST" and getattr(request, "limited", False):
        messages.error(request, _("Too many searches in a minute; wait a moment."))
    elif request.method == "POST" and form.is_valid():
        profile = _profile_data(form.cleaned_data)
        request.session[SESSION[Tool.FINANCING]] = profile
        person, case = current_client(request)
        shown = results.show(results.preview(Tool.FINANCING, profile))
        context |= shown | {"person": person, "case": case}
    return render(request, "tools/financing.html", context)


# Self-diagnosis -------------------------------------------------------------------------------

SESSION_DIAGNOSIS = SESSION[Tool.DIAGNOSIS]


@ratelimit(key="ip", rate=PUBLIC_RATE, method="POST", block=False)
def diagnosis(request):
    remember_client(request)
    questionnaire = selectors.published_questionnaire()
    if questionnaire is None:
        raise Http404("No questionnaire published")
    content = questionnaire.content
    answers = request.session.get(SESSION_DIAGNOSIS, {}).get("answers", {})
    missing = []
    if request.method == "POST" and getattr(request, "limited", False):
        messages.error(request, _("Too many answers in a minute; wait a moment."))
    elif request.method == "POST":
        answers, missing = DiagnosisAnswersForm(request.POST, content=content).answers()
        if missing:
            messages.error(
                request,
                _("Answer every question: %(count)s are missing.") % {"count": len(missing)},
            )
        else:
            request.session[SESSION_DIAGNOSIS] = {
                "version": questionnaire.version,
                "answers": answers,
            }
            return redirect("tools:diagnosis_result")
    return render(
        request,
        "tools/diagnosis_form.html",
        {
            "questionnaire": questionnaire,
            "content": content,
            "answers": answers,
            "missing": missing,
            "options": {
                q["id"]: scoring.question_options(content, q) for q in content["questions"]
            },
        },
    )


def diagnosis_result(request):
    stored = request.session.get(SESSION_DIAGNOSIS)
    if not stored:
        return redirect("tools:diagnosis")
    try:
        shown = results.show(results.preview(Tool.DIAGNOSIS, stored))
    except Questionnaire.DoesNotExist:  # the version answered is gone
        return redirect("tools:diagnosis")
    categories = shown["diagnosis"].categories
    offices, office, services = selectors.services_recommended(
        categories,
        office_asked=parsed(OfficeQueryForm, request.GET)["office"],
        acting_office=request.office,
    )
    person, case = current_client(request)
    context = shown | {
        "offices": offices,
        "office": office,
        "services": services,
        "person": person,
        "case": case,
    }
    return render(request, "tools/diagnosis_result.html", context)
