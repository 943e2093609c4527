"""An office's catalogue: advisors browse and search it, managers adapt it and take up updates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.catalogue import content as content_lib
from oae.catalogue import presenters, selectors, services
from oae.catalogue.forms import (
    LocalItemForm,
    OverrideForm,
    SearchForm,
    TakeUpForm,
    ToggleForm,
    VariantForm,
)
from oae.catalogue.schema import KIND_LABELS, KIND_PLURALS, Kind
from oae.catalogue.search import search_office
from oae.common.concurrency import EditConflict
from oae.common.input import parsed
from oae.network.selectors import get_office_or_404
from oae.scoping import Action, can, staff_required


def _titles(items) -> dict:
    return {(e.kind, e.code): e.title for e in items}


@staff_required
def office_catalogue(request, public_id):
    office = get_office_or_404(request.user, public_id)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    items = selectors.effective_items(office)
    if query:
        order = search_office(office=office, query=query, language=content_lib.current_language())
        by_key = {(e.kind, e.code): e for e in items}
        items = [by_key[key] for key in order if key in by_key]
    groups = [(KIND_PLURALS[k], [e for e in items if e.kind == k]) for k in Kind]
    context = {
        "office": office,
        "form": form,
        "query": query,
        "groups": groups,
        "status": selectors.office_catalogue_status(office),
        "latest": selectors.latest_version(),
        "can_adapt": can(request.user, Action.ADAPT_CATALOGUE, office),
    }
    return render(request, "catalogue/office_catalogue.html", context)


def _effective_or_404(office, kind, code):
    try:
        item = selectors.effective_item(office, Kind(kind), code)
    except ValueError as error:
        raise Http404 from error
    if item is None:
        raise Http404("Not in this office's catalogue")
    return item


@staff_required
def office_item(request, public_id, kind, code):
    office = get_office_or_404(request.user, public_id)
    item = _effective_or_404(office, kind, code)
    language = content_lib.current_language()
    lookups = presenters.lookups_for(_titles(selectors.effective_items(office)))
    context = {
        "office": office,
        "item": item,
        "kind_label": KIND_LABELS[Kind(kind)],
        "fields": presenters.shown_fields(kind, item.content, language, lookups),
        "can_adapt": can(request.user, Action.ADAPT_CATALOGUE, office),
        "can_propose": can(request.user, Action.PROPOSE_CHANGE, office),
        "variant": _variant(office, kind, code),
    }
    return render(request, "catalogue/office_item.html", context)


def _variant(office, kind, code):
    if kind != Kind.PROCEDURE:
        return None
    return selectors.procedure_variants(office.municipality).get(code)


@staff_required
def office_item_adapt(request, public_id, kind, code):
    office = get_office_or_404(request.user, public_id, Action.ADAPT_CATALOGUE)
    item = _effective_or_404(office, kind, code)
    if item.is_local:
        return redirect("catalogue:office_local_edit", public_id=public_id, kind=kind, code=code)
    office_item = item.office_item
    network = selectors.published_contents(office_item.adopted_version).get((kind, code), {})
    form = OverrideForm(
        request.POST or None,
        kind=Kind(kind),
        overrides=office_item.overrides,
        network=network,
        initial={"lock_version": office_item.lock_version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.office_item_override(
                actor=request.user,
                item=office_item,
                overrides=form.content(),
                expected_version=form.cleaned_data["lock_version"],
            )
            messages.success(request, _("Your office's wording has been saved."))
            return redirect("catalogue:office_item", public_id=public_id, kind=kind, code=code)
        except (EditConflict, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, EditConflict) else error)
    return render(
        request,
        "catalogue/office_item_adapt.html",
        {
            "office": office,
            "item": item,
            "form": form,
            "kind_label": KIND_LABELS[Kind(kind)],
        },
    )


@require_POST
@staff_required
def office_item_toggle(request, public_id, kind, code):
    office = get_office_or_404(request.user, public_id, Action.ADAPT_CATALOGUE)
    office_item = selectors.get_office_item_or_404(office, kind, code)
    enabled = parsed(ToggleForm, request.POST)["enabled"]
    services.office_item_set_enabled(actor=request.user, item=office_item, enabled=enabled)
    text = (
        _("“%(code)s” is offered again.")
        if enabled
        else _("“%(code)s” is switched off for your office.")
    )
    messages.success(request, text % {"code": code})
    return redirect("catalogue:office_catalogue", public_id=public_id)


@staff_required
def office_local_item(request, public_id, kind, code=None):
    office = get_office_or_404(request.user, public_id, Action.ADAPT_CATALOGUE)
    kind = Kind(kind) if kind in Kind.__members__.values() else None
    if kind is None:
        raise Http404
    item = selectors.get_local_item_or_404(office, kind, code) if code else None
    form = LocalItemForm(
        request.POST or None,
        kind=kind,
        editing=item is not None,
        content=item.local_content if item else None,
        initial={"code": code, "lock_version": getattr(item, "lock_version", None)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.office_local_item_save(
                actor=request.user,
                office=office,
                kind=kind,
                code=code or form.cleaned_data["code"],
                content=form.content(),
                item=item,
                expected_version=form.cleaned_data["lock_version"],
            )
            messages.success(request, _("Your office's own item has been saved."))
            return redirect("catalogue:office_item", public_id=public_id, kind=kind, code=item.code)
        except (EditConflict, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, EditConflict) else error)
    return render(
        request,
        "catalogue/office_local_item.html",
        {"office": office, "form": form, "item": item, "kind_label": KIND_LABELS[kind]},
    )


@staff_required
def office_updates(request, public_id):
    """The difference with the latest network version, and taking it up."""
    office = get_office_or_404(request.user, public_id)
    changes = [c for c in selectors.office_update_changes(office) if c.status != "same"]
    if request.method == "POST":
        office = get_office_or_404(request.user, public_id, Action.ADAPT_CATALOGUE)
        return _take_up(request, office)
    latest = selectors.latest_version()
    return render(
        request,
        "catalogue/office_updates.html",
        {
            "office": office,
            "changes": changes,
            "titles": presenters.item_titles(
                selectors.published_contents(latest), content_lib.current_language()
            ),
            "latest": latest,
            "status": selectors.office_catalogue_status(office),
            "can_adapt": can(request.user, Action.ADAPT_CATALOGUE, office),
        },
    )


def _take_up(request, office):
    chosen = parsed(TakeUpForm, request.POST)
    keys = None if chosen["all"] else chosen["item"]
    if keys == []:
        messages.error(request, _("Choose at least one item to take up."))
        return redirect("catalogue:office_updates", public_id=office.public_id)
    try:
        result = services.office_take_up(
            actor=request.user,
            office=office,
            keys=keys,
            use_network_wording=chosen["use_network_wording"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("catalogue:office_updates", public_id=office.public_id)
    messages.success(
        request,
        _(
            "Taken up: %(added)s new, %(updated)s changed, %(removed)s "
            "removed. Overrides replaced by the network's wording: "
            "%(dropped)s."
        )
        % {
            "added": result.added,
            "updated": result.updated,
            "removed": result.removed,
            "dropped": result.overrides_dropped,
        },
    )
    return redirect("catalogue:office_updates", public_id=office.public_id)


@require_POST
@staff_required
def office_adopt(request, public_id):
    office = get_office_or_404(request.user, public_id, Action.ADAPT_CATALOGUE)
    latest = selectors.latest_version()
    if latest is None:
        messages.error(request, _("The network has not published any version yet."))
    else:
        try:
            count = services.office_catalogue_adopt(
                actor=request.user, office=office, version=latest
            )
            messages.success(
                request,
                _("Your office now runs version %(number)s (%(count)s items).")
                % {"number": latest.number, "count": count},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("catalogue:office_catalogue", public_id=public_id)


@staff_required
def procedure_variant(request, public_id, code):
    """The municipal variant of a procedure, filled in by the town's office."""
    office = get_office_or_404(request.user, public_id, Action.ADAPT_CATALOGUE)
    item = _effective_or_404(office, Kind.PROCEDURE, code)
    variant = selectors.procedure_variants(office.municipality).get(code)
    form = VariantForm(request.POST or None, variant=variant)
    if request.method == "POST" and form.is_valid():
        try:
            services.procedure_variant_save(
                actor=request.user,
                municipality=office.municipality,
                procedure_code=code,
                data=form.variant_data(),
                expected_version=form.cleaned_data["lock_version"],
            )
            messages.success(request, _("The local details of this procedure have been saved."))
            return redirect(
                "catalogue:office_item", public_id=public_id, kind="procedure", code=code
            )
        except (EditConflict, ValidationError) as error:
            form.add_error(None, str(error) if isinstance(error, EditConflict) else error)
    return render(
        request, "catalogue/procedure_variant.html", {"office": office, "item": item, "form": form}
    )
