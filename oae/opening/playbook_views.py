"""The network's playbook: its published versions and what each changed; the coordinators'
draft of the next one (stages, items, the stall threshold) and its publication."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oae.common.concurrency import EditConflict
from oae.common.feedback import refusals_as_messages, refusals_on_form
from oae.common.input import QueryForm, parsed
from oae.opening import access, facts, playbook, selectors, services
from oae.opening.forms import PlaybookItemForm, PublishForm, RemoveItemForm, StageForm, StallForm
from oae.scoping import Action, require

CONFLICT = gettext_lazy(
    "Another coordinator changed the draft meanwhile. Here it is as it is now; do it again."
)


class ItemQueryForm(QueryForm):
    stage = forms.CharField(required=False, max_length=40)
    item = forms.CharField(required=False, max_length=40)


def _conflict(request):
    messages.error(request, str(CONFLICT))
    return redirect("opening:playbook")


@access.opening_access_required
def playbook_page(request):
    require(request.user, Action.VIEW_OPENING)
    draft = services.playbook_draft() if access.may_edit(request.user) else None
    latest = services.latest_version()
    context = {
        "versions": selectors.playbook_versions(),
        "latest": latest,
        "draft": draft,
        "draft_stages": selectors.draft_stages(draft.content) if draft else [],
        "problems": playbook.problems(draft.content, facts=set(facts.FACTS)) if draft else [],
        "draft_changes": playbook.changes(latest.content, draft.content)
        if draft and latest
        else [],
        "facts": facts.FACTS,
    }
    if draft:
        version = draft.lock_version
        context["stage_form"] = StageForm(initial={"lock_version": version})
        context["stall_form"] = StallForm(
            initial={"lock_version": version, "stall_days": draft.content.get("stall_days")}
        )
        context["publish_form"] = PublishForm()
    return render(request, "opening/playbook.html", context)


@access.opening_access_required
def version(request, number: int):
    if not access.may_read_playbook(request.user):
        raise PermissionDenied("the playbook: staff who follow paths and councils' contacts")
    found = selectors.playbook_version(number)
    if found is None:
        raise Http404("No such version")
    shown, before = found
    context = {
        "version": shown,
        "stages": selectors.draft_stages(shown.content),
        "changes": playbook.changes(before.content, shown.content) if before else [],
        "before": before,
    }
    return render(request, "opening/playbook_version.html", context)


@access.opening_access_required
def draft_item(request):
    """Add an item to a stage (or to the yearly review), or change one of the draft."""
    require(request.user, Action.EDIT_OPENING)
    asked = parsed(ItemQueryForm, request.GET)
    draft = services.playbook_draft()
    stage_key, item = selectors.draft_item(draft.content, asked["stage"], asked["item"])
    initial = (
        PlaybookItemForm.initial_for(item)
        if item
        else {"owner": "municipality", "target_days": 30, "evidence": "document"}
    )
    form = PlaybookItemForm(
        request.POST or None, initial=initial | {"stage": stage_key, "item": asked["item"]}
    )
    form.require_version(draft.lock_version)
    if request.method == "POST" and form.is_valid():
        try:
            with refusals_on_form(form):
                services.draft_item_save(
                    actor=request.user,
                    expected_version=form.cleaned_data["lock_version"],
                    stage_key=form.cleaned_data["stage"],
                    item_key=form.cleaned_data["item"] or None,
                    data=form.item_data(),
                )
                messages.success(request, _("The draft has been saved."))
                return redirect("opening:playbook")
        except EditConflict:
            return _conflict(request)
    context = {
        "form": form,
        "item": item,
        "stage_name": selectors.stage_name(draft.content, stage_key),
    }
    return render(request, "opening/draft_item.html", context)


def _draft_write(request, form, write) -> None:
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return
    with refusals_as_messages(request):
        try:  # inside: refusals_as_messages would word a conflict as a case's
            write(form.cleaned_data)
            messages.success(request, _("The draft has been saved."))
        except EditConflict:
            messages.error(request, str(CONFLICT))


@require_POST
@access.opening_access_required
def draft_item_remove(request):
    require(request.user, Action.EDIT_OPENING)
    form = RemoveItemForm(request.POST)
    form.require_version(1)
    _draft_write(
        request,
        form,
        lambda data: services.draft_item_remove(
            actor=request.user, expected_version=data["lock_version"], item_key=data["item"]
        ),
    )
    return redirect("opening:playbook")


@require_POST
@access.opening_access_required
def draft_stage(request):
    require(request.user, Action.EDIT_OPENING)
    form = StageForm(request.POST)
    form.require_version(1)
    _draft_write(
        request,
        form,
        lambda data: services.draft_stage_save(
            actor=request.user,
            expected_version=data["lock_version"],
            stage_key=data["stage"] or None,
            name=form.name(),
        ),
    )
    return redirect("opening:playbook")


@require_POST
@access.opening_access_required
def draft_stall(request):
    require(request.user, Action.EDIT_OPENING)
    form = StallForm(request.POST)
    form.require_version(1)
    _draft_write(
        request,
        form,
        lambda data: services.draft_stall_days_save(
            actor=request.user, expected_version=data["lock_version"], days=data["stall_days"]
        ),
    )
    return redirect("opening:playbook")


@require_POST
@access.opening_access_required
def publish(request):
    require(request.user, Action.EDIT_OPENING)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what changed: offices and municipalities read it."))
        return redirect("opening:playbook")
    with refusals_as_messages(request):
        published = services.playbook_publish(
            actor=request.user, changelog=form.cleaned_data["changelog"]
        )
        messages.success(
            request,
            _("Version %(number)s of the playbook is published.") % {"number": published.number},
        )
    return redirect("opening:playbook")
