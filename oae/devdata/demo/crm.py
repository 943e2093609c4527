"""A few demo clients: some shared with the network by consent, some not (runs once); and one
client registered twice, for a manager to merge (added once)."""

import datetime

from django.db import transaction

from oae.crm import services
from oae.crm.models import ConsentEvent, Person, Purpose
from oae.network.models import Municipality, Office
from oae.reference.models import SpanishMunicipality

_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni(number: int) -> str:
    return f"{number:08d}{_LETTERS[number % 23]}"


# (office, first name, surnames, DNI number, e-mail, town INE, shares with the network): the
# towns are the network's, but Pau lives in Lleida and Xin in Madrid, outside it.
DEMO_PEOPLE = [
    ("Sant Boi", "Marta", "Vila Rovira", 47100231, "marta.vila@example.org", "08200", True),
    ("Sant Boi", "Youssef", "El Amrani", 49233017, "youssef@example.org", "08200", False),
    ("Sant Boi", "Pau", "Garcia Ferrer", 38911256, "pau.garcia@example.org", "25120", False),
    ("Badalona", "Lucía", "Fernández Ruiz", 52004118, "lucia.fr@example.org", "08015", True),
    ("Badalona", "Xin", "Chen", 0, "xin.chen@example.org", "28079", False),
]
# Those whose date of birth is known (the others gave none).
DEMO_BIRTH_DATES = {
    "marta.vila@example.org": datetime.date(1988, 4, 17),
    "pau.garcia@example.org": datetime.date(1979, 11, 3),
    "lucia.fr@example.org": datetime.date(1992, 6, 21),
}


# Registered twice at Sant Boi, the second time with a typo in the surname and no document:
# the same phone and e-mail make them probable duplicates, which the manager may merge.
DUPLICATE_EMAIL = "jordi.casals@example.org"
DUPLICATE_PAIR = [("Casals Puig", 45871230), ("Cassals Puig", 0)]


def _residence(ine_code: str) -> dict:
    """A demo client's town: the network's, or one elsewhere in Spain."""
    town = Municipality.objects.filter(ine_code=ine_code).first()
    if town is not None:
        return {"municipality": town}
    return {"other_municipality": SpanishMunicipality.objects.get(ine_code=ine_code)}


def demo_person(email: str) -> Person | None:
    """The demo client with this e-mail (the first registered, if twice), unless merged into
    another or erased since."""
    people = Person.objects.filter(email=email, merged_into__isnull=True, anonymised_at=None)
    return people.order_by("pk").first()


def _service_consent(office: Office, person: Person) -> None:
    services.consent_record(
        actor=None,
        office=office,
        person=person,
        purpose=Purpose.SERVICE,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis="public_task",
        notice_version="2026-01",
    )


@transaction.atomic
def crm_duplicates_demo_load() -> bool:
    if Person.objects.filter(email=DUPLICATE_EMAIL).exists():
        return False
    office = Office.objects.get(name__contains="Sant Boi")
    for last_name, number in DUPLICATE_PAIR:
        person = services.person_create(
            actor=None,
            office=office,
            confirm_probable=True,
            data={
                "first_name": "Jordi",
                "last_name": last_name,
                "id_type": "dni" if number else "",
                "id_number": _dni(number) if number else "",
                "email": DUPLICATE_EMAIL,
                "phone": "+34 612 40 51 77",
                "birth_year": 1986,
                "municipality": Municipality.objects.get(ine_code="08200"),
                "language": "ca",
            },
        )
        _service_consent(office, person)
    return True


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
                "birth_date": DEMO_BIRTH_DATES.get(email),
                **_residence(ine),
                "language": "ca",
            },
        )
        _service_consent(office, person)
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
