"""A year of birth in the future (or before 1900) is refused, in the service and through the
registration page, whose error summary links to the field."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oae.crm import services
from oae.crm.models import Person


def _data(**changes) -> dict:
    return {"first_name": "Joan", "last_name": "Mas", "language": "ca"} | changes


@pytest.mark.django_db
def test_the_service_refuses_a_birth_year_in_the_future(office_a):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=None, office=office_a, confirm_probable=True, data=_data(birth_year=next_year)
        )
    assert "birth_year" in refused.value.message_dict
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_this_year_and_1900_are_accepted_but_1899_is_not(office_a):
    for year in (timezone.localdate().year, 1900):
        services.person_create(
            actor=None,
            office=office_a,
            confirm_probable=True,
            data=_data(first_name=f"Born{year}", birth_year=year),
        )
    with pytest.raises(ValidationError):
        services.person_create(
            actor=None, office=office_a, confirm_probable=True, data=_data(birth_year=1899)
        )
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_the_registration_page_refuses_it_with_a_summary_linking_to_the_field(client_for):
    next_year = timezone.localdate().year + 1
    response = client_for("advisor_a").post(
        reverse("crm:person_create"), _data(birth_year=str(next_year))
    )
    assert response.status_code == 200 and not Person.objects.exists()
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary is not None
    assert 'href="#id_birth_year"' in summary.group(1)
    assert "The year of birth cannot be in the future." in summary.group(1)
    assert 'id="id_birth_year"' in html
    assert f'max="{timezone.localdate().year}"' in html


@pytest.mark.django_db
def test_editing_a_person_refuses_it_too(client_for, office_a):
    person = services.person_create(
        actor=None, office=office_a, confirm_probable=True, data=_data(birth_year=1980)
    )
    response = client_for("advisor_a").post(
        reverse("crm:person_edit", args=[person.public_id]),
        _data(birth_year=str(timezone.localdate().year + 5), lock_version=person.lock_version),
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.birth_year == 1980
