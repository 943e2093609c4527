"""An office's take-up of the network's model, pinned rule by rule: which fields keep the
office's wording, which arrive from the network, the conflicts, the counts and every refusal."""

import pytest
from django.core.exceptions import ValidationError

from oae.catalogue import content as content_lib
from oae.catalogue import selectors, services
from oae.catalogue.models import OfficeItem
from oae.common.concurrency import EditConflict
from oae.privacy.models import AuditEvent
from oae.testing.catalogue import i18n, service_content
from oae.testing.factories import OfficeFactory

ALL_CODES = {"atencio", "guia", "crear", "financar", "alta-censal"}


def _edit(item, **changes):
    item.refresh_from_db()
    return services.draft_item_update(
        actor=None, item=item, content=item.content | changes, expected_version=item.lock_version
    )


def _item(office, code):
    return OfficeItem.objects.get(office=office, code=code)


def _override(office, code, overrides):
    item = _item(office, code)
    return services.office_item_override(
        actor=None, item=item, overrides=overrides, expected_version=item.lock_version
    )


@pytest.fixture
def office(v1):
    office = OfficeFactory()
    services.office_catalogue_adopt(actor=None, office=office, version=v1)
    return office


# Pure rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "empty"),
    [
        (None, True),
        ("", True),
        ([], True),
        ({}, True),
        ({"ca": "", "es": "", "en": ""}, True),
        ({"ca": [], "es": None}, True),
        ({"ca": "", "es": "Hola"}, False),
        ("x", False),
        (["in_person"], False),
        (0, False),
        (False, False),
    ],
)
def test_what_counts_as_empty(value, empty):
    assert content_lib._is_empty(value) is empty


def test_an_override_replaces_only_the_languages_the_office_filled():
    base = service_content("Crear", "Crear (es)")
    merged = content_lib.merge_overrides(
        "service",
        base,
        {
            "summary": {"es": "Nuestro resumen"},
            "channels": ["phone"],
            "duration": i18n("", "", ""),
            "schedule": i18n("Dilluns"),
        },
    )
    assert merged == base | {
        "summary": {"ca": "Resum Crear", "es": "Nuestro resumen", "en": ""},
        "channels": ["phone"],
        "duration": i18n("2 sessions"),
        "schedule": i18n("Dilluns"),
    }
    assert base["channels"] == ["in_person"]  # the network's content is left as it was


def test_fields_that_are_not_overridable_and_empty_values_keep_the_networks():
    base = service_content("Crear")
    merged = content_lib.merge_overrides(
        "service",
        base,
        {"category": "other", "process": "x", "channels": [], "unknown": "y"},
    )
    assert merged == base


def test_a_plain_value_given_for_a_translated_field_replaces_it():
    base = service_content("Crear")
    assert content_lib.merge_overrides("service", base, {"name": "Crea"})["name"] == "Crea"
    assert content_lib.merge_overrides("service", base, {"name": ""})["name"] == base["name"]


def test_a_translated_override_of_a_field_the_network_left_out():
    base = {"name": i18n("Crear")}
    merged = content_lib.merge_overrides("service", base, {"schedule": {"ca": "Dimarts"}})
    assert merged == {"name": i18n("Crear"), "schedule": {"ca": "Dimarts", "es": "", "en": ""}}


def test_changed_fields_are_listed_in_order_and_a_missing_one_equals_none():
    old = {"summary": "a", "name": "x", "gone": 1, "unset": None}
    new = {"summary": "b", "name": "x", "added": 2}
    assert content_lib.changed_fields(old, new) == ["added", "gone", "summary"]
    assert content_lib.changed_fields({}, {}) == []
    assert content_lib.changed_fields(new, new) == []


# Adoption and local wording -----------------------------------------------------------------


@pytest.mark.django_db
def test_adopting_a_version_takes_every_item_switched_on(v1):
    office = OfficeFactory()
    assert services.office_catalogue_adopt(actor=None, office=office, version=v1) == 5
    items = OfficeItem.objects.filter(office=office)
    assert {i.code for i in items} == ALL_CODES
    assert all(i.enabled and i.adopted_version == v1 and i.overrides == {} for i in items)
    audit = AuditEvent.objects.get(action="catalogue.office.adopt")
    assert (audit.office, audit.details) == (office, {"version": 1})


@pytest.mark.django_db
def test_an_office_adopts_only_once_but_its_own_items_do_not_count(v1, office):
    with pytest.raises(ValidationError) as refused:
        services.office_catalogue_adopt(actor=None, office=office, version=v1)
    assert refused.value.messages == [
        "This office already runs a catalogue; take up updates instead."
    ]
    assert OfficeItem.objects.filter(office=office).count() == 5
    other = OfficeFactory()
    services.office_local_item_save(
        actor=None,
        office=other,
        kind="service",
        code="propi",
        content=service_content("Servei propi"),
    )
    assert services.office_catalogue_adopt(actor=None, office=other, version=v1) == 5
    assert OfficeItem.objects.filter(office=other).count() == 6


@pytest.mark.django_db
def test_overrides_are_stored_without_empty_values_and_audited(office):
    before = _item(office, "crear")
    item = _override(
        office,
        "crear",
        {"summary": i18n("El nostre"), "duration": i18n(""), "channels": [], "schedule": None},
    )
    assert OfficeItem.objects.get(pk=item.pk).overrides == {"summary": i18n("El nostre")}
    assert item.lock_version == before.lock_version + 1
    audit = AuditEvent.objects.get(action="catalogue.office.override")
    assert (audit.office, audit.target_id) == (office, str(item.pk))
    assert audit.details == {"kind": "service", "code": "crear", "changed": ["summary"]}
    _override(office, "crear", {"summary": i18n("El nostre"), "schedule": i18n("Dilluns")})
    latest = AuditEvent.objects.filter(action="catalogue.office.override").order_by("-id")[0]
    assert latest.details["changed"] == ["schedule"]


@pytest.mark.django_db
def test_a_field_the_office_may_not_change_is_refused_by_name(office):
    item = _item(office, "crear")
    with pytest.raises(ValidationError) as refused:
        services.office_item_override(
            actor=None,
            item=item,
            overrides={"process": "x", "category": "y", "name": i18n("Nom")},
            expected_version=item.lock_version,
        )
    assert refused.value.messages == ["These fields cannot be changed locally: category, process"]
    assert _item(office, "crear").overrides == {}


@pytest.mark.django_db
def test_an_override_from_a_stale_form_is_refused(office):
    item = _item(office, "crear")
    stale = item.lock_version
    _override(office, "crear", {"name": i18n("Primer")})
    with pytest.raises(EditConflict):
        services.office_item_override(
            actor=None, item=item, overrides={"name": i18n("Segon")}, expected_version=stale
        )
    assert _item(office, "crear").overrides == {"name": i18n("Primer")}


# Taking up a new version --------------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_to_take_up_before_the_network_publishes(draft):
    office = OfficeFactory()
    with pytest.raises(ValidationError) as refused:
        services.office_take_up(actor=None, office=office, keys=None)
    assert refused.value.messages == ["The network has not published any version yet."]


@pytest.fixture
def v2(office, draft):
    """Version 2: `crear` changes its summary and duration, `financar` its summary, a new
    service `nou`, and the procedure is archived (removed)."""
    _override(office, "crear", {"summary": i18n("El nostre resum"), "schedule": i18n("Dilluns")})
    _override(office, "financar", {"name": i18n("Finançament local")})
    _edit(draft[("service", "crear")], summary=i18n("Resum nou"), duration=i18n("3 sessions"))
    _edit(draft[("service", "financar")], summary=i18n("Un altre canvi"))
    services.draft_item_create(
        actor=None, kind="service", code="nou", content=service_content("Servei nou")
    )
    services.draft_item_set_archived(
        actor=None, item=draft[("procedure", "alta-censal")], archived=True
    )
    return services.network_publish(actor=None, changelog="v2")


@pytest.mark.django_db
def test_taking_up_everything_keeps_the_local_wording_and_counts_each_change(office, v2):
    locks = {i.code: i.lock_version for i in OfficeItem.objects.filter(office=office)}
    result = services.office_take_up(actor=None, office=office, keys=None)
    assert result == services.TakeUpResult(added=1, updated=2, removed=1, overrides_dropped=0)
    items = {i.code: i for i in OfficeItem.objects.filter(office=office)}
    assert set(items) == ALL_CODES - {"alta-censal"} | {"nou"}
    assert all(i.adopted_version == v2 for i in items.values())
    assert items["crear"].overrides == {
        "summary": i18n("El nostre resum"),
        "schedule": i18n("Dilluns"),
    }
    assert items["crear"].lock_version == locks["crear"] + 1
    assert items["nou"].enabled
    crear = selectors.effective_item(office, "service", "crear")
    assert (crear.content["summary"]["ca"], crear.content["duration"]["ca"]) == (
        "El nostre resum",
        "3 sessions",
    )
    audit = AuditEvent.objects.get(action="catalogue.office.take_up")
    assert (audit.office, audit.details) == (
        office,
        {"version": 2, "added": 1, "updated": 2, "removed": 1, "overrides_dropped": 0},
    )
    assert services.office_take_up(actor=None, office=office, keys=None) == (
        services.TakeUpResult()
    )


@pytest.mark.django_db
def test_the_network_wording_replaces_only_overrides_the_network_changed(office, v2):
    result = services.office_take_up(actor=None, office=office, keys=None, use_network_wording=True)
    assert result == services.TakeUpResult(added=1, updated=2, removed=1, overrides_dropped=1)
    assert _item(office, "crear").overrides == {"schedule": i18n("Dilluns")}
    assert _item(office, "financar").overrides == {"name": i18n("Finançament local")}
    crear = selectors.effective_item(office, "service", "crear")
    assert crear.content["summary"]["ca"] == "Resum nou"


@pytest.mark.django_db
def test_taking_up_chosen_items_leaves_the_other_changes_pending(office, v2, v1):
    result = services.office_take_up(
        actor=None, office=office, keys=[("service", "crear"), ("service", "nou")]
    )
    assert result == services.TakeUpResult(added=1, updated=1, removed=0, overrides_dropped=0)
    items = {i.code: i for i in OfficeItem.objects.filter(office=office)}
    # Unchanged items move to the new version with any choice; changed ones only when chosen.
    assert {code: i.adopted_version.number for code, i in items.items()} == {
        "atencio": 2,
        "guia": 2,
        "crear": 2,
        "nou": 2,
        "financar": 1,
        "alta-censal": 1,
    }
    pending = {
        (c.code, c.status) for c in selectors.office_update_changes(office) if c.status != "same"
    }
    assert pending == {("financar", "changed"), ("alta-censal", "removed")}
    result = services.office_take_up(actor=None, office=office, keys=[("procedure", "alta-censal")])
    assert result == services.TakeUpResult(removed=1)
    assert not OfficeItem.objects.filter(office=office, code="alta-censal").exists()


@pytest.mark.django_db
def test_the_network_wording_for_chosen_items_only(office, v2):
    result = services.office_take_up(
        actor=None, office=office, keys=[("service", "financar")], use_network_wording=True
    )
    assert result == services.TakeUpResult(updated=1)
    assert _item(office, "financar").overrides == {"name": i18n("Finançament local")}
    assert _item(office, "crear").overrides["summary"] == i18n("El nostre resum")
    assert _item(office, "crear").adopted_version.number == 1


@pytest.mark.django_db
def test_the_counts_add_up_over_several_items(office, draft):
    _override(office, "crear", {"summary": i18n("Nostre"), "duration": i18n("Una tarda")})
    _override(office, "financar", {"summary": i18n("Nostre també")})
    _edit(draft[("service", "crear")], summary=i18n("Nou 1"), duration=i18n("3 sessions"))
    _edit(draft[("service", "financar")], summary=i18n("Nou 2"))
    created = [
        services.draft_item_create(
            actor=None, kind="service", code=code, content=service_content(f"Servei {code}")
        )
        for code in ("nou", "nou-dos")
    ]
    services.network_publish(actor=None, changelog="v2")
    result = services.office_take_up(actor=None, office=office, keys=None, use_network_wording=True)
    # Three overrides the network changed: crear's summary and duration, financar's summary.
    assert result == services.TakeUpResult(added=2, updated=2, removed=0, overrides_dropped=3)
    assert _item(office, "crear").overrides == {}

    for item in [*created, draft[("procedure", "alta-censal")]]:
        services.draft_item_set_archived(actor=None, item=item, archived=True)
    services.network_publish(actor=None, changelog="v3")
    result = services.office_take_up(actor=None, office=office, keys=None)
    assert result == services.TakeUpResult(removed=3)
    assert set(OfficeItem.objects.filter(office=office).values_list("code", flat=True)) == {
        "atencio",
        "guia",
        "crear",
        "financar",
    }
