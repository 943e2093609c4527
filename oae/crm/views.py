"""Screens of the joint database: people and companies, scoped to what the user may see.
Every read goes through crm.access or crm.selectors, every write through crm.services."""

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.concurrency import EditConflict
from oae.common.exports import table_response
from oae.common.input import ListQueryForm, parsed
from oae.crm import privacy_services, selectors, services
from oae.crm.access import (
    companies_for,
    get_company_or_404,
    get_merge_or_404,
    get_person_or_404,
)
from oae.crm.forms import (
    CompanyFilterForm,
    CompanyForm,
    ConsentForm,
    LinkCompanyForm,
    MergeForm,
    PersonForm,
    fields_from_other,
)
from oae.network.selectors import municipalities_by_name, offices_by_name
from oae.privacy.services import list_read_logged
from oae.scoping import Action, can, office_to_act_for, require, staff_required

PAGE_SIZE = 25


@staff_required
def people_export(request):
    """The people the user may see, with the list's filters, as CSV or XLSX."""
    require(request.user, Action.VIEW_PEOPLE)
    filters = selectors.PeopleFilters.from_query(request.GET)
    people = selectors.people_search(user=request.user, filters=filters)
    services.people_export_logged(actor=request.user, count=people.count(), search=filters.search)
    return table_response(
        columns=selectors.PEOPLE_COLUMNS,
        objects=people.iterator(chunk_size=2000),
        file_format=parsed(ListQueryForm, request.GET)["format"],
        filename="people",
    )


@staff_required
def people(request):
    require(request.user, Action.VIEW_PEOPLE)
    filters = selectors.PeopleFilters.from_query(request.GET)
    page = selectors.people_page(
        user=request.user,
        filters=filters,
        number=parsed(ListQueryForm, request.GET)["page"],
        per_page=PAGE_SIZE,
    )
    list_read_logged(
        actor=request.user,
        action="crm.people.list_read",
        office=request.office,
        shown=len(page.object_list),
        filters=asdict(filters),
    )
    context = {
        "page": page,
        "filters": filters,
        "municipalities": municipalities_by_name(),
        "offices": offices_by_name(),
        "can_create": selectors.can_register_for(request.user, request.office),
    }
    template = "crm/_people_table.html" if request.htmx else "crm/people.html"
    return render(request, template, context)


@staff_required
def person_create(request):
    require(request.user, Action.EDIT_PEOPLE)
    office = office_to_act_for(request, Action.EDIT_PEOPLE)
    form = PersonForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                office=office,
                data=form.person_data(),
                confirm_probable=form.cleaned_data.get("confirm_not_duplicate", False),
            )
            messages.success(request, _("%(name)s has been registered.") % {"name": person})
            return redirect("crm:person_detail", public_id=person.public_id)
        except services.PossibleDuplicates as found:
            duplicates = found.duplicates
        except ValidationError as error:
            form.add_error(None, error)
    visible = (
        selectors.people_visible_among(user=request.user, people=duplicates.probable)
        if duplicates
        else set()
    )
    context = {"form": form, "office": office, "duplicates": duplicates, "visible": visible}
    return render(request, "crm/person_form.html", context)


@staff_required
def person_detail(request, public_id):
    require(request.user, Action.VIEW_PEOPLE)
    person = get_person_or_404(request.user, public_id)
    services.person_read_logged(actor=request.user, person=person)
    context = selectors.person_page(user=request.user, person=person, acting_office=request.office)
    context["consent_form"] = ConsentForm()
    if context["can_edit"]:
        context["link_form"] = LinkCompanyForm(companies=companies_for(request.user))
    return render(request, "crm/person_detail.html", context)


@staff_required
def person_edit(request, public_id):
    require(request.user, Action.VIEW_PEOPLE)
    person = get_person_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE, person.office)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                data=form.person_data(),
                expected_version=form.cleaned_data["lock_version"],
            )
            messages.success(request, _("The record has been saved."))
            return redirect("crm:person_detail", public_id=person.public_id)
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "crm/person_form.html", {"form": form, "person": person})


@require_POST
@staff_required
def person_consent(request, public_id):
    """Record a consent event of the person, for the acting office."""
    person = get_person_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE)
    office = office_to_act_for(request, Action.EDIT_PEOPLE)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                actor=request.user, office=office, person=person, **form.cleaned_data
            )
            messages.success(request, _("The consent has been recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("The consent could not be recorded: check every field."))
    return redirect("crm:person_detail", public_id=public_id)


@require_POST
@staff_required
def person_link(request, public_id):
    person = get_person_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE, person.office)
    form = LinkCompanyForm(request.POST, companies=companies_for(request.user))
    if form.is_valid():
        services.person_link_company(
            actor=request.user,
            person=person,
            company=form.cleaned_data["company"],
            relation=form.cleaned_data["relation"],
        )
        messages.success(request, _("The company has been linked."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("crm:person_detail", public_id=public_id)


@staff_required
def companies(request):
    require(request.user, Action.VIEW_PEOPLE)
    form = CompanyFilterForm(request.GET or None, offices=offices_by_name())
    page = Paginator(
        selectors.companies_search(user=request.user, filters=form.filters()), PAGE_SIZE
    ).get_page(parsed(ListQueryForm, request.GET)["page"])
    context = {
        "page": page,
        "form": form,
        "can_create": selectors.can_register_for(request.user, request.office),
    }
    return render(request, "crm/companies.html", context)


@staff_required
def companies_export(request):
    """The companies the user may see, with the list's filters, as CSV or XLSX."""
    require(request.user, Action.VIEW_PEOPLE)
    filters = CompanyFilterForm(request.GET or None, offices=offices_by_name()).filters()
    companies = selectors.companies_search(user=request.user, filters=filters)
    services.companies_export_logged(
        actor=request.user, count=companies.count(), search=filters.search
    )
    return table_response(
        columns=selectors.COMPANY_COLUMNS,
        objects=companies.iterator(chunk_size=2000),
        file_format=parsed(ListQueryForm, request.GET)["format"],
        filename="companies",
    )


@staff_required
def company_form(request, public_id=None):
    """Register a company for the acting office, or edit one of the user's offices'."""
    require(request.user, Action.EDIT_PEOPLE)
    company = get_company_or_404(request.user, public_id) if public_id else None
    if company is not None:
        require(request.user, Action.EDIT_PEOPLE, company.office)
    office = company.office if company else office_to_act_for(request, Action.EDIT_PEOPLE)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_save(
                actor=request.user,
                office=office,
                company=company,
                data=form.company_data(),
                expected_version=form.cleaned_data.get("lock_version"),
            )
            messages.success(request, _("The company has been saved."))
            return redirect("crm:company_detail", public_id=company.public_id)
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "crm/company_form.html", {"form": form, "company": company})


@staff_required
def company_detail(request, public_id):
    require(request.user, Action.VIEW_PEOPLE)
    company = get_company_or_404(request.user, public_id)
    links = selectors.company_person_links(user=request.user, company=company)
    list_read_logged(
        actor=request.user,
        action="crm.company.people_read",
        office=request.office,
        shown=len(links),
    )
    context = {
        "company": company,
        "links": links,
        "can_edit": can(request.user, Action.EDIT_PEOPLE, company.office),
    }
    return render(request, "crm/company_detail.html", context)


@require_POST
@staff_required
def person_subject_export(request, public_id):
    """A copy of everything held about the person (right of access), as a JSON download."""
    require(request.user, Action.VIEW_PEOPLE)
    person = get_person_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE, person.office)
    data = privacy_services.person_subject_export(actor=request.user, person=person)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="person-{person.public_id}.json"'
    return response


@staff_required
def person_erase(request, public_id):
    """GET asks for confirmation; POST anonymises the person (right to erasure)."""
    require(request.user, Action.VIEW_PEOPLE)
    person = get_person_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE, person.office)
    if request.method != "POST":
        return render(request, "crm/person_erase.html", {"person": person})
    privacy_services.person_erase(actor=request.user, person=person)
    messages.success(request, _("The person's data has been erased; statistics are kept."))
    return redirect("crm:people")


@staff_required
def person_merge(request, public_id, other_id):
    """Side by side: pick, field by field, the value the surviving record keeps."""
    require(request.user, Action.MERGE_PEOPLE)
    survivor = get_person_or_404(request.user, public_id)
    absorbed = get_person_or_404(request.user, other_id)
    for person in (survivor, absorbed):
        require(request.user, Action.MERGE_PEOPLE, person.office)
    if request.method == "POST":
        take = fields_from_other(parsed(MergeForm, request.POST))
        try:
            services.person_merge(
                actor=request.user, survivor=survivor, absorbed=absorbed, take=take
            )
            messages.success(
                request, _("The two records are now one. You can undo it from this page.")
            )
            return redirect("crm:person_detail", public_id=survivor.public_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    rows = selectors.merge_comparison(survivor, absorbed)
    return render(
        request, "crm/person_merge.html", {"survivor": survivor, "absorbed": absorbed, "rows": rows}
    )


@require_POST
@staff_required
def person_merge_undo(request, merge_id):
    require(request.user, Action.MERGE_PEOPLE)
    merge = get_merge_or_404(request.user, merge_id)
    require(request.user, Action.MERGE_PEOPLE, merge.survivor.office)
    try:
        services.person_merge_undo(actor=request.user, merge=merge)
        messages.success(request, _("The merge has been undone: both records are back."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("crm:person_detail", public_id=merge.survivor.public_id)
