"""A year and more of every open demo office's everyday work, so that the reports show figures
of a believable size: clients registered, cases on the office's services, sessions on every
channel, closings with their reasons, outcomes (verified with their evidence, or declared),
survey answers and referrals between offices. The stories are planned in `activity_plan.py`.

Every generated case has a `DEMO-` reference naming its office, day and place in the day, and
each story always plays out the same, so loading again adds nothing that is there: it adds the
days since the last load, and carries on the generated cases still running then (their later
sessions, steps, outcomes, closing, survey answer, referral answer) as if loaded in one go.
Written in bulk and dated when each thing happened; the clients' e-mails are example.org, and
they have no identity document or phone."""

import datetime
import random
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oae.accounts.models import User
from oae.cases.models import (
    Attachment,
    Case,
    CaseState,
    CaseStep,
    ClosingReason,
    Outcome,
    OutcomeKind,
    Referral,
    ReferralStatus,
    Session,
    SurveyResponse,
    Verification,
)
from oae.cases.referrals import REFERRAL_NOTICE
from oae.cases.services import process_template_for
from oae.catalogue import content as catalogue_content
from oae.catalogue.selectors import effective_items
from oae.common.text import fold
from oae.crm.models import (
    Company,
    ConsentEvent,
    LawfulBasis,
    LegalForm,
    Person,
    PersonCompany,
    Purpose,
    Relation,
    Stage,
)
from oae.crm.namewords import name_words, name_words_add
from oae.crm.services import person_derive
from oae.devdata.demo import activity_plan as stories
from oae.devdata.demo.activity_plan import (
    CLOSING,
    HISTORY_DAYS,
    NAMES,
    PROFILES,
    REFERENCE_PREFIX,
    SERVICE_WEIGHTS,
    Desk,
    Plan,
    PlannedOutcome,
    Profile,
    at,
    days,
    open_day,
    seeded,
)
from oae.devdata.demo.files import demo_pdf
from oae.devdata.demo.network import DEMO_OFFICES
from oae.devdata.scale.people import cif
from oae.network.models import Membership, Municipality, Office, OfficeRole, OfficeStatus
from oae.reference.models import SpanishMunicipality

NOTICE = "2026-01"
K = OutcomeKind
SOURCES = {
    "microcredit": "MicroBank, microcrèdits per a emprenedors",
    "loan": "Institut Català de Finances (ICF), préstec per a emprenedoria",
    "grant": "Ajuts a l'autoocupació i a la digitalització (convocatòria pública)",
    "equity": "Inversió privada (business angels de la xarxa)",
    "own_funds": "Capitalització de la prestació d'atur (SEPE)",
}
DESCRIPTIONS = {
    K.BUSINESS_CREATED: "Constitució de la societat i inici de l'activitat.",
    K.PROCEDURE: "Alta al RETA i alta censal (model 036) fetes.",
    K.FINANCING: "Finançament concedit per a la inversió inicial.",
    K.JOBS_CREATED: "Contractació de personal per a l'activitat.",
    K.JOBS_KEPT: "Llocs de treball mantinguts després de la reorganització.",
    K.TRAINING: "Curs de gestió empresarial acabat amb aprofitament.",
    K.INTERNATIONAL: "Primera venda a l'exterior.",
}
# A verified outcome's evidence, one document per kind: file name, title, issuer, text.
EVIDENCE = {
    K.BUSINESS_CREATED: (
        "Escriptura de constitució",
        "Escriptura de constitució de societat (extracte)",
        "Notaria",
        "Atorgament de l'escriptura de constitució i inscripció al Registre Mercantil.",
    ),
    K.PROCEDURE: (
        "Resolució d'alta al RETA",
        "Resolució sobre reconeixement d'alta al RETA",
        "Tresoreria General de la Seguretat Social",
        "Règim especial de treballadors per compte propi o autònoms.",
    ),
    K.FINANCING: (
        "Resolució de finançament",
        "Resolució de concessió de finançament",
        "Entitat finançadora",
        "Import concedit, termini de retorn i finalitat de la inversió.",
    ),
    K.JOBS_CREATED: (
        "Contracte de treball",
        "Comunicació del contracte de treball",
        "Servei Públic d'Ocupació",
        "Contracte registrat a Contrat@: jornada, durada i data d'inici.",
    ),
    K.JOBS_KEPT: (
        "Informe de plantilla mitjana",
        "Informe de plantilla mitjana de treballadors en alta",
        "Tresoreria General de la Seguretat Social",
        "Plantilla mitjana dels darrers dotze mesos.",
    ),
    K.TRAINING: (
        "Certificat del curs",
        "Certificat d'aprofitament",
        "Escola de formació empresarial",
        "Curs de gestió empresarial de 40 hores superat amb aprofitament.",
    ),
    K.INTERNATIONAL: (
        "Declaració d'exportació",
        "Document únic administratiu (extracte)",
        "Agència Tributària, duanes",
        "Primera exportació de mercaderies fora de la Unió Europea.",
    ),
}
TOPICS = {
    "acollida": "Acollida: la idea i el que necessita",
    "diagnosi": "Diagnosi de la situació i dels recursos",
    "pla-accio": "Pla d'acció: passos, terminis i documents",
    "seguiment": "Seguiment del pla",
    "tancament": "Tancament i valoració",
}
REFERRED_NOTE = "Derivada a una altra oficina de la xarxa, que l'ha acceptada."
# Towns outside the network where a few clients live (INE codes): Terrassa, Sabadell,
# Mataró, Granollers, Manresa, Tarragona, Girona, Lleida.
ELSEWHERE = ["08279", "08187", "08121", "08096", "08113", "43148", "17079", "25120"]
FEMALE = set(
    "Maria Carmen Montserrat Marta Laura Anna Cristina Núria Isabel Rosa Dolores Pilar Ana "
    "Sílvia Elena Mercè Laia Júlia Paula Sara Teresa Lucía Carla Mireia Raquel Eva Irene Gemma "
    "Andrea Patricia Judit Clara Martina Aina Noa Ona Emma Lola Berta Neus Alba Ainhoa Roser "
    "Fatima Khadija Amina Xin Mei Beatriz Inés Sofía Valentina Camila Olga Ariadna Miriam "
    "Esther Salma Priya Nataliia".split()
)
EITHER = {"Àlex", "Wei", "Li"}  # names.GIVEN_NAMES that say nothing of gender
CASE_PROGRESS = ["state", "closed_at", "closing_reason", "closing_note", "current_step"]
CASE_PROGRESS += ["last_contact_at", "updated_at"]
STEP_PROGRESS = ["started_at", "due_on", "completed_at", "completed_by", "ticks"]
SURVEY_ANSWER = ["answered_at", "score", "comment"]
RUNNING = (CaseState.OPEN, CaseState.IN_PROGRESS, CaseState.ON_HOLD)  # not reopened by hand
REFERRAL_ANSWER = ["status", "responded_by", "responded_at", "response_note", "received_case"]


# The offices ------------------------------------------------------------------------------


def _desks() -> list[Desk]:
    """The open demo offices that have services to offer and opening hours."""
    specs = {spec.key: spec for spec in DEMO_OFFICES}
    towns = list(Municipality.objects.order_by("ine_code").values_list("pk", flat=True))
    elsewhere = list(
        SpanishMunicipality.objects.filter(
            ine_code__in=ELSEWHERE, network_municipality__isnull=True
        )
        .order_by("ine_code")
        .values_list("pk", flat=True)
    )
    desks = []
    for profile in PROFILES:
        spec = specs[profile.office]
        office = (
            Office.objects.filter(name=spec.name, municipality__ine_code=spec.ine_code)
            .select_related("municipality")
            .first()
        )
        if office is None or office.status != OfficeStatus.OPEN:
            continue
        services, hours = _services(office), _hours(office)
        if not services or not hours:
            continue
        generated = _generated_advisors(profile, office)
        advisors = User.objects.filter(
            memberships__office=office,
            memberships__role=OfficeRole.ADVISOR,
            memberships__is_active=True,
        )
        neighbours = [pk for pk in towns if pk != office.municipality_id]
        desks.append(
            Desk(
                profile,
                office,
                services,
                list(advisors.order_by("email")),
                generated,
                hours,
                neighbours,
                elsewhere,
            )
        )
    return desks


def _services(office: Office) -> dict:
    """The office's services clients ask for, with the process each runs on (as
    `cases.services.case_open` finds them)."""
    items = {(item.kind, item.code): item for item in effective_items(office, enabled_only=True)}
    services = {}
    for (kind, code), item in sorted(items.items()):
        if kind != "service" or not SERVICE_WEIGHTS.get(code):
            continue
        process = items.get(("process", item.content.get("process") or ""))
        name = catalogue_content.title("service", item.content, "ca")[:200]
        services[code] = (name, process_template_for(process))
    return services


def _hours(office: Office) -> dict[int, list[tuple[int, int]]]:
    hours: dict[int, list[tuple[int, int]]] = {}
    for period in office.opening_periods.order_by("weekday", "opens"):
        hours.setdefault(period.weekday, []).append(
            (
                period.opens.hour * 60 + period.opens.minute,
                period.closes.hour * 60 + period.closes.minute,
            )
        )
    return hours


def _generated_advisors(profile: Profile, office: Office) -> list[User]:
    """The office's generated advisors, added once: staff on the records, not logins."""
    users = []
    for number, (first_name, last_name) in enumerate(profile.staff, start=1):
        user, created = User.objects.get_or_create(
            email=f"assessoria.{number}.{profile.office}@xarxa-oae.example",
            defaults={"first_name": first_name, "last_name": last_name},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, office=office, defaults={"role": OfficeRole.ADVISOR}
        )
        users.append(user)
    return users


# What earlier loads wrote -------------------------------------------------------------------


@dataclass
class Loaded:
    """The generated records as earlier loads left them: the cases, and what a case still
    running or a survey or referral still unanswered needs to be carried on."""

    cases: dict[str, Case]  # by reference
    steps: dict[int, dict[str, CaseStep]]  # a running case's, by case and step
    last_sessions: dict[int, datetime.datetime]  # a running case's latest session
    outcomes: dict[int, set]  # a running case's (kind, date) of its outcomes
    surveys: dict[int, SurveyResponse | None]  # by case: None once answered
    referrals: dict[int, Referral]  # by the referring case
    tax_ids: set[str]  # every company's NIF

    @classmethod
    def read(cls) -> "Loaded":
        generated = Case.objects.filter(reference__startswith=REFERENCE_PREFIX)
        cases = {case.reference: case for case in generated.select_related("person", "assigned_to")}
        running = [case.pk for case in cases.values() if case.state != CaseState.CLOSED]
        steps: dict[int, dict[str, CaseStep]] = {}
        for step in CaseStep.objects.filter(case_id__in=running):
            steps.setdefault(step.case_id, {})[step.step_id] = step
        sessions = Session.objects.filter(case_id__in=running).values("case_id")
        outcomes: dict[int, set] = {}
        for case_id, kind, day in Outcome.objects.filter(case_id__in=running).values_list(
            "case_id", "kind", "occurred_on"
        ):
            outcomes.setdefault(case_id, set()).add((kind, day))
        surveys = SurveyResponse.objects.filter(case__in=generated)
        return cls(
            cases=cases,
            steps=steps,
            last_sessions={
                row["case_id"]: row["last"] for row in sessions.annotate(last=Max("started_at"))
            },
            outcomes=outcomes,
            surveys={s.case_id: None if s.answered_at else s for s in surveys},
            referrals={r.case_id: r for r in Referral.objects.filter(case__in=generated)},
            tax_ids=set(Company.objects.exclude(tax_id="").values_list("tax_id", flat=True)),
        )


@dataclass
class Records:
    """The rows to add, unsaved, and the loaded rows that change."""

    people: list[Person] = field(default_factory=list)
    consents: list[ConsentEvent] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    links: list[PersonCompany] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    steps: list[CaseStep] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    evidence: list[tuple[Attachment, str]] = field(default_factory=list)  # and its kind
    outcomes: list[Outcome] = field(default_factory=list)
    surveys: list[SurveyResponse] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    words: Counter = field(default_factory=Counter)
    changed: dict[type, list] = field(default_factory=dict)  # loaded rows, by model

    def change(self, row) -> None:
        self.changed.setdefault(type(row), []).append(row)


# From the plans to the rows -------------------------------------------------------------------


class Writer:
    """Turns the stories into rows, leaving out what has not happened by `now`."""

    def __init__(self, now: datetime.datetime, loaded: Loaded):
        self.now = now
        self.today_starts = at(timezone.localdate(now), 0)
        self.loaded = loaded
        self.records = Records()
        self.added = 0

    def story(self, desks: list[Desk], desk: Desk, reference: str, day) -> None:
        rng = seeded(reference)
        plan = stories.story(desks, desk, reference, day, rng)
        if plan.opened > self.now:
            return
        loaded = self.loaded.cases.get(reference)
        if loaded is None:
            # A client referred to another office shares their record with the network.
            person = self._person(rng, desk, reference, plan.opened, plan.referral is not None)
        else:
            person = loaded.person
            if person is None or person.anonymised_at or person.merged_into_id:
                return  # erased or merged since: their story stops there
        case = self._carry_on(plan, person)
        if plan.referral is not None:
            self._referral(plan, case, person)
        if plan.follow_on is not None and plan.follow_on.opened <= self.now:
            self._carry_on(plan.follow_on, person)

    def _carry_on(self, plan: Plan, person: Person) -> Case:
        """The planned case: added, carried on while running, or its late survey answer."""
        loaded = self.loaded.cases.get(plan.reference)
        if loaded is None:
            self.added += 1
            return self._case(plan, person)
        if loaded.service_code != plan.service or loaded.office_id != plan.desk.office.pk:
            return loaded  # not the planned case any more (the catalogue changed): left alone
        if loaded.state in RUNNING:
            self._continue(plan, loaded)
        elif loaded.closed_at == plan.closes:
            self._late_answer(plan, loaded)
        return loaded

    def _person(self, rng: random.Random, desk: Desk, reference: str, opened, shares: bool):
        first, last = NAMES.given_name(rng), NAMES.surnames(rng)
        gender = "" if first in EITHER else ("female" if first in FEMALE else "male")
        if rng.random() < 0.04:
            gender = "unsaid"
        birth_year = int(rng.triangular(1958, 2005, 1985))
        where, town, other = rng.random(), desk.office.municipality_id, None
        if where > 0.97 and desk.elsewhere:
            town, other = None, rng.choice(desk.elsewhere)
        elif where > 0.8:
            town = rng.choice(desk.neighbours)
        name = re.sub(r"[^a-z0-9.]", "", f"{fold(first)}.{fold(last.split()[0])}")
        tag = reference.removeprefix(REFERENCE_PREFIX).replace("-", "").lower()
        created = opened - datetime.timedelta(minutes=5)
        person = Person(
            office=desk.office,
            first_name=first,
            last_name=last,
            email=f"{name}.{tag}@example.org",
            birth_year=birth_year,
            gender=gender,
            municipality_id=town,
            other_municipality_id=other,
            language=rng.choices(("ca", "es"), (55, 45))[0],
            employment=rng.choices(
                ("unemployed", "employed", "self_employed", "student", "other"),
                (45, 30, 12, 5, 8),
            )[0],
            heard_from=rng.choice(("town_hall", "employment_service", "internet", "acquaintance")),
            shares_with_network=(rng.random() < 0.35) or shares,
            created_at=created,
            updated_at=created,
        )
        person_derive(person)
        self.records.people.append(person)
        self.records.words.update(name_words(first, last))
        self._consent(person, desk.office, Purpose.SERVICE, LawfulBasis.PUBLIC_TASK, created)
        if person.shares_with_network:
            self._consent(
                person, desk.office, Purpose.NETWORK_SHARING, LawfulBasis.CONSENT, created
            )
        return person

    def _consent(self, person, office, purpose, basis, when, notice=NOTICE) -> None:
        self.records.consents.append(
            ConsentEvent(
                person=person,
                purpose=purpose,
                action=ConsentEvent.Action.GIVEN,
                lawful_basis=basis,
                notice_version=notice,
                occurred_at=when,
                office=office,
            )
        )

    def _case(self, plan: Plan, person: Person, advisor: User | None = None) -> Case:
        """A new case's rows as of `now`."""
        desk, now = plan.desk, self.now
        closed = plan.closes <= now
        if advisor is None:
            # The demo's logins get only cases closed before today: their day stays as shown.
            pool = desk.advisors if plan.closes < self.today_starts else desk.generated
            pool = pool or desk.advisors
            advisor = pool[int(plan.pick * len(pool))]
        visits = [visit for visit in plan.visits if visit.end <= now]
        name, process = desk.services[plan.service]
        case = Case(
            reference=plan.reference,
            office=desk.office,
            person=person,
            service_code=plan.service,
            service_name=name,
            process=process,
            assigned_to=advisor,
            created_by=advisor,
            opened_at=plan.opened,
            last_contact_at=visits[-1].start if visits else None,
            created_at=plan.opened,
            updated_at=plan.closes if closed else (visits[-1].end if visits else plan.opened),
        )
        if closed:
            case.state, case.closed_at, case.closing_reason = (
                CaseState.CLOSED,
                plan.closes,
                plan.reason,
            )
            case.closing_note = (
                REFERRED_NOTE if plan.reason == ClosingReason.REFERRED else CLOSING[plan.reason][1]
            )
        elif not visits:
            case.state = CaseState.OPEN
        elif visits[-1].start < now - days(45):
            case.state = CaseState.ON_HOLD  # waiting for a licence, a grant's resolution…
        else:
            case.state = CaseState.IN_PROGRESS
        self.records.cases.append(case)
        done = self._steps(plan, case, advisor, process)
        for visit in visits:
            step = next((s for s, when in done if when is None or when >= visit.start), "")
            self.records.sessions.append(
                Session(
                    case=case,
                    office=desk.office,
                    person=person,
                    advisor=advisor,
                    started_at=visit.start,
                    duration_minutes=visit.minutes,
                    channel=visit.channel,
                    step_id=step,
                    topics=TOPICS.get(step, "Sessió d'assessorament"),
                    created_at=visit.end,
                    updated_at=visit.end,
                )
            )
        for outcome in plan.outcomes:
            if outcome.recorded_at <= now:
                self._outcome(plan, case, advisor, outcome)
        if closed:
            survey = SurveyResponse(
                case=case, office=case.office, sent_at=plan.closes + datetime.timedelta(minutes=1)
            )
            if plan.survey is not None and plan.survey[0] <= now:
                survey.answered_at, survey.score, survey.comment = plan.survey
            self.records.surveys.append(survey)
        return case

    def _steps(self, plan: Plan, case: Case, advisor: User, process) -> list[tuple[str, object]]:
        """The case's steps, each done as its session ends (the last two near the closing,
        when the client reached their goals); (step, when done or None), in order."""
        steps = (process.content.get("steps") or []) if process else []
        if not steps:
            return []
        ends = [visit.end for visit in plan.visits]
        count = len(steps)
        if plan.reason == ClosingReason.GOALS_MET:
            done = [ends[min(j, len(ends) - 1)] for j in range(count - 2)]
            closing = [max(ends[-1], plan.closes - days(1)), plan.closes]
            done += [moment - datetime.timedelta(minutes=5) for moment in closing][-count:]
        else:
            reached = min(len(ends), max(count - 2, 0))
            if plan.reason == ClosingReason.NO_CONTACT:
                reached = min(reached, 1)
            done = ends[:reached]
        done = [moment for moment in done if moment <= self.now]
        started, current = plan.opened, ""
        for position, step in enumerate(steps):
            completed = done[position] if position < len(done) else None
            begun = started if position <= len(done) else None
            ticks = {}
            if completed is not None:
                items = (step.get("checklist") or {}).get("ca") or []
                at_time = completed.isoformat()
                ticks = {
                    str(item): {"by": advisor.email, "at": at_time} for item in range(len(items))
                }
                started = completed
            elif begun is not None:
                current = step["id"]
            target = step.get("target_days") or None
            self.records.steps.append(
                CaseStep(
                    case=case,
                    step_id=step["id"],
                    position=position,
                    target_days=target,
                    started_at=begun,
                    due_on=timezone.localdate(begun) + days(target) if begun and target else None,
                    completed_at=completed,
                    completed_by=advisor if completed else None,
                    ticks=ticks,
                )
            )
        case.current_step = current
        return [(step["id"], done[p] if p < len(done) else None) for p, step in enumerate(steps)]

    def _outcome(self, plan: Plan, case: Case, advisor: User, planned: PlannedOutcome) -> None:
        company = None
        if planned.kind == K.BUSINESS_CREATED:
            company = self._company(plan, case, planned)
            if company is None:
                return
        evidence = None
        if planned.verified:
            evidence = Attachment(
                case=case,
                original_name=f"{EVIDENCE[planned.kind][0]} - {case.person.last_name}.pdf",
                content_type="application/pdf",
                uploaded_by=advisor,
                uploaded_at=planned.recorded_at,
            )
            self.records.evidence.append((evidence, planned.kind))
        self.records.outcomes.append(
            Outcome(
                case=case,
                kind=planned.kind,
                occurred_on=planned.occurred_on,
                company=company,
                jobs_fte=planned.jobs_fte,
                amount=planned.amount,
                financing_type=planned.financing_type,
                source=SOURCES.get(planned.financing_type, ""),
                description=DESCRIPTIONS[planned.kind],
                evidence=evidence,
                verification=Verification.VERIFIED if planned.verified else Verification.DECLARED,
                verified_by=advisor if planned.verified else None,
                verified_at=planned.recorded_at if planned.verified else None,
                recorded_by=advisor,
                created_at=planned.recorded_at,
                updated_at=planned.recorded_at,
            )
        )

    def _company(self, plan: Plan, case: Case, planned: PlannedOutcome) -> Company | None:
        """The company the client created: a business counts as created with its NIF."""
        legal_name, trade_name, form = planned.company
        tax_id = _tax_id(plan.reference, form)
        if tax_id in self.loaded.tax_ids:
            return None
        self.loaded.tax_ids.add(tax_id)
        founded = at(planned.occurred_on, 10 * 60)
        company = Company(
            office=case.office,
            legal_name=legal_name,
            trade_name=trade_name,
            tax_id=tax_id,
            legal_form=form,
            start_date=planned.occurred_on,
            stage=Stage.ACTIVE,
            municipality_id=case.person.municipality_id or case.office.municipality_id,
            search_text=fold(f"{legal_name} {trade_name} {tax_id}"),
            created_by=case.assigned_to,
            created_at=founded,
            updated_at=founded,
        )
        self.records.companies.append(company)
        self.records.links.append(
            PersonCompany(person=case.person, company=company, relation=Relation.FOUNDER)
        )
        return company

    def _continue(self, plan: Plan, loaded: Case) -> None:
        """Carry on a case an earlier load left running: what happened since, as planned."""
        records, self.records = self.records, Records()
        try:
            fresh = self._case(plan, loaded.person, advisor=loaded.assigned_to)
            new = self.records
        finally:
            self.records = records
        last = self.loaded.last_sessions.get(loaded.pk)
        for session in new.sessions:
            if last is None or session.started_at > last:
                session.case = loaded
                records.sessions.append(session)
        steps = self.loaded.steps.get(loaded.pk, {})
        for step in new.steps:
            kept = steps.get(step.step_id)
            if kept and not kept.completed_at and _values(step) != _values(kept):
                for name in STEP_PROGRESS:
                    setattr(kept, name, getattr(step, name))
                records.change(kept)
        known = self.loaded.outcomes.get(loaded.pk, set())
        links = {id(link.company): link for link in new.links}  # unsaved: no hash
        for outcome in new.outcomes:
            if (outcome.kind, outcome.occurred_on) in known:
                continue
            outcome.case = loaded
            records.outcomes.append(outcome)
            if outcome.evidence is not None:
                outcome.evidence.case = loaded
                records.evidence.append((outcome.evidence, outcome.kind))
            if outcome.company is not None:
                records.companies.append(outcome.company)
                records.links.append(links[id(outcome.company)])
        if new.surveys and loaded.pk not in self.loaded.surveys:
            new.surveys[0].case = loaded
            records.surveys.append(new.surveys[0])
        fresh.last_contact_at = max(
            filter(None, (loaded.last_contact_at, fresh.last_contact_at)), default=None
        )
        if _values(fresh, CASE_PROGRESS[:-1]) != _values(loaded, CASE_PROGRESS[:-1]):
            for name in CASE_PROGRESS:
                setattr(loaded, name, getattr(fresh, name))
            records.change(loaded)

    def _late_answer(self, plan: Plan, loaded: Case) -> None:
        """The answer to the survey of a case closed by an earlier load, if it came since."""
        survey = self.loaded.surveys.get(loaded.pk)
        if survey is not None and plan.survey is not None and plan.survey[0] <= self.now:
            survey.answered_at, survey.score, survey.comment = plan.survey
            self.records.change(survey)

    def _referral(self, plan: Plan, case: Case, person: Person) -> None:
        """The story's referral: sent once it happens, answered once it is (the case it
        opens at the other office then added, and carried on later)."""
        planned = plan.referral
        if planned.created_at > self.now or (
            case.closed_at and case.closed_at < planned.created_at
        ):
            return
        kept = self.loaded.referrals.get(case.pk) if case.pk else None
        answered = planned.responded_at <= self.now
        if kept is not None and kept.status != ReferralStatus.PENDING:
            if kept.received_case_id and planned.received is not None:
                self._carry_on(planned.received, person)
            return
        received = None
        if answered and planned.received is not None:
            received = self._carry_on(planned.received, person)
        referral = kept or Referral(
            case=case,
            from_office=plan.desk.office,
            to_office=planned.to.office,
            to_service_code=planned.service,
            to_service_name=planned.to.services[planned.service][0],
            reason=planned.reason,
            shared=sorted(planned.shared),
            created_by=case.assigned_to,
            created_at=planned.created_at,
        )
        if answered:
            referral.status = (
                ReferralStatus.ACCEPTED if planned.accepted else ReferralStatus.DECLINED
            )
            referral.responded_at, referral.response_note = planned.responded_at, planned.note
            referral.responded_by = _responder(planned, plan.pick, received)
            referral.received_case = received
        if kept is None:
            self._consent(
                person,
                plan.desk.office,
                Purpose.REFERRAL,
                LawfulBasis.CONSENT,
                planned.created_at,
                notice=REFERRAL_NOTICE,
            )
            self.records.referrals.append(referral)
        elif answered:
            self.records.change(referral)


def _values(row, names: list[str] = STEP_PROGRESS) -> list:
    """The fields' values, a relation's as its key (never read from the database)."""
    return [getattr(row, row._meta.get_field(name).attname) for name in names]


def _responder(planned, pick: float, received: Case | None) -> User:
    """Who answered a referral: the advisor who took the case it opened, else one of the
    receiving office's."""
    if received is not None:
        return received.assigned_to
    advisors = planned.to.advisors
    return advisors[int(pick * len(advisors))]


CODES = {profile.code: number for number, profile in enumerate(PROFILES)}
PARTS = {"": 0, "2": 1, "R": 2}  # a client's first case, their next one, one referred


def _tax_id(reference: str, form: str) -> str:
    """A made-up NIF from the case's reference, in a range of the demo's own: unique among
    the generated companies (by day, office, place in the day and which of the story)."""
    _demo, code, day, number, *part = reference.split("-")
    date = datetime.date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    serial = (date - datetime.date(2020, 1, 1)).days * 400 + CODES[code] * 100
    serial += int(number) * 3 + PARTS["".join(part)]
    letter = "F" if form == LegalForm.COOPERATIVE else "B"  # cooperatives' NIFs start with F
    return letter + cif(7_000_000 + serial)[1:]


# Loading ----------------------------------------------------------------------------------


def _days_to_load(loaded: Loaded, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """From the first day of the history (or of a story still running from before it) to
    today; and the first day new stories start."""
    first = today - days(HISTORY_DAYS)
    running = [
        reference.split("-")[2]
        for reference, case in loaded.cases.items()
        if case.state != CaseState.CLOSED
    ]
    earliest = min(
        (datetime.date(2000 + int(d[:2]), int(d[2:4]), int(d[4:])) for d in running),
        default=first,
    )
    return min(first, earliest), first


@contextmanager
def _dated_as_given(*models) -> Iterator[None]:
    """Rows written today but dated when they happened: the models' automatic stamps
    (created, updated, uploaded, occurred) take the values given while loading."""
    stamps = [
        (stamp, stamp.auto_now, stamp.auto_now_add)
        for model in models
        for stamp in model._meta.concrete_fields
        if getattr(stamp, "auto_now", False) or getattr(stamp, "auto_now_add", False)
    ]
    for stamp, _now, _add in stamps:
        stamp.auto_now = stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp, now, add in stamps:
            stamp.auto_now, stamp.auto_now_add = now, add


def _write(records: Records) -> None:
    models = (Person, ConsentEvent, Company, Case, Session, Attachment, Outcome, Referral)
    with _dated_as_given(*models):
        Person.objects.bulk_create(records.people, batch_size=500)
        ConsentEvent.objects.bulk_create(records.consents, batch_size=500)
        name_words_add(records.words)
        Company.objects.bulk_create(records.companies, batch_size=500)
        PersonCompany.objects.bulk_create(records.links, batch_size=500)
        Case.objects.bulk_create(records.cases, batch_size=500)
        CaseStep.objects.bulk_create(records.steps, batch_size=500)
        Session.objects.bulk_create(records.sessions, batch_size=500)
        _evidence_files(records.evidence)
        Attachment.objects.bulk_create([file for file, _kind in records.evidence], batch_size=500)
        Outcome.objects.bulk_create(records.outcomes, batch_size=500)
        SurveyResponse.objects.bulk_create(records.surveys, batch_size=500)
        Referral.objects.bulk_create(records.referrals, batch_size=500)
        for model, fields in (
            (Case, CASE_PROGRESS),
            (CaseStep, STEP_PROGRESS),
            (SurveyResponse, SURVEY_ANSWER),
            (Referral, REFERRAL_ANSWER),
        ):
            model.objects.bulk_update(records.changed.get(model, []), fields, batch_size=500)


def _evidence_files(evidence: list[tuple[Attachment, str]]) -> None:
    """Each verified outcome's document, a PDF stored as an upload is (one drawn per kind)."""
    pdfs: dict[str, bytes] = {}
    for attachment, kind in evidence:
        if kind not in pdfs:
            _name, title, issuer, text = EVIDENCE[kind]
            upload = demo_pdf("evidence.pdf", title=title, issuer=issuer, paragraphs=[text])
            pdfs[kind] = upload.read()
        attachment.size = len(pdfs[kind])
        attachment.file.save(attachment.original_name, ContentFile(pdfs[kind]), save=False)


@transaction.atomic
def activity_demo_load(*, now: datetime.datetime | None = None) -> int:
    """Load every open demo office's activity up to `now` (the stories not loaded yet, and
    what happened since in those loaded before); how many cases were added."""
    now = now or timezone.now()
    desks = _desks()
    if not desks:
        return 0
    loaded = Loaded.read()
    writer = Writer(now, loaded)
    today = timezone.localdate(now)
    first, new_from = _days_to_load(loaded, today)
    for desk in desks:
        day = first
        while day <= today:
            if day == open_day(desk, day):
                for number in range(1, stories.arrivals(desk, day) + 1):
                    reference = f"{REFERENCE_PREFIX}{desk.profile.code}-{day:%y%m%d}-{number:02d}"
                    if day >= new_from or reference in loaded.cases:
                        writer.story(desks, desk, reference, day)
            day += days(1)
    _write(writer.records)
    return writer.added
