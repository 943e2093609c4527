"""Public pages (no sign-in): each open office's catalogue and each town's procedures."""

from django.http import Http404
from django.shortcuts import render

from oae.catalogue import content as content_lib
from oae.catalogue import presenters, selectors
from oae.catalogue.forms import PublicSearchForm, SearchForm
from oae.catalogue.schema import KIND_LABELS, Kind
from oae.catalogue.search import search_office
from oae.common.input import parsed
from oae.network.selectors import (
    municipalities_by_name,
    municipality_or_404,
    public_office_or_404,
)


def office_services(request, public_id):
    office = public_office_or_404(public_id)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    items = selectors.effective_items(office, enabled_only=True)
    if query:
        order = search_office(office=office, query=query, language=content_lib.current_language())
        by_key = {(e.kind, e.code): e for e in items}
        items = [by_key[key] for key in order if key in by_key]
    services_ = [e for e in items if e.kind == Kind.SERVICE]
    procedures = [e for e in items if e.kind == Kind.PROCEDURE]
    return render(
        request,
        "catalogue/public_office.html",
        {
            "office": office,
            "form": form,
            "query": query,
            "services": services_,
            "service_groups": presenters.services_by_category(
                services_, content_lib.current_language()
            ),
            "procedures": procedures,
        },
    )


def office_service(request, public_id, kind, code):
    office = public_office_or_404(public_id)
    if kind not in (Kind.SERVICE, Kind.PROCEDURE):
        raise Http404
    item = selectors.effective_item(office, Kind(kind), code)
    if item is None or not item.enabled:
        raise Http404("Not offered here")
    language = content_lib.current_language()
    lookups = presenters.lookups_for(
        {(e.kind, e.code): e.title for e in selectors.effective_items(office)}
    )
    variant = (
        selectors.procedure_variants(office.municipality).get(code)
        if kind == Kind.PROCEDURE
        else None
    )
    return render(
        request,
        "catalogue/public_item.html",
        {
            "office": office,
            "item": item,
            "kind_label": KIND_LABELS[Kind(kind)],
            "fields": presenters.shown_fields(kind, item.content, language, lookups),
            "variant": variant,
            "municipality": office.municipality,
        },
    )


def municipality_procedures(request, ine_code):
    municipality = municipality_or_404(ine_code)
    search = parsed(PublicSearchForm, request.GET)["q"]
    procedures = selectors.municipality_procedures(municipality)
    if search:
        words = content_lib.fold_words(search)
        procedures = [
            p for p in procedures if content_lib.matches(Kind.PROCEDURE, p.content, words)
        ]
    return render(
        request,
        "catalogue/public_procedures.html",
        {
            "municipality": municipality,
            "procedures": procedures,
            "search": search,
            "municipalities": municipalities_by_name(),
        },
    )


def municipality_procedure(request, ine_code, code):
    municipality = municipality_or_404(ine_code)
    procedure = next(
        (p for p in selectors.municipality_procedures(municipality) if p.code == code), None
    )
    if procedure is None:
        raise Http404("No such procedure")
    language = content_lib.current_language()
    return render(
        request,
        "catalogue/public_item.html",
        {
            "item": procedure,
            "kind_label": KIND_LABELS[Kind.PROCEDURE],
            "fields": presenters.shown_fields(
                Kind.PROCEDURE, procedure.content, language, presenters.lookups_for()
            ),
            "variant": procedure.variant,
            "municipality": municipality,
        },
    )
