"""Screens of an import: upload a spreadsheet for the acting office, then say which column is
which, rehearse the import and run it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from oae.common.input import parsed
from oae.crm.forms import (
    ImportMappingForm,
    ImportQueryForm,
    ImportReadingForm,
    ImportRunForm,
    ImportUploadForm,
)
from oae.crm.imports import jobs, rejects, selectors
from oae.privacy.services import audit_record
from oae.scoping import Action, office_to_act_for, require, staff_required


@staff_required
def import_upload(request):
    """Upload a file for the acting office; the page lists the user's recent imports."""
    require(request.user, Action.EDIT_PEOPLE)
    office = office_to_act_for(request, Action.EDIT_PEOPLE)
    kind = parsed(ImportQueryForm, request.GET)["kind"]
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(
                actor=request.user,
                office=office,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
            return redirect("crm:import_detail", public_id=job.public_id)
        except ValidationError as error:
            form.add_error("file", error)
    context = {"form": form, "office": office, "jobs": selectors.recent_import_jobs(request.user)}
    return render(request, "crm/import_upload.html", context)


@staff_required
def import_detail(request, public_id):
    """The job's status and result (the status alone for the page's polling). A POST reads
    the file from another sheet or header row, starts a dry run or the real run (`run`), or
    cancels a running import."""
    require(request.user, Action.EDIT_PEOPLE)
    job = selectors.get_import_job_or_404(request.user, public_id)
    run = parsed(ImportRunForm, request.POST)["run"] if request.method == "POST" else ""
    reading = _reading_form(request, job, bound=run == "reread")
    form = ImportMappingForm(
        request.POST if run in ("dry", "real") else None,
        headers=job.headers,
        mapping=job.mapping,
        kind=job.kind,
        initial={"overwrite": "1" if job.overwrite else ""},
    )
    if run == "cancel":
        try:
            jobs.import_job_cancel(actor=request.user, job=job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("crm:import_detail", public_id=job.public_id)
    try:
        if run == "reread" and reading.is_valid():
            jobs.import_job_reframe(
                actor=request.user,
                job=job,
                sheet=reading.cleaned_data["sheet"] or job.sheet,
                header_row=reading.cleaned_data["header_row"],
            )
            return redirect("crm:import_detail", public_id=job.public_id)
        if run in ("dry", "real") and form.is_valid():
            jobs.import_job_start(
                actor=request.user,
                job=job,
                mapping=form.mapping(),
                dry_run=run != "real",
                overwrite=form.cleaned_data["overwrite"],
            )
            return redirect("crm:import_detail", public_id=job.public_id)
    except ValidationError as error:
        (reading if run == "reread" else form).add_error(None, error)
        job.refresh_from_db()  # as saved: a refused change shows nothing of itself
    template = "crm/_import_status.html" if request.htmx else "crm/import_detail.html"
    context = selectors.import_job_status(job) | {"form": form, "reading": reading}
    return render(request, template, context)


def _reading_form(request, job, *, bound: bool) -> ImportReadingForm:
    return ImportReadingForm(
        request.POST if bound else None,
        sheets=job.reading.get("sheets") or [job.sheet],
        initial={"sheet": job.sheet, "header_row": job.header_row},
    )


@staff_required
def import_rejects(request, public_id):
    """The rows to fix, as a file like the one uploaded, with the reasons in a last column."""
    require(request.user, Action.EDIT_PEOPLE)
    job = selectors.get_import_job_or_404(request.user, public_id)
    if not selectors.import_rows_to_fix(job):
        raise Http404(_("This import has no rows to fix, or they are no longer kept."))
    content, content_type, name = rejects.rejects_file(job)
    audit_record(action="crm.import.rejects", actor=request.user, target=job, office=job.office)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
