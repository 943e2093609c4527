"""The playbook's pure rules: what keeps a draft from being published, in words a coordinator
can act on, and what a newer version changes item by item."""

import json

import pytest

from oae.opening import facts, playbook
from oae.opening.services import STARTER_FILE

FACTS = {"agreement_signed", "staff_in_place"}


def _item(key="meeting", **overrides) -> dict:
    return {
        "key": key,
        "title": {"ca": "Primera reunió", "es": "Primera reunión", "en": "First meeting"},
        "why": {"ca": "Per conèixer-se", "es": "", "en": ""},
        "owner": "network",
        "target_days": 30,
        "evidence": "note",
        "fact": "",
    } | overrides


def _content(**overrides) -> dict:
    return {
        "stall_days": 45,
        "stages": [
            {"key": "interest", "name": {"ca": "Interès"}, "items": [_item("meeting")]},
            {
                "key": "agreement",
                "name": {"ca": "Conveni"},
                "items": [_item("signed", evidence="fact", fact="agreement_signed")],
            },
        ],
        "review_items": [_item("scorecard_read")],
    } | overrides


def test_a_complete_playbook_has_no_problems():
    assert playbook.problems(_content(), facts=FACTS) == []


def test_the_starter_playbook_can_be_published_with_the_platforms_facts():
    with open(STARTER_FILE, encoding="utf-8") as handle:
        starter = json.load(handle)
    assert playbook.problems(starter, facts=set(facts.FACTS)) == []
    keys = [i.key for i in [*playbook.items(starter), *playbook.review_items(starter)]]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("days", [1, 45, playbook.MAX_STALL_DAYS])
def test_stall_days_within_the_range_are_accepted(days):
    assert playbook.problems(_content(stall_days=days), facts=FACTS) == []


@pytest.mark.parametrize("days", [0, -1, playbook.MAX_STALL_DAYS + 1, "45", None, 4.5])
def test_stall_days_out_of_range_or_not_a_number_are_refused(days):
    assert playbook.problems(_content(stall_days=days), facts=FACTS) == [
        "A path is stalled after a number of days from 1 to 365 without new evidence."
    ]


def test_a_playbook_without_stages_is_refused():
    assert playbook.problems(_content(stages=[]), facts=FACTS) == ["The playbook has no stages."]


def test_a_stage_needs_a_catalan_name_and_items():
    content = _content()
    content["stages"][1] = {"key": "empty", "name": {"ca": " ", "es": "Vacía"}, "items": []}
    assert playbook.problems(content, facts=FACTS) == [
        "Stage 2: the name in Catalan is missing.",
        "Stage 2 has no items.",
    ]


def test_an_item_without_a_catalan_title_is_named_by_its_stage():
    content = _content()
    content["stages"][0]["items"] = [_item(title={"ca": "", "es": "Algo"})]
    # Read in English, the title falls back to Catalan, which is empty: the stage names it.
    assert playbook.problems(content, facts=FACTS) == ["Stage 1: the title in Catalan is missing."]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"owner": "council"}, "Primera reunió: choose who does it."),
        ({"owner": ""}, "Primera reunió: choose who does it."),
        ({"target_days": 0}, "Primera reunió: the target is a number of days from 1 to 730."),
        ({"target_days": 731}, "Primera reunió: the target is a number of days from 1 to 730."),
        ({"target_days": "30"}, "Primera reunió: the target is a number of days from 1 to 730."),
        ({"evidence": "photo"}, "Primera reunió: choose the evidence that completes it."),
        ({"evidence": "fact", "fact": ""}, "Primera reunió: choose the fact that completes it."),
        (
            {"evidence": "fact", "fact": "moon_landing"},
            "Primera reunió: choose the fact that completes it.",
        ),
        (
            {"evidence": "note", "fact": "agreement_signed"},
            "Primera reunió: a fact is chosen only when the item is completed by a fact.",
        ),
    ],
)
def test_each_problem_of_an_item_is_named_with_its_title(overrides, expected):
    assert playbook.item_problems(_item(**overrides), facts=FACTS, where="Primera reunió") == [
        expected
    ]


@pytest.mark.parametrize("days", [1, playbook.MAX_TARGET_DAYS])
def test_target_days_at_the_edges_are_accepted(days):
    assert playbook.item_problems(_item(target_days=days), facts=FACTS, where="x") == []


@pytest.mark.parametrize("evidence", ["document", "link", "note"])
def test_each_kind_of_evidence_is_accepted(evidence):
    assert playbook.item_problems(_item(evidence=evidence), facts=FACTS, where="x") == []


def test_review_items_are_checked_like_the_openings():
    content = _content(review_items=[_item("scorecard_read", owner="nobody")])
    assert playbook.problems(content, facts=FACTS) == ["First meeting: choose who does it."]


def test_a_review_item_may_not_share_a_key_with_an_opening_item():
    content = _content(review_items=[_item("meeting")])
    assert playbook.problems(content, facts=FACTS) == [
        "An item of the opening and one of the review share a key."
    ]


def test_items_come_in_the_playbooks_order_with_their_stage():
    content = _content()
    assert [(i.stage_key, i.key) for i in playbook.items(content)] == [
        ("interest", "meeting"),
        ("agreement", "signed"),
    ]
    assert [(i.stage_key, i.key) for i in playbook.review_items(content)] == [
        ("", "scorecard_read")
    ]
    assert playbook.find_item(content, "signed").fact == "agreement_signed"
    assert playbook.find_item(content, "scorecard_read").stage_key == ""
    assert playbook.find_item(content, "nothing") is None


# What a newer version changes --------------------------------------------------------------


def test_the_same_playbook_changes_nothing():
    assert playbook.changes(_content(), _content()) == []


def test_an_item_added_and_one_removed_are_named():
    new = _content()
    new["stages"][0]["items"] = [_item("workshop", title={"ca": "Taller"})]
    found = {(c.kind, c.item.key) for c in playbook.changes(_content(), new)}
    assert found == {("added", "workshop"), ("removed", "meeting")}


def test_a_changed_item_names_the_fields_that_changed():
    new = _content()
    new["stages"][0]["items"] = [_item(target_days=60, owner="municipality")]
    (change,) = playbook.changes(_content(), new)
    assert (change.kind, change.item.key, change.fields) == (
        "changed",
        "meeting",
        ("owner", "target_days"),
    )
    assert change.item.target_days == 60  # the newer version's item


def test_an_item_moved_to_another_stage_is_a_change_of_stage():
    new = _content()
    moved = new["stages"][0]["items"].pop()
    new["stages"][1]["items"].append(moved)
    new["stages"][0]["items"] = [_item("other")]
    changes = {c.item.key: c for c in playbook.changes(_content(), new)}
    assert changes["meeting"].kind == "changed"
    assert changes["meeting"].fields == ("stage_key",)


def test_a_title_changed_in_one_language_is_a_change_of_title():
    new = _content()
    new["review_items"] = [
        _item("scorecard_read", title={"ca": "Primera reunió", "en": "Kick-off"})
    ]
    (change,) = playbook.changes(_content(), new)
    assert change.fields == ("title",)


def test_an_item_becoming_a_fact_changes_evidence_and_fact():
    new = _content()
    new["stages"][0]["items"] = [_item(evidence="fact", fact="staff_in_place")]
    (change,) = playbook.changes(_content(), new)
    assert change.fields == ("evidence", "fact")
