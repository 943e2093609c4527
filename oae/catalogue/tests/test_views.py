"""The operating model through its screens, for each role."""

import pytest
from django.urls import reverse

from oae.catalogue import services
from oae.catalogue.models import DraftItem, NetworkVersion, OfficeItem
from oae.catalogue.search import search_index_office
from oae.testing.catalogue import build_small_model, i18n
from oae.testing.factories import OfficeFactory


def _item_post(item, **changes):
    """The edit form's data for a draft service, as the browser would send it."""
    content = item.content | changes
    data = {
        "code": item.code,
        "lock_version": item.lock_version,
        "category": content["category"],
        "process": content["process"],
        "guides": content["guides"],
        "channels": content["channels"],
    }
    for field in ("name", "summary", "description", "audience", "duration"):
        for lang in ("ca", "es", "en"):
            data[f"{field}__{lang}"] = content[field].get(lang, "")
    for lang in ("ca", "es", "en"):
        data[f"outcomes__{lang}"] = "\n".join(content["outcomes"].get(lang, []))
    return data


@pytest.fixture
def model(db, office_a):
    items = build_small_model()
    version = services.network_publish(actor=None, changelog="v1")
    services.office_catalogue_adopt(actor=None, office=office_a, version=version)
    return items


@pytest.mark.django_db
def test_the_demo_journey_publish_take_up_and_public_page(client_for, people, office_a, model):
    # The office manager adapts a service's wording (ca and es).
    manager = client_for("manager_a")
    adapt_url = reverse(
        "catalogue:office_item_adapt", args=[office_a.public_id, "service", "crear"]
    )
    item = OfficeItem.objects.get(office=office_a, code="crear")
    response = manager.post(
        adapt_url,
        {
            "lock_version": item.lock_version,
            "summary__ca": "A Sant Boi us ajudem",
            "summary__es": "En Sant Boi te ayudamos",
        },
    )
    assert response.status_code == 302

    # The coordinator changes that service, adds a new one and publishes v2.
    coordinator = client_for("coordinator")
    crear = model[("service", "crear")]
    crear.refresh_from_db()
    response = coordinator.post(
        reverse("catalogue:item_edit", args=["service", "crear"]),
        _item_post(crear, duration=i18n("3 sessions", "3 sesiones")),
    )
    assert response.status_code == 302
    new = _item_post(crear, name=i18n("Mentoria", "Mentoría")) | {"code": "mentoria"}
    response = coordinator.post(reverse("catalogue:item_create", args=["service"]), new)
    assert response.status_code == 302
    response = coordinator.post(reverse("catalogue:publish"), {"changelog": "Mentoria nova"})
    assert response.status_code == 302
    assert NetworkVersion.objects.latest("number").number == 2

    # The office sees the differences and takes everything up, keeping its wording.
    updates = manager.get(reverse("catalogue:office_updates", args=[office_a.public_id]))
    changes = {(c.code, c.status) for c in updates.context["changes"]}
    assert changes == {("crear", "changed"), ("mentoria", "new")}
    manager.post(reverse("catalogue:office_updates", args=[office_a.public_id]), {"all": "1"})

    # The public page shows the result in Catalan and in Spanish.
    public = client_for("anonymous", language="ca")
    page = reverse("public_catalogue:office_item", args=[office_a.public_id, "service", "crear"])
    catalan = public.get(page).content.decode()
    assert "A Sant Boi us ajudem" in catalan and "3 sessions" in catalan
    public.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = public.get(page).content.decode()
    assert "En Sant Boi te ayudamos" in spanish and "3 sesiones" in spanish
    listing = public.get(reverse("public_catalogue:office", args=[office_a.public_id]))
    assert "Mentoría" in listing.content.decode()


@pytest.mark.django_db
def test_public_catalogue_hides_switched_off_items(client_for, office_a, model):
    client_for("manager_a").post(
        reverse("catalogue:office_item_toggle", args=[office_a.public_id, "service", "financar"]),
        {"enabled": "0"},
    )
    public = client_for("anonymous")
    listing = public.get(reverse("public_catalogue:office", args=[office_a.public_id]))
    assert "Crear una empresa" in listing.content.decode()
    assert "Finançament" not in listing.content.decode()
    hidden = public.get(
        reverse("public_catalogue:office_item", args=[office_a.public_id, "service", "financar"])
    )
    assert hidden.status_code == 404


@pytest.mark.django_db
def test_publishing_an_invalid_draft_lists_what_to_fix(client_for, model):
    crear = model[("service", "crear")]
    crear.refresh_from_db()
    services.draft_item_update(
        actor=None,
        item=crear,
        content=crear.content | {"process": "esborrat"},
        expected_version=crear.lock_version,
    )
    response = client_for("coordinator").post(reverse("catalogue:publish"), {"changelog": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "esborrat" in body and "problem" in body
    assert NetworkVersion.objects.count() == 1


@pytest.mark.django_db
def test_second_editor_of_the_same_item_is_refused(client_for, model):
    crear = model[("service", "crear")]
    crear.refresh_from_db()
    first = _item_post(crear, summary=i18n("Primer"))
    second = _item_post(crear, summary=i18n("Segon"))
    client = client_for("coordinator")
    url = reverse("catalogue:item_edit", args=["service", "crear"])
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert DraftItem.objects.get(code="crear").content["summary"]["ca"] == "Primer"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "advisor_a", "auditor"])
def test_only_coordinators_change_the_network_model(client_for, model, persona):
    crear = model[("service", "crear")]
    crear.refresh_from_db()
    response = client_for(persona).post(
        reverse("catalogue:item_edit", args=["service", "crear"]),
        _item_post(crear, summary=i18n("Intent")),
    )
    assert response.status_code == 403
    assert DraftItem.objects.get(code="crear").content["summary"]["ca"] != "Intent"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"), [("advisor_a", 403), ("coordinator", 403), ("advisor_b", 404)]
)
def test_only_the_offices_managers_adapt_it(client_for, office_a, model, persona, status):
    response = client_for(persona).post(
        reverse("catalogue:office_item_toggle", args=[office_a.public_id, "service", "crear"]),
        {"enabled": "0"},
    )
    assert response.status_code == status
    assert OfficeItem.objects.get(office=office_a, code="crear").enabled


@pytest.mark.django_db
def test_advisor_searches_the_office_catalogue(
    client_for, office_a, model, django_capture_on_commit_callbacks
):
    search_index_office(office_id=office_a.pk)
    response = client_for("advisor_a").get(
        reverse("catalogue:office_catalogue", args=[office_a.public_id]), {"q": "financament"}
    )
    found = [item.code for _label, items in response.context["groups"] for item in items]
    assert found == ["financar"]


@pytest.mark.django_db
def test_municipal_variant_is_shown_to_citizens_of_that_town(client_for, office_a, model):
    url = reverse("catalogue:procedure_variant", args=[office_a.public_id, "alta-censal"])
    data = {"where__ca": "AEAT de Cornellà", "local_fee__ca": "Gratuït", "lock_version": ""}
    assert client_for("manager_a").post(url, data).status_code == 302
    page = client_for("anonymous").get(
        reverse("public_catalogue:procedure", args=[office_a.municipality.ine_code, "alta-censal"])
    )
    assert "AEAT de Cornellà" in page.content.decode()


@pytest.mark.django_db
def test_adoption_page_queries_do_not_grow_with_offices(
    client_for, model, office_b, django_assert_max_num_queries
):
    version = NetworkVersion.objects.get()
    for office in [office_b, *OfficeFactory.create_batch(5)]:
        services.office_catalogue_adopt(actor=None, office=office, version=version)
    client = client_for("coordinator")
    client.get(reverse("catalogue:adoption"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("catalogue:adoption"))
    assert len(response.context["rows"]) == 7
