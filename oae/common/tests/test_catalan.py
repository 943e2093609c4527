"""Place phrases, dates and money as each language writes them (oae.common.catalan, money)."""

import csv
import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from oae.common import catalan
from oae.common.money import format_money
from oae.testing.factories import MunicipalityFactory

TOWNS = Path(__file__).resolve().parents[2] / "reference" / "data" / "amb_municipalities.csv"
WITH_ARTICLE = [
    row["name"]
    for row in csv.DictReader(TOWNS.open(encoding="utf-8"))
    if row["name"].split()[0] in ("el", "els", "la", "les") or row["name"].startswith("l'")
]

# What Catalan writes after "a", "de" and "per" for each article a town's name may start with.
EXPECTED = {
    "el": ("al {}", "del {}", "pel {}"),
    "els": ("als {}", "dels {}", "pels {}"),
    "la": ("a la {}", "de la {}", "per la {}"),
    "les": ("a les {}", "de les {}", "per les {}"),
    "l'": ("a l'{}", "de l'{}", "per l'{}"),
}


def _article_and_rest(name: str) -> tuple[str, str]:
    if name.startswith("l'"):
        return "l'", name[2:]
    article, rest = name.split(" ", 1)
    return article, rest


def test_the_reference_data_has_the_towns_with_an_article():
    assert {"el Papiol", "el Prat de Llobregat", "l'Hospitalet de Llobregat"} <= set(WITH_ARTICLE)
    assert "la Palma de Cervelló" in WITH_ARTICLE


@pytest.mark.parametrize("town", WITH_ARTICLE)
def test_every_town_with_an_article_contracts_after_a_de_and_per(town):
    article, rest = _article_and_rest(town)
    expected = tuple(pattern.format(rest) for pattern in EXPECTED[article])
    got = tuple(catalan.with_preposition(p, town, "ca") for p in ("a", "de", "per"))
    assert got == expected


@pytest.mark.parametrize(
    ("article", "town"),
    [("els", "els Hostalets de Pierola"), ("les", "les Planes"), ("el", "El Papiol")],
)
def test_articles_not_in_the_reference_data_and_capitalised_names_contract_too(article, town):
    rest = town.split(" ", 1)[1]
    assert catalan.with_preposition("a", town, "ca") == EXPECTED[article][0].format(rest)


def test_de_takes_an_apostrophe_before_a_vowel_but_a_does_not():
    assert catalan.with_preposition("de", "Esplugues de Llobregat", "ca") == (
        "d'Esplugues de Llobregat"
    )
    assert catalan.with_preposition("a", "Esplugues de Llobregat", "ca") == (
        "a Esplugues de Llobregat"
    )
    assert catalan.with_preposition("de", "Badalona", "ca") == "de Badalona"


def test_a_sentence_is_put_right_around_its_town_only():
    phrase = catalan.place_phrase("Tràmits per a empreses a el Papiol", "el Papiol", "ca")
    assert phrase == "Tràmits per a empreses al Papiol"
    assert catalan.place_phrase("A el Prat", "el Prat", "ca") == "Al Prat"
    assert catalan.place_phrase("el Papiol", "el Papiol", "ca") == "El Papiol"
    assert catalan.place_phrase("La ciutadania de el Prat veu", "el Prat", "ca") == (
        "La ciutadania del Prat veu"
    )
    # Spanish contracts "de el" and "a el" too; English leaves the phrase alone.
    assert catalan.place_phrase("Trámites de el Prat", "el Prat", "es") == "Trámites del Prat"
    assert catalan.place_phrase("Procedures in el Prat", "el Prat", "en") == (
        "Procedures in el Prat"
    )


@pytest.mark.django_db
def test_the_public_procedures_page_of_el_papiol_says_al_papiol(client):
    MunicipalityFactory(ine_code="08158", name="el Papiol")
    client.cookies["django_language"] = "ca"
    page = client.get(reverse("public_catalogue:procedures", args=["08158"])).content.decode()
    assert "Tràmits per a empreses al Papiol" in page
    assert "<title>Tràmits al Papiol" in page
    assert "a el Papiol" not in page


@pytest.mark.parametrize(
    ("day", "catalan_text", "spanish_text"),
    [
        (datetime.date(2026, 12, 7), "dilluns, 7 de desembre", "lunes, 7 de diciembre"),
        (datetime.date(2026, 4, 1), "dimecres, 1 d'abril", "miércoles, 1 de abril"),
        (datetime.date(2026, 8, 2), "diumenge, 2 d'agost", "domingo, 2 de agosto"),
        (datetime.date(2026, 10, 3), "dissabte, 3 d'octubre", "sábado, 3 de octubre"),
        (datetime.date(2026, 5, 15), "divendres, 15 de maig", "viernes, 15 de mayo"),
    ],
)
def test_dates_are_written_with_a_lower_case_weekday_and_de_or_d(day, catalan_text, spanish_text):
    with translation.override("ca"):
        assert catalan.long_date(day) == catalan_text
        assert catalan.long_date(day, year=True) == f"{catalan_text} de 2026"
    with translation.override("es"):
        assert catalan.long_date(day) == spanish_text
    with translation.override("en"):
        assert catalan.long_date(datetime.date(2026, 12, 7)) == "Monday 7 December"


def test_money_is_written_as_the_language_writes_it():
    with translation.override("ca"):
        assert format_money("-1778") == "−1.778,00\u00a0€"
        assert format_money(1234567.4, 0) == "1.234.567\u00a0€"
    with translation.override("en"):
        assert format_money("-1778") == "−1,778.00\u00a0€"
