"""Demo co-design of the operating model: Sant Boi's manager turned its own wording of the
business-creation service into a proposal; Badalona supported and commented; the network
accepted it with changes, merged it into the draft and published it (the version names the
proposal and both offices were told). Badalona's advisor has a proposal on a procedure still
open, which Sant Boi supports, for the coordinator to walk through; and a consultation round
on the draft is open with Sant Boi's and Badalona's answers. Runs once."""

import datetime

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import NetworkRole, User
from oae.catalogue import consultation, proposals, services
from oae.catalogue.models import (
    ConsultationRound,
    DraftItem,
    OfficeItem,
    Proposal,
    ProposalState,
    Stance,
)
from oae.network.models import Office

CREATION = "assessorament-creacio"
PROCEDURE = "alta-censal-hisenda"


def _i18n(ca: str, es: str, en: str) -> dict:
    return {"ca": ca, "es": es, "en": en}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _office(name_part: str) -> Office:
    return Office.objects.get(name__contains=name_part)


def _adopted(kind: str, code: str) -> dict:
    return proposals.published_item(kind, code).content


def _accepted_from_sant_boi(coordinator: User) -> Proposal:
    santboi, badalona = _office("Sant Boi"), _office("Badalona")
    item = OfficeItem.objects.get(office=santboi, kind="service", code=CREATION)
    proposal = proposals.proposal_from_override(
        actor=_user("gerent.santboi@xarxa-oae.example"),
        item=item,
        reason="Des que oferim cita en menys d'una setmana i ho diem així, la meitat de les "
        "persones que truquen demanen cita el mateix dia. Proposem que el resum del servei ho "
        "digui a totes les oficines.",
    )
    manager_b = _user("gerent.badalona@xarxa-oae.example")
    proposals.proposal_comment(
        actor=manager_b,
        office=badalona,
        proposal=proposal,
        body="A Badalona també donem cita en menys d'una setmana. **Hi donem suport**, però "
        "el resum de la xarxa no hauria de dir el nom del municipi.",
    )
    proposals.proposal_support(actor=manager_b, office=badalona, proposal=proposal)
    proposals.proposal_decide(
        actor=coordinator, proposal=proposal, state=ProposalState.UNDER_REVIEW
    )
    proposals.proposal_decide(
        actor=coordinator,
        proposal=proposal,
        state=ProposalState.ACCEPTED_WITH_CHANGES,
        note="Acceptada: el resum de la xarxa promet la primera cita en menys d'una setmana, "
        "sense el nom del municipi, com proposa Badalona.",
    )
    draft = proposals.proposal_merge(actor=coordinator, proposal=proposal)
    services.draft_item_update(  # the network's changes: no town named in the shared model
        actor=coordinator,
        item=draft,
        content=draft.content
        | {
            "summary": _i18n(
                "Us acompanyem de la idea a l'alta, amb la primera cita en menys d'una setmana.",
                "Te acompañamos de la idea al alta, con la primera cita en menos de una semana.",
                "From the idea to registration, with a first appointment within a week.",
            )
        },
        expected_version=draft.lock_version,
    )
    services.network_publish(
        actor=coordinator,
        changelog="El resum del servei de creació d'empreses promet la primera cita en menys "
        "d'una setmana.",
    )
    return proposal


def _open_from_badalona() -> Proposal:
    content = proposals._only_network_fields("procedure", _adopted("procedure", PROCEDURE))
    proposal = proposals.proposal_create(
        actor=_user("tecnic.badalona@xarxa-oae.example"),
        office=_office("Badalona"),
        kind="procedure",
        code=PROCEDURE,
        content=content
        | {
            "typical_time": _i18n(
                "El mateix dia, si es presenta en línia amb certificat digital",
                "El mismo día, si se presenta en línea con certificado digital",
                "The same day, if filed online with a digital certificate",
            )
        },
        reason="Amb certificat digital l'alta censal es fa el mateix dia; el termini publicat "
        "espanta les persones que volen començar aviat.",
    )
    santboi = _office("Sant Boi")
    advisor = _user("tecnic.santboi@xarxa-oae.example")
    proposals.proposal_comment(
        actor=advisor,
        office=santboi,
        proposal=proposal,
        body="És el que veiem a Sant Boi. Caldria afegir que sense certificat cal cita a "
        "l'Agència Tributària.",
    )
    proposals.proposal_support(actor=advisor, office=santboi, proposal=proposal)
    return proposal


def _round(coordinator: User) -> ConsultationRound:
    today = timezone.localdate()
    keys = [
        (item.kind, item.code)
        for item in DraftItem.objects.filter(
            is_archived=False, code__in=["atencio-empresa", "guia-acollida", CREATION]
        )
    ]
    opened = consultation.round_open(
        actor=coordinator,
        title="Procés d'atenció i acollida, 2027",
        questions="El procés d'atenció en cinc passos encaixa amb com treballeu?\n"
        "Què canviaríeu de la guia d'acollida?",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=21),
        item_keys=keys,
    )
    answers = {
        "Sant Boi": (
            "gerent.santboi@xarxa-oae.example",
            {CREATION: (Stance.AGREE, "")},
            (Stance.AGREE_WITH_CHANGES, "Afegiríem una trucada de seguiment als tres mesos."),
        ),
        "Badalona": (
            "gerent.badalona@xarxa-oae.example",
            {CREATION: (Stance.AGREE, "")},
            (
                Stance.DISAGREE,
                "Cinc passos són massa per a consultes breus: proposem un circuit curt.",
            ),
        ),
    }
    for office_name, (email, fixed, otherwise) in answers.items():
        items = {}
        for entry in opened.items:
            stance, comment = fixed.get(entry["code"], otherwise)
            items[consultation.item_key(entry["kind"], entry["code"])] = {
                "stance": stance,
                "comment": comment,
            }
        consultation.round_answer(
            actor=_user(email), office=_office(office_name), round=opened, items=items
        )
    return opened


@transaction.atomic
def codesign_demo_load() -> bool:
    if Proposal.objects.exists():
        return False
    coordinator = User.objects.filter(network_role=NetworkRole.COORDINATOR).order_by("pk").first()
    _accepted_from_sant_boi(coordinator)
    _open_from_badalona()
    _round(coordinator)
    return True
