"""A client may live anywhere in Spain (a network town stays in `municipality`) and has a date
of birth, whose year is the year of birth: through the person's form, the service, merges,
erasure and the copy of their data."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from oae.crm import privacy_services, selectors, services
from oae.crm.models import Person
from oae.reference.models import SpanishMunicipality
from oae.reference.services import spanish_municipalities_load


@pytest.fixture
def spain(office_a, office_b):
    """Every municipality of Spain; Sant Boi (office A's town) and Badalona (office B's) are
    the network's."""
    spanish_municipalities_load()
    return {m.ine_code: m for m in SpanishMunicipality.objects.filter(ine_code__in=CODES)}


CODES = ["25120", "28079", "08200", "08015", "17197", "46244"]  # Lleida, Madrid, …


def _form(**changes) -> dict:
    return {"first_name": "Joan", "last_name": "Mas", "language": "ca"} | changes


def _create(office, **data) -> Person:
    return services.person_create(
        actor=None, office=office, confirm_probable=True, data=_form(**data)
    )


def _page(response) -> str:
    return html.unescape(response.content.decode())


# Where they live, through the form -------------------------------------------------------------


@pytest.mark.django_db
def test_a_town_outside_the_network_is_written_and_saved(client_for, spain):
    response = client_for("advisor_a").post(
        reverse("crm:person_create"), _form(other_municipality="lleida")
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.municipality, person.other_municipality) == (None, spain["25120"])
    page = _page(client_for("advisor_a").get(reverse("crm:person_detail", args=[person.public_id])))
    assert "Lleida (Lleida)" in page


@pytest.mark.django_db
def test_a_network_town_written_in_the_text_goes_to_the_network_field(client_for, spain, office_a):
    client_for("advisor_a").post(reverse("crm:person_create"), _form(other_municipality="Sant Boi"))
    person = Person.objects.get()
    assert person.municipality == office_a.municipality
    assert person.other_municipality is None


@pytest.mark.django_db
def test_an_ambiguous_town_asks_for_the_province(client_for, spain):
    response = client_for("advisor_a").post(
        reverse("crm:person_create"), _form(other_municipality="Torrent")
    )
    assert response.status_code == 200 and not Person.objects.exists()
    page = _page(response)
    assert "write the province too" in page
    assert "Torrent (Girona), Torrent (Valencia/València)" in page
    client_for("advisor_a").post(
        reverse("crm:person_create"), _form(other_municipality="Torrent (Girona)")
    )
    assert Person.objects.get().other_municipality == spain["17197"]


@pytest.mark.django_db
def test_an_unknown_town_is_refused_with_a_message(client_for, spain):
    response = client_for("advisor_a").post(
        reverse("crm:person_create"), _form(other_municipality="Vila Inventada")
    )
    assert response.status_code == 200 and not Person.objects.exists()
    assert "“Vila Inventada” is not a municipality of Spain" in _page(response)
    assert 'href="#id_other_municipality"' in response.content.decode()


@pytest.mark.django_db
def test_a_town_in_each_field_is_refused(client_for, spain, office_b):
    response = client_for("advisor_a").post(
        reverse("crm:person_create"),
        _form(municipality=str(office_b.municipality.pk), other_municipality="Madrid"),
    )
    assert response.status_code == 200 and not Person.objects.exists()
    assert "A person lives in one municipality" in _page(response)


@pytest.mark.django_db
def test_the_edit_form_shows_the_town_and_saves_it_unchanged(client_for, spain, office_a):
    person = _create(office_a, other_municipality=spain["25120"])
    url = reverse("crm:person_edit", args=[person.public_id])
    page = _page(client_for("advisor_a").get(url))
    assert 'value="Lleida (Lleida)"' in page
    data = _form(other_municipality="Lleida (Lleida)", lock_version=person.lock_version)
    assert client_for("advisor_a").post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.other_municipality == spain["25120"] and person.lock_version == 2


@pytest.mark.django_db
def test_moving_to_a_network_town_clears_the_town_outside(spain, office_a):
    person = _create(office_a, other_municipality=spain["28079"])
    services.person_update(
        actor=None,
        person=person,
        data={"municipality": office_a.municipality},
        expected_version=person.lock_version,
    )
    person.refresh_from_db()
    assert (person.municipality, person.other_municipality) == (office_a.municipality, None)


@pytest.mark.django_db
def test_the_database_refuses_two_residences(spain, office_a):
    person = _create(office_a, other_municipality=spain["28079"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(municipality=office_a.municipality)


@pytest.mark.django_db
def test_the_people_list_and_export_show_the_town_outside(client_for, spain, office_a):
    _create(office_a, other_municipality=spain["28079"], birth_date=datetime.date(1990, 5, 2))
    assert "Madrid (Madrid)" in _page(client_for("advisor_a").get(reverse("crm:people")))
    export = client_for("advisor_a").get(reverse("crm:people_export"), {"format": "csv"})
    row = export.content.decode("utf-8-sig").splitlines()[1]
    assert "1990,1990-05-02,Madrid (Madrid)" in row


# The date of birth --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1985-03-14", "14/03/1985"])
def test_a_date_of_birth_gives_the_year(client_for, people, typed):
    response = client_for("advisor_a").post(reverse("crm:person_create"), _form(birth_date=typed))
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.birth_date, person.birth_year) == (datetime.date(1985, 3, 14), 1985)


@pytest.mark.django_db
def test_a_year_alone_stays_allowed(office_a):
    person = _create(office_a, birth_year=1970)
    assert (person.birth_date, person.birth_year) == (None, 1970)


@pytest.mark.django_db
def test_a_year_that_contradicts_the_date_is_refused(client_for, people):
    response = client_for("advisor_a").post(
        reverse("crm:person_create"), _form(birth_date="1985-03-14", birth_year="1986")
    )
    assert response.status_code == 200 and not Person.objects.exists()
    assert "The year of birth (1986) is not the year of the date of birth (14/03/1985)" in _page(
        response
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("born", "message"),
    [
        # Tomorrow is read when the test runs, not when it is collected (a run across
        # midnight would otherwise test today).
        (lambda: timezone.localdate() + datetime.timedelta(days=1), "cannot be in the future"),
        (lambda: datetime.date(1899, 12, 31), "Enter a date of birth from 1900 on."),
    ],
    ids=["tomorrow", "1899"],
)
def test_a_date_of_birth_in_the_future_or_before_1900_is_refused(office_a, born, message):
    with pytest.raises(ValidationError, match=message) as refused:
        _create(office_a, birth_date=born())
    assert "birth_date" in refused.value.message_dict
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_changing_the_date_in_the_edit_form_changes_the_year(client_for, office_a):
    person = _create(office_a, birth_date=datetime.date(1985, 3, 14))
    url = reverse("crm:person_edit", args=[person.public_id])
    data = _form(birth_date="1987-01-02", birth_year="1985", lock_version=person.lock_version)
    assert client_for("advisor_a").post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.birth_date, person.birth_year) == (datetime.date(1987, 1, 2), 1987)
    assert "2/1/1987" in _page(
        client_for("advisor_a").get(reverse("crm:person_detail", args=[person.public_id]))
    )


@pytest.mark.django_db
def test_the_database_refuses_a_year_other_than_the_dates(office_a):
    person = _create(office_a, birth_date=datetime.date(1985, 3, 14))
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(birth_year=1990)


# Merging, erasure and the copy of their data ----------------------------------------------------


@pytest.fixture
def twins(spain, office_a):
    """The same client twice: once with a town in the network and a year, once with a town
    outside it and a full date."""
    kept = _create(office_a, municipality=office_a.municipality, birth_year=1980)
    other = _create(
        office_a,
        first_name="Joana",
        other_municipality=spain["25120"],
        birth_date=datetime.date(1981, 7, 9),
    )
    return kept, other


@pytest.mark.django_db
def test_a_merge_shows_one_choice_for_the_residence_and_one_for_the_birth(twins):
    kept, other = twins
    rows = {name: (mine, theirs) for name, _, mine, theirs in selectors.merge_comparison(*twins)}
    assert "other_municipality" not in rows and "birth_date" not in rows
    assert rows["municipality"] == (kept.municipality, other.other_municipality)
    assert rows["birth_year"] == (1980, "9/7/1981")


@pytest.mark.django_db
def test_a_merge_takes_the_residence_and_the_date_together_and_undoes_them(twins):
    kept, other = twins
    merge = services.person_merge(
        actor=None, survivor=kept, absorbed=other, take={"municipality", "birth_year"}
    )
    kept.refresh_from_db()
    assert (kept.municipality, kept.other_municipality.ine_code) == (None, "25120")
    assert (kept.birth_date, kept.birth_year) == (datetime.date(1981, 7, 9), 1981)
    services.person_merge_undo(actor=None, merge=merge)
    kept.refresh_from_db()
    other.refresh_from_db()
    assert (kept.other_municipality, kept.birth_date, kept.birth_year) == (None, None, 1980)
    assert (other.other_municipality.ine_code, other.birth_date) == (
        "25120",
        datetime.date(1981, 7, 9),
    )


@pytest.mark.django_db
def test_a_merge_keeping_the_survivors_fields_leaves_them(twins):
    kept, other = twins
    services.person_merge(actor=None, survivor=kept, absorbed=other, take={"first_name"})
    kept.refresh_from_db()
    assert (kept.municipality_id, kept.other_municipality, kept.birth_date) == (
        kept.office.municipality_id,
        None,
        None,
    )


@pytest.mark.django_db
def test_erasure_blanks_the_date_keeps_the_decade_and_the_town(client_for, twins):
    kept, other = twins
    merge = services.person_merge(actor=None, survivor=other, absorbed=kept, take=set())
    response = client_for("advisor_a").post(reverse("crm:person_erase", args=[other.public_id]))
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.birth_date, other.birth_year) == (None, 1980)
    assert other.other_municipality.ine_code == "25120"
    merge.refresh_from_db()
    assert merge.survivor_before["birth_date"] is None
    assert merge.survivor_before["birth_year"] == 1980
    assert merge.survivor_before["other_municipality_id"] == other.other_municipality_id


@pytest.mark.django_db
def test_the_copy_of_their_data_holds_the_date_and_the_town(client_for, twins):
    _, other = twins
    response = client_for("advisor_a").post(reverse("crm:person_data", args=[other.public_id]))
    person = response.json()["person"]
    assert person["birth_date"] == "1981-07-09"
    assert person["other_municipality"] == other.other_municipality_id
    assert privacy_services.crm_personal_data(other)["person"]["birth_year"] == 1981
