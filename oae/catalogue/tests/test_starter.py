"""The starter model we ship."""

from collections import Counter

import pytest

from oae.catalogue.models import Category, DraftItem, NetworkVersion
from oae.catalogue.services import draft_problems
from oae.catalogue.starter import starter_data, starter_model_load


def test_starter_content_covers_what_the_network_needs():
    data = starter_data()
    kinds = Counter(item["kind"] for item in data["items"])
    assert kinds["service"] >= 15 and kinds["procedure"] >= 10
    assert kinds["guide"] >= 5 and kinds["process"] == 1
    categories = {c["key"] for c in data["categories"]}
    assert {i["content"]["category"] for i in data["items"] if i["kind"] == "service"} == categories
    process = next(i for i in data["items"] if i["kind"] == "process")
    assert [s["id"] for s in process["content"]["steps"]] == [
        "acollida",
        "diagnosi",
        "pla-accio",
        "seguiment",
        "tancament",
    ]


def test_every_starter_text_is_written_in_catalan_and_spanish():
    for item in starter_data()["items"]:
        for name, value in item["content"].items():
            if isinstance(value, dict) and "ca" in value and value["ca"]:
                assert value["es"], (item["code"], name)


@pytest.mark.django_db
def test_starter_model_loads_valid_and_twice_without_duplicates():
    first = starter_model_load()
    assert first["published"] == 1 and draft_problems() == []
    second = starter_model_load()
    assert (second["created"], second["published"]) == (0, 0)
    assert NetworkVersion.objects.count() == 1
    assert DraftItem.objects.count() == len(starter_data()["items"])
    assert Category.objects.count() == 9
