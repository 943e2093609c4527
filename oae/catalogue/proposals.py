"""Co-design of the operating model: an office's staff propose a change to an item of the
published model (or a new item), with the fields as they would read, a reason and evidence;
other offices comment and support it (one support per office); the proposing office revises
or withdraws it; the network puts it under review, accepts (with changes) or declines it
(with its reason), then merges it into the draft field by field. Every change of state is
audited and told to the proposal's author and supporters."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.catalogue import content as content_lib
from oae.catalogue import notices
from oae.catalogue.models import (
    ACCEPTED_STATES,
    DraftItem,
    OfficeItem,
    Proposal,
    ProposalComment,
    ProposalEvidence,
    ProposalRevision,
    ProposalState,
    ProposalSupport,
    PublishedItem,
)
from oae.catalogue.schema import Kind, fields_of
from oae.catalogue.selectors import latest_version
from oae.catalogue.services import draft_item_create, draft_item_update
from oae.catalogue.tasks import notices_queue
from oae.common.concurrency import save_with_version
from oae.common.files import checked_upload
from oae.privacy.services import audit_record
from oae.scoping import Action, active_memberships, can, require

REASON_MAX_LENGTH = 4000
COMMENT_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 2000
LIVE_STATES = (ProposalState.OPEN, ProposalState.UNDER_REVIEW)
# What the network may decide from each state (withdrawing is the proposing office's).
DECISIONS = {
    ProposalState.OPEN: {
        ProposalState.UNDER_REVIEW,
        ProposalState.ACCEPTED,
        ProposalState.ACCEPTED_WITH_CHANGES,
        ProposalState.DECLINED,
    },
    ProposalState.UNDER_REVIEW: {
        ProposalState.OPEN,
        ProposalState.ACCEPTED,
        ProposalState.ACCEPTED_WITH_CHANGES,
        ProposalState.DECLINED,
    },
}


# Rules ------------------------------------------------------------------------------------


def network_fields(kind: Kind) -> list[str]:
    """The fields a proposal may change: the network's, not an office's practical details."""
    return [field.name for field in fields_of(Kind(kind), network_only=True)]


def proposed_changes(kind: Kind, base: dict, content: dict) -> list[str]:
    """The network fields the proposal changes against the content it was written from."""
    names = network_fields(kind)
    return [n for n in content_lib.changed_fields(base, content) if n in names]


def _only_network_fields(kind: Kind, content: dict) -> dict:
    names = network_fields(kind)
    return {name: value for name, value in content.items() if name in names}


def _check_content(kind: Kind, code: str, base: dict, content: dict) -> None:
    problems = content_lib._check_required(kind, code, fields_of(kind, network_only=True), content)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    if not proposed_changes(kind, base, content):
        raise ValidationError(
            _("The proposal changes nothing: it reads exactly as the published item.")
        )


def _text(value: str, limit: int, empty: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: empty})
    if len(value) > limit:
        raise ValidationError({field: _("Keep it to %(max)s characters.") % {"max": limit}})
    return value


def _for_office(actor, office) -> None:
    """Only the office's own staff (managers and advisors) speak for it."""
    if not can(actor, Action.PROPOSE_CHANGE, office):
        raise PermissionDenied("not staff of this office")


def _audit(action: str, actor, proposal: Proposal, office=None, **details) -> None:
    audit_record(
        action=f"catalogue.proposal.{action}",
        actor=actor,
        target=proposal,
        office=office or proposal.office,
        details={"kind": proposal.kind, "code": proposal.code, **details},
    )


def _revision(proposal: Proposal, actor) -> None:
    top = proposal.revisions.aggregate(top=Max("number"))["top"] or 0
    ProposalRevision.objects.create(
        proposal=proposal,
        number=top + 1,
        content=proposal.content,
        reason=proposal.reason,
        saved_by=actor,
    )


def _tell(proposal: Proposal, event: str, actor) -> None:
    notices_queue(notices.notices_create(proposal, event, skip=actor))


# Proposing --------------------------------------------------------------------------------


def published_item(kind: Kind, code: str) -> PublishedItem | None:
    latest = latest_version()
    if latest is None:
        return None
    return latest.items.filter(kind=kind, code=code).first()


@transaction.atomic
def proposal_create(
    *, actor, office, kind: Kind, code: str, content: dict, reason: str, is_new: bool = False
) -> Proposal:
    """A change to the latest published item `kind`/`code`, or a new item with that code."""
    _for_office(actor, office)
    kind = Kind(kind)
    reason = _text(reason, REASON_MAX_LENGTH, _("Say why the network should change it."), "reason")
    published = published_item(kind, code)
    if is_new:
        if published is not None or DraftItem.objects.filter(kind=kind, code=code).exists():
            raise ValidationError(
                {"code": _("The code “%(code)s” is already in use.") % {"code": code}}
            )
        base = {}
    elif published is None:
        raise ValidationError(_("This item is not in the published model."))
    else:
        base = published.content
    content = _only_network_fields(kind, content)
    _check_content(kind, code, base, content)
    proposal = Proposal.objects.create(
        office=office,
        author=actor,
        kind=kind,
        code=code,
        is_new=is_new,
        base_version=published.version if published else None,
        base_content=base,
        content=content,
        reason=reason,
    )
    _revision(proposal, actor)
    _audit("create", actor, proposal, changed=proposed_changes(kind, base, content))
    return proposal


def override_proposal_content(item: OfficeItem) -> tuple[dict, dict]:
    """An office's adapted item as a proposal: (the latest published content, that content
    with the office's wording of the network's fields). The latest, not the version the
    office adopted: the proposal changes only what the office reworded, never back what the
    network changed since."""
    published = published_item(Kind(item.kind), item.code)
    if published is None:
        raise ValidationError(_("This item is not in the published model."))
    merged = content_lib.merge_overrides(Kind(item.kind), published.content, item.overrides)
    return published.content, _only_network_fields(Kind(item.kind), merged)


@transaction.atomic
def proposal_from_override(*, actor, item: OfficeItem, reason: str = "") -> Proposal:
    """ "Propose my wording to the network": the office's overrides, in one step."""
    if item.is_local:
        raise ValidationError(_("Only an item of the network's model can be proposed back."))
    base, content = override_proposal_content(item)
    if not proposed_changes(Kind(item.kind), base, content):
        raise ValidationError(
            _("Your office uses the network's wording of this item: there is nothing to propose.")
        )
    return proposal_create(
        actor=actor,
        office=item.office,
        kind=Kind(item.kind),
        code=item.code,
        content=content,
        reason=reason or _("This is the wording our office uses with its clients."),
    )


@transaction.atomic
def proposal_revise(
    *, actor, proposal: Proposal, content: dict, reason: str, expected_version: int
) -> Proposal:
    """A new revision by the proposing office, while the proposal is open or under review."""
    _for_office(actor, proposal.office)
    if proposal.state not in LIVE_STATES:
        raise ValidationError(_("This proposal is no longer open to revision."))
    kind = Kind(proposal.kind)
    content = _only_network_fields(kind, content)
    _check_content(kind, proposal.code, proposal.base_content, content)
    proposal.content = content
    proposal.reason = _text(
        reason, REASON_MAX_LENGTH, _("Say why the network should change it."), "reason"
    )
    save_with_version(proposal, expected_version=expected_version, fields=["content", "reason"])
    _revision(proposal, actor)
    _audit("revise", actor, proposal)
    return proposal


@transaction.atomic
def proposal_evidence_add(
    *, actor, proposal: Proposal, note: str = "", url: str = "", upload=None
) -> ProposalEvidence:
    _for_office(actor, proposal.office)
    if proposal.state not in LIVE_STATES:
        raise ValidationError(_("This proposal is no longer open to revision."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep it to %(max)s characters.") % {"max": NOTE_MAX_LENGTH}}
        )
    if not (note or url or upload):
        raise ValidationError(_("Add a note, a link or a file."))
    evidence = ProposalEvidence(proposal=proposal, note=note, url=url or "", added_by=actor)
    if upload is not None:
        evidence.content_type = checked_upload(upload)
        evidence.original_name = upload.name[:255]
        evidence.file = upload
    evidence.save()
    _audit("evidence", actor, proposal, file=evidence.original_name)
    return evidence


# Discussion -------------------------------------------------------------------------------


@transaction.atomic
def proposal_comment(*, actor, office, proposal: Proposal, body: str) -> ProposalComment:
    """An office's comment (plain text or Markdown, shown made safe)."""
    _for_office(actor, office)
    if proposal.state == ProposalState.WITHDRAWN:
        raise ValidationError(_("This proposal was withdrawn."))
    body = _text(body, COMMENT_MAX_LENGTH, _("Write your comment."), "body")
    comment = ProposalComment.objects.create(
        proposal=proposal, office=office, author=actor, body=body
    )
    _audit("comment", actor, proposal, office=office)
    return comment


def proposal_support(*, actor, office, proposal: Proposal) -> ProposalSupport:
    """The office backs the proposal: once, however many of its staff click at once."""
    _for_office(actor, office)
    if office.pk == proposal.office_id:
        raise ValidationError(_("Your office made this proposal: it supports it already."))
    if proposal.state not in LIVE_STATES:
        raise ValidationError(_("Only an open proposal can be supported."))
    try:
        with transaction.atomic():
            support = ProposalSupport.objects.create(
                proposal=proposal, office=office, given_by=actor
            )
            _audit("support", actor, proposal, office=office)
    except IntegrityError as error:
        raise ValidationError(
            _("%(office)s supports this proposal already.") % {"office": office.name}
        ) from error
    return support


@transaction.atomic
def proposal_support_withdraw(*, actor, office, proposal: Proposal) -> None:
    _for_office(actor, office)
    if proposal.state not in LIVE_STATES:
        raise ValidationError(_("This proposal is decided: its supports stay as they were."))
    deleted, _rows = ProposalSupport.objects.filter(proposal=proposal, office=office).delete()
    if not deleted:
        raise ValidationError(
            _("%(office)s does not support this proposal.") % {"office": office.name}
        )
    _audit("unsupport", actor, proposal, office=office)


# Decisions --------------------------------------------------------------------------------


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_withdraw(*, actor, proposal: Proposal) -> Proposal:
    _for_office(actor, proposal.office)
    proposal = _locked(proposal)
    if proposal.state not in LIVE_STATES:
        raise ValidationError(_("Only an open proposal can be withdrawn."))
    proposal.state = ProposalState.WITHDRAWN
    proposal.save(update_fields=["state", "updated_at"])
    _audit("withdraw", actor, proposal)
    _tell(proposal, proposal.state, actor)
    return proposal


@transaction.atomic
def proposal_decide(*, actor, proposal: Proposal, state: str, note: str = "") -> Proposal:
    """The network's decision: under review, accepted (with changes) or declined, or back to
    open. Declining, and accepting with changes, say why."""
    require(actor, Action.EDIT_NETWORK_MODEL)
    proposal = _locked(proposal)
    allowed = DECISIONS.get(ProposalState(proposal.state), set())
    if state not in allowed:
        raise ValidationError(
            _("A proposal %(now)s cannot become %(then)s.")
            % {
                "now": proposal.get_state_display(),
                "then": ProposalState(state).label if state in ProposalState.values else state,
            }
        )
    note = (note or "").strip()
    if state == ProposalState.DECLINED and not note:
        raise ValidationError({"note": _("Say why the network declines it.")})
    if state == ProposalState.ACCEPTED_WITH_CHANGES and not note:
        raise ValidationError({"note": _("Say what the network changes in it.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep it to %(max)s characters.") % {"max": NOTE_MAX_LENGTH}}
        )
    proposal.state, proposal.decision_note = state, note
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(
        update_fields=["state", "decision_note", "decided_by", "decided_at", "updated_at"]
    )
    _audit("decide", actor, proposal, state=state)
    _tell(proposal, state, actor)
    return proposal


# Adoption ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeField:
    """One field the proposal changes: its text as proposed, as the proposal found it (the
    published item) and as the draft has it now; a conflict when the draft changed it too."""

    name: str
    base: object
    proposed: object
    draft: object

    @property
    def conflict(self) -> bool:
        return self.draft != self.base and self.draft != self.proposed


@dataclass(frozen=True)
class MergePlan:
    proposal: Proposal
    draft_item: DraftItem | None
    fields: list[MergeField]

    @property
    def conflicts(self) -> list[MergeField]:
        return [field for field in self.fields if field.conflict]

    def content(self, keep_draft: set[str]) -> dict:
        """The draft with the proposal's fields, except the conflicts kept as the draft has
        them."""
        merged = dict(self.draft_item.content) if self.draft_item else {}
        for field in self.fields:
            if not (field.conflict and field.name in keep_draft):
                merged[field.name] = field.proposed
        return merged


def awaits_merge(proposal: Proposal) -> bool:
    """Accepted, and not in the draft yet."""
    return proposal.state in ACCEPTED_STATES and proposal.merged_at is None


def merge_plan(proposal: Proposal) -> MergePlan:
    item = DraftItem.objects.filter(kind=proposal.kind, code=proposal.code).first()
    draft = item.content if item else {}
    base = proposal.base_content
    names = proposed_changes(Kind(proposal.kind), base, proposal.content)
    fields = [
        MergeField(
            name, base.get(name), proposal.content.get(name), draft.get(name, base.get(name))
        )
        for name in names
    ]
    return MergePlan(proposal, item, fields)


@transaction.atomic
def proposal_merge(*, actor, proposal: Proposal, keep_draft: set[str] | None = None) -> DraftItem:
    """Bring an accepted proposal into the draft of the next version, in one step: its
    fields replace the draft's, except the conflicts the coordinator keeps as the draft has
    them. Published with the next version, which names it."""
    require(actor, Action.EDIT_NETWORK_MODEL)
    proposal = _locked(proposal)
    if proposal.state not in ACCEPTED_STATES:
        raise ValidationError(_("Only an accepted proposal is merged into the draft."))
    if proposal.merged_at is not None:
        raise ValidationError(_("This proposal is in the draft already."))
    plan = merge_plan(proposal)
    content = plan.content(keep_draft or set())
    if plan.draft_item is None:
        item = draft_item_create(
            actor=actor, kind=Kind(proposal.kind), code=proposal.code, content=content
        )
    else:
        if plan.draft_item.is_archived:
            raise ValidationError(
                _("The network removed this item from the draft: restore it first.")
            )
        item = draft_item_update(
            actor=actor,
            item=plan.draft_item,
            content=content,
            expected_version=plan.draft_item.lock_version,
        )
    proposal.merged_at, proposal.merged_by = timezone.now(), actor
    proposal.save(update_fields=["merged_at", "merged_by", "updated_at"])
    _audit(
        "merge",
        actor,
        proposal,
        kept_draft=sorted((keep_draft or set()) & {f.name for f in plan.conflicts}),
    )
    return item


# Reads ------------------------------------------------------------------------------------


def proposals_for(user) -> QuerySet[Proposal]:
    """Every proposal, for whoever may read them (every member of staff); none otherwise."""
    if not can(user, Action.VIEW_PROPOSALS):
        return Proposal.objects.none()
    return Proposal.objects.select_related("office", "author", "published_in")


def get_proposal_or_404(user, public_id) -> Proposal:
    proposal = proposals_for(user).filter(public_id=public_id).first()
    if proposal is None:
        raise Http404("No such proposal")
    return proposal


def proposals_list(
    user, *, state: str = "", kind: str = "", office=None, search: str = ""
) -> QuerySet[Proposal]:
    proposals = proposals_for(user)
    if state == "live":
        proposals = proposals.filter(state__in=LIVE_STATES)
    elif state:
        proposals = proposals.filter(state=state)
    if kind:
        proposals = proposals.filter(kind=kind)
    if office is not None:
        proposals = proposals.filter(office=office)
    if search:
        proposals = proposals.filter(Q(code__icontains=search) | Q(reason__icontains=search))
    return proposals


def speaking_offices(user) -> list:
    """The offices the user may propose, comment and support for."""
    return [
        membership.office
        for membership in active_memberships(user)
        if can(user, Action.PROPOSE_CHANGE, membership.office)
    ]


def proposals_taken_up() -> QuerySet[Proposal]:
    """Merged into the draft and not yet published: the next version takes them up."""
    return Proposal.objects.filter(merged_at__isnull=False, published_in__isnull=True)
