"""Every write of the opening domain: the playbook's draft and its publication, paths and
their evidence, facts completing (and re-opening) items, agreements, yearly reviews and the
municipal contacts. Each runs in one transaction and writes its audit row."""

import copy
import datetime
import json
from pathlib import Path as FilePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oae.common.concurrency import save_with_version
from oae.common.files import checked_upload
from oae.network.models import Municipality, Office
from oae.opening import facts, playbook, selectors
from oae.opening.models import (
    Agreement,
    Evidence,
    EvidenceKind,
    ItemState,
    Path,
    PlaybookDraft,
    PlaybookVersion,
    Review,
    ReviewAction,
)
from oae.privacy.services import audit_record

STARTER_FILE = FilePath(__file__).resolve().parent / "data" / "playbook.json"
MAX_TERM_MONTHS = 120
STARTER_CHANGELOG = (
    "Guia d'obertura inicial de la xarxa: vuit fases, de l'interès a l'oficina sostenible."
)
KEY_LENGTH = 40


def starter_content() -> dict:
    with open(STARTER_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def latest_version() -> PlaybookVersion | None:
    return PlaybookVersion.objects.order_by("-number").first()


# The playbook ---------------------------------------------------------------------------


def playbook_draft() -> PlaybookDraft:
    """The draft of the next version: started from the latest published one."""
    draft = PlaybookDraft.objects.first()
    if draft is None:
        latest = latest_version()
        content = latest.content if latest else starter_content()
        draft = PlaybookDraft.objects.create(content=copy.deepcopy(content))
    return draft


def _draft_save(actor, draft: PlaybookDraft, content: dict, expected_version, what: str, **details):
    draft.content = content
    save_with_version(draft, expected_version=expected_version, fields=["content"])
    audit_record(action=f"opening.playbook.{what}", actor=actor, target=draft, details=details)


def _new_key(title: str, taken: set[str]) -> str:
    base = (slugify(title).replace("-", "_") or "item")[: KEY_LENGTH - 4]
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _taken_keys(content: dict) -> set[str]:
    keys = {item.key for item in [*playbook.items(content), *playbook.review_items(content)]}
    return keys | {stage["key"] for stage in playbook.stages(content)}


def _item_list(content: dict, stage_key: str) -> list[dict]:
    if stage_key == "":
        return content.setdefault("review_items", [])
    for stage in playbook.stages(content):
        if stage["key"] == stage_key:
            return stage["items"]
    raise ValidationError(_("That stage is no longer in the draft."))


@transaction.atomic
def draft_item_save(
    *, actor, expected_version, stage_key: str, item_key: str | None, data: dict
) -> str:
    """Add an item to a stage (or to the yearly review: stage ""), or change one; the key."""
    draft = playbook_draft()
    content = copy.deepcopy(draft.content)
    problems = playbook.item_problems(data, facts=set(facts.FACTS), where=_("This item"))
    if problems:
        raise ValidationError(problems)
    place = None  # an item changed keeps its place in its stage
    for stage_items in [
        *(s["items"] for s in playbook.stages(content)),
        content.get("review_items", []),
    ]:
        if item_key and any(i["key"] == item_key for i in stage_items):
            index = next(n for n, i in enumerate(stage_items) if i["key"] == item_key)
            place = (stage_items, index)
            del stage_items[index]
            break
    else:
        if item_key:
            raise ValidationError(_("That item is no longer in the draft."))
    key = item_key or _new_key(data["title"]["ca"], _taken_keys(content))
    target = _item_list(content, stage_key)
    index = place[1] if place and place[0] is target else len(target)
    target.insert(index, {"key": key, **{f: data[f] for f in playbook.ITEM_FIELDS}})
    _draft_save(actor, draft, content, expected_version, "item_save", item=key)
    return key


@transaction.atomic
def draft_item_remove(*, actor, expected_version, item_key: str) -> None:
    draft = playbook_draft()
    content = copy.deepcopy(draft.content)
    lists = [s["items"] for s in playbook.stages(content)] + [content.get("review_items", [])]
    if not any(i["key"] == item_key for items in lists for i in items):
        raise ValidationError(_("That item is no longer in the draft."))
    for items in lists:
        items[:] = [i for i in items if i["key"] != item_key]
    _draft_save(actor, draft, content, expected_version, "item_remove", item=item_key)


@transaction.atomic
def draft_stage_save(*, actor, expected_version, stage_key: str | None, name: dict) -> str:
    """Rename a stage, or add one at the end; the stage's key."""
    if not str(name.get("ca", "")).strip():
        raise ValidationError(_("The stage's name in Catalan is missing."))
    draft = playbook_draft()
    content = copy.deepcopy(draft.content)
    if stage_key:
        stage = next((s for s in playbook.stages(content) if s["key"] == stage_key), None)
        if stage is None:
            raise ValidationError(_("That stage is no longer in the draft."))
        stage["name"] = name
    else:
        stage_key = _new_key(name["ca"], _taken_keys(content))
        content.setdefault("stages", []).append({"key": stage_key, "name": name, "items": []})
    _draft_save(actor, draft, content, expected_version, "stage_save", stage=stage_key)
    return stage_key


@transaction.atomic
def draft_stall_days_save(*, actor, expected_version, days: int) -> None:
    if not 1 <= days <= playbook.MAX_STALL_DAYS:
        raise ValidationError(
            _("A path is stalled after a number of days from 1 to %(max)s without new evidence.")
            % {"max": playbook.MAX_STALL_DAYS}
        )
    draft = playbook_draft()
    content = copy.deepcopy(draft.content) | {"stall_days": days}
    _draft_save(actor, draft, content, expected_version, "stall_days", days=days)


@transaction.atomic
def playbook_publish(*, actor, changelog: str) -> PlaybookVersion:
    """Publish the draft as the next version. Paths stay on the version they started on."""
    draft = playbook_draft()
    problems = playbook.problems(draft.content, facts=set(facts.FACTS))
    if problems:
        raise ValidationError(problems)
    latest = latest_version()
    if latest is not None and latest.content == draft.content:
        raise ValidationError(
            _("The draft is the same as version %(number)s: nothing to publish.")
            % {"number": latest.number}
        )
    if not changelog.strip():
        raise ValidationError(_("Say what changed: offices and municipalities read it."))
    version = PlaybookVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        content=copy.deepcopy(draft.content),
        changelog=changelog.strip(),
        published_by=actor,
    )
    audit_record(
        action="opening.playbook.publish",
        actor=actor,
        target=version,
        details={"number": version.number},
    )
    return version


@transaction.atomic
def playbook_starter_load(*, actor=None) -> PlaybookVersion:
    """Publish the starter playbook as v1 when nothing is published yet. Safe to run again."""
    latest = latest_version()
    if latest is not None:
        return latest
    playbook_draft()
    # Data in the network's own language, as the playbook's words are (data/playbook.json).
    return playbook_publish(actor=actor, changelog=STARTER_CHANGELOG)


# Paths ------------------------------------------------------------------------------------


def _office_of(municipality: Municipality, office: Office | None) -> Office | None:
    if office is not None and office.municipality_id != municipality.pk:
        raise ValidationError(_("The office is in another municipality."))
    return office


@transaction.atomic
def path_start(
    *,
    actor,
    municipality: Municipality,
    office: Office | None = None,
    started_on: datetime.date | None = None,
) -> Path:
    """Start a municipality on the latest playbook."""
    version = latest_version()
    if version is None:
        raise ValidationError(_("The network has not published a playbook yet."))
    if Path.objects.filter(municipality=municipality).exists():
        raise ValidationError(
            _("%(town)s already has an opening path.") % {"town": municipality.name}
        )
    today = timezone.localdate()
    started_on = started_on or today
    if started_on > today:
        raise ValidationError(_("A path cannot start in the future."))
    first = playbook.stages(version.content)[0]["key"]
    path = Path.objects.create(
        municipality=municipality,
        office=_office_of(municipality, office),
        version=version,
        started_on=started_on,
        stage_key=first,
        stage_since=started_on,
    )
    audit_record(
        action="opening.path.start",
        actor=actor,
        target=path,
        office=office,
        details={"version": version.number},
    )
    path_refresh(path)
    return path


@transaction.atomic
def path_set_office(*, actor, path: Path, office: Office | None) -> Path:
    path.office = _office_of(path.municipality, office)
    path.save(update_fields=["office", "updated_at"])
    audit_record(action="opening.path.office", actor=actor, target=path, office=office)
    path_refresh(path)
    return path


@transaction.atomic
def path_move_version(*, actor, path: Path, version: PlaybookVersion) -> Path:
    """Move a path to a newer version: items keep their state by key."""
    if version.number <= path.version.number:
        raise ValidationError(_("A path only moves to a newer version of the playbook."))
    previous = path.version.number
    path.version = version
    path.save(update_fields=["version", "updated_at"])
    audit_record(
        action="opening.path.move",
        actor=actor,
        target=path,
        office=path.office,
        details={"from": previous, "to": version.number},
    )
    path_refresh(path)
    return path


def _states(path: Path, review: Review | None) -> dict[str, ItemState]:
    return {s.item_key: s for s in ItemState.objects.filter(path=path, review=review)}


def _apply_fact(
    path: Path, review: Review | None, item: playbook.Item, state: ItemState | None, now
) -> bool:
    """Complete an item whose fact now holds, open again one whose fact stopped holding;
    whether the item changed."""
    holds = facts.proof(item.fact, path, review) is not None
    done = state is not None and state.done_at is not None
    if holds == done:
        return False
    state = state or ItemState(path=path, review=review, item_key=item.key)
    state.done_at, state.by_fact = (now, True) if holds else (None, False)
    state.undone_at = None if holds else now
    state.evidence = None
    state.save()
    audit_record(
        action="opening.item.fact_done" if holds else "opening.item.fact_undone",
        target=path,
        office=path.office,
        details={
            "item": item.key,
            "fact": item.fact,
            **({"review": review.year} if review else {}),
        },
    )
    return True


@transaction.atomic
def path_refresh(path: Path, *, review: Review | None = None) -> int:
    """Bring the items completed by facts up to date, then the path's stage; the number of
    items that changed. Run after every write of the domain and by the job."""
    path = (
        Path.objects.select_for_update(of=("self",))  # the office may be missing
        .select_related("version", "office", "municipality")
        .get(pk=path.pk)
    )
    now = timezone.now()
    content = path.version.content
    changed = 0
    targets = [(None, playbook.items(content))]
    reviews = [review] if review is not None else list(path.reviews.all())
    targets += [(r, playbook.review_items(content)) for r in reviews]
    for target, items in targets:
        states = _states(path, target)
        for item in items:
            if item.evidence == "fact":
                changed += _apply_fact(path, target, item, states.get(item.key), now)
    before = (path.stage_key, path.stage_since, path.complete)
    if changed:
        path.last_evidence_at = now
    _place_stage(path)
    if changed or before != (path.stage_key, path.stage_since, path.complete):
        path.save(
            update_fields=["stage_key", "stage_since", "complete", "last_evidence_at", "updated_at"]
        )
    return changed


def _place_stage(path: Path) -> None:
    """The current stage: the first with an item not done (the last when all are)."""
    done = {key for key, s in _states(path, None).items() if s.done_at is not None}
    stages = playbook.stages(path.version.content)
    current = next((s for s in stages if any(i["key"] not in done for i in s["items"])), None)
    path.complete = current is None
    key = (current or stages[-1])["key"]
    if key != path.stage_key:
        path.stage_key, path.stage_since = key, timezone.localdate()


def paths_refresh() -> int:
    """The job: every path's facts and stage (staff leave, offices open, surveys come in)."""
    return sum(path_refresh(path) for path in Path.objects.all())


# Evidence ---------------------------------------------------------------------------------

EVIDENCE_MISSING = {
    "document": lambda: _("This item is completed by a document: choose the file to upload."),
    "link": lambda: _("This item is completed by a link: give its address (https://…)."),
    "note": lambda: _("This item is completed by a note: write what was done."),
}


def _item_to_complete(path: Path, review: Review | None, item_key: str) -> playbook.Item:
    content = path.version.content
    found = playbook.review_items(content) if review else playbook.items(content)
    item = next((i for i in found if i.key == item_key), None)
    if item is None:
        raise ValidationError(_("That item is not in this path's playbook."))
    if item.evidence == "fact":
        raise ValidationError(
            _("This item completes itself when %(fact)s.") % {"fact": facts.FACTS[item.fact].label}
        )
    return item


@transaction.atomic
def evidence_add(
    *,
    actor,
    path: Path,
    item_key: str,
    upload=None,
    url: str = "",
    note: str = "",
    review: Review | None = None,
) -> Evidence:
    """Complete an item with the evidence its playbook asks for (a newer one replaces it)."""
    item = _item_to_complete(path, review, item_key)
    evidence = Evidence(
        path=path, review=review, item_key=item.key, kind=item.evidence, added_by=actor
    )
    if item.evidence == EvidenceKind.DOCUMENT:
        if upload is None:
            raise ValidationError(EVIDENCE_MISSING["document"]())
        evidence.content_type = checked_upload(upload)
        evidence.original_name = upload.name[:255]
        evidence.file = upload
    elif item.evidence == EvidenceKind.LINK:
        if not url.strip():
            raise ValidationError(EVIDENCE_MISSING["link"]())
        evidence.url = url.strip()
    elif not note.strip():
        raise ValidationError(EVIDENCE_MISSING["note"]())
    evidence.note = note.strip()
    evidence.full_clean(exclude=["file", "added_by"])
    evidence.save()
    state = ItemState.objects.filter(path=path, review=review, item_key=item.key).first()
    state = state or ItemState(path=path, review=review, item_key=item.key)
    state.done_at, state.evidence, state.by_fact = timezone.now(), evidence, False
    state.undone_at, state.reopened_at, state.reopen_reason = None, None, ""
    state.save()
    path.last_evidence_at = timezone.now()
    path.save(update_fields=["last_evidence_at", "updated_at"])
    audit_record(
        action="opening.evidence.add",
        actor=actor,
        target=path,
        office=path.office,
        details={
            "item": item.key,
            "kind": item.evidence,
            **({"review": review.year} if review else {}),
        },
    )
    path_refresh(path)
    return evidence


@transaction.atomic
def item_reopen(
    *, actor, path: Path, item_key: str, reason: str, review: Review | None = None
) -> None:
    """The coordinator sends an item back (the evidence did not prove it); the evidence stays."""
    item = _item_to_complete(path, review, item_key)
    if not reason.strip():
        raise ValidationError(_("Say why the item is open again: its owner reads it."))
    state = ItemState.objects.filter(
        path=path, review=review, item_key=item.key, done_at__isnull=False
    ).first()
    if state is None:
        raise ValidationError(_("That item is not done."))
    state.done_at, state.evidence = None, None
    state.reopen_reason, state.reopened_at = reason.strip()[:300], timezone.now()
    state.save(update_fields=["done_at", "evidence", "reopen_reason", "reopened_at"])
    audit_record(
        action="opening.item.reopen",
        actor=actor,
        target=path,
        office=path.office,
        details={"item": item.key, "reason": reason.strip()[:300]},
    )
    path_refresh(path)


# Agreements -------------------------------------------------------------------------------


def _agreement_problems(data: dict, renews: Agreement | None) -> dict[str, str]:
    problems = {}
    today = timezone.localdate()
    if data["signed_on"] > today:
        problems["signed_on"] = _(
            "An agreement is recorded once signed: the date is in the future."
        )
    if not 1 <= data["term_months"] <= MAX_TERM_MONTHS:
        problems["term_months"] = _("The term is from 1 to %(max)s months.") % {
            "max": MAX_TERM_MONTHS
        }
    if data["renewal_on"] <= data["signed_on"]:
        problems["renewal_on"] = _("The renewal date must come after the signature.")
    if renews is not None and data["signed_on"] < renews.signed_on:
        problems["signed_on"] = _(
            "A renewal is signed after the agreement it renews (%(day)s)."
        ) % {"day": renews.signed_on}
    return problems


@transaction.atomic
def agreement_record(
    *, actor, municipality: Municipality, data: dict, upload, renews: Agreement | None = None
) -> Agreement:
    """Record a signed agreement with its PDF (or the renewal of one). The path's items that
    wait for it complete themselves."""
    if renews is not None:
        renews = Agreement.objects.select_for_update().get(pk=renews.pk)
        if renews.municipality_id != municipality.pk:
            raise ValidationError(_("That agreement is another municipality's."))
        if Agreement.objects.filter(renews=renews).exists():
            raise ValidationError(_("That agreement has been renewed already."))
    problems = _agreement_problems(data, renews)
    if problems:
        raise ValidationError(problems)
    if upload is None:
        raise ValidationError({"file": _("Upload the signed agreement as a PDF.")})
    if checked_upload(upload) != "application/pdf":
        raise ValidationError(
            {
                "file": _("%(name)s is not a PDF: upload the signed agreement as a PDF.")
                % {"name": upload.name}
            }
        )
    agreement = Agreement(
        municipality=municipality,
        renews=renews,
        recorded_by=actor,
        original_name=upload.name[:255],
        file=upload,
        **data,
    )
    agreement.full_clean(exclude=["file", "recorded_by", "renews"])
    agreement.save()
    audit_record(
        action="opening.agreement.renew" if renews else "opening.agreement.record",
        actor=actor,
        target=agreement,
        office=agreement.office,
        details={"municipality": municipality.ine_code, "signed_on": str(agreement.signed_on)},
    )
    path = Path.objects.filter(municipality=municipality).first()
    if path is not None:
        path_refresh(path)
    return agreement


# Yearly reviews ---------------------------------------------------------------------------


@transaction.atomic
def review_open(*, actor, path: Path, year: int) -> Review:
    """Open the yearly review of an open office, with its scorecard as it stands today (as
    the coordinator sees it)."""
    if path.office is None:
        raise ValidationError(_("A yearly review is for an office: this path has none yet."))
    if year > timezone.localdate().year:
        raise ValidationError(_("A year not yet started cannot be reviewed."))
    if Review.objects.filter(path=path, year=year).exists():
        raise ValidationError(_("The review of %(year)s is already open.") % {"year": year})
    card = selectors.scorecard(actor, path, year)
    review = Review.objects.create(path=path, year=year, scorecard=card)
    audit_record(
        action="opening.review.open",
        actor=actor,
        target=review,
        office=path.office,
        details={"year": year},
    )
    path_refresh(path, review=review)
    return review


@transaction.atomic
def review_meeting_record(*, actor, review: Review, data: dict) -> Review:
    if data["met_on"] > timezone.localdate():
        raise ValidationError({"met_on": _("Record a meeting once it has taken place.")})
    if data["met_on"].year < review.year:
        raise ValidationError(
            {
                "met_on": _("The review of %(year)s is held in %(year)s or later.")
                % {"year": review.year}
            }
        )
    for name in ("met_on", "attendees", "findings"):
        setattr(review, name, data[name])
    review.full_clean(exclude=["scorecard"])  # a review opened with none keeps none
    review.save(update_fields=["met_on", "attendees", "findings", "updated_at"])
    audit_record(
        action="opening.review.meeting",
        actor=actor,
        target=review,
        office=review.path.office,
        details={"met_on": str(review.met_on)},
    )
    path_refresh(review.path)
    return review


@transaction.atomic
def review_action_add(*, actor, review: Review, data: dict) -> ReviewAction:
    if data["due_on"] < timezone.localdate():
        raise ValidationError({"due_on": _("An agreed action is due today or later.")})
    action = ReviewAction(review=review, **data)
    action.full_clean()
    action.save()
    audit_record(
        action="opening.review.action_add",
        actor=actor,
        target=review,
        office=review.path.office,
        details={"action": action.title[:100]},
    )
    path_refresh(review.path)
    return action


@transaction.atomic
def review_action_done(*, actor, action: ReviewAction, done: bool) -> ReviewAction:
    action.done_on = timezone.localdate() if done else None
    action.save(update_fields=["done_on"])
    audit_record(
        action="opening.review.action_done" if done else "opening.review.action_reopen",
        actor=actor,
        target=action.review,
        office=action.review.path.office,
        details={"action": action.title[:100]},
    )
    return action
