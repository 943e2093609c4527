"""An advisor of two offices works in the one chosen with the header's switcher: its agenda,
its bookings, its opening hours and the cases it opens; never the other office's clients."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oae.cases import agenda, selectors
from oae.cases.models import Appointment, AvailabilitySlot, Case
from oae.crm import services as crm
from oae.network.models import OfficeRole
from oae.testing.factories import MembershipFactory


def _tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def advisor_of_two(people, office_b):
    """advisor_a, who also advises at office B (office A, "OAE Alfa", comes first by name)."""
    MembershipFactory(user=people["advisor_a"], office=office_b, role=OfficeRole.ADVISOR)
    return people["advisor_a"]


@pytest.fixture
def client_b(office_b):
    return crm.person_create(
        actor=None,
        office=office_b,
        data={"first_name": "Biel", "last_name": "Puig", "email": "biel@example.org"},
    )


@pytest.fixture
def appointments(advisor_of_two, office_a, office_b, client_a, client_b):
    """One appointment of the advisor at each office, each with that office's client."""
    anna, _company = client_a

    def book(office, person, hour):
        return agenda.appointment_book(
            actor=advisor_of_two,
            office=office,
            advisor=advisor_of_two,
            starts_at=_tomorrow_at(hour),
            ends_at=_tomorrow_at(hour + 1),
            person=person,
        )

    return {"a": book(office_a, anna, 10), "b": book(office_b, client_b, 12)}


def _switch(client, office) -> None:
    response = client.post(reverse("accounts:office_switch"), {"office": str(office.public_id)})
    assert response.status_code == 302


def _week_page(client, **query) -> str:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.get(reverse("cases:agenda"), {"week": tomorrow, **query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_week_shows_the_appointments_of_the_office_chosen(appointments, client_for, office_b):
    client = client_for("advisor_a")
    page = _week_page(client)
    assert "Anna Serra" in page and "Biel Puig" not in page
    _switch(client, office_b)
    page = _week_page(client)
    assert "Biel Puig" in page and "Anna Serra" not in page


@pytest.mark.django_db
def test_another_advisors_week_shows_none_of_their_other_offices_clients(
    appointments, client_for, advisor_of_two
):
    """Issue 16, point 12: advisor B opens the agenda of an advisor who also works at A."""
    page = _week_page(client_for("advisor_b"), advisor=str(advisor_of_two.pk))
    assert "Biel Puig" in page
    assert "Anna Serra" not in page


@pytest.mark.django_db
def test_week_appointments_are_those_of_the_office_asked_for(appointments, advisor_of_two):
    monday = selectors.week_start(timezone.localdate() + datetime.timedelta(days=1))
    at_a = selectors.week_appointments(
        advisor=advisor_of_two, office=appointments["a"].office, monday=monday
    )
    assert [a for day in at_a.values() for a in day] == [appointments["a"]]


@pytest.mark.django_db
def test_a_booking_is_made_at_the_office_chosen(advisor_of_two, client_for, office_a, office_b):
    client = client_for("advisor_a")

    def book(hour):
        starts = _tomorrow_at(hour)
        response = client.post(
            reverse("cases:book"),
            {
                "advisor": str(advisor_of_two.pk),
                "date": starts.date().isoformat(),
                "starts": starts.strftime("%H:%M"),
                "minutes": "60",
                "channel": "phone",
            },
        )
        assert response.status_code == 302
        return Appointment.objects.get(starts_at=starts)

    assert book(9).office == office_a
    _switch(client, office_b)
    assert client.get(reverse("cases:book")).context["office"] == office_b
    assert book(11).office == office_b


@pytest.mark.django_db
def test_a_case_is_opened_at_the_office_chosen(
    advisor_of_two, client_for, model, client_a, office_a, office_b
):
    person, _company = client_a
    client = client_for("advisor_a")
    url = reverse("cases:open") + f"?person={person.public_id}"
    form = {"service": "crear", "advisor": str(advisor_of_two.pk)}
    client.post(url, form)
    _switch(client, office_b)
    client.post(url, form)
    assert list(Case.objects.order_by("pk").values_list("office", flat=True)) == [
        office_a.pk,
        office_b.pk,
    ]


@pytest.mark.django_db
def test_opening_hours_are_kept_for_the_office_chosen(advisor_of_two, client_for, office_b):
    client = client_for("advisor_a")
    _switch(client, office_b)
    page = client.get(reverse("cases:availability"))
    assert page.context["office"] == office_b
    response = client.post(
        reverse("cases:availability"),
        {
            "slots-TOTAL_FORMS": "1",
            "slots-INITIAL_FORMS": "0",
            "slots-0-weekday": "0",
            "slots-0-starts": "09:00",
            "slots-0-ends": "13:00",
        },
    )
    assert response.status_code == 302
    slot = AvailabilitySlot.objects.get()
    assert (slot.office, slot.advisor) == (office_b, advisor_of_two)


@pytest.mark.django_db
def test_read_only_staff_cannot_book_in_their_office(client_for):
    assert client_for("readonly_a").get(reverse("cases:book")).status_code == 403
