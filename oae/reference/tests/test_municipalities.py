"""Every municipality of Spain loads once and is recognised as offices write it."""

import csv

import pytest
from django.core.management import call_command

from oae.network.models import Municipality
from oae.reference.models import SpanishMunicipality
from oae.reference.municipalities import (
    DATA_DIR,
    MatchStatus,
    find_municipality,
    match_problem,
    natural_name,
    province_name,
)
from oae.reference.services import municipalities_load, spanish_municipalities_load


def _file(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _code(text: str) -> str:
    match = find_municipality(text)
    assert match.found, (text, match)
    return match.municipality.ine_code


# The shipped file -------------------------------------------------------------------------------


def test_the_file_has_every_municipality_of_the_52_provinces_once():
    rows = _file("spanish_municipalities.csv")
    assert len(rows) == 8131
    assert len({row["ine_code"] for row in rows}) == 8131
    assert {row["province_code"] for row in rows} == {f"{n:02d}" for n in range(1, 53)}
    assert all(row["ine_code"][:2] == row["province_code"] for row in rows)
    assert len({(row["province_code"], row["province"]) for row in rows}) == 52


def test_the_36_network_towns_are_in_it_by_ine_code():
    spain = {row["ine_code"]: row["name"] for row in _file("spanish_municipalities.csv")}
    network = _file("amb_municipalities.csv")
    assert len(network) == 36
    for town in network:
        assert natural_name(spain[town["ine_code"]]).lower() == town["name"].lower()


# Loading ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_creates_no_duplicates_and_flags_the_36_network_towns():
    call_command("load_reference_data")
    call_command("load_reference_data")
    assert SpanishMunicipality.objects.count() == 8131
    assert spanish_municipalities_load().changed == 0
    flagged = SpanishMunicipality.objects.filter(network_municipality__isnull=False)
    assert flagged.count() == 36
    assert all(m.network_municipality.ine_code == m.ine_code for m in flagged)
    hospitalet = SpanishMunicipality.objects.get(ine_code="08101")
    assert hospitalet.in_network
    assert str(hospitalet) == "L'Hospitalet de Llobregat (Barcelona)"
    assert not SpanishMunicipality.objects.get(ine_code="25120").in_network


@pytest.mark.django_db
def test_loading_is_a_few_queries_not_one_a_row(django_assert_max_num_queries):
    municipalities_load()
    with django_assert_max_num_queries(100):  # SQLite takes small batches; 8,131 rows
        assert spanish_municipalities_load().changed == 8131


@pytest.mark.django_db
def test_reloading_restores_a_changed_fact_and_links_a_network_town_added_later():
    spanish_municipalities_load()  # before the network's towns exist: none linked
    assert not SpanishMunicipality.objects.filter(network_municipality__isnull=False).exists()
    SpanishMunicipality.objects.filter(ine_code="25120").update(name="Lérida")
    municipalities_load()
    assert spanish_municipalities_load().changed == 37
    assert SpanishMunicipality.objects.get(ine_code="25120").name == "Lleida"
    badalona = SpanishMunicipality.objects.get(ine_code="08015")
    assert badalona.network_municipality == Municipality.objects.get(ine_code="08015")


# Names as they are read -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ine_name", "read"),
    [
        ("Hospitalet de Llobregat, L'", "L'Hospitalet de Llobregat"),
        ("Prat de Llobregat, El", "El Prat de Llobregat"),
        ("Villajoyosa/Vila Joiosa, la", "Villajoyosa/la Vila Joiosa"),
        (
            "Cruïlles, Monells i Sant Sadurní de l'Heura",
            "Cruïlles, Monells i Sant Sadurní de l'Heura",
        ),
    ],
)
def test_a_name_is_shown_with_its_article_in_front(ine_name, read):
    assert natural_name(ine_name) == read


def test_a_province_is_shown_as_it_is_read():
    assert province_name("Balears, Illes") == "Illes Balears"
    assert province_name("Coruña, A") == "A Coruña"
    assert province_name("Valencia/València") == "Valencia/València"


# The matcher (no database: a test without one fails if it reads it) ------------------------------


@pytest.mark.parametrize(
    ("text", "ine_code"),
    [
        ("L'Hospitalet de Llobregat", "08101"),
        ("Hospitalet de Llobregat, L'", "08101"),
        ("l hospitalet de llobregat", "08101"),
        ("L’HOSPITALET DE LLOBREGAT", "08101"),
        ("Hospitalet de Llobregat (L')", "08101"),
        ("08101", "08101"),
        ("8101", "08101"),  # a spreadsheet dropped the leading zero
        ("Cornella de Llobregat", "08073"),  # accents left out
        ("Prat de Llobregat", "08169"),  # the article left out
        ("el prat de llobregat", "08169"),
        ("Alicante", "03014"),
        ("Alacant", "03014"),
        ("Alacant/Alicante", "03014"),
        ("Elx", "03065"),
        ("San Sebastián", "20069"),
        ("A Coruña", "15030"),
        ("La Coruña", "15030"),
        ("Madrid", "28079"),
        ("LLEIDA", "25120"),
        ("Lérida", "25120"),
        ("Vitoria", "01059"),
        ("Noáin", "31088"),
        ("Sta. Coloma de Gramenet", "08245"),
    ],
)
def test_a_municipality_is_recognised_as_offices_write_it(text, ine_code):
    assert _code(text) == ine_code


@pytest.mark.parametrize(
    ("text", "ine_code"),
    [
        ("L'Hospitalet", "08101"),
        ("Sant Boi", "08200"),
        ("Sant Cugat", "08205"),
        ("Cornellà", "08073"),
        ("Montcada", "08125"),
        ("el Prat", "08169"),
    ],
)
def test_the_short_form_of_a_network_town_is_understood(text, ine_code):
    match = find_municipality(text)
    assert match.municipality.ine_code == ine_code
    assert match.municipality.in_network


@pytest.mark.parametrize(
    ("text", "ine_code"),
    [
        ("Castellar (Jaén)", "23025"),
        ("Castellar, Jaen", "23025"),
        ("El Castellar", "44070"),  # its article tells it apart
        ("Torrent (Girona)", "17197"),
        ("Torrent - València", "46244"),
        ("Torrent (Valencia/València)", "46244"),
        ("Corbera (Barcelona)", "08072"),
        ("Palma (Illes Balears)", "07040"),
        ("Píñar (Granada)", "18159"),  # not El Pinar, of the same province
    ],
)
def test_a_province_tells_apart_names_shared_by_several(text, ine_code):
    assert _code(text) == ine_code


def test_a_name_shared_by_several_provinces_is_ambiguous_with_its_candidates():
    match = find_municipality("Torrent")
    assert match.status == MatchStatus.AMBIGUOUS and match.municipality is None
    assert [p.ine_code for p in match.candidates] == ["17197", "46244"]
    problem = match_problem("Torrent", match)
    assert "write the province too" in problem
    assert "Torrent (Girona), Torrent (Valencia/València)" in problem


def test_a_short_form_shared_with_another_town_is_ambiguous():
    coloma = find_municipality("Santa Coloma")
    assert {p.ine_code for p in coloma.candidates} == {"26134", "08244", "08245"}
    corbera = find_municipality("Corbera")
    assert {p.ine_code for p in corbera.candidates} == {"46098", "08072"}
    both_in_barcelona = find_municipality("Santa Coloma (Barcelona)")
    assert both_in_barcelona.status == MatchStatus.AMBIGUOUS
    assert "write the whole name" in match_problem("Santa Coloma (Barcelona)", both_in_barcelona)


@pytest.mark.parametrize("text", ["Xyzzy", "99999", "Sant Pere de Nenhures"])
def test_an_unknown_text_is_not_found(text):
    match = find_municipality(text)
    assert match.status == MatchStatus.UNKNOWN and not match.candidates
    assert "is not a municipality of Spain" in match_problem(text, match)


def test_an_empty_text_names_none():
    assert find_municipality("   ").status == MatchStatus.UNKNOWN


def test_a_town_in_another_province_than_the_one_given_is_named():
    match = find_municipality("Madrid (Barcelona)")
    assert match.status == MatchStatus.UNKNOWN
    assert [p.label for p in match.candidates] == ["Madrid (Madrid)"]
    assert "Did you mean Madrid (Madrid)?" in match_problem("Madrid (Barcelona)", match)


def test_each_municipality_is_found_by_its_label_and_by_its_name():
    """Labels are what an ambiguity offers to type back: each must name its municipality."""
    for row in _file("spanish_municipalities.csv"):
        match = find_municipality(row["name"])
        assert row["ine_code"] in {p.ine_code for p in (match.municipality, *match.candidates) if p}
        place = match.municipality or next(
            p for p in match.candidates if p.ine_code == row["ine_code"]
        )
        assert _code(place.label) == row["ine_code"]


def test_network_towns_are_flagged_by_the_matcher_too():
    assert find_municipality("Badalona").municipality.in_network
    assert not find_municipality("Lleida").municipality.in_network
