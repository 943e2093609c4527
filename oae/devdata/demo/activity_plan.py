"""The stories behind the demo's generated activity (`activity.py` writes them): how busy each
office is, and each client's story planned whole from a seed of its own — the cases, their
sessions, closing, outcomes, survey answer, a referral, a case after it. Pure: no database."""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from oae.accounts.models import User
from oae.cases.models import (
    Channel,
    ClosingReason,
    FinancingType,
    OutcomeKind,
    ProcessTemplate,
    SharedPart,
)
from oae.crm.models import LegalForm
from oae.devdata.scale.names import NameSampler
from oae.devdata.scale.people import TRADES
from oae.network.models import Office

SEED = "xarxa-oae-demo-activity"
REFERENCE_PREFIX = "DEMO-"
# Cases arrive from 15 months back: by the last 14, each month also has the follow-up
# sessions of cases opened before it, as a real office's months do.
HISTORY_DAYS = 457
TREND_AT = datetime.date(2026, 12, 1)  # when each office's demand is its `cases_per_month`


@dataclass(frozen=True)
class Profile:
    """How busy a demo office is."""

    office: str  # its key in network.DEMO_OFFICES
    code: str  # its letters in the generated references
    cases_per_month: float  # new cases in an ordinary month, at TREND_AT
    growth: float  # the change of demand over a year (0.1: a tenth more than a year before)
    waiting: float  # the days clients wait for a first session, against the usual
    referrals: float  # the share of its cases it refers to another office
    staff: tuple[tuple[str, str], ...]  # its generated advisors: name, surnames


# Roughly proportional to the towns' population, not exactly: per 10,000 inhabitants Sant
# Boi and Sant Cugat serve more people than Badalona, and Ciutat Vella's office far fewer
# than its city's size (Barcelona has one office per district).
PROFILES = [
    Profile("santboi", "SB", 21, 0.18, 0.8, 0.07, (("Elisabet", "Prat Sala"),)),
    Profile("badalona", "BD", 25, 0.06, 1.6, 0.05, (("Rubén", "Ortega"), ("Imane", "Haddad"))),
    Profile(
        "barcelona",
        "BC",
        29,
        -0.05,
        1.2,
        0.04,
        (("Gerard", "Mas Oliveras"), ("Lucía", "Romero Gil"), ("Wei", "Zhang")),
    ),
    Profile("santcugat", "SC", 16, 0.12, 0.6, 0.06, (("Blanca", "Riera"), ("Arnau", "Pujol"))),
]

# New cases per month against the year's average, January to December: August is quiet,
# autumn and the start of the year busy.
SEASON = (1.1, 1.05, 1.1, 0.95, 1.05, 1.0, 0.85, 0.55, 1.05, 1.15, 1.1, 0.8)
HOLIDAYS = {(1, 1), (1, 6), (5, 1), (6, 24), (8, 15), (9, 11), (10, 12), (11, 1), (12, 6)}
HOLIDAYS |= {(12, 8), (12, 25), (12, 26)}
WORKING_DAYS_PER_MONTH = 21

# How often each service is asked for (services an office does not offer are left out).
SERVICE_WEIGHTS = {
    "assessorament-creacio": 30,
    "pla-empresa-viabilitat": 12,
    "tramits-constitucio-pae": 10,
    "financament-microcredits": 10,
    "ajuts-subvencions": 8,
    "consolidacio-empreses": 7,
    "digitalitzacio-empresa": 6,
    "formacio-gestio-empresarial": 5,
    "capitalitzacio-autoocupacio": 4,
    "comerc-electronic": 3,
    "contractacio-incentius": 3,
    "economia-social-cooperativa": 3,
    "mentoria-creixement": 3,
    "cerca-local-poligons": 2,
    "internacionalitzacio-inicial": 2,
    "relleu-empresarial": 1,
    "seleccio-personal": 1,
    "barcelona-assessorament-comerc": 8,  # Ciutat Vella's own service
}
CREATION = {"assessorament-creacio", "pla-empresa-viabilitat", "capitalitzacio-autoocupacio"}
PAE = "tramits-constitucio-pae"
LOCAL_SHOPS = "barcelona-assessorament-comerc"
# What a client who got what they came for may come back for.
FOLLOW_ON = {
    "assessorament-creacio": ("financament-microcredits", "ajuts-subvencions"),
    "pla-empresa-viabilitat": ("financament-microcredits", "formacio-gestio-empresarial"),
    PAE: ("ajuts-subvencions", "contractacio-incentius"),
    "financament-microcredits": ("consolidacio-empreses", "mentoria-creixement"),
    "capitalitzacio-autoocupacio": ("formacio-gestio-empresarial",),
}
FOLLOW_ON_DEFAULT = ("digitalitzacio-empresa", "formacio-gestio-empresarial")

K = OutcomeKind
# The outcomes each service may bring a client who reached their goals: kind, likelihood.
SERVICE_OUTCOMES = {
    "assessorament-creacio": (
        (K.PROCEDURE, 0.45),
        (K.BUSINESS_CREATED, 0.35),
        (K.JOBS_CREATED, 0.3),
    ),
    "pla-empresa-viabilitat": ((K.BUSINESS_CREATED, 0.25), (K.FINANCING, 0.3), (K.PROCEDURE, 0.2)),
    PAE: ((K.PROCEDURE, 0.9), (K.BUSINESS_CREATED, 0.45)),
    "financament-microcredits": ((K.FINANCING, 0.8), (K.JOBS_CREATED, 0.3)),
    "ajuts-subvencions": ((K.FINANCING, 0.7),),
    "capitalitzacio-autoocupacio": ((K.FINANCING, 0.8), (K.PROCEDURE, 0.5)),
    "consolidacio-empreses": ((K.JOBS_KEPT, 0.4), (K.JOBS_CREATED, 0.25), (K.FINANCING, 0.2)),
    "mentoria-creixement": ((K.JOBS_CREATED, 0.4), (K.FINANCING, 0.25)),
    "digitalitzacio-empresa": ((K.FINANCING, 0.3), (K.TRAINING, 0.3), (K.JOBS_KEPT, 0.2)),
    "comerc-electronic": ((K.TRAINING, 0.3), (K.JOBS_KEPT, 0.2)),
    "contractacio-incentius": ((K.JOBS_CREATED, 0.8),),
    "seleccio-personal": ((K.JOBS_CREATED, 0.85),),
    "economia-social-cooperativa": ((K.BUSINESS_CREATED, 0.4), (K.JOBS_CREATED, 0.5)),
    "formacio-gestio-empresarial": ((K.TRAINING, 0.85),),
    "internacionalitzacio-inicial": ((K.INTERNATIONAL, 0.5), (K.FINANCING, 0.2)),
    "cerca-local-poligons": ((K.PROCEDURE, 0.6),),
    "relleu-empresarial": ((K.JOBS_KEPT, 0.6), (K.BUSINESS_CREATED, 0.3)),
    LOCAL_SHOPS: ((K.JOBS_KEPT, 0.3), (K.PROCEDURE, 0.3)),
}
VERIFIED_SHARE = {
    K.BUSINESS_CREATED: 0.65,
    K.PROCEDURE: 0.7,
    K.FINANCING: 0.7,
    K.JOBS_CREATED: 0.5,
    K.JOBS_KEPT: 0.4,
    K.TRAINING: 0.8,
    K.INTERNATIONAL: 0.5,
}
F = FinancingType
FINANCING = {  # the kinds of financing a service brings, and their likelihood
    "financament-microcredits": ((F.MICROCREDIT, 7), (F.LOAN, 3)),
    "ajuts-subvencions": ((F.GRANT, 1),),
    "capitalitzacio-autoocupacio": ((F.OWN_FUNDS, 1),),
    "consolidacio-empreses": ((F.LOAN, 1),),
    "mentoria-creixement": ((F.LOAN, 6), (F.EQUITY, 4)),
    "digitalitzacio-empresa": ((F.GRANT, 1),),
    "internacionalitzacio-inicial": ((F.GRANT, 1), (F.LOAN, 1)),
}
FINANCING_DEFAULT = ((F.MICROCREDIT, 4), (F.LOAN, 4), (F.OWN_FUNDS, 2))
AMOUNTS = {  # euros: lowest, highest, rounded to
    F.MICROCREDIT: (6_000, 25_000, 500),
    F.LOAN: (15_000, 80_000, 1_000),
    F.GRANT: (2_000, 12_000, 100),
    F.EQUITY: (20_000, 150_000, 5_000),
    F.OWN_FUNDS: (4_000, 18_000, 100),
}
CLOSING = {  # reason: likelihood, note
    ClosingReason.GOALS_MET: (70, "Objectius assolits."),
    ClosingReason.CLIENT_WITHDREW: (12, "La persona ha decidit no continuar de moment."),
    ClosingReason.NO_CONTACT: (9, "Sense resposta després de diversos intents de contacte."),
    ClosingReason.OUT_OF_SCOPE: (4, "La demanda no correspon als serveis de l'oficina."),
    ClosingReason.OTHER: (5, "Tancat per canvi de circumstàncies de la persona."),
}
COMMENTS = [
    "Molt bon acompanyament, sempre disponibles.",
    "M'han ajudat a ordenar les idees i a fer els números.",
    "Tràmits molt més fàcils del que pensava.",
    "Atenció molt propera. Tornaré.",
    "Me ayudaron mucho con la documentación.",
    "Muy buena atención, rápida y clara.",
    "Hauria preferit més sessions per videotrucada.",
    "La cita va trigar una mica, però el servei molt bo.",
]
DECLINED = [
    "Ara mateix no tenim agenda per a aquest servei; proveu-ho d'aquí a un mes.",
    "La persona no viu ni té l'activitat al nostre municipi.",
    "Aquest servei el fem en grup i la propera edició està plena.",
]
NAMES = NameSampler()


@dataclass
class Desk:
    """An office as the generator sees it: what it offers, who works there, when it opens."""

    profile: Profile
    office: Office
    services: dict[str, tuple[str, ProcessTemplate | None]]  # code: name, process
    advisors: list[User]  # all of them: the demo's logins and the generated ones
    generated: list[User]  # the generated ones: they keep the cases still running
    hours: dict[int, list[tuple[int, int]]]  # weekday: opening periods, minutes of the day
    neighbours: list[int]  # the other network towns, where some of its clients live
    elsewhere: list[int]  # towns outside the network, where a few live

    def offers(self, code: str) -> bool:
        return code in self.services


# Dates ------------------------------------------------------------------------------------


def at(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` into `day`, local time."""
    moment = datetime.time(minutes // 60, minutes % 60)
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def open_day(desk: Desk, day: datetime.date) -> datetime.date:
    """`day`, or the first day after it the office opens."""
    while day.weekday() not in desk.hours or (day.month, day.day) in HOLIDAYS:
        day += days(1)
    return day


def _slot(rng: random.Random, desk: Desk, day: datetime.date, minutes: int) -> datetime.datetime:
    """A time the office is open on `day` (an open day) for something `minutes` long."""
    opens, closes = rng.choice(desk.hours[day.weekday()])
    latest = max(opens, closes - minutes)
    return at(day, rng.randrange(opens, latest + 1, 15) if latest > opens else opens)


def _working_time(rng: random.Random, desk: Desk, moment: datetime.datetime):
    """`moment` if the office is open then, else soon after it opens on its next open day."""
    local = timezone.localtime(moment)
    day = open_day(desk, local.date())
    minutes = local.hour * 60 + local.minute
    periods = desk.hours[day.weekday()]
    if day == local.date() and any(start <= minutes < end for start, end in periods):
        return moment
    if day != local.date() or minutes >= periods[0][0]:
        day = open_day(desk, local.date() + days(1))
    return at(day, desk.hours[day.weekday()][0][0] + rng.randrange(0, 90, 5))


def seeded(key: str) -> random.Random:
    """The random draws of one day or one story: the same whenever the demo is loaded."""
    return random.Random(f"{SEED}|{key}")  # noqa: S311 - made-up data, not security


def arrivals(desk: Desk, day: datetime.date) -> int:
    """How many new clients come to the office on `day` (an open day): the same whenever the
    demo is loaded."""
    profile = desk.profile
    mean = profile.cases_per_month * SEASON[day.month - 1] * _trend(profile, day)
    rng = seeded(f"{profile.code}|{day.isoformat()}")
    limit, count, product = math.exp(-mean / WORKING_DAYS_PER_MONTH), 0, rng.random()
    while product > limit:  # Poisson
        count += 1
        product *= rng.random()
    return min(count, 32)  # a reference numbers a day's cases in two digits, NIFs in 3 × 32


def _trend(profile: Profile, day: datetime.date) -> float:
    """Demand drifts by `growth` a year around TREND_AT: up for three years, then down for
    three (or the other way round), so that it stays believable however long a demo lives."""
    years = (day - TREND_AT).days / 365 + (1.5 if profile.growth >= 0 else 4.5)
    position = years % 6
    rising = position if position < 3 else 6 - position
    return 1 + abs(profile.growth) * (rising - 1.5)


# A client's story, planned whole ------------------------------------------------------------


@dataclass
class Visit:
    start: datetime.datetime
    minutes: int
    channel: str

    @property
    def end(self) -> datetime.datetime:
        return self.start + datetime.timedelta(minutes=self.minutes)


@dataclass
class PlannedOutcome:
    kind: str
    occurred_on: datetime.date
    recorded_at: datetime.datetime
    verified: bool
    jobs_fte: Decimal | None = None
    amount: Decimal | None = None
    financing_type: str = ""
    company: tuple[str, str, str] | None = None  # legal name, trade name, legal form


@dataclass
class PlannedReferral:
    created_at: datetime.datetime
    to: Desk
    service: str
    reason: str
    shared: list[str]
    accepted: bool
    responded_at: datetime.datetime
    note: str = ""
    received: "Plan | None" = None  # the case it opens there, when accepted


@dataclass
class Plan:
    """One case from its opening to its closing."""

    reference: str
    desk: Desk
    service: str
    opened: datetime.datetime
    visits: list[Visit]
    closes: datetime.datetime
    reason: str
    pick: float  # which advisor takes it, among those who may
    outcomes: list[PlannedOutcome] = field(default_factory=list)
    survey: tuple[datetime.datetime, int, str] | None = None  # answered, score, comment
    referral: PlannedReferral | None = None
    follow_on: "Plan | None" = None  # the client's next case


def story(desks: list[Desk], desk: Desk, reference: str, day: datetime.date, rng) -> Plan:
    """A new client's story: their first case at `desk` on `day`, maybe a referral to another
    office (and the case it opens there) and a case after it."""
    opened = _slot(rng, desk, day, 60)
    codes = list(desk.services)
    service = rng.choices(codes, weights=[SERVICE_WEIGHTS[code] for code in codes])[0]
    plan = _case(rng, desk, reference, service, opened)
    if rng.random() < desk.profile.referrals:
        _refer(rng, plan, desks)
    _follow_on(rng, plan)
    return plan


def _case(rng: random.Random, desk: Desk, reference: str, service: str, opened) -> Plan:
    """A case: its sessions, closing reason and time, outcomes and survey answer."""
    pick = rng.random()
    count = rng.choices((1, 2, 3, 4, 5, 6), weights=(12, 24, 25, 18, 12, 9))[0]
    waiting = rng.choices((0, 1, 2, 3, 4, 5, 7, 10, 14, 21), (22, 12, 12, 10, 9, 8, 10, 8, 6, 3))
    waiting_days = round(waiting[0] * desk.profile.waiting)
    visits: list[Visit] = []
    for number in range(count):
        channel, minutes = _channel_and_length(rng, first=number == 0)
        if number == 0 and waiting_days == 0:
            start = opened  # seen as soon as they came
        else:
            gap = waiting_days if number == 0 else _gap(rng)
            since = opened if number == 0 else visits[-1].start
            start = _slot(rng, desk, open_day(desk, since.date() + days(gap)), minutes)
        visits.append(Visit(start, minutes, channel))
    reasons = list(CLOSING)
    reason = rng.choices(reasons, weights=[CLOSING[r][0] for r in reasons])[0]
    if reason == ClosingReason.NO_CONTACT:
        del visits[2:]
        after = rng.randint(45, 75)
    else:
        # Now and then a case waits for months (a licence, a grant's resolution).
        after = rng.randint(2, 21) + (rng.randint(60, 150) if rng.random() < 0.08 else 0)
    closes = _slot(rng, desk, open_day(desk, visits[-1].end.date() + days(after)), 15)
    plan = Plan(reference, desk, service, opened, visits, closes, reason, pick)
    if reason == ClosingReason.GOALS_MET:
        plan.outcomes = _outcomes(rng, plan)
    plan.survey = _survey(rng, plan)
    return plan


def _channel_and_length(rng: random.Random, *, first: bool) -> tuple[str, int]:
    if first:
        channel = rng.choices([Channel.IN_PERSON, Channel.VIDEO, Channel.PHONE], (80, 12, 8))[0]
    else:
        channel = rng.choices(list(Channel), weights=(45, 25, 18, 12))[0]
    lengths = {
        Channel.IN_PERSON: (60, 90) if first else (45, 60, 60, 75, 90, 120),
        Channel.VIDEO: (30, 45, 45, 60),
        Channel.PHONE: (10, 15, 20, 20, 30, 40),
        Channel.EMAIL: (10, 15, 20),
    }
    return channel, rng.choice(lengths[channel])


def _gap(rng: random.Random) -> int:
    return rng.choices((5, 7, 10, 14, 21, 28, 35), weights=(10, 22, 20, 22, 13, 8, 5))[0]


def _outcomes(rng: random.Random, plan: Plan) -> list[PlannedOutcome]:
    """What the client achieved, between their first session and the eve of the closing,
    recorded within a week (before the closing)."""
    first, last = plan.visits[0].start.date(), plan.closes.date() - days(1)
    outcomes = []
    for kind, likelihood in SERVICE_OUTCOMES.get(plan.service, ()):
        if rng.random() >= likelihood:
            continue
        occurred = first + days(rng.randint(0, max((last - first).days, 0)))
        noon = at(occurred, 12 * 60 + rng.randrange(0, 120, 5))
        recorded = min(noon + days(rng.randint(0, 6)), plan.closes - datetime.timedelta(minutes=10))
        outcome = PlannedOutcome(kind, occurred, recorded, rng.random() < VERIFIED_SHARE[kind])
        if kind in (K.JOBS_CREATED, K.JOBS_KEPT):
            choices = ("0.5", "1", "1", "1", "1.5", "2", "3")
            if kind == K.JOBS_KEPT:
                choices = ("1", "2", "2", "3", "4", "5", "6")
            elif plan.service in ("contractacio-incentius", "seleccio-personal"):
                choices = ("1", "1", "2", "2", "3", "4")
            outcome.jobs_fte = Decimal(rng.choice(choices))
        elif kind == K.FINANCING:
            kinds = FINANCING.get(plan.service, FINANCING_DEFAULT)
            kind_of = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]
            lowest, highest, step = AMOUNTS[kind_of]
            outcome.financing_type = kind_of
            outcome.amount = Decimal(rng.randrange(lowest, highest + 1, step))
        elif kind == K.BUSINESS_CREATED:
            form = LegalForm.COOPERATIVE if plan.service == "economia-social-cooperativa" else None
            form = form or rng.choices([LegalForm.LIMITED, LegalForm.LABOUR], (8, 2))[0]
            trade = f"{rng.choice(TRADES)} {NAMES.surname(rng)}"
            suffix = {LegalForm.COOPERATIVE: "SCCL", LegalForm.LABOUR: "SLL"}.get(form, "SL")
            outcome.company = (f"{trade} {suffix}", trade, form)
        outcomes.append(outcome)
    return outcomes


def _survey(rng: random.Random, plan: Plan):
    """The client's answer to the survey sent at the closing, if they answer."""
    goals = plan.reason == ClosingReason.GOALS_MET
    if rng.random() >= (0.85 if goals else 0.4):
        return None
    answered = plan.closes + datetime.timedelta(
        hours=rng.choice((2, 5, 20, 26, 48, 72, 120)), minutes=rng.randrange(0, 60)
    )
    if goals:
        score = rng.choices((10, 9, 8, 7, 6, 5), weights=(32, 30, 22, 10, 4, 2))[0]
    else:
        score = rng.choices((10, 9, 8, 7, 6, 5, 4, 3), weights=(10, 15, 20, 20, 15, 10, 6, 4))[0]
    return answered, score, rng.choice(COMMENTS) if rng.random() < 0.4 else ""


def _refer(rng: random.Random, plan: Plan, desks: list[Desk]) -> None:
    """Refer the client to another office: to a PAE for the company's paperwork (the case
    goes on), or to the office of the town where they will open (the case ends there)."""
    desk, others = plan.desk, [other for other in desks if other is not plan.desk]
    if not others:
        return
    after = plan.visits[min(len(plan.visits) - 1, rng.randint(0, 2))]
    created = after.end + datetime.timedelta(minutes=rng.randrange(10, 60, 5))
    pae = [other for other in others if other.offers(PAE)]
    hand_over = not (plan.service in CREATION and not desk.offers(PAE) and pae)
    if not hand_over:
        to, service = rng.choice(pae), PAE
        reason = "Constitució telemàtica al PAE: la nostra oficina no és punt PAE."
    else:
        to = rng.choice(others)
        town = to.office.municipality.name
        service = plan.service if to.offers(plan.service) else "assessorament-creacio"
        reason = f"Obrirà el negoci a {town} i prefereix que l'acompanyin allà."
        if to.offers(LOCAL_SHOPS) and rng.random() < 0.5:
            service = LOCAL_SHOPS
            reason = f"Obrirà una botiga a {town}: el servei de comerç de proximitat hi ajuda."
        if not to.offers(service):
            return
    accepted = rng.random() < 0.78
    hours = rng.choice((2, 4, 6, 20, 24, 28, 48, 72) if accepted else (20, 26, 48, 72, 96, 120))
    answer = created + datetime.timedelta(hours=hours, minutes=rng.randrange(0, 60))
    responded = _working_time(rng, to, answer)
    shared = [SharedPart.CONTACT, SharedPart.SUMMARY]
    if rng.random() < 0.6:
        shared.append(SharedPart.SESSIONS)
    referral = PlannedReferral(created, to, service, reason, shared, accepted, responded)
    plan.referral = referral
    if not accepted:
        referral.note = rng.choice(DECLINED)
        return
    received = f"{plan.reference}-R"
    referral.received = _case(seeded(received), to, received, service, responded)
    if hand_over:
        # The client goes on at the other office: this case ends once the referral is taken.
        plan.visits = [visit for visit in plan.visits if visit.start <= after.start]
        plan.reason, plan.outcomes = ClosingReason.REFERRED, []
        plan.closes = _working_time(rng, desk, responded + days(rng.randint(1, 3)))
        plan.survey = _survey(rng, plan)


def _follow_on(rng: random.Random, plan: Plan) -> None:
    """A client who reached their goals comes back, now and then, for another service."""
    if plan.reason != ClosingReason.GOALS_MET or rng.random() >= 0.12:
        return
    choices = [c for c in FOLLOW_ON.get(plan.service, FOLLOW_ON_DEFAULT) if plan.desk.offers(c)]
    if not choices:
        return
    service = rng.choice(choices)
    day = open_day(plan.desk, plan.closes.date() + days(rng.randint(7, 60)))
    opened = _slot(rng, plan.desk, day, 60)
    reference = f"{plan.reference}-2"
    plan.follow_on = _case(seeded(reference), plan.desk, reference, service, opened)
