"""Each fetch of the catalogue's screens refuses what it must with a 404 (a missing row,
another item's or another office's, a malformed id), and the list pages read a fixed number
of queries however many rows they show."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oae.catalogue import services
from oae.catalogue.models import DraftItem, ItemRevision, OfficeItem, Resource
from oae.network.models import OfficeStatus
from oae.testing.catalogue import build_small_model, service_content
from oae.testing.factories import OfficeFactory


@pytest.fixture
def model(db, office_a):
    items = build_small_model()
    version = services.network_publish(actor=None, changelog="v1")
    services.office_catalogue_adopt(actor=None, office=office_a, version=version)
    return items


def _resource(code: str, files: int = 1) -> Resource:
    resource = Resource.objects.create(code=code, title=f"Plantilla {code}", tags="pla")
    for number in range(files):
        upload = SimpleUploadedFile(f"{code}-{number}.txt", b"pla d'empresa")
        services.resource_file_add(actor=None, resource=resource, upload=upload)
    return resource


# The network model's pages ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["item_edit", "item_history", "item_preview"])
def test_a_missing_draft_item_is_a_404(client_for, model, page):
    response = client_for("coordinator").get(
        reverse(f"catalogue:{page}", args=["service", "no-such-item"])
    )
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("revision", "status"), [("not-a-number", 400), ("9" * 25, 400), ("999999", 404)]
)
def test_restoring_a_missing_or_malformed_revision_is_refused(client_for, model, revision, status):
    url = reverse("catalogue:item_history", args=["service", "crear"])
    response = client_for("coordinator").post(url, {"revision": revision})
    assert response.status_code == status


@pytest.mark.django_db
def test_restoring_another_items_revision_is_a_404_and_changes_nothing(client_for, model):
    crear = DraftItem.objects.get(kind="service", code="crear")
    other = ItemRevision.objects.exclude(item=crear).first()
    before = crear.content
    url = reverse("catalogue:item_history", args=["service", "crear"])
    response = client_for("coordinator").post(url, {"revision": other.pk})
    assert response.status_code == 404
    crear.refresh_from_db()
    assert crear.content == before


@pytest.mark.django_db
def test_a_missing_version_category_or_resource_is_a_404(client_for, model):
    resource = _resource("plantilla")
    client = client_for("coordinator")
    urls = [
        reverse("catalogue:version_detail", args=[99]),
        reverse("catalogue:category_edit", args=["no-such-category"]),
        reverse("catalogue:resource_edit", args=["no-such-resource"]),
        reverse("catalogue:resource_download", args=["no-such-resource", 1]),
        reverse("catalogue:resource_download", args=[resource.code, 2]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    download = client.get(reverse("catalogue:resource_download", args=[resource.code, 1]))
    assert download.status_code == 200


@pytest.mark.django_db
def test_a_file_number_is_looked_for_only_within_its_resource(client_for, model):
    _resource("una", files=1)
    _resource("altra", files=2)
    client = client_for("advisor_a")
    assert client.get(reverse("catalogue:resource_download", args=["altra", 2])).status_code == 200
    assert client.get(reverse("catalogue:resource_download", args=["una", 2])).status_code == 404


# An office's catalogue --------------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_an_item_not_in_the_offices_catalogue_is_a_404(client_for, office_a, model):
    url = reverse("catalogue:office_item_toggle", args=[office_a.public_id, "service", "nothing"])
    assert client_for("manager_a").post(url, {"enabled": "0"}).status_code == 404


@pytest.mark.django_db
def test_a_network_item_cannot_be_edited_as_the_offices_own(client_for, office_a, model):
    url = reverse("catalogue:office_local_edit", args=[office_a.public_id, "service", "crear"])
    assert client_for("manager_a").get(url).status_code == 404


@pytest.mark.django_db
def test_another_offices_own_item_is_a_404(client_for, office_a, office_b, model):
    services.office_local_item_save(
        actor=None,
        office=office_b,
        kind="service",
        code="local-b",
        content=service_content("Servei de Beta"),
    )
    in_office_a = [office_a.public_id, "service", "local-b"]
    url = reverse("catalogue:office_local_edit", args=in_office_a)
    assert client_for("manager_a").get(url).status_code == 404
    toggle = reverse("catalogue:office_item_toggle", args=in_office_a)
    assert client_for("manager_a").post(toggle, {"enabled": "0"}).status_code == 404
    assert OfficeItem.objects.get(office=office_b, code="local-b").enabled


# Public pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_closed_office_has_no_public_catalogue(client_for, office_a, model):
    public = client_for("anonymous")
    url = reverse("public_catalogue:office", args=[office_a.public_id])
    assert public.get(url).status_code == 200
    office_a.status = OfficeStatus.CLOSED
    office_a.save(update_fields=["status"])
    assert public.get(url).status_code == 404


@pytest.mark.django_db
def test_an_unknown_town_has_no_procedures_page(client_for, model):
    public = client_for("anonymous")
    assert public.get(reverse("public_catalogue:procedures", args=["99999"])).status_code == 404
    url = reverse("public_catalogue:procedure", args=["99999", "alta-censal"])
    assert public.get(url).status_code == 404


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("catalogue:model_home", 9),
        ("catalogue:version_list", 5),
        ("catalogue:categories", 5),
        ("catalogue:resources", 6),
    ],
)
def test_the_network_model_lists_read_a_fixed_number_of_queries(
    client_for, model, name, queries, django_assert_max_num_queries
):
    for number in range(2, 5):
        services.network_publish(actor=None, changelog=f"v{number}")
    for code in ("una", "altra", "tercera"):
        _resource(code, files=2)
    client = client_for("coordinator")
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_item_history_reads_a_fixed_number_of_queries(
    client_for, model, django_assert_max_num_queries
):
    crear = DraftItem.objects.get(kind="service", code="crear")
    for number in range(5):
        crear = services.draft_item_update(
            actor=None,
            item=crear,
            content=crear.content | {"duration": {"ca": f"{number} sessions"}},
            expected_version=crear.lock_version,
        )
    client = client_for("coordinator")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("catalogue:item_history", args=["service", "crear"]))
    assert len(response.context["rows"]) >= 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "name", "queries"),
    [
        ("advisor_a", "catalogue:office_catalogue", 12),
        ("anonymous", "public_catalogue:office", 5),
    ],
)
def test_an_offices_catalogue_reads_a_fixed_number_of_queries(
    client_for, office_a, model, persona, name, queries, django_assert_max_num_queries
):
    for number in range(5):
        services.office_local_item_save(
            actor=None,
            office=office_a,
            kind="service",
            code=f"local-{number}",
            content=service_content(f"Servei local {number}"),
        )
    client = client_for(persona)
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(name, args=[office_a.public_id]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_procedures_page_reads_a_fixed_number_of_queries(
    client_for, office_a, model, django_assert_max_num_queries
):
    OfficeFactory.create_batch(3)  # more towns in the list of municipalities
    url = reverse("public_catalogue:procedures", args=[office_a.municipality.ine_code])
    with django_assert_max_num_queries(7):
        response = client_for("anonymous").get(url)
    assert response.status_code == 200
