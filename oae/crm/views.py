"""Screens of the joint database: people and companies, scoped to what the user may see."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.concurrency import EditConflict
from oae.common.exports import table_response
from oae.crm import privacy_services, selectors, services
from oae.crm.forms import (
    CompanyFilterForm,
    CompanyForm,
    ConsentForm,
    ImportMappingForm,
    ImportUploadForm,
    LinkCompanyForm,
    PersonForm,
)
from oae.crm.models import ImportJob, Person, PersonMerge
from oae.crm.tasks import run_import
from oae.network.models import Municipality, Office
from oae.network.selectors import offices_for
from oae.scoping import (
    Action,
    can,
    cases_for,
    companies_for,
    get_company_or_404,
    get_person_or_404,
    office_ids_for,
    require,
    staff_required,
)

PAGE_SIZE = 25


def _home_office(request):
    """The office a new record is registered for: the user's first office where they may
    edit clients (a `office` parameter picks another of theirs)."""
    offices = offices_for(request.user, Action.EDIT_PEOPLE).order_by("name")
    chosen = request.POST.get("office") or request.GET.get("office")
    office = offices.filter(public_id=chosen).first() if chosen else offices.first()
    if office is None:
        raise Http404("No office where you may register people")
    return office


def _uuid_or_blank(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


def _people_filters(request) -> selectors.PeopleFilters:
    return selectors.PeopleFilters(
        search=request.GET.get("search", "").strip()[:100],
        municipality=request.GET.get("municipality", "")[:5],
        office=_uuid_or_blank(request.GET.get("office", "")),
        mine_only=request.GET.get("mine") == "1",
    )


@staff_required
def people_export(request):
    """The people the user may see, with the list's filters, as CSV or XLSX."""
    require(request.user, Action.VIEW_PEOPLE)
    filters = _people_filters(request)
    people = selectors.people_search(user=request.user, filters=filters)
    services.people_export_logged(actor=request.user, count=people.count(), search=filters.search)
    headers = [
        str(h)
        for h in (
            _("Name"),
            _("Surnames"),
            _("Document"),
            _("E-mail"),
            _("Phone"),
            _("Year of birth"),
            _("Municipality"),
            _("Registered by"),
        )
    ]
    rows = (
        [
            p.first_name,
            p.last_name,
            p.id_number,
            p.email,
            p.phone,
            p.birth_year,
            p.municipality.name if p.municipality else "",
            p.office.name,
        ]
        for p in people.iterator(chunk_size=2000)
    )
    return table_response(
        headers=headers, rows=rows, file_format=request.GET.get("format"), filename="people"
    )


@staff_required
def people(request):
    require(request.user, Action.VIEW_PEOPLE)
    filters = _people_filters(request)
    page = selectors.people_page(
        user=request.user, filters=filters, number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    context = {
        "page": page,
        "filters": filters,
        "municipalities": Municipality.objects.order_by("name"),
        "offices": Office.objects.order_by("name"),
        "can_create": bool(office_ids_for(request.user, Action.EDIT_PEOPLE)),
    }
    template = "crm/_people_table.html" if request.htmx else "crm/people.html"
    return render(request, template, context)


@staff_required
def person_create(request):
    require(request.user, Action.EDIT_PEOPLE)
    office = _home_office(request)
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
    visible = set(selectors.people_for_ids(request.user)) if duplicates else set()
    return render(
        request,
        "crm/person_form.html",
        {
            "form": form,
            "office": office,
            "duplicates": duplicates,
            "visible": visible,
            "offices": offices_for(request.user, Action.EDIT_PEOPLE).order_by("name"),
        },
    )


@staff_required
def person_detail(request, public_id):
    require(request.user, Action.VIEW_PEOPLE)
    person = get_person_or_404(request.user, public_id)
    services.person_read_logged(actor=request.user, person=person)
    can_edit = can(request.user, Action.EDIT_PEOPLE, person.office)
    context = {
        "person": person,
        "can_edit": can_edit,
        "can_record_consent": bool(office_ids_for(request.user, Action.EDIT_PEOPLE)),
        "consents": person.consent_events.select_related("recorded_by", "office"),
        "consent_state": services.consent_state(person),
        "links": person.company_links.select_related("company"),
        "history": selectors.person_history(person),
        "consent_form": ConsentForm(),
        "candidates": selectors.merge_candidates(user=request.user, person=person),
        "merges": person.merges.select_related("absorbed", "merged_by"),
        "can_merge": can(request.user, Action.MERGE_PEOPLE, person.office),
        "link_form": LinkCompanyForm(companies=companies_for(request.user)) if can_edit else None,
        "cases": cases_for(request.user).filter(person=person).select_related("assigned_to"),
        "can_open_case": can(request.user, Action.EDIT_CASES),
        "tool_results": person.tool_results.filter(
            office_id__in=office_ids_for(request.user, Action.VIEW_PEOPLE) or set()
        ),
    }
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
                expected_version=form.cleaned_data["lock_version"] or person.lock_version,
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
    person = get_person_or_404(request.user, public_id)
    require(request.user, Action.EDIT_PEOPLE)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(
                actor=request.user, office=_home_office(request), person=person, **form.cleaned_data
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
    form = CompanyFilterForm(request.GET or None, offices=Office.objects.order_by("name"))
    page = Paginator(
        selectors.companies_search(user=request.user, filters=form.filters()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "crm/companies.html",
        {
            "page": page,
            "form": form,
            "can_create": bool(office_ids_for(request.user, Action.EDIT_PEOPLE)),
        },
    )


@staff_required
def companies_export(request):
    """The companies the user may see, with the list's filters, as CSV or XLSX."""
    require(request.user, Action.VIEW_PEOPLE)
    form = CompanyFilterForm(request.GET or None, offices=Office.objects.order_by("name"))
    companies = selectors.companies_search(user=request.user, filters=form.filters())
    headers = [
        str(h)
        for h in (
            _("Legal name"),
            _("Trade name"),
            _("NIF"),
            _("Legal form"),
            _("Stage"),
            _("Activity (CNAE)"),
            _("Employees"),
            _("Municipality"),
            _("Registered by"),
        )
    ]
    rows = (
        [
            c.legal_name,
            c.trade_name,
            c.tax_id,
            c.get_legal_form_display(),
            c.get_stage_display(),
            c.cnae.code if c.cnae else "",
            c.employees,
            c.municipality.name if c.municipality else "",
            c.office.name,
        ]
        for c in companies.iterator(chunk_size=2000)
    )
    return table_response(
        headers=headers, rows=rows, file_format=request.GET.get("format"), filename="companies"
    )


@staff_required
def company_form(request, public_id=None):
    require(request.user, Action.EDIT_PEOPLE)
    company = get_company_or_404(request.user, public_id) if public_id else None
    if company is not None:
        require(request.user, Action.EDIT_PEOPLE, company.office)
    office = company.office if company else _home_office(request)
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
    visible = set(selectors.people_for_ids(request.user))
    links = [
        link for link in company.person_links.select_related("person") if link.person_id in visible
    ]
    return render(
        request,
        "crm/company_detail.html",
        {
            "company": company,
            "links": links,
            "can_edit": can(request.user, Action.EDIT_PEOPLE, company.office),
        },
    )


@staff_required
def import_upload(request):
    require(request.user, Action.EDIT_PEOPLE)
    office = _home_office(request)
    kind = request.GET.get("kind", ImportJob.Kind.PEOPLE)
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user,
                office=office,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
            return redirect("crm:import_detail", public_id=job.public_id)
        except ValidationError as error:
            form.add_error("file", error)
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("office")[:20]
    return render(
        request,
        "crm/import_upload.html",
        {
            "form": form,
            "office": office,
            "jobs": jobs,
            "offices": offices_for(request.user, Action.EDIT_PEOPLE).order_by("name"),
        },
    )


@staff_required
def import_detail(request, public_id):
    require(request.user, Action.EDIT_PEOPLE)
    job = ImportJob.objects.filter(public_id=public_id, created_by=request.user).first()
    if job is None:
        raise Http404("No such import")
    form = ImportMappingForm(
        request.POST or None, headers=job.headers, mapping=job.mapping, kind=job.kind
    )
    editable = job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.CHECKED)
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.import_job_set_mapping(job=job, mapping=form.mapping())
            run_import.delay(job.pk, dry_run=request.POST.get("run") != "real")
            return redirect("crm:import_detail", public_id=job.public_id)
        except ValidationError as error:
            form.add_error(None, error)
    job.refresh_from_db()
    template = "crm/_import_status.html" if request.htmx else "crm/import_detail.html"
    rejected = [row for row in job.report if row["outcome"] == "rejected"]
    return render(request, template, {"job": job, "form": form, "rejected": rejected})


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


MERGE_FIELDS = [name for name in services.PERSON_FIELDS if name != "id_type"]


@staff_required
def person_merge(request, public_id, other_id):
    """Side by side: pick, field by field, the value the surviving record keeps."""
    require(request.user, Action.MERGE_PEOPLE)
    survivor = get_person_or_404(request.user, public_id)
    absorbed = get_person_or_404(request.user, other_id)
    for person in (survivor, absorbed):
        require(request.user, Action.MERGE_PEOPLE, person.office)
    if request.method == "POST":
        take = {name for name in MERGE_FIELDS if request.POST.get(name) == "other"}
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
    rows = [
        (
            name,
            Person._meta.get_field(name).verbose_name,
            getattr(survivor, f"get_{name}_display", lambda n=name: getattr(survivor, n))(),
            getattr(absorbed, f"get_{name}_display", lambda n=name: getattr(absorbed, n))(),
        )
        for name in MERGE_FIELDS
    ]
    return render(
        request, "crm/person_merge.html", {"survivor": survivor, "absorbed": absorbed, "rows": rows}
    )


@require_POST
@staff_required
def person_merge_undo(request, merge_id):
    require(request.user, Action.MERGE_PEOPLE)
    merge = (
        PersonMerge.objects.select_related("survivor", "absorbed")
        .filter(public_id=merge_id)
        .first()
    )
    if merge is None or merge.survivor_id not in set(selectors.people_for_ids(request.user)):
        raise Http404("No such merge")
    require(request.user, Action.MERGE_PEOPLE, merge.survivor.office)
    try:
        services.person_merge_undo(actor=request.user, merge=merge)
        messages.success(request, _("The merge has been undone: both records are back."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("crm:person_detail", public_id=merge.survivor.public_id)
