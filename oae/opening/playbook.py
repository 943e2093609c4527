"""The opening playbook as a document (pure rules): stages from first contact to a sustainable
office, each with its checklist items, and the yearly review's items. One schema drives the
coordinator's editor, publishing, a path's progress and what changed between two versions.

A playbook is JSON: {"stall_days": 45, "stages": [{"key", "name": {ca, es, en}, "items": [
{"key", "title": {…}, "why": {…}, "owner", "target_days", "evidence", "fact"}]}],
"review_items": [item, …]}."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oae.catalogue.content import text

LANGUAGES = ("ca", "es", "en")
OWNERS = {"network": gettext_lazy("the network"), "municipality": gettext_lazy("the municipality")}
EVIDENCE_KINDS = {
    "document": gettext_lazy("a document"),
    "link": gettext_lazy("a link"),
    "note": gettext_lazy("a note"),
    "fact": gettext_lazy("a fact the platform knows"),
}
MAX_TARGET_DAYS = 730
MAX_STALL_DAYS = 365
ITEM_FIELDS = ("title", "why", "owner", "target_days", "evidence", "fact")


@dataclass(frozen=True)
class Item:
    stage_key: str  # "" for a yearly review's item
    key: str
    title: dict
    why: dict
    owner: str
    target_days: int
    evidence: str
    fact: str

    @property
    def label(self) -> str:
        return text(self.title)


def item_from(stage_key: str, data: dict) -> Item:
    return Item(stage_key, *(data[name] for name in ("key", *ITEM_FIELDS)))


def stages(content: dict) -> list[dict]:
    return content.get("stages", [])


def stage_items(stage: dict) -> list[Item]:
    return [item_from(stage["key"], data) for data in stage.get("items", [])]


def items(content: dict) -> list[Item]:
    """Every item of the opening, in the playbook's order."""
    return [item for stage in stages(content) for item in stage_items(stage)]


def review_items(content: dict) -> list[Item]:
    return [item_from("", data) for data in content.get("review_items", [])]


def find_item(content: dict, key: str) -> Item | None:
    return next((i for i in [*items(content), *review_items(content)] if i.key == key), None)


def _text_problems(where: str, value, what: str) -> list[str]:
    if not isinstance(value, dict) or not str(value.get("ca", "")).strip():
        return [
            _("%(where)s: the %(what)s in Catalan is missing.") % {"where": where, "what": what}
        ]
    return []


def item_problems(data: dict, *, facts: set[str], where: str) -> list[str]:
    """What keeps one item from being published, in words a coordinator can act on."""
    problems = _text_problems(where, data.get("title"), _("title"))
    if data.get("owner") not in OWNERS:
        problems.append(_("%(where)s: choose who does it.") % {"where": where})
    days = data.get("target_days")
    if not isinstance(days, int) or not 1 <= days <= MAX_TARGET_DAYS:
        problems.append(
            _("%(where)s: the target is a number of days from 1 to %(max)s.")
            % {"where": where, "max": MAX_TARGET_DAYS}
        )
    if data.get("evidence") not in EVIDENCE_KINDS:
        problems.append(_("%(where)s: choose the evidence that completes it.") % {"where": where})
    elif data.get("evidence") == "fact" and data.get("fact") not in facts:
        problems.append(_("%(where)s: choose the fact that completes it.") % {"where": where})
    elif data.get("evidence") != "fact" and data.get("fact"):
        problems.append(
            _("%(where)s: a fact is chosen only when the item is completed by a fact.")
            % {"where": where}
        )
    return problems


def problems(content: dict, *, facts: set[str]) -> list[str]:
    """Everything that keeps a draft from being published; empty when it can be."""
    found = []
    days = content.get("stall_days")
    if not isinstance(days, int) or not 1 <= days <= MAX_STALL_DAYS:
        found.append(
            _("A path is stalled after a number of days from 1 to %(max)s without new evidence.")
            % {"max": MAX_STALL_DAYS}
        )
    if not stages(content):
        found.append(_("The playbook has no stages."))
    keys: set[str] = set()
    for number, stage in enumerate(stages(content), start=1):
        where = _("Stage %(number)s") % {"number": number}
        found += _text_problems(where, stage.get("name"), _("name"))
        if not stage.get("items"):
            found.append(_("%(where)s has no items.") % {"where": where})
        for data in stage.get("items", []):
            found += item_problems(data, facts=facts, where=text(data.get("title")) or where)
            keys.add(data.get("key"))
    for data in content.get("review_items", []):
        found += item_problems(data, facts=facts, where=text(data.get("title")) or _("Review"))
        if data.get("key") in keys:
            found.append(_("An item of the opening and one of the review share a key."))
    return found


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    item: Item
    fields: tuple[str, ...] = ()


def changes(old: dict, new: dict) -> list[Change]:
    """What a newer version changes, item by item (matched by key): added, removed, or the
    fields changed (a move to another stage counts as a change of "stage")."""
    before = {i.key: i for i in [*items(old), *review_items(old)]}
    after = {i.key: i for i in [*items(new), *review_items(new)]}
    found = [Change("added", item) for key, item in after.items() if key not in before]
    found += [Change("removed", item) for key, item in before.items() if key not in after]
    for key, item in after.items():
        if key in before:
            fields = tuple(
                name
                for name in ("stage_key", *ITEM_FIELDS)
                if getattr(item, name) != getattr(before[key], name)
            )
            if fields:
                found.append(Change("changed", item, fields))
    return found
