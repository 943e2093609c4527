"""A few demo clients: some shared with the network by consent, some not. Runs once."""

from django.db import transaction

from oae.crm import services
from oae.crm.models import ConsentEvent, Person, Purpose
from oae.network.models import Municipality, Office

_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni(number: int) -> str:
    return f"{number:08d}{_LETTERS[number % 23]}"


# (office, first name, surnames, DNI number, e-mail, town INE, shares with the network)
DEMO_PEOPLE = [
    ("Sant Boi", "Marta", "Vila Rovira", 47100231, "marta.vila@example.org", "08200", True),
    ("Sant Boi", "Youssef", "El Amrani", 49233017, "youssef@example.org", "08200", False),
    ("Sant Boi", "Pau", "Garcia Ferrer", 38911256, "pau.garcia@example.org", "08204", False),
    ("Badalona", "Lucía", "Fernández Ruiz", 52004118, "lucia.fr@example.org", "08015", True),
    ("Badalona", "Xin", "Chen", 0, "xin.chen@example.org", "08015", False),
]


@transaction.atomic
def crm_demo_load() -> bool:
    if Person.objects.exists():
        return False
    for office_part, first, last, number, email, ine, shares in DEMO_PEOPLE:
        office = Office.objects.get(name__contains=office_part)
        person = services.person_create(
            actor=None,
            office=office,
            confirm_probable=True,
            data={
                "first_name": first,
                "last_name": last,
                "id_type": "dni" if number else "",
                "id_number": _dni(number) if number else "",
                "email": email,
                "municipality": Municipality.objects.get(ine_code=ine),
                "language": "ca",
            },
        )
        services.consent_record(
            actor=None,
            office=office,
            person=person,
            purpose=Purpose.SERVICE,
            action=ConsentEvent.Action.GIVEN,
            lawful_basis="public_task",
            notice_version="2026-01",
        )
        if shares:
            services.consent_record(
                actor=None,
                office=office,
                person=person,
                purpose=Purpose.NETWORK_SHARING,
                action=ConsentEvent.Action.GIVEN,
                lawful_basis="consent",
                notice_version="2026-01",
            )
    marta = Person.objects.get(email="marta.vila@example.org")
    company = services.company_save(
        actor=None,
        office=marta.office,
        company=None,
        data={
            "legal_name": "Vila Disseny Gràfic SL",
            "trade_name": "Vila Disseny",
            "tax_id": "B58818501",
            "legal_form": "limited",
            "stage": "active",
            "employees": 2,
            "municipality": marta.municipality,
        },
    )
    services.person_link_company(actor=None, person=marta, company=company, relation="founder")
    return True
