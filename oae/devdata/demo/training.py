"""Demo training: the competence framework and the starter curriculum, an induction held
three weeks ago (Sant Boi's and Badalona's advisors completed it), an induction coming with
places left, and a viability course already full with a waiting list. Safe to load twice."""

from django.db import transaction

from oae.accounts.models import NetworkRole, User
from oae.devdata.demo.dates import local_at
from oae.training import services
from oae.training.models import Module, TrainingSession

PLACE = "Seu de la xarxa, Carrer 62, 420, Barcelona"


def _user(email: str) -> User:
    return User.objects.get(email=email)


@transaction.atomic
def training_demo_load() -> int:
    """The sessions, once; how many."""
    services.framework_load()
    if TrainingSession.objects.exists():
        return 0
    coordinator = User.objects.filter(network_role=NetworkRole.COORDINATOR).order_by("pk").first()
    induction, viability = (
        Module.objects.get(code="induction"),
        Module.objects.get(code="viability"),
    )
    held = TrainingSession.objects.create(  # in the past: scheduled then, recorded now
        module=induction,
        starts_at=local_at(-21, 9),
        ends_at=local_at(-21, 15),
        place=PLACE,
        trainer="Montserrat Puig",
        capacity=12,
    )
    for email in ("tecnic.santboi@xarxa-oae.example", "tecnic.badalona@xarxa-oae.example"):
        enrolment = held.enrolments.create(
            user=_user(email), status="enrolled", enrolled_by=coordinator
        )
        services.attendance_record(actor=coordinator, enrolment=enrolment, attended=True)
        services.assessment_record(actor=coordinator, enrolment=enrolment, passed=True)
    held.enrolments.update(completed_at=held.ends_at)  # completed the day it was held
    upcoming = services.session_schedule(
        actor=coordinator,
        module=induction,
        data={
            "starts_at": local_at(10, 9),
            "ends_at": local_at(10, 15),
            "place": PLACE,
            "online_url": "",
            "trainer": "Montserrat Puig",
            "capacity": 8,
        },
    )
    services.enrol(
        actor=coordinator, session=upcoming, user=_user("tecnic.itinerant@xarxa-oae.example")
    )
    full = services.session_schedule(
        actor=coordinator,
        module=viability,
        data={
            "starts_at": local_at(24, 9),
            "ends_at": local_at(24, 13),
            "place": "",
            "online_url": "https://reunions.example/oae-viabilitat",
            "trainer": "Jordi Vidal",
            "capacity": 1,
        },
    )
    services.enrol(actor=coordinator, session=full, user=_user("tecnic.badalona@xarxa-oae.example"))
    services.enrol(actor=coordinator, session=full, user=_user("tecnic.santboi@xarxa-oae.example"))
    return 3
