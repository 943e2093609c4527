"""Demo case records beyond the first day's work: documents on running cases, a recent session
(the day view counts the advisor's time), and one closed case per office with its sessions,
its outcomes (verified with their evidence, or only declared) and the client's answer to the
satisfaction survey. Each is added once, through the services."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import User
from oae.cases import services, surveys
from oae.cases.models import Attachment, Case, CaseState, CaseStep, Session, Verification
from oae.crm.models import Company
from oae.devdata.demo.crm import demo_person
from oae.devdata.demo.dates import local_at
from oae.devdata.demo.files import demo_pdf
from oae.network.models import Office


@dataclass(frozen=True)
class DemoDocument:
    office: str
    client: str  # the person's e-mail
    service: str  # their running case, by its service
    name: str
    title: str
    paragraphs: tuple[str, ...]
    step_id: str = ""


DOCUMENTS = [
    DemoDocument(
        "Sant Boi",
        "marta.vila@example.org",
        "assessorament-creacio",
        "Fitxa d'acollida - Marta Vila.pdf",
        "Fitxa d'acollida",
        (
            "Persona: Marta Vila Rovira. Sector: disseny gràfic i comunicació.",
            "Demanda: fer créixer l'estudi i llogar un local al centre de Sant Boi.",
            "Recursos: experiència de deu anys com a dissenyadora, una clienta fixa.",
            "Propera passa: diagnosi en menys de set dies.",
        ),
        step_id="acollida",
    ),
    DemoDocument(
        "Sant Boi",
        "youssef@example.org",
        "pla-empresa-viabilitat",
        "Pla d'empresa (esborrany) - Fleca El Amrani.pdf",
        "Pla d'empresa: fleca i obrador de barri (esborrany)",
        (
            "Idea: pa de massa mare i dolços per a esmorzars, venda al taulell i a bars del "
            "barri de Marianao.",
            "Inversió inicial prevista: 38.000 € (forn, obrador i adequació del local).",
            "Vendes del primer any: 96.000 € (260 clients al dia de mitjana).",
            "Pendent: concretar el preu del lloguer i la quota de la tarifa plana.",
        ),
    ),
    DemoDocument(
        "Badalona",
        "lucia.fr@example.org",
        "assessorament-creacio",
        "Pressupost de la reforma del local.pdf",
        "Pressupost de reforma",
        (
            "Obra: adequació d'un local de 45 m² per a perruqueria.",
            "Instal·lació elèctrica i aigua: 4.200 €. Paviment i pintura: 2.600 €.",
            "Total amb IVA: 8.228 €. Validesa del pressupost: 60 dies.",
        ),
    ),
]


@dataclass(frozen=True)
class DemoSession:
    days_ago: int
    hour: int
    minutes: int
    channel: str
    topics: str
    step_id: str


@dataclass(frozen=True)
class DemoOutcome:
    days_ago: int  # when it happened
    data: dict
    # A verified outcome's evidence: (file name, title, paragraphs); None: declared only.
    evidence: tuple[str, str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class DemoClosedCase:
    office: str
    advisor: str
    client: str
    service: str
    opened_days_ago: int
    sessions: tuple[DemoSession, ...]
    outcomes: tuple[DemoOutcome, ...]
    steps_done: tuple[tuple[str, int], ...]  # each step of the process and when it was done
    closed_days_ago: int
    closing_note: str
    survey: tuple[int, str]  # the client's score and comment
    company: str = ""  # the legal name of the client's company, for the outcomes


CLOSED_CASES = [
    DemoClosedCase(
        office="Sant Boi",
        advisor="tecnic.santboi@xarxa-oae.example",
        client="marta.vila@example.org",
        service="financament-microcredits",
        opened_days_ago=120,
        company="Vila Disseny Gràfic SL",
        sessions=(
            DemoSession(
                118, 10, 60, "in_person", "Acollida: finançament per contractar", "acollida"
            ),
            DemoSession(
                104, 12, 90, "in_person", "Diagnosi i sol·licitud del microcrèdit", "diagnosi"
            ),
            DemoSession(83, 9, 30, "phone", "Resolució favorable del microcrèdit", "pla-accio"),
        ),
        steps_done=(
            ("acollida", 118),
            ("diagnosi", 104),
            ("pla-accio", 83),
            ("seguiment", 58),
            ("tancament", 55),
        ),
        closed_days_ago=55,
        outcomes=(
            DemoOutcome(
                85,
                {
                    "kind": "financing",
                    "amount": Decimal("12000"),
                    "financing_type": "microcredit",
                    "source": "MicroBank, microcrèdits per a emprenedors",
                    "description": "Microcrèdit a cinc anys per contractar i comprar equips.",
                    "verification": Verification.VERIFIED,
                },
                evidence=(
                    "Resolució del microcrèdit - Vila Disseny.pdf",
                    "Resolució de concessió d'un microcrèdit",
                    (
                        "Beneficiària: Vila Disseny Gràfic SL (NIF B58818501).",
                        "Import concedit: 12.000 €, a retornar en 60 mensualitats, amb sis "
                        "mesos de carència.",
                        "Finalitat: contractació d'una persona i compra d'equips informàtics.",
                    ),
                ),
            ),
            DemoOutcome(
                60,
                {
                    "kind": "jobs_created",
                    "jobs_fte": Decimal("1"),
                    "description": "Contracte indefinit d'un dissenyador júnior.",
                    "verification": Verification.DECLARED,
                },
            ),
        ),
        closing_note="Microcrèdit concedit i primera contractació feta.",
        survey=(
            9,
            "Em van ajudar a preparar la sol·licitud pas a pas i en dos mesos tenia el "
            "microcrèdit.",
        ),
    ),
    DemoClosedCase(
        office="Badalona",
        advisor="tecnic.badalona@xarxa-oae.example",
        client="xin.chen@example.org",
        service="tramits-constitucio-pae",
        opened_days_ago=35,
        sessions=(
            DemoSession(
                34, 10, 60, "in_person", "Acollida i tràmits d'alta d'autònoma", "acollida"
            ),
            DemoSession(21, 11, 45, "in_person", "Alta al RETA i model 037 al PAE", "diagnosi"),
        ),
        steps_done=(
            ("acollida", 34),
            ("diagnosi", 21),
            ("pla-accio", 21),
            ("seguiment", 15),
            ("tancament", 14),
        ),
        closed_days_ago=14,
        outcomes=(
            DemoOutcome(
                21,
                {
                    "kind": "procedure",
                    "description": "Alta al RETA i alta censal (model 037) fetes al PAE.",
                    "verification": Verification.VERIFIED,
                },
                evidence=(
                    "Resolució d'alta al RETA - Xin Chen.pdf",
                    "Resolució sobre reconeixement d'alta al RETA",
                    (
                        "Règim: Especial de Treballadors per Compte Propi o Autònoms.",
                        "Activitat: comerç al detall de te i ceràmica (CNAE 47.29).",
                        "Data d'efecte de l'alta: la de l'inici de l'activitat.",
                    ),
                ),
            ),
        ),
        closing_note="Alta feta; la botiga obre el mes vinent.",
        survey=(8, "Molt ràpid. M'hauria agradat tenir la informació també en xinès."),
    ),
]


def _office(name_part: str) -> Office:
    return Office.objects.get(name__contains=name_part)


def _running_case(office: Office, person, service: str) -> Case | None:
    cases = Case.objects.filter(office=office, person=person, service_code=service)
    return cases.exclude(state=CaseState.CLOSED).order_by("pk").first()


@transaction.atomic
def documents_demo_load() -> int:
    """Attach each demo document to its client's running case, unless already there."""
    added = 0
    for spec in DOCUMENTS:
        person = demo_person(spec.client)
        case = _running_case(_office(spec.office), person, spec.service) if person else None
        if case is None or Attachment.objects.filter(case=case, original_name=spec.name).exists():
            continue
        upload = demo_pdf(
            spec.name, title=spec.title, issuer=case.office.name, paragraphs=list(spec.paragraphs)
        )
        services.attachment_add(
            actor=case.assigned_to, case=case, upload=upload, step_id=spec.step_id
        )
        added += 1
    return added


# A phone call with Marta Vila an hour or more before the demo is loaded: the day view's count
# of the advisor's time has something to add up.
RECENT_CALL_TOPICS = "Trucada: dubtes sobre el contracte de lloguer del local"


def _recent_working_hour() -> datetime.datetime:
    """Earlier today if the working day is under way, else noon of the last working day."""
    now = timezone.localtime()
    if now.weekday() < 5 and now.hour >= 10:
        return local_at(0, min(now.hour - 1, 13))
    days = 1
    while (now - datetime.timedelta(days=days)).weekday() >= 5:
        days += 1
    return local_at(-days, 12)


@transaction.atomic
def recent_session_demo_load() -> bool:
    person = demo_person("marta.vila@example.org")
    case = _running_case(_office("Sant Boi"), person, "assessorament-creacio") if person else None
    if case is None or Session.objects.filter(case=case, topics=RECENT_CALL_TOPICS).exists():
        return False
    services.session_log(
        actor=case.assigned_to,
        case=case,
        started_at=_recent_working_hour(),
        duration_minutes=20,
        channel="phone",
        topics=RECENT_CALL_TOPICS,
        step_id=case.current_step,
    )
    return True


def closed_cases_demo_load() -> int:
    """Add each demo closed case whose client has no case of that service yet; how many."""
    added = 0
    for spec in CLOSED_CASES:
        office, person = _office(spec.office), demo_person(spec.client)
        if (
            person is None
            or Case.objects.filter(office=office, person=person, service_code=spec.service).exists()
        ):
            continue
        survey = _closed_case(spec, office, person)
        # Answered once the closing is saved (its e-mail with the link has gone out then).
        surveys.survey_answer(
            token=surveys.survey_token(survey), score=spec.survey[0], comment=spec.survey[1]
        )
        added += 1
    return added


@transaction.atomic
def _closed_case(spec: DemoClosedCase, office: Office, person):
    advisor = User.objects.get(email=spec.advisor)
    case = services.case_open(
        actor=advisor, office=office, service_code=spec.service, advisor=advisor, person=person
    )
    for session in spec.sessions:
        services.session_log(
            actor=advisor,
            case=case,
            started_at=local_at(-session.days_ago, session.hour),
            duration_minutes=session.minutes,
            channel=session.channel,
            topics=session.topics,
            step_id=session.step_id,
        )
    company = Company.objects.filter(legal_name=spec.company).first() if spec.company else None
    evidence_days = {}
    for outcome in spec.outcomes:
        occurred_on = timezone.localdate() - datetime.timedelta(days=outcome.days_ago)
        data = dict(outcome.data, occurred_on=occurred_on)
        if company is not None:
            data["company"] = company
        evidence = None
        if outcome.evidence is not None:
            name, title, paragraphs = outcome.evidence
            evidence = demo_pdf(name, title=title, issuer=office.name, paragraphs=list(paragraphs))
        recorded = services.outcome_record(
            actor=advisor, case=case, data=data, evidence_upload=evidence
        )
        if recorded.evidence_id:
            evidence_days[recorded.evidence_id] = outcome.days_ago
    for step_id, _days_ago in spec.steps_done:
        step = CaseStep.objects.select_related("case__process").get(case=case, step_id=step_id)
        for item in range(len(step.checklist.get("ca") or [])):
            services.step_tick(actor=advisor, case=case, step_id=step_id, item=item, done=True)
        services.step_complete(
            actor=advisor, case=case, step_id=step_id, expected_version=case.lock_version
        )
    services.case_close(
        actor=advisor,
        case=case,
        reason="goals_met",
        note=spec.closing_note,
        expected_version=case.lock_version,
    )
    _backdate(case, spec, evidence_days)
    return case.survey


def _backdate(case: Case, spec: DemoClosedCase, evidence_days: dict[int, int]) -> None:
    """The services stamp each change with the time it is made; a case that ran for months
    shows its opening, steps, evidence and closing when they happened, as its sessions do."""
    Case.objects.filter(pk=case.pk).update(
        opened_at=local_at(-spec.opened_days_ago, 9),
        closed_at=local_at(-spec.closed_days_ago, 13),
    )
    started = local_at(-spec.opened_days_ago, 9)
    for step_id, days_ago in spec.steps_done:
        done = local_at(-days_ago, 13)
        CaseStep.objects.filter(case=case, step_id=step_id).update(
            started_at=started, completed_at=done
        )
        started = done
    for attachment_id, days_ago in evidence_days.items():
        Attachment.objects.filter(pk=attachment_id).update(uploaded_at=local_at(-days_ago, 12))
