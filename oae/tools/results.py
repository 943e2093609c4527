"""Keeping a tool's result with a client: what the tool was given and the data it used (the
fiscal parameters, the questionnaire version, the programmes' rules, the legal-form guide), so
the result can always be computed again exactly as it was. Also the session keys the public
tools keep their work in, and the client an advisor is working with."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oae.privacy.services import audit_record
from oae.scoping import Action, can, get_case_or_404, get_person_or_404
from oae.tools.models import Tool, ToolResult

SESSION = {
    Tool.VIABILITY: "tools.viability",
    Tool.DIAGNOSIS: "tools.diagnosis",
    Tool.FINANCING: "tools.financing",
    Tool.LEGAL_FORM: "tools.legal_form",
    Tool.CANVAS: "tools.canvas",
}
SESSION_CLIENT = "tools.client"


def remember_client(request) -> None:
    """An advisor opening a tool from a client's page or case: saving goes there."""
    if request.GET.get("case") or request.GET.get("person"):
        request.session[SESSION_CLIENT] = {
            "case": request.GET.get("case", ""),
            "person": request.GET.get("person", ""),
        }


def current_client(request):
    """(person, case) the advisor is working with, if any and if in their scope."""
    chosen = request.session.get(SESSION_CLIENT) or {}
    user = request.user
    if not user.is_authenticated or not can(user, Action.EDIT_PEOPLE):
        return None, None
    case = get_case_or_404(user, chosen["case"], Action.EDIT_CASES) if chosen.get("case") else None
    person = get_person_or_404(user, chosen["person"]) if chosen.get("person") else None
    return person or (case.person if case else None), case


def result_save(
    *, actor, tool: str, title: str, inputs, parameters=None, summary=None, person=None, case=None
) -> ToolResult:
    """Keep a result with the client (and case), in the office of the case or the client."""
    if person is None and case is None:
        raise ValidationError(_("Choose the client the result belongs to."))
    person = person or case.person
    office = case.office if case else person.office
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
    from oae.tools import viability

    outcome = viability.compute(data)
    return {
        "title": data.get("title") or _("Viability plan"),
        "inputs": data,
        "parameters": outcome.parameters,
        "summary": outcome.summary(),
    }


def _show_viability(result: ToolResult) -> dict:
    from oae.tools import viability

    outcome = viability.compute(result.inputs, result.parameters)
    return viability.figures(outcome, result.title)


def _keep_diagnosis(data: dict) -> dict:
    from oae.tools import diagnosis
    from oae.tools.models import Questionnaire

    questionnaire = Questionnaire.objects.get(code="maduresa", version=data["version"])
    scored = diagnosis.score(questionnaire.content, data["answers"])
    return {
        "title": _("Self-diagnosis: %(score)s/100") % {"score": scored.overall},
        "inputs": data,
        "parameters": {"code": questionnaire.code, "version": questionnaire.version},
        "summary": {"overall": scored.overall},
    }


def _show_diagnosis(result: ToolResult) -> dict:
    from oae.tools import diagnosis
    from oae.tools.models import Questionnaire

    questionnaire = Questionnaire.objects.get(
        code=result.parameters["code"], version=result.parameters["version"]
    )
    scored = diagnosis.score(questionnaire.content, result.inputs["answers"])
    return {
        "questionnaire": questionnaire,
        "diagnosis": scored,
        "radar": diagnosis.radar(scored.dimensions),
    }


PROGRAMME_FIELDS = ("code", "name", "kind", "provider", "description", "url", "rules", "sample")


def _financing_profile(data: dict):
    import datetime
    from decimal import Decimal

    from oae.tools.eligibility import Profile

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
    from oae.tools.eligibility import find
    from oae.tools.models import FinancingProgramme

    programmes = FinancingProgramme.objects.filter(active=True)
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
    from oae.tools.eligibility import find
    from oae.tools.models import FinancingProgramme

    programmes = [FinancingProgramme(**row) for row in result.parameters["programmes"]]
    matches, near = find(programmes, _financing_profile(result.inputs))
    return {"matches": matches, "near": near}


def _keep_legal_form(data: dict) -> dict:
    from oae.tools import legal_form

    guide = legal_form.guide_for()
    ranked = legal_form.rank(guide.content, legal_form.Answers.from_data(data))
    return {
        "title": _("Legal form"),
        "inputs": data,
        "parameters": guide.content,
        "summary": {"best": ranked[0].form["id"] if ranked and not ranked[0].excluded else ""},
    }


def _show_legal_form(result: ToolResult) -> dict:
    from oae.tools import legal_form

    answers = legal_form.Answers.from_data(result.inputs)
    return {"ranked": legal_form.rank(result.parameters, answers), "guide": result.parameters}


def _keep_canvas(data: dict) -> dict:
    return {"title": data.get("title") or _("Business model canvas"), "inputs": data}


def _show_canvas(result: ToolResult) -> dict:
    from oae.tools import canvas

    return {"blocks": canvas.blocks(result.inputs)}


KEEP = {
    Tool.VIABILITY: (_keep_viability, _show_viability),
    Tool.DIAGNOSIS: (_keep_diagnosis, _show_diagnosis),
    Tool.FINANCING: (_keep_financing, _show_financing),
    Tool.LEGAL_FORM: (_keep_legal_form, _show_legal_form),
    Tool.CANVAS: (_keep_canvas, _show_canvas),
}


def keep(*, actor, tool: str, data: dict, person=None, case=None) -> ToolResult:
    """Keep the session's work of a tool with the client."""
    return result_save(actor=actor, tool=tool, person=person, case=case, **KEEP[tool][0](data))


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
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("tools/result_pdf.html", show(result) | {"saved": result})
    return HTML(string=html).write_pdf()


# Citizens: results kept in their own account, sent to an office if they ask -----------------


def keep_mine(*, user, tool: str, data: dict) -> ToolResult:
    """A citizen keeps the session's work of a tool in their account (no office sees it)."""
    kept = KEEP[tool][0](data)
    return ToolResult.objects.create(tool=tool, owner=user, created_by=user, **kept)


def send_to_office(*, user, result: ToolResult, office, message: str) -> ToolResult:
    """The citizen asks an office to look at a result: the office sees it, the citizen's
    e-mail and message, and can link it to the client's record."""
    if result.owner_id != user.pk:
        raise ValidationError(_("This result is not yours."))
    if result.sent_at is not None:
        raise ValidationError(_("This result has already been sent to an office."))
    from django.utils import timezone

    result.office, result.message, result.sent_at = office, message.strip(), timezone.now()
    result.save(update_fields=["office", "message", "sent_at"])
    audit_record(action="tools.result.send", actor=user, target=result, office=office)
    return result


def delete_mine(*, user, result: ToolResult) -> None:
    """A citizen deletes a result they kept; one sent to an office stays with that office."""
    if result.owner_id != user.pk:
        raise ValidationError(_("This result is not yours."))
    if result.sent_at is not None:
        raise ValidationError(_("A result sent to an office stays with that office."))
    result.delete()


def link_to_person(*, actor, result: ToolResult, person) -> ToolResult:
    """Office staff file a result a citizen sent with the client's record."""
    if result.sent_at is None or result.person_id is not None:
        raise ValidationError(_("Only a result sent by a citizen and not filed yet can be linked."))
    result.person = person
    result.save(update_fields=["person"])
    audit_record(action="tools.result.link", actor=actor, target=result, office=result.office)
    return result


def filing_candidates(user, result: ToolResult) -> list:
    """For a result a citizen sent and nobody filed: the people the user may see who have the
    sender's e-mail."""
    from oae.scoping import people_for

    if result.person_id or not result.sent_at or not result.owner_id:
        return []
    return list(people_for(user).filter(email__iexact=result.owner.email)[:10])


def received_by(user):
    """Results citizens sent to the user's offices, not filed with a client yet."""
    from oae.scoping import office_ids_for

    offices = office_ids_for(user, Action.VIEW_PEOPLE) or set()
    return (
        ToolResult.objects.filter(office_id__in=offices, sent_at__isnull=False, person=None)
        .select_related("owner", "office")
        .order_by("-sent_at")
    )
