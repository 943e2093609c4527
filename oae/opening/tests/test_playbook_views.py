"""The playbook's pages: its versions for those who follow paths; the coordinators' draft,
edited with its version (a change made meanwhile is said, not overwritten) and published only
without problems, each refusal a message or a form error."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from oae.opening import playbook, services
from oae.opening.models import PlaybookVersion
from oae.opening.tests.conftest import signed_in

CONFLICT = "Another coordinator changed the draft meanwhile. Here it is as it is now; do it again."


def _url(name, *args) -> str:
    return reverse(f"opening:{name}", args=args)


def _post(client, url, data=None):
    """A POST whose messages are its own (the client drops those of earlier requests)."""
    client.cookies.pop("messages", None)
    return client.post(url, data or {})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _version() -> int:
    return services.playbook_draft().lock_version


def _item_form(**overrides) -> dict:
    return {
        "lock_version": _version(),
        "stage": "design",
        "item": "",
        "title_ca": "Visita al local",
        "title_es": "",
        "title_en": "",
        "why_ca": "",
        "why_es": "",
        "why_en": "",
        "owner": "municipality",
        "target_days": "20",
        "evidence": "document",
        "fact": "",
    } | overrides


@pytest.fixture
def coordinator_client(coordinator):
    return signed_in(coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status", "draft"),
    [
        ("coordinator", 200, True),
        ("auditor", 200, False),
        ("manager_a", 200, False),
        ("advisor_a", 403, False),
        ("citizen", 403, False),
    ],
)
def test_who_reads_the_playbook_and_who_edits_its_draft(
    people, playbook_v1, persona, status, draft
):
    client = signed_in(people[persona])
    response = client.get(_url("playbook"))
    assert response.status_code == status
    if status == 200:
        assert (response.context["draft"] is not None) is draft
        assert client.get(_url("playbook_version", 1)).status_code == 200
        assert client.get(_url("playbook_version", 2)).status_code == 404


@pytest.mark.django_db
def test_a_municipal_contact_reads_the_version_their_path_follows(contact_a, path_a, playbook_v1):
    """The path's page links to its playbook version; the draft and the list are the staff's."""
    client = signed_in(contact_a)
    page = client.get(_url("path", path_a.public_id)).content.decode()
    assert _url("playbook_version", 1) in page
    assert client.get(_url("playbook_version", 1)).status_code == 200
    assert client.get(_url("playbook")).status_code == 403


@pytest.mark.django_db
def test_a_coordinator_adds_and_changes_an_item_of_the_draft(coordinator_client, playbook_v1):
    page = coordinator_client.get(_url("draft_item"), {"stage": "design"})
    assert page.status_code == 200 and page.context["stage_name"] == "Office design"
    response = _post(coordinator_client, _url("draft_item") + "?stage=design", _item_form())
    assert response["Location"] == _url("playbook")
    assert _messages(response) == ["The draft has been saved."]
    content = services.playbook_draft().content
    assert playbook.find_item(content, "visita_al_local").stage_key == "design"
    edit = coordinator_client.get(_url("draft_item"), {"item": "visita_al_local"})
    assert edit.context["form"].initial["title_ca"] == "Visita al local"
    _post(
        coordinator_client,
        _url("draft_item") + "?item=visita_al_local",
        _item_form(item="visita_al_local", target_days="40"),
    )
    content = services.playbook_draft().content
    assert playbook.find_item(content, "visita_al_local").target_days == 40


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"title_ca": ""}, "title_ca", "This field is required."),
        ({"evidence": "fact", "fact": ""}, "fact", "Choose the fact that completes the item."),
        ({"target_days": "0"}, "target_days", "Ensure this value is greater than or equal to 1."),
        ({"owner": "council"}, "owner", None),
        ({"lock_version": ""}, "__all__", None),
    ],
)
def test_an_item_refused_is_said_on_the_form(
    coordinator_client, playbook_v1, overrides, field, error
):
    before = services.playbook_draft().content
    response = _post(coordinator_client, _url("draft_item"), _item_form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if error:
        assert errors[field] == [error]
    assert services.playbook_draft().content == before


@pytest.mark.django_db
def test_an_item_edited_on_a_draft_changed_meanwhile_is_not_saved(coordinator_client, playbook_v1):
    stale = _version()
    services.draft_stall_days_save(actor=None, expected_version=stale, days=30)
    response = _post(coordinator_client, _url("draft_item"), _item_form(lock_version=stale))
    assert response["Location"] == _url("playbook")
    assert _messages(response) == [CONFLICT]
    assert playbook.find_item(services.playbook_draft().content, "visita_al_local") is None


@pytest.mark.django_db
def test_an_item_or_stage_not_in_the_draft_is_404(coordinator_client, playbook_v1):
    assert coordinator_client.get(_url("draft_item"), {"item": "nothing"}).status_code == 404
    assert coordinator_client.get(_url("draft_item"), {"stage": "nothing"}).status_code == 404


@pytest.mark.django_db
def test_removing_an_item_needs_the_confirmation(coordinator_client, playbook_v1):
    url = _url("draft_item_remove")
    response = _post(coordinator_client, url, {"item": "premises", "lock_version": _version()})
    assert _messages(response) == ["This field is required."]
    assert playbook.find_item(services.playbook_draft().content, "premises")
    response = _post(
        coordinator_client, url, {"item": "premises", "lock_version": _version(), "confirm": "on"}
    )
    assert _messages(response) == ["The draft has been saved."]
    assert playbook.find_item(services.playbook_draft().content, "premises") is None
    response = _post(
        coordinator_client, url, {"item": "premises", "lock_version": _version(), "confirm": "on"}
    )
    assert _messages(response) == ["That item is no longer in the draft."]


@pytest.mark.django_db
def test_a_stage_and_the_stall_threshold_are_saved_or_refused_in_a_message(
    coordinator_client, playbook_v1
):
    response = _post(
        coordinator_client,
        _url("draft_stage"),
        {"lock_version": _version(), "name_ca": "Consolidació", "name_es": "", "name_en": ""},
    )
    assert _messages(response) == ["The draft has been saved."]
    assert playbook.stages(services.playbook_draft().content)[-1]["key"] == "consolidacio"
    response = _post(
        coordinator_client, _url("draft_stall"), {"lock_version": _version(), "stall_days": "0"}
    )
    assert _messages(response) == ["Ensure this value is greater than or equal to 1."]
    stale = _version() - 1
    response = _post(
        coordinator_client, _url("draft_stall"), {"lock_version": stale, "stall_days": "30"}
    )
    assert _messages(response) == [CONFLICT]
    assert services.playbook_draft().content["stall_days"] == 45


@pytest.mark.django_db
def test_publishing_refusals_are_messages_and_a_good_draft_is_published(
    coordinator_client, playbook_v1
):
    url = _url("playbook_publish")
    response = _post(coordinator_client, url, {"changelog": "Res"})
    assert _messages(response) == ["The draft is the same as version 1: nothing to publish."]
    _post(
        coordinator_client,
        _url("draft_stage"),
        {"lock_version": _version(), "name_ca": "Buida", "name_es": "", "name_en": ""},
    )
    page = coordinator_client.get(_url("playbook"))
    assert page.context["problems"] == ["Stage 9 has no items."]
    response = _post(coordinator_client, url, {"changelog": "Una etapa nova"})
    assert _messages(response) == ["Stage 9 has no items."]
    assert PlaybookVersion.objects.count() == 1
    _post(coordinator_client, _url("draft_item") + "?stage=buida", _item_form(stage="buida"))
    response = _post(coordinator_client, url, {"changelog": ""})
    assert _messages(response) == ["Say what changed: offices and municipalities read it."]
    response = _post(coordinator_client, url, {"changelog": "Una etapa nova"})
    assert _messages(response) == ["Version 2 of the playbook is published."]
    assert coordinator_client.get(_url("playbook_version", 2)).context["changes"][0].kind == (
        "added"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["auditor", "manager_a"])
def test_only_coordinators_write_the_draft(people, playbook_v1, persona):
    client = signed_in(people[persona])
    assert client.get(_url("draft_item")).status_code == 403
    assert client.post(_url("draft_item"), _item_form()).status_code == 403
    assert client.post(_url("draft_stage"), {"name_ca": "X"}).status_code == 403
    assert client.post(_url("draft_stall"), {"stall_days": "3"}).status_code == 403
    assert client.post(_url("draft_item_remove"), {"item": "premises"}).status_code == 403
    assert client.post(_url("playbook_publish"), {"changelog": "x"}).status_code == 403
