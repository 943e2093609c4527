"""Reads of the advisory tools for views, already scoped: results of the user's offices or of
the citizen who kept them, the flags their pages show, and the data the coordinators keep
(fiscal parameters, questionnaire versions, financing programmes, legal-form guides)."""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from oae.catalogue import content as content_lib
from oae.catalogue.selectors import (
    EffectiveItem,
    effective_items,
    latest_version,
    published_contents,
)
from oae.crm.access import people_for
from oae.network.models import Office
from oae.network.selectors import open_offices_by_name
from oae.scoping import Action, can, scope_to_offices, scoped_or_404
from oae.tools.models import (
    FinancingProgramme,
    FiscalParameters,
    LegalFormGuide,
    Questionnaire,
    ToolResult,
)

QUESTIONNAIRE_CODE = "maduresa"
FILING_CANDIDATES_SHOWN = 10


@dataclass(frozen=True)
class NetworkService:
    """A service of the network model, shown before the reader picks an office."""

    code: str
    title: str
    summary: str
    category: str


# Results kept with clients, read by office staff -------------------------------------------


def tool_results_for(user, action: Action = Action.VIEW_PEOPLE) -> QuerySet[ToolResult]:
    """Results held by the offices where the user may do `action`: those advisors saved
    there and those citizens sent there. A citizen's unsent result is in no office's."""
    return scope_to_offices(ToolResult.objects.all(), user, action)


def get_tool_result_or_404(user, public_id) -> ToolResult:
    """A result held by one of the user's offices, with its client, case, office and
    authors. The same 404 for a missing result and another office's (the probe audited)."""
    held = tool_results_for(user).select_related("person", "case", "office", "created_by", "owner")
    return scoped_or_404(user, held, public_id)


def person_tool_results(user, person) -> dict:
    """The person page's section: the person's results held by the offices where the user
    may read people, newest first, and whether the user may open the tools with the person
    (as they may open a case for them)."""
    return {
        "person": person,
        "results": list(tool_results_for(user).filter(person=person).order_by("-created_at")),
        "can_use_with_client": can(user, Action.EDIT_CASES),
    }


def results_received_for(user) -> QuerySet[ToolResult]:
    """Results citizens sent to the user's offices that nobody has filed with a client yet,
    newest first."""
    return (
        tool_results_for(user)
        .filter(sent_at__isnull=False, person=None)
        .select_related("owner", "office")
        .order_by("-sent_at")
    )


def awaiting_filing(result: ToolResult) -> bool:
    """A result a citizen sent to an office that nobody has filed with a client yet."""
    return result.sent_at is not None and result.person_id is None


def may_file(user, result: ToolResult) -> bool:
    """Whether the user may file the result with a client: it awaits filing and the user
    may change people in the office it was sent to."""
    return awaiting_filing(result) and can(user, Action.EDIT_PEOPLE, result.office)


def filing_candidates(user, result: ToolResult) -> list:
    """For a result the user may file: the people the user may see with the sender's
    e-mail (a few at most); nobody otherwise."""
    if not result.owner_id or not may_file(user, result):
        return []
    matching = people_for(user).filter(email__iexact=result.owner.email)
    return list(matching[:FILING_CANDIDATES_SHOWN])


# Results citizens keep in their account ------------------------------------------------------


def citizen_results_for(user) -> QuerySet[ToolResult]:
    """The results the user kept in their own account, with the office each was sent to."""
    if not user.is_authenticated:
        return ToolResult.objects.none()
    return ToolResult.objects.filter(owner=user).select_related("office")


def get_citizen_result_or_404(user, public_id) -> ToolResult:
    """A result the user kept in their account. The same 404 for a missing result and one
    that is not theirs (the probe audited)."""
    return scoped_or_404(user, citizen_results_for(user), public_id)


def still_private(result: ToolResult) -> bool:
    """Only its owner has it: they may still send it to an office, or delete it. Once sent,
    it stays with the office."""
    return result.sent_at is None


# The self-diagnosis's advice ------------------------------------------------------------------


def services_recommended(
    categories: list[str], *, office_asked: uuid.UUID | None, acting_office: Office | None
) -> tuple[QuerySet[Office], Office | None, list[EffectiveItem] | list[NetworkService]]:
    """The open offices, the one whose services the diagnosis shows (the one asked for by its
    public id, else the office the user acts for when it is open) and its offered services of
    the categories the diagnosis recommends; with no office, the network model's services of
    those categories."""
    offices = open_offices_by_name()
    if office_asked:
        office = offices.filter(public_id=office_asked).first()
    elif acting_office is not None:
        office = offices.filter(pk=acting_office.pk).first()
    else:
        office = None
    if office is None:
        return offices, None, network_services_recommended(categories)
    services = [
        item
        for item in effective_items(office, kind="service", enabled_only=True)
        if item.content.get("category") in categories
    ]
    return offices, office, services


def network_services_recommended(categories: list[str]) -> list[NetworkService]:
    """The network model's services (its latest published version) in the recommended
    categories, the most recommended category first: advice a reader sees before choosing an
    office, since every office offers the network's services unless it switched one off."""
    rank = {category: position for position, category in enumerate(categories)}
    services = [
        NetworkService(
            code=code,
            title=content_lib.title(kind, content),
            summary=content_lib.text(content.get("summary")) or "",
            category=content.get("category"),
        )
        for (kind, code), content in published_contents(latest_version()).items()
        if kind == "service" and content.get("category") in rank
    ]
    return sorted(services, key=lambda s: (rank[s.category], s.title.lower()))


# The tools' data that coordinators keep ----------------------------------------------------


def fiscal_parameters() -> QuerySet[FiscalParameters]:
    """Every year's fiscal parameters, latest year first."""
    return FiscalParameters.objects.all()


def fiscal_parameters_entered() -> bool:
    """Whether the network has entered the fiscal parameters of any year (the viability
    plan needs them)."""
    return FiscalParameters.objects.exists()


def fiscal_parameter_years() -> list[int]:
    """The years that have fiscal parameters, oldest first."""
    return list(FiscalParameters.objects.order_by("year").values_list("year", flat=True))


def fiscal_parameters_of_year(year: int) -> FiscalParameters:
    """The year's parameters, or new unsaved ones for a year not entered yet."""
    return FiscalParameters.objects.filter(year=year).first() or FiscalParameters(year=year)


def published_questionnaire(code: str = QUESTIONNAIRE_CODE) -> Questionnaire | None:
    """The latest published version of the questionnaire: the one people answer now."""
    return (
        Questionnaire.objects.filter(code=code, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


def questionnaire_version(code: str, version: int) -> Questionnaire:
    """One version of a questionnaire, the one a result was answered with
    (Questionnaire.DoesNotExist when it is gone)."""
    return Questionnaire.objects.get(code=code, version=version)


def questionnaire_versions(code: str = QUESTIONNAIRE_CODE) -> QuerySet[Questionnaire]:
    """Every version of the questionnaire, latest first (the first may be the draft)."""
    return Questionnaire.objects.filter(code=code).order_by("-version")


def financing_programmes() -> QuerySet[FinancingProgramme]:
    """The whole catalogue of financing programmes, by kind and code."""
    return FinancingProgramme.objects.all()


def active_financing_programmes() -> list[FinancingProgramme]:
    """The programmes the financing finder searches today."""
    return list(FinancingProgramme.objects.filter(active=True))


def get_programme_or_404(code: str) -> FinancingProgramme:
    return get_object_or_404(FinancingProgramme, code=code)


def legal_form_guides() -> QuerySet[LegalFormGuide]:
    """Every year's legal-form guide, latest year first."""
    return LegalFormGuide.objects.all()


def legal_form_guide_shown(year: int | None) -> LegalFormGuide | None:
    """The guide of the year asked for; the latest guide when that year has none or none is
    asked for; None when there is no guide at all."""
    guides = legal_form_guides()
    chosen = guides.filter(year=year).first() if year else None
    return chosen or guides.first()
