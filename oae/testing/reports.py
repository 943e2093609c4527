"""Office activity for the reports' tests: clients served, each with a case and a session."""

import datetime
import itertools

from oae.cases.models import Case, Session
from oae.crm.models import Person

_numbers = itertools.count(1)


def clients_served(office, advisor, count: int, when: datetime.datetime, minutes: int = 60):
    """`count` new clients of the office, each with a case opened and a session held `when`."""
    for _client in range(count):
        number = next(_numbers)
        person = Person.objects.create(office=office, first_name=f"{office.name} {number}")
        case = Case.objects.create(
            reference=f"R-{number}",
            office=office,
            person=person,
            service_code="crear",
            service_name="crear",
            assigned_to=advisor,
            opened_at=when,
            state="open",
        )
        Session.objects.create(
            case=case,
            office=office,
            person=person,
            advisor=advisor,
            started_at=when,
            duration_minutes=minutes,
            channel="in_person",
        )
