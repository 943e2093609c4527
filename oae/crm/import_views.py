"""Screens of an import: upload a spreadsheet for the acting office, then say which column is
which, rehearse the import and run it."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from oae.common.input import parsed
from oae.crm.forms import ImportMappingForm, ImportQueryForm, ImportRunForm, ImportUploadForm
from oae.crm.imports import jobs, selectors
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
    """The job's status and result (the status alone for the page's polling); a POST says
    which column is which and starts a dry run, or the real run when `run` is "real"."""
    require(request.user, Action.EDIT_PEOPLE)
    job = selectors.get_import_job_or_404(request.user, public_id)
    form = ImportMappingForm(
        request.POST or None, headers=job.headers, mapping=job.mapping, kind=job.kind
    )
    if request.method == "POST" and form.is_valid():
        try:
            jobs.import_job_start(
                actor=request.user,
                job=job,
                mapping=form.mapping(),
                dry_run=parsed(ImportRunForm, request.POST)["run"] != "real",
            )
            return redirect("crm:import_detail", public_id=job.public_id)
        except ValidationError as error:
            form.add_error(None, error)
    template = "crm/_import_status.html" if request.htmx else "crm/import_detail.html"
    return render(request, template, selectors.import_job_status(job) | {"form": form})
