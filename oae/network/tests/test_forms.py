"""Validation of municipalities and offices: bad input gets a clear message on its field."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oae.network.forms import MunicipalityForm, OfficeForm
from oae.network.models import OfficeStatus
from oae.network.validators import validate_ine_code
from oae.testing.factories import MunicipalityFactory

GOOD_MUNICIPALITY = {
    "ine_code": "08019",
    "name": "Barcelona",
    "comarca": "Barcelonès",
    "population": "1636732",
    "population_year": "2021",
    "latitude": "41.384247",
    "longitude": "2.176349",
}


def _office_form(**overrides):
    municipality = MunicipalityFactory()
    data = {
        "municipality": municipality.pk,
        "name": "OAE Prova",
        "address": "Carrer Major, 1",
        "postal_code": "08001",
        "latitude": "41.38",
        "longitude": "2.17",
        "phone": "934 02 70 00",
        "email": "oae@example.org",
        "languages": ["ca", "es"],
        "status": OfficeStatus.OPEN,
    } | overrides
    return OfficeForm(data=data)


@pytest.mark.django_db
def test_a_good_municipality_is_valid():
    assert MunicipalityForm(data=GOOD_MUNICIPALITY).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("8019", "exactly 5 digits"),
        ("0801A", "exactly 5 digits"),
        ("99019", "province code"),
        ("08000", "000"),
    ],
)
def test_bad_ine_code_gets_a_clear_error(code, message):
    form = MunicipalityForm(data=GOOD_MUNICIPALITY | {"ine_code": code})
    assert not form.is_valid()
    assert message in " ".join(form.errors["ine_code"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "141.2", "between -90 and 90"),
        ("longitude", "-200", "between -180 and 180"),
    ],
)
def test_bad_municipality_coordinates_get_a_clear_error(field, value, message):
    form = MunicipalityForm(data=GOOD_MUNICIPALITY | {field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.django_db
def test_a_good_office_is_valid_and_its_phone_normalised():
    form = _office_form()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+34 934 02 70 00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "oae-at-example.org", "valid email"),
        ("latitude", "95", "between -90 and 90"),
        ("longitude", "181", "between -180 and 180"),
        ("phone", "12", "not a valid phone number"),
        ("phone", "call us", "Enter a phone number"),
        ("postal_code", "8001", "5 digits"),
    ],
)
def test_bad_office_input_gets_a_clear_error_on_its_field(field, value, message):
    form = _office_form(**{field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


@pytest.mark.django_db
def test_latitude_without_longitude_is_refused():
    form = _office_form(longitude="")
    assert not form.is_valid()
    assert "both latitude and longitude" in " ".join(form.non_field_errors())


@pytest.mark.django_db
def test_managers_form_has_no_status_or_municipality():
    form = OfficeForm(can_change_status=False)
    assert "status" not in form.fields and "municipality" not in form.fields


@given(st.integers(min_value=1, max_value=52), st.integers(min_value=1, max_value=999))
def test_every_province_and_municipality_number_is_a_valid_ine_code(province, number):
    validate_ine_code(f"{province:02d}{number:03d}")


def test_decimal_coordinates_at_the_limits_are_valid():
    from oae.network.validators import validate_latitude, validate_longitude

    validate_latitude(Decimal("90"))
    validate_longitude(Decimal("-180"))
