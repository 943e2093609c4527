"""Case fixtures: both offices run the small network model (services "crear" and "financar"
on the five-step process "atencio"); office A has a client with a company."""

import pytest

from oae.cases.services import case_open
from oae.catalogue import services as catalogue
from oae.testing.catalogue import build_small_model
from oae.testing.crm import client_with_company


@pytest.fixture
def model(office_a, office_b):
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    for office in (office_a, office_b):
        catalogue.office_catalogue_adopt(actor=None, office=office, version=version)
    return version


@pytest.fixture
def client_a(office_a):
    return client_with_company(office_a)


@pytest.fixture
def case_a(model, people, office_a, client_a):
    person, _company = client_a
    return case_open(
        actor=people["advisor_a"],
        office=office_a,
        service_code="crear",
        advisor=people["advisor_a"],
        person=person,
    )
