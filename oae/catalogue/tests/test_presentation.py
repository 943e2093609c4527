"""How the catalogue's pages name things: items by their titles (never their slugs), fields by
their labels (never their keys), and what an update changes as old and new text side by side."""

import re

import pytest
from django.urls import reverse

from oae.catalogue import services
from oae.catalogue.models import DraftItem, OfficeItem
from oae.testing.catalogue import build_small_model, i18n


@pytest.fixture
def model(db, office_a):
    items = build_small_model()
    version = services.network_publish(actor=None, changelog="v1")
    services.office_catalogue_adopt(actor=None, office=office_a, version=version)
    return items


def _publish_new_summary(summary: str):
    crear = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=None,
        item=crear,
        content=crear.content | {"summary": i18n(summary, "Resumen nuevo")},
        expected_version=crear.lock_version,
    )
    return services.network_publish(actor=None, changelog="v2")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["item_edit", "item_history", "item_preview"])
def test_a_methodology_guide_is_titled_with_its_title_not_its_slug(client_for, model, page):
    html = client_for("coordinator").get(reverse(f"catalogue:{page}", args=["guide", "guia"]))
    html = html.content.decode()
    assert re.search(r"<title>[^<]*Guia[^<]*·", html)
    assert "<title>guia" not in html and "· guia ·" not in html
    assert "← guia<" not in html


@pytest.mark.django_db
def test_the_model_lists_kinds_and_titles_in_the_reader_s_language(client_for, model):
    html = client_for("coordinator").get(reverse("catalogue:model_home")).content.decode()
    assert "<td>Methodology guide</td>" in html and "<td>guide</td>" not in html
    assert "<td>Guia</td>" in html


@pytest.mark.django_db
def test_the_preview_offers_each_language(client_for, model):
    url = reverse("catalogue:item_preview", args=["service", "crear"])
    html = client_for("coordinator").get(url).content.decode()
    assert re.findall(r'href="\?lang=(\w+)"', html) == ["ca", "es", "en"]


@pytest.mark.django_db
def test_an_office_item_names_the_fields_it_adapted_by_their_labels(client_for, office_a, model):
    item = OfficeItem.objects.get(office=office_a, code="crear")
    services.office_item_override(
        actor=None,
        item=item,
        overrides={"schedule": i18n("Dimarts"), "contact": i18n("934 00 00 00")},
        expected_version=item.lock_version,
    )
    url = reverse("catalogue:office_item", args=[office_a.public_id, "service", "crear"])
    html = client_for("advisor_a").get(url).content.decode()
    assert "adapted: Contact, When" in html
    assert "contact, schedule" not in html


@pytest.mark.django_db
def test_an_update_shows_each_changed_field_old_and_new_side_by_side(client_for, office_a, model):
    _publish_new_summary("Un resum nou")
    url = reverse("catalogue:office_updates", args=[office_a.public_id])
    html = client_for("manager_a").get(url).content.decode()
    table = re.search(r'<details class="field-changes">.*?</details>', html, re.S).group(0)
    assert '<caption class="visually-hidden">Changes to Crear una empresa</caption>' in table
    assert re.search(r'<th scope="col">Before</th><th scope="col">After</th>', table)
    row = re.search(r'<tr><th scope="row">Summary</th><td>(.*?)</td><td>(.*?)</td></tr>', table)
    assert row.groups() == ("Resum Crear una empresa", "Un resum nou")


@pytest.mark.django_db
def test_a_version_s_differences_show_old_and_new_text_too(client_for, model):
    version = _publish_new_summary("Un resum nou")
    html = client_for("coordinator").get(reverse("catalogue:version_detail", args=[version.number]))
    html = html.content.decode()
    assert '<th scope="row">Summary</th><td>Resum Crear una empresa</td><td>Un resum nou</td>' in (
        html
    )
    # The version's items are listed by kind and title, in the reader's language.
    assert "<li>Methodology guide · Guia" in html


@pytest.mark.django_db
def test_a_changed_reference_shows_the_titles_of_the_items_it_names(client_for, office_a, model):
    crear = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=None,
        item=crear,
        content=crear.content | {"guides": []},
        expected_version=crear.lock_version,
    )
    services.network_publish(actor=None, changelog="v2")
    url = reverse("catalogue:office_updates", args=[office_a.public_id])
    html = client_for("manager_a").get(url).content.decode()
    row = re.search(
        r'<tr><th scope="row">Methodology guides</th><td>(.*?)</td><td>(.*?)</td></tr>', html
    )
    assert row.group(1) == "Guia"
    assert "(empty)" in row.group(2)
