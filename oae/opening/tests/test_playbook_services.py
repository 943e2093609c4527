"""The coordinators' draft of the playbook and its publication: items and stages edited with
the draft's version (a stale one is refused), versions published once and never changed,
paths kept on the version they started on; every change audited."""

import pytest
from django.core.exceptions import ValidationError

from oae.common.concurrency import EditConflict, MissingVersion
from oae.opening import playbook, services
from oae.opening.models import ImmutableError, PlaybookDraft, PlaybookVersion
from oae.privacy.models import AuditEvent


def _data(**overrides) -> dict:
    return {
        "title": {"ca": "Visita al local", "es": "Visita al local", "en": "Visit the premises"},
        "why": {"ca": "", "es": "", "en": ""},
        "owner": "municipality",
        "target_days": 20,
        "evidence": "document",
        "fact": "",
    } | overrides


def _draft() -> PlaybookDraft:
    return services.playbook_draft()


def _keys(content: dict, stage_key: str) -> list[str]:
    if stage_key == "":
        return [i.key for i in playbook.review_items(content)]
    stage = next(s for s in playbook.stages(content) if s["key"] == stage_key)
    return [i.key for i in playbook.stage_items(stage)]


def _save(coordinator, stage_key="design", item_key=None, **overrides) -> str:
    return services.draft_item_save(
        actor=coordinator,
        expected_version=_draft().lock_version,
        stage_key=stage_key,
        item_key=item_key,
        data=_data(**overrides),
    )


@pytest.mark.django_db
def test_the_first_draft_is_the_starter_playbook_and_later_ones_the_latest_version(coordinator):
    assert _draft().content == services.starter_content()
    assert PlaybookDraft.objects.count() == 1
    assert _draft().pk == PlaybookDraft.objects.get().pk  # one draft, however often asked


@pytest.mark.django_db
def test_the_starter_playbook_is_published_once(playbook_v1):
    assert (playbook_v1.number, playbook_v1.changelog) == (1, services.STARTER_CHANGELOG)
    assert services.playbook_starter_load() == playbook_v1
    assert PlaybookVersion.objects.count() == 1


@pytest.mark.django_db
def test_an_item_added_to_a_stage_gets_a_key_from_its_catalan_title(playbook_v1, coordinator):
    key = _save(coordinator)
    assert key == "visita_al_local"
    assert _keys(_draft().content, "design")[-1] == "visita_al_local"
    again = _save(coordinator, title={"ca": "Visita al local", "es": "", "en": ""})
    assert again == "visita_al_local_2"
    event = AuditEvent.objects.filter(action="opening.playbook.item_save").first()
    assert event.actor == coordinator and event.details == {"item": "visita_al_local_2"}


@pytest.mark.django_db
def test_an_item_is_added_to_the_yearly_review_with_the_stage_left_empty(playbook_v1, coordinator):
    key = _save(coordinator, stage_key="", owner="network", evidence="note")
    assert _keys(_draft().content, "")[-1] == key
    assert key not in [i.key for i in playbook.items(_draft().content)]


@pytest.mark.django_db
def test_changing_an_item_keeps_its_key_and_its_place(playbook_v1, coordinator):
    before = _keys(_draft().content, "design")
    assert before.index("premises") < len(before) - 1
    key = _save(coordinator, item_key="premises", target_days=90)
    content = _draft().content
    assert key == "premises"
    assert _keys(content, "design") == before
    assert playbook.find_item(content, "premises").target_days == 90


@pytest.mark.django_db
def test_an_item_with_problems_is_refused_with_them(playbook_v1, coordinator):
    version = _draft().lock_version
    with pytest.raises(ValidationError) as error:
        _save(coordinator, owner="", target_days=0, evidence="fact", fact="")
    assert error.value.messages == [
        "This item: choose who does it.",
        "This item: the target is a number of days from 1 to 730.",
        "This item: choose the fact that completes it.",
    ]
    assert _draft().lock_version == version  # nothing saved


@pytest.mark.django_db
def test_an_item_or_a_stage_no_longer_in_the_draft_is_refused(playbook_v1, coordinator):
    with pytest.raises(ValidationError, match="That item is no longer in the draft."):
        _save(coordinator, item_key="no_such_item")
    with pytest.raises(ValidationError, match="That stage is no longer in the draft."):
        _save(coordinator, stage_key="no_such_stage")
    with pytest.raises(ValidationError, match="That item is no longer in the draft."):
        services.draft_item_remove(
            actor=coordinator, expected_version=_draft().lock_version, item_key="no_such_item"
        )


@pytest.mark.django_db
def test_an_edit_of_a_draft_changed_meanwhile_is_refused(playbook_v1, coordinator):
    stale = _draft().lock_version
    _save(coordinator)
    with pytest.raises(EditConflict):
        services.draft_item_save(
            actor=coordinator,
            expected_version=stale,
            stage_key="design",
            item_key=None,
            data=_data(title={"ca": "Una altra", "es": "", "en": ""}),
        )
    with pytest.raises(EditConflict):
        services.draft_stall_days_save(actor=coordinator, expected_version=stale, days=30)
    with pytest.raises(MissingVersion):
        services.draft_stage_save(
            actor=coordinator, expected_version=None, stage_key=None, name={"ca": "Nova"}
        )
    assert "una_altra" not in _keys(_draft().content, "design")


@pytest.mark.django_db
def test_removing_an_item_takes_it_out_of_the_draft_only(playbook_v1, coordinator):
    services.draft_item_remove(
        actor=coordinator, expected_version=_draft().lock_version, item_key="premises"
    )
    assert "premises" not in _keys(_draft().content, "design")
    assert "premises" in _keys(PlaybookVersion.objects.get().content, "design")
    assert AuditEvent.objects.filter(
        action="opening.playbook.item_remove", details={"item": "premises"}
    ).exists()


@pytest.mark.django_db
def test_a_stage_is_renamed_or_added_at_the_end(playbook_v1, coordinator):
    services.draft_stage_save(
        actor=coordinator,
        expected_version=_draft().lock_version,
        stage_key="interest",
        name={"ca": "Primer interès", "es": "", "en": ""},
    )
    key = services.draft_stage_save(
        actor=coordinator,
        expected_version=_draft().lock_version,
        stage_key=None,
        name={"ca": "Consolidació", "es": "", "en": ""},
    )
    stages = playbook.stages(_draft().content)
    assert stages[0]["name"]["ca"] == "Primer interès"
    assert (stages[-1]["key"], stages[-1]["items"]) == (key, [])
    assert key == "consolidacio"
    assert AuditEvent.objects.filter(action="opening.playbook.stage_save").count() == 2


@pytest.mark.django_db
def test_a_stage_needs_its_catalan_name(playbook_v1, coordinator):
    with pytest.raises(ValidationError, match="The stage's name in Catalan is missing."):
        services.draft_stage_save(
            actor=coordinator,
            expected_version=_draft().lock_version,
            stage_key=None,
            name={"ca": "  ", "es": "Consolidación"},
        )
    with pytest.raises(ValidationError, match="That stage is no longer in the draft."):
        services.draft_stage_save(
            actor=coordinator,
            expected_version=_draft().lock_version,
            stage_key="gone",
            name={"ca": "Res"},
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "accepted"), [(0, False), (1, True), (365, True), (366, False)])
def test_the_stall_threshold_is_from_1_to_365_days(playbook_v1, coordinator, days, accepted):
    save = lambda: services.draft_stall_days_save(  # noqa: E731
        actor=coordinator, expected_version=_draft().lock_version, days=days
    )
    if accepted:
        save()
        assert _draft().content["stall_days"] == days
        event = AuditEvent.objects.get(action="opening.playbook.stall_days")
        assert (event.actor, event.details) == (coordinator, {"days": days})
    else:
        with pytest.raises(ValidationError, match="from 1 to 365"):
            save()
        assert _draft().content["stall_days"] == 45


# Publication -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_makes_the_next_version_and_audits_it(playbook_v1, coordinator):
    _save(coordinator)
    version = services.playbook_publish(actor=coordinator, changelog="  Visita al local  ")
    assert (version.number, version.changelog, version.published_by) == (
        2,
        "Visita al local",
        coordinator,
    )
    assert "visita_al_local" in _keys(version.content, "design")
    assert "visita_al_local" not in _keys(playbook_v1.content, "design")
    event = AuditEvent.objects.get(action="opening.playbook.publish", details={"number": 2})
    assert event.actor == coordinator


@pytest.mark.django_db
def test_paths_stay_on_the_version_they_started_on(path_a, coordinator):
    _save(coordinator)
    services.playbook_publish(actor=coordinator, changelog="v2")
    path_a.refresh_from_db()
    assert path_a.version.number == 1


@pytest.mark.django_db
def test_a_draft_equal_to_the_latest_version_is_not_published(playbook_v1, coordinator):
    with pytest.raises(ValidationError) as error:
        services.playbook_publish(actor=coordinator, changelog="Res")
    assert error.value.messages == ["The draft is the same as version 1: nothing to publish."]
    assert PlaybookVersion.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("changelog", ["", "   \n"])
def test_publishing_needs_a_changelog(playbook_v1, coordinator, changelog):
    _save(coordinator)
    with pytest.raises(ValidationError) as error:
        services.playbook_publish(actor=coordinator, changelog=changelog)
    assert error.value.messages == ["Say what changed: offices and municipalities read it."]
    assert PlaybookVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_draft_with_problems_is_not_published(playbook_v1, coordinator):
    services.draft_stage_save(
        actor=coordinator,
        expected_version=_draft().lock_version,
        stage_key=None,
        name={"ca": "Buida", "es": "", "en": ""},
    )
    with pytest.raises(ValidationError) as error:
        services.playbook_publish(actor=coordinator, changelog="Etapa nova")
    assert error.value.messages == ["Stage 9 has no items."]
    assert not AuditEvent.objects.filter(action="opening.playbook.publish", details={"number": 2})


@pytest.mark.django_db
def test_a_published_version_never_changes(playbook_v1):
    playbook_v1.changelog = "Altered"
    with pytest.raises(ImmutableError):
        playbook_v1.save()
    with pytest.raises(ImmutableError):
        playbook_v1.delete()
    assert PlaybookVersion.objects.get().changelog == services.STARTER_CHANGELOG


@pytest.mark.django_db
def test_a_draft_edited_after_publication_does_not_change_the_version(playbook_v1, coordinator):
    _save(coordinator, item_key="premises", target_days=99)
    playbook_v1.refresh_from_db()
    assert playbook.find_item(playbook_v1.content, "premises").target_days == 60
