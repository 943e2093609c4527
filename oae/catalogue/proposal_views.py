"""The co-design pages: the list of proposals, proposing a change (or a new item, or an
office's own wording in one step), a proposal with its changes, revisions, evidence,
discussion and supports, revising and withdrawing it, the network's decision and merge into
the draft, and each person's notices."""

from contextlib import contextmanager

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.catalogue import content as content_lib
from oae.catalogue import notices, presenters, proposals, selectors
from oae.catalogue.forms import LANGUAGE_NAMES, StepFormSet
from oae.catalogue.models import ProposalEvidence
from oae.catalogue.proposal_forms import (
    CommentForm,
    DecisionForm,
    EvidenceForm,
    MergeForm,
    ProposalForm,
    ProposalListQueryForm,
    SupportForm,
)
from oae.catalogue.schema import KIND_LABELS, KIND_PLURALS, LANGUAGES, Kind
from oae.catalogue.views import _kind
from oae.common.concurrency import EditConflict
from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.common.input import parsed
from oae.common.pagination import lookahead_page
from oae.network.selectors import get_office_or_404
from oae.scoping import Action, can, require, staff_required

PER_PAGE = 25


def _reader(request) -> None:
    require(request.user, Action.VIEW_PROPOSALS)


def _speaker_offices(request) -> list:
    """The offices the user speaks for; 403 when none (a coordinator, an auditor)."""
    offices = proposals.speaking_offices(request.user)
    if not offices:
        require(request.user, Action.PROPOSE_CHANGE)  # refuses: nobody to speak for
    return offices


@staff_required
def proposal_list(request):
    _reader(request)
    query = parsed(ProposalListQueryForm, request.GET)
    found = proposals.proposals_list(
        request.user, state=query["state"], kind=query["kind"], search=query["search"]
    )
    page = lookahead_page(found, query["page"], PER_PAGE)
    context = {
        "page": page,
        "query": query,
        "kinds": [(k.value, KIND_PLURALS[k]) for k in Kind],
        "states": proposals.ProposalState.choices,
        "can_propose": bool(proposals.speaking_offices(request.user)),
        "unread": notices.unread_count(request.user),
    }
    return render(request, "catalogue/proposals.html", context)


def _steps_formset(request, kind: Kind, content: dict):
    """A process's steps, edited as in the draft editor (None for other kinds)."""
    if kind != Kind.PROCESS:
        return None
    posted = request.method == "POST"
    return StepFormSet(
        request.POST if posted else None,
        prefix="steps",
        initial=None if posted else (content.get("steps") or []),
    )


def _valid(form, steps) -> bool:
    return form.is_valid() and (steps is None or steps.is_valid())


def _content_of(form, steps) -> dict:
    return form.content() | ({"steps": steps.steps()} if steps is not None else {})


def _proposal_form_page(request, kind: Kind, content: dict, code: str | None):
    offices = _speaker_offices(request)
    form = ProposalForm(
        request.POST or None,
        kind=kind,
        content=content,
        offices=offices,
        new_item=code is None,
    )
    steps = _steps_formset(request, kind, content)
    if request.method == "POST" and _valid(form, steps):
        with refusals_on_form(form):
            proposal = proposals.proposal_create(
                actor=request.user,
                office=form.chosen_office(),
                kind=kind,
                code=code or form.cleaned_data["code"],
                content=_content_of(form, steps),
                reason=form.cleaned_data["reason"],
                is_new=code is None,
            )
            messages.success(
                request, _("Your proposal is open: other offices can read, comment and support it.")
            )
            return redirect("catalogue:proposal", public_id=proposal.public_id)
    context = {
        "form": form,
        "steps": steps,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "code": code,
        "title": content_lib.title(kind, content) if code else "",
    }
    return render(request, "catalogue/proposal_form.html", context)


@staff_required
def proposal_new(request, kind, code):
    """A change to an item of the latest published version."""
    kind = _kind(kind)
    published = proposals.published_item(kind, code)
    if published is None:
        raise Http404("Not in the published model")
    return _proposal_form_page(request, kind, published.content, code)


@staff_required
def proposal_new_item(request, kind):
    return _proposal_form_page(request, _kind(kind), {}, None)


@require_POST
@staff_required
def proposal_from_override(request, public_id, kind, code):
    """ "Propose my wording to the network", from the office's adapted item."""
    office = get_office_or_404(request.user, public_id, Action.PROPOSE_CHANGE)
    item = selectors.get_office_item_or_404(office, kind, code)
    with refusals_as_messages(request):
        proposal = proposals.proposal_from_override(actor=request.user, item=item)
        messages.success(
            request,
            _("Your office's wording is now a proposal to the network. Say why, if you wish."),
        )
        return redirect("catalogue:proposal", public_id=proposal.public_id)
    return redirect("catalogue:office_item", public_id=public_id, kind=kind, code=code)


def _changes_shown(kind, names, old: dict, new: dict, language: str, titles: dict) -> list:
    """The changed fields read in the reader's language; a field whose change is in another
    language only (the office reworded the Catalan, say) is read in the first that changed,
    named in its label."""
    shown = []
    for name in names:
        rows = presenters.field_changes(kind, [name], old, new, language, titles)
        if rows and rows[0].old == rows[0].new:
            for other in LANGUAGES:
                in_other = presenters.field_changes(kind, [name], old, new, other, titles)
                if in_other and in_other[0].old != in_other[0].new:
                    in_other[0].label = f"{in_other[0].label} ({LANGUAGE_NAMES[other]})"
                    rows = in_other
                    break
        shown += rows
    return shown


def _revision_changes(proposal, language: str, titles: dict) -> list[dict]:
    """Each revision after the first, with what it changed from the one before."""
    revisions = list(proposal.revisions.select_related("saved_by"))
    shown = []
    for before, after in zip(revisions, revisions[1:], strict=False):
        names = content_lib.changed_fields(before.content, after.content)
        shown.append(
            {
                "revision": after,
                "changes": _changes_shown(
                    proposal.kind, names, before.content, after.content, language, titles
                ),
                "reason_changed": before.reason != after.reason,
            }
        )
    return shown


@staff_required
def proposal_detail(request, public_id):
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    language = content_lib.current_language()
    titles = selectors.draft_titles(language)
    offices = proposals.speaking_offices(request.user)
    own = any(office.pk == proposal.office_id for office in offices)
    supported = {s.office_id for s in proposal.supports.all()}
    others = [office for office in offices if office.pk != proposal.office_id]
    live = proposal.state in proposals.LIVE_STATES
    names = proposals.proposed_changes(proposal.kind, proposal.base_content, proposal.content)
    context = {
        "proposal": proposal,
        "title": content_lib.title(proposal.kind, proposal.content),
        "kind_label": KIND_LABELS[Kind(proposal.kind)],
        "changes": _changes_shown(
            proposal.kind, names, proposal.base_content, proposal.content, language, titles
        ),
        "revisions": _revision_changes(proposal, language, titles),
        "evidence": proposal.evidence.select_related("added_by"),
        "comments": proposal.comments.select_related("office", "author"),
        "supports": proposal.supports.select_related("office"),
        "own": own,
        "live": live,
        "comment_form": CommentForm(offices=offices) if offices else None,
        "support_offices": [o for o in others if o.pk not in supported] if live else [],
        "unsupport_offices": [o for o in others if o.pk in supported] if live else [],
        "evidence_form": EvidenceForm() if own and live else None,
        "can_decide": can(request.user, Action.EDIT_NETWORK_MODEL),
        "can_merge": can(request.user, Action.EDIT_NETWORK_MODEL)
        and proposals.awaits_merge(proposal),
        "decision_form": DecisionForm(),
        "decisions": proposals.DECISIONS.get(proposals.ProposalState(proposal.state), set()),
    }
    return render(request, "catalogue/proposal.html", context)


@staff_required
def proposal_revise(request, public_id):
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    get_office_or_404(request.user, proposal.office.public_id, Action.PROPOSE_CHANGE)
    kind = Kind(proposal.kind)
    form = ProposalForm(
        request.POST or None,
        kind=kind,
        content=proposal.content,
        initial={"reason": proposal.reason},
    )
    form.require_version(proposal.lock_version)
    steps = _steps_formset(request, kind, proposal.content)
    if request.method == "POST" and _valid(form, steps):
        with refusals_on_form(form), _conflict_on_form(form):
            proposals.proposal_revise(
                actor=request.user,
                proposal=proposal,
                content=_content_of(form, steps),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["lock_version"],
            )
            messages.success(request, _("The proposal is revised; the earlier text is kept."))
            return redirect("catalogue:proposal", public_id=proposal.public_id)
    context = {
        "form": form,
        "steps": steps,
        "proposal": proposal,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "code": proposal.code,
        "title": content_lib.title(kind, proposal.content),
    }
    return render(request, "catalogue/proposal_form.html", context)


@contextmanager
def _conflict_on_form(form):
    """Someone revised the proposal meanwhile: said on the form, what was typed kept."""
    try:
        yield
    except EditConflict as conflict:
        form.add_error(None, str(conflict))


def _back(proposal):
    return redirect("catalogue:proposal", public_id=proposal.public_id)


@require_POST
@staff_required
def proposal_comment(request, public_id):
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    form = CommentForm(request.POST, offices=_speaker_offices(request))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(proposal)
    with refusals_as_messages(request):
        proposals.proposal_comment(
            actor=request.user,
            office=form.chosen_office(),
            proposal=proposal,
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Your comment is published."))
    return _back(proposal)


def _support_view(request, public_id, service, done: str):
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    form = SupportForm(request.POST, offices=_speaker_offices(request))
    if not form.is_valid():
        messages.error(request, _("Choose one of your offices."))
        return _back(proposal)
    with refusals_as_messages(request):
        service(actor=request.user, office=form.chosen_office(), proposal=proposal)
        messages.success(request, done)
    return _back(proposal)


@require_POST
@staff_required
def proposal_support(request, public_id):
    return _support_view(
        request, public_id, proposals.proposal_support, _("Your office supports the proposal.")
    )


@require_POST
@staff_required
def proposal_unsupport(request, public_id):
    return _support_view(
        request,
        public_id,
        proposals.proposal_support_withdraw,
        _("Your office no longer supports the proposal."),
    )


@require_POST
@staff_required
def proposal_evidence(request, public_id):
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(proposal)
    with refusals_as_messages(request):
        proposals.proposal_evidence_add(
            actor=request.user,
            proposal=proposal,
            note=form.cleaned_data["note"],
            url=form.cleaned_data["url"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, _("The evidence is added."))
    return _back(proposal)


@staff_required
def proposal_evidence_file(request, public_id, evidence_id: int):
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    evidence = proposal.evidence.filter(pk=evidence_id).exclude(file="").first()
    if evidence is None:
        raise Http404("No such file")
    return _file(evidence)


def _file(evidence: ProposalEvidence) -> FileResponse:
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@staff_required
def proposal_withdraw(request, public_id):
    """The proposing office takes its proposal back, after a confirmation."""
    _reader(request)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    get_office_or_404(request.user, proposal.office.public_id, Action.PROPOSE_CHANGE)
    if request.method == "POST":
        with refusals_as_messages(request):
            proposals.proposal_withdraw(actor=request.user, proposal=proposal)
            messages.success(request, _("The proposal is withdrawn."))
        return _back(proposal)
    context = {"proposal": proposal, "title": content_lib.title(proposal.kind, proposal.content)}
    return render(request, "catalogue/proposal_withdraw.html", context)


@require_POST
@staff_required
def proposal_decide(request, public_id):
    require(request.user, Action.EDIT_NETWORK_MODEL)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return _back(proposal)
    with refusals_as_messages(request):
        decided = proposals.proposal_decide(
            actor=request.user, proposal=proposal, **form.cleaned_data
        )
        messages.success(
            request,
            _("The proposal is now: %(state)s. Its office and supporters are told.")
            % {"state": decided.get_state_display()},
        )
    return _back(proposal)


@staff_required
def proposal_merge(request, public_id):
    """The merge into the draft, field by field: the conflicts to settle, then one action."""
    require(request.user, Action.EDIT_NETWORK_MODEL)
    proposal = proposals.get_proposal_or_404(request.user, public_id)
    plan = proposals.merge_plan(proposal)
    language = content_lib.current_language()
    labels = {
        n: label
        for n, label in zip(
            [f.name for f in plan.fields],
            presenters.field_labels(proposal.kind, [f.name for f in plan.fields]),
            strict=True,
        )
    }
    # Bound on any POST: with no conflict to settle the form has no field and sends nothing.
    posted = request.POST if request.method == "POST" else None
    form = MergeForm(posted, conflicts=plan.conflicts, labels=labels)
    if request.method == "POST" and form.is_valid():
        with refusals_as_messages(request):
            item = proposals.proposal_merge(
                actor=request.user, proposal=proposal, keep_draft=form.keep_draft()
            )
            messages.success(
                request,
                _("The proposal is in the draft; the next version will name it and its office."),
            )
            return redirect("catalogue:item_edit", kind=item.kind, code=item.code)
        return _back(proposal)
    titles = selectors.draft_titles(language)
    rows = []
    for field in plan.fields:
        label = labels[field.name]
        shown = presenters.field_changes(
            proposal.kind,
            [field.name],
            {field.name: field.draft},
            {field.name: field.proposed},
            language,
            titles,
        )
        rows.append({"field": field, "label": label, "change": shown[0] if shown else None})
    context = {
        "proposal": proposal,
        "title": content_lib.title(proposal.kind, proposal.content),
        "plan": plan,
        "rows": rows,
        "form": form,
    }
    return render(request, "catalogue/proposal_merge.html", context)


@staff_required
def proposal_notices(request):
    """The person's notices, newest first; opening the page marks them read."""
    _reader(request)
    shown = list(notices.notices_for(request.user)[:100])
    notices.notices_mark_read(request.user)
    context = {
        "notices": [
            {"notice": n, "title": content_lib.title(n.proposal.kind, n.proposal.content)}
            for n in shown
        ],
        "states": proposals.ProposalState.choices,
    }
    return render(request, "catalogue/proposal_notices.html", context)
