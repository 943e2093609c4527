"""Demo training and staffing: the competence framework, the starter curriculum and the job
profiles; an induction held three weeks ago (Sant Boi's and Badalona's advisors certified);
Joana Riera, Sant Boi's new advisor, certified by the induction held two days ago; today's
induction under way (attendance and assessment still to record, for the coordinator to walk
through); an induction coming with places left; a viability course already full with a
waiting list. Sant Boi's staffing plan has an advisor's post vacant; Badalona's is filled.
Safe to load twice."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import NetworkRole, User
from oae.devdata.demo.dates import local_at
from oae.network.models import JobRole, Membership, Office
from oae.training import certificates, services
from oae.training.models import Enrolment, Module, Position, TrainingSession

PLACE = "Seu de la xarxa, Carrer 62, 420, Barcelona"
NEW_ADVISOR = "tecnica.nova.santboi@xarxa-oae.example"
ROAMING = "tecnic.itinerant@xarxa-oae.example"

# (office name contains, job, full-time posts needed)
PLANS = [
    ("Sant Boi", JobRole.MANAGER, "1"),
    ("Sant Boi", JobRole.ADVISOR, "4.5"),
    ("Sant Boi", JobRole.FRONT_DESK, "1"),
    ("Badalona", JobRole.MANAGER, "1"),
    ("Badalona", JobRole.ADVISOR, "3.5"),
]


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _coordinator() -> User:
    return User.objects.filter(network_role=NetworkRole.COORDINATOR).order_by("pk").first()


def _held(module: Module, days_ago: int, capacity: int = 12) -> TrainingSession:
    """A session in the past: scheduled then, recorded now."""
    return TrainingSession.objects.create(
        module=module,
        starts_at=local_at(-days_ago, 9),
        ends_at=local_at(-days_ago, 15),
        place=PLACE,
        trainer="Montserrat Puig",
        capacity=capacity,
    )


def certify(session: TrainingSession, users: list[User], actor: User) -> None:
    """Each attended and passed the day it was held, and holds the certificate."""
    for user in users:
        enrolment = Enrolment.objects.create(
            session=session,
            user=user,
            status="enrolled",
            enrolled_by=actor,
            attended=True,
            passed=True,
            completed_at=session.ends_at,
        )
        certificates.certificate_issue(actor=actor, enrolment=enrolment)


def certify_team(office: Office, days_ago: int) -> None:
    """The office's managers and advisors without the induction's certificate take it in a
    session held `days_ago` (the opening playbook's "staff trained" then holds)."""
    team = [
        m.user
        for m in Membership.objects.filter(office=office, is_active=True).select_related("user")
        if m.job != JobRole.FRONT_DESK
    ]
    certified = certificates.induction_certified({user.pk for user in team})
    missing = [user for user in team if user.pk not in certified]
    if missing:
        induction = Module.objects.get(code=certificates.INDUCTION)
        certify(_held(induction, days_ago), missing, _coordinator())


def _plans() -> None:
    for office_name, job, fte in PLANS:
        office = Office.objects.get(name__contains=office_name)
        Position.objects.get_or_create(office=office, job_role=job, defaults={"fte": Decimal(fte)})
    # The roaming advisor works half time in each office; Joana started three weeks ago.
    Membership.objects.filter(user__email=ROAMING).update(fte=Decimal("0.5"))
    today = timezone.localdate()
    Membership.objects.filter(user__email=NEW_ADVISOR).update(
        job_role=JobRole.ADVISOR, starts_on=today - datetime.timedelta(days=21)
    )


def _schedule(actor, module, days: int, hours: tuple[int, int], **where) -> TrainingSession:
    return services.session_schedule(
        actor=actor,
        module=module,
        data={
            "starts_at": local_at(days, hours[0]),
            "ends_at": local_at(days, hours[1]),
            "place": where.get("place", PLACE),
            "online_url": where.get("online_url", ""),
            "trainer": where.get("trainer", "Montserrat Puig"),
            "capacity": where.get("capacity", 8),
        },
    )


@transaction.atomic
def training_demo_load() -> int:
    """The sessions, once; how many."""
    services.framework_load()
    if TrainingSession.objects.exists():
        return 0
    _plans()
    coordinator = _coordinator()
    induction = Module.objects.get(code="induction")
    viability = Module.objects.get(code="viability")
    certify(
        _held(induction, 21),
        [_user("tecnic.santboi@xarxa-oae.example"), _user("tecnic.badalona@xarxa-oae.example")],
        coordinator,
    )
    certify(_held(induction, 2, capacity=10), [_user(NEW_ADVISOR)], coordinator)
    # Today's, under way: scheduled, enrolled, then started an hour before the demo loaded.
    today = _schedule(coordinator, induction, 1, (9, 15), capacity=10)
    services.enrol(
        actor=coordinator, session=today, user=_user("consulta.santboi@xarxa-oae.example")
    )
    now = timezone.now()
    TrainingSession.objects.filter(pk=today.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5)
    )
    upcoming = _schedule(coordinator, induction, 10, (9, 15))
    services.enrol(actor=coordinator, session=upcoming, user=_user(ROAMING))
    full = _schedule(
        coordinator,
        viability,
        24,
        (9, 13),
        place="",
        online_url="https://reunions.example/oae-viabilitat",
        trainer="Jordi Vidal",
        capacity=1,
    )
    services.enrol(actor=coordinator, session=full, user=_user("tecnic.badalona@xarxa-oae.example"))
    services.enrol(actor=coordinator, session=full, user=_user("tecnic.santboi@xarxa-oae.example"))
    return 5
