"""When two records may be the same person."""

import pytest

from oae.crm import services
from oae.crm.matching import any_similar, name_key, similar_names


def test_name_key_ignores_accents_case_and_spaces():
    assert name_key("Àlex", "López Puig", 1990) == name_key("ALEX", "lopez puig", 1990)
    assert name_key("Àlex", "López Puig", 1990) == "1990lopal"
    assert name_key("Anna", "", 1990) == name_key("Anna", "Puig", None) == ""


def test_similar_names_tolerate_a_typo_but_not_another_person():
    assert similar_names("Marta Garcia Puig", "Marta Garsia Puig")
    assert not similar_names("Marta Garcia Puig", "Jordi Garcia Roca")
    assert any_similar("marta garcia", ["jordi roca", "marta garsia"])
    assert not any_similar("marta garcia", [])


@pytest.mark.django_db
def test_same_year_and_a_misspelt_surname_is_a_probable_duplicate(office_a, office_b):
    base = {"first_name": "Marta", "last_name": "Fernández Soler", "birth_year": 1984}
    marta = services.person_create(actor=None, office=office_a, data=base | {"language": "ca"})
    found = services.person_duplicates(base | {"last_name": "Fernandes Soler"})
    assert found.probable == [marta] and found.certain == []
    assert not services.person_duplicates(base | {"birth_year": 1990})
