"""Keeping a tool's result with a client: what the tool was given and the data it used (the
fiscal parameters, the questionnaire version, the programmes' rules, the legal-form guide), so
the result can always be computed again exactly as it was. Also the session keys the public
tools keep their work in, and the client an advisor is working with."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from weasyprint import HTML

from oae.cases.access import case_named, client_named
from oae.cases.forms import ClientQueryForm
from oae.common.input import BadInput, parsed
from oae.crm.access import office_may_serve
from oae.privacy.services import audit_record
from oae.scoping import Action, can
from oae.tools import canvas, diagnosis, legal_form, selectors, viability
from oae.tools.eligibility import Profile, find
from oae.tools.models import FinancingProgramme, Tool, ToolResult

SESSION = {
    Tool.VIABILITY: "tools.viability",
    Tool.DIAGNOSIS: "tools.diagnosis",
    Tool.FINANCING: "tools.financing",
    Tool.LEGAL_FORM: "tools.legal_form",
    Tool.CANVAS: "tools.canvas",
}
SESSION_CLIENT = "tools.client"


def remember_client(request) -> None:
    """An advisor opening a tool from a client's page or case (`?person=…` or `?case=…`):
    saving goes there. A malformed id is a 400 (`BadInput`), not kept."""
    client = parsed(ClientQueryForm, request.GET)
    if client["case"] or client["person"]:
        request.session[SESSION_CLIENT] = {
            "case": str(client["case"] or ""),
            "person": str(client["person"] or ""),
        }


def current_client(request):
    """(person, case) the advisor is working with, if any and if in their scope."""
    user = request.user
    if not user.is_authenticated or not can(user, Action.EDIT_PEOPLE):
        return None, None
    try:
        chosen = parsed(ClientQueryForm, request.session.get(SESSION_CLIENT) or {})
    except BadInput:  # kept by an older version, unread: as if none was chosen
        return None, None
    case = case_named(user, chosen["case"], Action.EDIT_CASES)
    person, _company = client_named(user, person=chosen["person"])
    return person or (case.person if case else None), case


@transaction.atomic
def result_save(
    *,
    actor,
    tool: str,
    title: str,
    inputs,
    parameters=None,
    summary=None,
    person=None,
    case=None,
    office=None,
) -> ToolResult:
    """Keep a result with the client (and case). A case's result is filed in the case's
    office; a client's, in `office`, the office the advisor acts for (callers without a
    request, like the demo loader, may leave it out: the client's office), and only for a
    client that office may serve (its own, or one who shares with the network)."""
    if person is None and case is None:
        raise ValidationError(_("Choose the client the result belongs to."))
    person = person or case.person
    office = case.office if case else (office or person.office)
    if case is None and not office_may_serve(office, person):
        raise ValidationError(
            _("%(office)s cannot keep results for this client: their record is not shared.")
            % {"office": office.name}
        )
    result = ToolResult.objects.create(
        tool=tool,
        title=title[:200],
        inputs=inputs,
        parameters=parameters or {},
        summary=summary or {},
        office=office,
        person=person,
        case=case,
        created_by=actor,
    )
    audit_record(action="tools.result.save", actor=actor, target=result, office=office)
    return result


# What each tool keeps (title, inputs, parameters, summary) from the session's work, and how a
# kept result is shown again: from its own inputs and parameters, never from today's data.


def _keep_viability(data: dict) -> dict:
    outcome = viability.compute(data)
    return {
        "title": data.get("title") or _("Viability plan"),
        "inputs": data,
        "parameters": outcome.parameters,
        "summary": outcome.summary(),
    }


def _show_viability(result: ToolResult) -> dict:
    outcome = viability.compute(result.inputs, result.parameters)
    return viability.figures(outcome, result.title)


def _keep_diagnosis(data: dict) -> dict:
    questionnaire = selectors.questionnaire_version(selectors.QUESTIONNAIRE_CODE, data["version"])
    scored = diagnosis.score(questionnaire.content, data["answers"])
    return {
        "title": _("Self-diagnosis: %(score)s/100") % {"score": scored.overall},
        "inputs": data,
        "parameters": {"code": questionnaire.code, "version": questionnaire.version},
        "summary": {"overall": scored.overall},
    }


def _show_diagnosis(result: ToolResult) -> dict:
    questionnaire = selectors.questionnaire_version(
        result.parameters["code"], result.parameters["version"]
    )
    scored = diagnosis.score(questionnaire.content, result.inputs["answers"])
    return {
        "questionnaire": questionnaire,
        "diagnosis": scored,
        "radar": diagnosis.radar(scored.dimensions),
    }


PROGRAMME_FIELDS = ("code", "name", "kind", "provider", "description", "url", "rules", "sample")


def _financing_profile(data: dict) -> Profile:
    return Profile(
        company_age_months=data["company_age_months"],
        legal_form=data["legal_form"],
        cnae_section=data["cnae_section"],
        municipality=data["municipality"],
        employees=data["employees"],
        amount=Decimal(data["amount"]),
        groups=frozenset(data["groups"]),
        today=datetime.date.fromisoformat(data["today"]),
    )


def _keep_financing(data: dict) -> dict:
    programmes = selectors.active_financing_programmes()
    matches, _near = find(programmes, _financing_profile(data))
    count = len(matches)
    return {
        "title": ngettext(
            "Financing: %(count)s programme fits", "Financing: %(count)s programmes fit", count
        )
        % {"count": count},
        "inputs": data,
        "parameters": {
            "programmes": [{f: getattr(p, f) for f in PROGRAMME_FIELDS} for p in programmes]
        },
        "summary": {"matches": [e.programme.code for e in matches]},
    }


def _show_financing(result: ToolResult) -> dict:
    programmes = [FinancingProgramme(**row) for row in result.parameters["programmes"]]
    matches, near = find(programmes, _financing_profile(result.inputs))
    return {"matches": matches, "near": near}


def _keep_legal_form(data: dict) -> dict:
    guide = legal_form.guide_for()
    ranked = legal_form.rank(guide.content, legal_form.Answers.from_data(data))
    return {
        "title": _("Legal form"),
        "inputs": data,
        "parameters": guide.content,
        "summary": {"best": ranked[0].form["id"] if ranked and not ranked[0].excluded else ""},
    }


def _show_legal_form(result: ToolResult) -> dict:
    answers = legal_form.Answers.from_data(result.inputs)
    return {"ranked": legal_form.rank(result.parameters, answers), "guide": result.parameters}


def _keep_canvas(data: dict) -> dict:
    return {"title": data.get("title") or _("Business model canvas"), "inputs": data}


def _show_canvas(result: ToolResult) -> dict:
    return {"blocks": canvas.blocks(result.inputs)}


KEEP = {
    Tool.VIABILITY: (_keep_viability, _show_viability),
    Tool.DIAGNOSIS: (_keep_diagnosis, _show_diagnosis),
    Tool.FINANCING: (_keep_financing, _show_financing),
    Tool.LEGAL_FORM: (_keep_legal_form, _show_legal_form),
    Tool.CANVAS: (_keep_canvas, _show_canvas),
}


def keep(*, actor, tool: str, data: dict, person=None, case=None, office=None) -> ToolResult:
    """Keep the session's work of a tool with the client (filed as `result_save` says)."""
    kept = KEEP[tool][0](data)
    return result_save(actor=actor, tool=tool, person=person, case=case, office=office, **kept)


def show(result: ToolResult) -> dict:
    """The context to show a kept result again, computed from what it kept."""
    return KEEP[result.tool][1](result)


def preview(tool: str, data: dict) -> ToolResult:
    """The session's work of a tool as an unsaved result (what saving it would keep)."""
    kept = KEEP[tool][0](data)
    return ToolResult(
        tool=tool,
        title=kept["title"],
        inputs=kept["inputs"],
        parameters=kept.get("parameters") or {},
    )


def pdf_bytes(result: ToolResult) -> bytes:
    """A printable report of a self-diagnosis, a financing search or legal-form advice."""
    html = render_to_string("tools/result_pdf.html", show(result) | {"saved": result})
    return HTML(string=html).write_pdf()


# Citizens: results kept in their own account, sent to an office if they ask -----------------


@transaction.atomic
def keep_mine(*, user, tool: str, data: dict) -> ToolResult:
    """A citizen keeps the session's work of a tool in their account (no office sees it)."""
    kept = KEEP[tool][0](data)
    result = ToolResult.objects.create(tool=tool, owner=user, created_by=user, **kept)
    audit_record(action="tools.result.keep", actor=user, target=result)
    return result


def _check_still_private(user, result: ToolResult, refusal: str) -> None:
    if result.owner_id != user.pk:
        raise ValidationError(_("This result is not yours."))
    if not selectors.still_private(result):
        raise ValidationError(refusal)


@transaction.atomic
def send_to_office(*, user, result: ToolResult, office, message: str) -> ToolResult:
    """The citizen asks an office to look at a result: the office sees it, the citizen's
    e-mail and message, and can link it to the client's record."""
    _check_still_private(user, result, _("This result has already been sent to an office."))
    result.office, result.message, result.sent_at = office, message.strip(), timezone.now()
    result.save(update_fields=["office", "message", "sent_at"])
    audit_record(action="tools.result.send", actor=user, target=result, office=office)
    return result


@transaction.atomic
def delete_mine(*, user, result: ToolResult) -> None:
    """A citizen deletes a result they kept; one sent to an office stays with that office."""
    _check_still_private(user, result, _("A result sent to an office stays with that office."))
    audit_record(action="tools.result.delete", actor=user, target=result)
    result.delete()


@transaction.atomic
def link_to_person(*, actor, result: ToolResult, person) -> ToolResult:
    """Office staff file a result a citizen sent with the client's record."""
    if not selectors.awaiting_filing(result):
        raise ValidationError(_("Only a result sent by a citizen and not filed yet can be linked."))
    result.person = person
    result.save(update_fields=["person"])
    audit_record(action="tools.result.link", actor=actor, target=result, office=result.office)
    return result


def result_read_logged(*, actor, result: ToolResult, document: str = "") -> None:
    """Who read which kept result of a client, on its page or as a document ("pdf", "xlsx")."""
    audit_record(
        action="tools.result.read",
        actor=actor,
        target=result,
        office=result.office,
        details={"document": document} if document else None,
    )
