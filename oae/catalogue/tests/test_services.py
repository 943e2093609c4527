"""The operating model's rules: publishing, immutability, adaptation and taking up updates."""

import pytest
from django.core.exceptions import ValidationError

from oae.catalogue import content as content_lib
from oae.catalogue import selectors, services
from oae.catalogue.models import DraftItem, ImmutableError, NetworkVersion, OfficeItem
from oae.common.concurrency import EditConflict
from oae.privacy.models import AuditEvent
from oae.testing.catalogue import i18n, service_content
from oae.testing.factories import OfficeFactory


def _edit(item, **changes):
    item.refresh_from_db()
    return services.draft_item_update(
        actor=None, item=item, content=item.content | changes, expected_version=item.lock_version
    )


@pytest.mark.django_db
def test_publishing_numbers_versions_and_snapshots_the_draft(draft):
    v1 = services.network_publish(actor=None, changelog="Primera")
    _edit(draft[("service", "crear")], summary=i18n("Nou resum"))
    v2 = services.network_publish(actor=None, changelog="Segona")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.items.get(code="crear").content["summary"]["ca"] == "Resum Crear una empresa"
    assert v2.items.get(code="crear").content["summary"]["ca"] == "Nou resum"
    assert AuditEvent.objects.filter(action="catalogue.version.publish").count() == 2


@pytest.mark.django_db
def test_published_versions_and_items_cannot_be_changed_or_deleted(v1):
    published = v1.items.first()
    published.content = {"hacked": True}
    with pytest.raises(ImmutableError):
        published.save()
    with pytest.raises(ImmutableError):
        published.delete()
    v1.changelog = "rewritten"
    with pytest.raises(ImmutableError):
        v1.save()
    assert NetworkVersion.objects.get(pk=v1.pk).changelog == "Primera versió"


@pytest.mark.django_db
def test_publishing_an_invalid_draft_is_refused_with_every_problem(draft):
    _edit(draft[("service", "crear")], name=i18n("", "Solo en castellano"), process="no-existeix")
    with pytest.raises(services.PublishRefused) as refused:
        services.network_publish(actor=None, changelog="x")
    messages = [p.message for p in refused.value.problems]
    assert any("empty in Catalan" in m for m in messages)
    assert any("no-existeix" in m and "does not exist" in m for m in messages)
    assert not NetworkVersion.objects.exists()


@pytest.mark.django_db
def test_archiving_a_referenced_process_blocks_publishing(draft):
    services.draft_item_set_archived(actor=None, item=draft[("process", "atencio")], archived=True)
    problems = services.draft_problems()
    assert {p.code for p in problems} == {"crear", "financar"}


@pytest.mark.django_db
def test_publishing_needs_a_changelog(draft):
    with pytest.raises(ValidationError):
        services.network_publish(actor=None, changelog="  ")


@pytest.mark.django_db
def test_a_second_save_from_a_stale_form_is_refused(draft):
    item = draft[("service", "crear")]
    read_version = item.lock_version
    services.draft_item_update(
        actor=None,
        item=item,
        content=item.content | {"category": "x"},
        expected_version=read_version,
    )
    stale = DraftItem.objects.get(pk=item.pk)
    with pytest.raises(EditConflict):
        services.draft_item_update(
            actor=None, item=stale, content={}, expected_version=read_version
        )
    assert DraftItem.objects.get(pk=item.pk).content["category"] == "x"


@pytest.mark.django_db
def test_revisions_keep_history_and_allow_undo(draft):
    item = draft[("service", "crear")]
    _edit(item, summary=i18n("Versió dolenta"))
    original = item.revisions.order_by("saved_at", "id").first()
    services.draft_item_restore_revision(actor=None, item=item, revision=original)
    item.refresh_from_db()
    assert item.content["summary"]["ca"] == "Resum Crear una empresa"
    assert item.revisions.count() == 3


def test_text_falls_back_to_catalan():
    value = i18n("Crear", "Crear una empresa", "")
    assert content_lib.text(value, "es") == "Crear una empresa"
    assert content_lib.text(value, "en") == "Crear"
    assert content_lib.text(value, "fr") == "Crear"


def test_overrides_replace_language_by_language():
    base = service_content("Crear", "Crear (es)")
    merged = content_lib.merge_overrides(
        "service", base, {"name": {"ca": "Crea la teva empresa", "es": ""}}
    )
    assert merged["name"] == {"ca": "Crea la teva empresa", "es": "Crear (es)", "en": ""}


def test_markdown_is_rendered_without_scripts():
    html = content_lib.render_markdown(
        "**hola** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert "<strong>hola</strong>" in html
    assert "<script" not in html and "javascript:" not in html


@pytest.fixture
def office(v1):
    office = OfficeFactory()
    services.office_catalogue_adopt(actor=None, office=office, version=v1)
    return office


def _office_item(office, code):
    return OfficeItem.objects.get(office=office, code=code)


@pytest.mark.django_db
def test_adapted_office_catalogue_shows_overrides_and_hides_disabled(office):
    crear = _office_item(office, "crear")
    services.office_item_override(
        actor=None,
        item=crear,
        expected_version=crear.lock_version,
        overrides={
            "name": i18n("Crea la teva empresa a Sant Boi"),
            "schedule": i18n("Dimarts al matí"),
        },
    )
    financar = _office_item(office, "financar")
    services.office_item_set_enabled(actor=None, item=financar, enabled=False)
    offered = {e.code: e for e in selectors.effective_items(office, enabled_only=True)}
    assert "financar" not in offered
    assert offered["crear"].title == "Crea la teva empresa a Sant Boi"
    assert offered["crear"].content["schedule"]["ca"] == "Dimarts al matí"


@pytest.mark.django_db
def test_fields_that_are_not_overridable_are_refused(office):
    crear = _office_item(office, "crear")
    with pytest.raises(ValidationError):
        services.office_item_override(
            actor=None,
            item=crear,
            expected_version=crear.lock_version,
            overrides={"process": "other"},
        )


@pytest.mark.django_db
def test_new_version_diff_reports_new_changed_removed_and_conflicts(office, draft):
    crear = _office_item(office, "crear")
    services.office_item_override(
        actor=None,
        item=crear,
        expected_version=crear.lock_version,
        overrides={"summary": i18n("El nostre resum")},
    )
    _edit(
        draft[("service", "crear")],
        summary=i18n("Resum nou de la xarxa"),
        duration=i18n("3 sessions"),
    )
    services.draft_item_create(
        actor=None, kind="service", code="nou", content=service_content("Servei nou")
    )
    services.draft_item_set_archived(
        actor=None, item=draft[("procedure", "alta-censal")], archived=True
    )
    services.network_publish(actor=None, changelog="v2")

    changes = {
        (c.kind, c.code): c for c in selectors.office_update_changes(office) if c.status != "same"
    }
    assert changes[("service", "nou")].status == "new"
    assert changes[("procedure", "alta-censal")].status == "removed"
    changed = changes[("service", "crear")]
    assert changed.status == "changed"
    assert changed.fields == ["duration", "summary"]
    assert changed.conflicts == ["summary"]
    status = selectors.office_catalogue_status(office)
    assert status.behind and status.version == 1 and status.latest == 2


@pytest.mark.django_db
def test_taking_up_all_keeps_overrides_by_default(office, draft):
    crear = _office_item(office, "crear")
    services.office_item_override(
        actor=None,
        item=crear,
        expected_version=crear.lock_version,
        overrides={"summary": i18n("El nostre resum")},
    )
    _edit(draft[("service", "crear")], summary=i18n("Resum nou"), duration=i18n("3 sessions"))
    services.draft_item_create(
        actor=None, kind="service", code="nou", content=service_content("Servei nou")
    )
    services.network_publish(actor=None, changelog="v2")

    result = services.office_take_up(actor=None, office=office, keys=None)
    assert (result.added, result.updated, result.overrides_dropped) == (1, 1, 0)
    item = selectors.effective_item(office, "service", "crear")
    assert item.content["summary"]["ca"] == "El nostre resum"  # override kept
    assert item.content["duration"]["ca"] == "3 sessions"  # network change arrived
    assert selectors.effective_item(office, "service", "nou") is not None
    status = selectors.office_catalogue_status(office)
    assert (status.version, status.behind, status.mixed) == (2, False, False)


@pytest.mark.django_db
def test_taking_up_one_item_with_network_wording_drops_only_conflicting_overrides(office, draft):
    crear = _office_item(office, "crear")
    services.office_item_override(
        actor=None,
        item=crear,
        expected_version=crear.lock_version,
        overrides={"summary": i18n("El nostre resum"), "schedule": i18n("Dilluns")},
    )
    _edit(draft[("service", "crear")], summary=i18n("Resum nou"))
    _edit(draft[("service", "financar")], summary=i18n("Un altre canvi"))
    services.network_publish(actor=None, changelog="v2")

    result = services.office_take_up(
        actor=None, office=office, keys=[("service", "crear")], use_network_wording=True
    )
    assert (result.updated, result.overrides_dropped) == (1, 1)
    item = selectors.effective_item(office, "service", "crear")
    assert item.content["summary"]["ca"] == "Resum nou"
    assert item.content["schedule"]["ca"] == "Dilluns"
    remaining = [c.code for c in selectors.office_update_changes(office) if c.status != "same"]
    assert remaining == ["financar"]
    assert selectors.office_catalogue_status(office).mixed


@pytest.mark.django_db
def test_local_items_live_beside_network_items(office):
    services.office_local_item_save(
        actor=None,
        office=office,
        kind="service",
        code="fira-local",
        content=service_content("Fira d'emprenedoria"),
    )
    codes = {e.code for e in selectors.effective_items(office) if e.is_local}
    assert codes == {"fira-local"}
    with pytest.raises(ValidationError):
        services.office_local_item_save(
            actor=None,
            office=office,
            kind="service",
            code="crear",
            content=service_content("Duplicat"),
        )
    assert selectors.office_catalogue_status(office).local == 1


@pytest.mark.django_db
def test_procedure_variant_is_per_municipality(office):
    variant = services.procedure_variant_save(
        actor=None,
        municipality=office.municipality,
        procedure_code="alta-censal",
        data={
            "where": i18n("Oficina de l'AEAT de Cornellà"),
            "local_fee": i18n("0 €"),
            "local_form_url": "",
            "local_time": i18n(""),
            "notes": i18n(""),
        },
        expected_version=None,
    )
    procedures = selectors.municipality_procedures(office.municipality)
    assert [p.variant for p in procedures if p.code == "alta-censal"] == [variant]


@pytest.mark.django_db
def test_network_codes_cannot_collide_with_an_offices_own_items(office):
    services.office_local_item_save(
        actor=None, office=office, kind="service", code="fira", content=service_content("Fira")
    )
    with pytest.raises(ValidationError, match="own item"):
        services.draft_item_create(
            actor=None, kind="service", code="fira", content=service_content("Fira de la xarxa")
        )
