"""Coordinators' screens for the network model: draft, publishing, versions, adoption,
categories and the resource library. Auditors may read them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.catalogue import content as content_lib
from oae.catalogue import presenters, selectors, services
from oae.catalogue.forms import (
    ArchiveForm,
    CatalogueSearchForm,
    CategoryForm,
    CompareQueryForm,
    DraftItemForm,
    ModelHomeQueryForm,
    PreviewQueryForm,
    PublishForm,
    ResourceForm,
    RevisionForm,
    StepFormSet,
)
from oae.catalogue.schema import KIND_LABELS, KIND_PLURALS, LANGUAGES, Kind
from oae.common.concurrency import EditConflict
from oae.common.input import parsed
from oae.network.selectors import offices_for
from oae.scoping import Action, can, require, staff_required


def _kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError as error:
        raise Http404("Unknown kind") from error


def _reader(request):
    require(request.user, Action.VIEW_NETWORK_MODEL)


def _editor(request):
    require(request.user, Action.EDIT_NETWORK_MODEL)


@staff_required
def model_home(request):
    _reader(request)
    query = parsed(ModelHomeQueryForm, request.GET)
    kind, search = query["kind"], query["search"]
    items = selectors.draft_items(kind=kind, search=search)
    pending = {(d.kind, d.code): d.status for d in selectors.draft_diff()}
    context = {
        "items": items,
        "kind": kind,
        "search": search,
        "pending": pending,
        "pending_count": len(pending),
        "latest": selectors.latest_version(),
        "kinds": [(k.value, KIND_PLURALS[k]) for k in Kind],
        "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
    }
    return render(request, "catalogue/model_home.html", context)


def _steps_formset(request, item):
    initial = (item.content.get("steps") or []) if item else []
    return StepFormSet(
        request.POST or None, prefix="steps", initial=initial if request.method != "POST" else None
    )


def _item_page(request, kind, item):
    form = DraftItemForm(request.POST or None, kind=kind, item=item)
    steps = _steps_formset(request, item) if kind == Kind.PROCESS else None
    if request.method == "POST":
        _editor(request)
        if form.is_valid() and (steps is None or steps.is_valid()):
            content = form.content() | ({"steps": steps.steps()} if steps is not None else {})
            try:
                item = _save_item(request, kind, item, form, content)
                messages.success(
                    request,
                    _(
                        "Saved in the draft. It reaches offices when the "
                        "network publishes a new version."
                    ),
                )
                return redirect("catalogue:item_edit", kind=kind, code=item.code)
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
            except ValidationError as error:
                form.add_error(None, error)
    context = {
        "form": form,
        "steps": steps,
        "item": item,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
    }
    return render(request, "catalogue/item_form.html", context)


def _save_item(request, kind, item, form, content):
    if item is None:
        return services.draft_item_create(
            actor=request.user, kind=kind, code=form.cleaned_data["code"], content=content
        )
    return services.draft_item_update(
        actor=request.user,
        item=item,
        content=content,
        expected_version=form.cleaned_data["lock_version"],
    )


@staff_required
def item_create(request, kind):
    _editor(request)
    return _item_page(request, _kind(kind), None)


@staff_required
def item_edit(request, kind, code):
    _reader(request)
    item = selectors.get_draft_item_or_404(_kind(kind), code)
    return _item_page(request, Kind(kind), item)


@require_POST
@staff_required
def item_archive(request, kind, code):
    _editor(request)
    item = selectors.get_draft_item_or_404(_kind(kind), code)
    archive = parsed(ArchiveForm, request.POST)["archive"]
    services.draft_item_set_archived(actor=request.user, item=item, archived=archive)
    messages.success(
        request, _("Removed from the next version.") if archive else _("Back in the next version.")
    )
    return redirect("catalogue:item_edit", kind=kind, code=code)


@staff_required
def item_history(request, kind, code):
    _reader(request)
    item = selectors.get_draft_item_or_404(_kind(kind), code)
    if request.method == "POST":
        _editor(request)
        revision_id = parsed(RevisionForm, request.POST)["revision"]
        revision = selectors.get_revision_or_404(item, revision_id)
        services.draft_item_restore_revision(actor=request.user, item=item, revision=revision)
        messages.success(request, _("The earlier text is back in the draft."))
        return redirect("catalogue:item_edit", kind=kind, code=code)
    revisions = selectors.draft_item_revisions(item)
    rows = [
        (rev, content_lib.changed_fields(older.content, rev.content) if older else [])
        for rev, older in zip(revisions, [*revisions[1:], None], strict=True)
    ]
    return render(
        request,
        "catalogue/item_history.html",
        {"item": item, "rows": rows, "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL)},
    )


@staff_required
def item_preview(request, kind, code):
    """The draft item as a citizen will see it, in the chosen language."""
    _reader(request)
    item = selectors.get_draft_item_or_404(_kind(kind), code)
    language = parsed(PreviewQueryForm, request.GET)["lang"] or content_lib.current_language()
    language = language if language in LANGUAGES else "ca"
    titles = selectors.draft_titles(language)
    context = {
        "item": item,
        "language": language,
        "languages": LANGUAGES,
        "title": content_lib.title(kind, item.content, language),
        "fields": presenters.shown_fields(
            kind, item.content, language, presenters.lookups_for(titles)
        ),
    }
    return render(request, "catalogue/item_preview.html", context)


@staff_required
def publish(request):
    _reader(request)
    form = PublishForm(request.POST or None)
    problems = services.draft_problems()
    if request.method == "POST":
        _editor(request)
        if form.is_valid():
            try:
                version = services.network_publish(
                    actor=request.user, changelog=form.cleaned_data["changelog"]
                )
                messages.success(
                    request, _("Version %(number)s is published.") % {"number": version.number}
                )
                return redirect("catalogue:version_detail", number=version.number)
            except services.PublishRefused as refused:
                problems = refused.problems
            except ValidationError as error:
                form.add_error(None, error)
    context = {
        "form": form,
        "problems": problems,
        "diff": selectors.draft_diff(),
        "latest": selectors.latest_version(),
        "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
    }
    return render(request, "catalogue/publish.html", context)


@staff_required
def version_list(request):
    _reader(request)
    versions = selectors.network_versions()
    return render(request, "catalogue/version_list.html", {"versions": versions})


@staff_required
def version_detail(request, number):
    _reader(request)
    version = selectors.get_version_or_404(number)
    previous = selectors.version_before(version)
    context = {
        "version": version,
        "previous": previous,
        "diff": selectors.version_diff(previous, version),
        "titles": presenters.item_titles(
            selectors.published_contents(version), content_lib.current_language()
        ),
        "items": selectors.version_items_with_titles(version),
    }
    return render(request, "catalogue/version_detail.html", context)


@staff_required
def version_compare(request):
    _reader(request)
    versions = list(selectors.network_versions().reverse())
    numbers = {v.number: v for v in versions}
    query = parsed(CompareQueryForm, request.GET)
    old = numbers.get(query["from"])
    new = numbers.get(query["to"]) or (versions[-1] if versions else None)
    diff = selectors.version_diff(old, new) if new else []
    titles = presenters.item_titles(
        selectors.published_contents(new), content_lib.current_language()
    )
    return render(
        request,
        "catalogue/version_compare.html",
        {"versions": versions, "old": old, "new": new, "diff": diff, "titles": titles},
    )


@staff_required
def adoption(request):
    _reader(request)
    rows = selectors.adoption_overview(offices_for(request.user, Action.VIEW_OFFICE))
    return render(
        request, "catalogue/adoption.html", {"rows": rows, "latest": selectors.latest_version()}
    )


@staff_required
def categories(request, key=None):
    _reader(request)
    category = selectors.get_category_or_404(key) if key else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST":
        _editor(request)
        if form.is_valid():
            services.category_save(actor=request.user, category=category, data=form.cleaned_data)
            messages.success(request, _("The category has been saved."))
            return redirect("catalogue:categories")
    return render(
        request,
        "catalogue/categories.html",
        {
            "form": form,
            "category": category,
            "categories": selectors.categories(),
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )


@staff_required
def resources(request):
    """The resource library: every office's staff may read and download it."""
    search = parsed(CatalogueSearchForm, request.GET)["search"]
    return render(
        request,
        "catalogue/resources.html",
        {
            "resources": selectors.resources(search=search),
            "search": search,
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )


@staff_required
def resource_form(request, code=None):
    if code is None:
        _editor(request)
    resource = selectors.get_resource_or_404(code) if code else None
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST":
        _editor(request)
        if form.is_valid():
            try:
                resource = _save_resource(request, resource, form)
                messages.success(request, _("The resource has been saved."))
                return redirect("catalogue:resource_edit", code=resource.code)
            except ValidationError as error:
                form.add_error("file", error)
    files = selectors.resource_files(resource) if resource else []
    return render(
        request,
        "catalogue/resource_form.html",
        {
            "form": form,
            "resource": resource,
            "files": files,
            "can_edit": can(request.user, Action.EDIT_NETWORK_MODEL),
        },
    )


def _save_resource(request, resource, form):
    data = {k: form.cleaned_data[k] for k in ("code", "title", "description", "tags")}
    resource = services.resource_save(actor=request.user, resource=resource, data=data)
    if form.cleaned_data.get("file"):
        services.resource_file_add(
            actor=request.user,
            resource=resource,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data.get("note", ""),
        )
    return resource


@staff_required
def resource_download(request, code, number):
    revision = selectors.get_resource_file_or_404(code, number)
    return FileResponse(
        revision.file.open("rb"), as_attachment=True, filename=revision.original_name
    )
