"""Demo cases for the Sant Boi and Badalona advisors: a day with something in every box (a
task due, an overdue step, a quiet case, a referral to answer; the appointments are booked by
`agenda.py`). Runs once."""

import datetime

from django.db import transaction
from django.utils import timezone

from oae.accounts.models import User
from oae.cases import referrals, services
from oae.cases.models import Case, CaseStep
from oae.crm.models import Person
from oae.devdata.demo.dates import local_at
from oae.network.models import Office


@transaction.atomic
def cases_demo_load() -> bool:
    if Case.objects.exists():
        return False
    sant_boi = Office.objects.get(name__contains="Sant Boi")
    badalona = Office.objects.get(name__contains="Badalona")
    advisor = User.objects.get(email="tecnic.santboi@xarxa-oae.example")
    advisor_b = User.objects.get(email="tecnic.badalona@xarxa-oae.example")
    marta = Person.objects.get(email="marta.vila@example.org")
    youssef = Person.objects.get(email="youssef@example.org")
    pau = Person.objects.get(email="pau.garcia@example.org")
    lucia = Person.objects.get(email="lucia.fr@example.org")

    creation = services.case_open(
        actor=advisor,
        office=sant_boi,
        service_code="assessorament-creacio",
        advisor=advisor,
        person=marta,
    )
    services.session_log(
        actor=advisor,
        case=creation,
        started_at=local_at(-12, 10),
        duration_minutes=60,
        channel="in_person",
        topics="Acollida i idea de negoci",
        private_notes="Té experiència en disseny; busca local al centre.",
        step_id="acollida",
    )
    services.step_complete(
        actor=advisor, case=creation, step_id="acollida", expected_version=creation.lock_version
    )
    services.task_add(
        actor=advisor,
        case=creation,
        title="Enviar la plantilla del pla d'empresa",
        due_on=timezone.localdate(),
        assignee=advisor,
    )

    licence = services.case_open(
        actor=advisor,
        office=sant_boi,
        service_code="pla-empresa-viabilitat",
        advisor=advisor,
        person=youssef,
    )
    # The intake was due a few days ago: the day view shows it as overdue.
    CaseStep.objects.filter(case=licence, step_id=licence.current_step).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    Case.objects.filter(pk=licence.pk).update(opened_at=local_at(-40, 9))

    services.case_open(
        actor=advisor,
        office=sant_boi,
        service_code="consolidacio-empreses",
        advisor=advisor,
        person=pau,
    )

    financing = services.case_open(
        actor=advisor_b,
        office=badalona,
        service_code="assessorament-creacio",
        advisor=advisor_b,
        person=lucia,
    )
    referrals.referral_create(
        actor=advisor_b,
        case=financing,
        to_office=sant_boi,
        service_code="financament-microcredits",
        reason="Vol obrir el negoci a Sant Boi i necessita un microcrèdit.",
        shared=["contact", "summary", "sessions"],
        consent_given_now=True,
    )
    return True
