"""A client of an office for tests: a person and their company, linked."""

from oae.crm import services


def client_with_company(office):
    person = services.person_create(
        actor=None,
        office=office,
        data={
            "first_name": "Anna",
            "last_name": "Serra",
            "id_type": "dni",
            "id_number": "12345678Z",
            "email": "anna@example.org",
            "language": "ca",
        },
    )
    company = services.company_save(
        actor=None,
        office=office,
        company=None,
        data={
            "legal_name": "Serra SL",
            "tax_id": "B58818501",
            "legal_form": "limited",
            "stage": "active",
            "employees": 2,
        },
    )
    services.person_link_company(actor=None, person=person, company=company, relation="founder")
    return person, company
