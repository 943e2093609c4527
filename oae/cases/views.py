"""Screens of case management for office staff. Each view: parse, scope, one service or
selector, render. The owning office edits a case; a receiving office sees what a referral
grants."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.cases import selectors, services
from oae.cases.access import client_named, get_case_child_or_404, get_case_or_404
from oae.cases.forms import (
    AttachmentForm,
    CaseFilterForm,
    CaseOpenForm,
    CaseUpdateForm,
    ClientQueryForm,
    CloseForm,
    OutcomeForm,
    ReopenForm,
    SessionForm,
    StepDoneForm,
    StepTickForm,
    TaskDoneForm,
    TaskForm,
    case_filters,
)
from oae.cases.models import Attachment, CaseState, Outcome, Task
from oae.common.feedback import refusals_as_messages, refusals_on_form, report_invalid_form
from oae.common.input import parsed
from oae.privacy.services import list_read_logged
from oae.scoping import Action, office_to_act_for, require, staff_required

PAGE_SIZE = 25


def _back(case):
    return redirect("cases:detail", public_id=case.public_id)


def _next_or_back(target: str, case):
    """Back where the form was (the day view, say: a path of this site), else the case."""
    return redirect(target) if target else _back(case)


# Lists and opening --------------------------------------------------------------------------


@staff_required
def case_list(request):
    require(request.user, Action.VIEW_CASES)
    query = parsed(CaseFilterForm, request.GET)
    filters = case_filters(query)
    cases = selectors.cases_search(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(query["page"])
    list_read_logged(
        actor=request.user,
        action="cases.case.list_read",
        office=request.office,
        shown=len(page.object_list),
        filters={name: value for name, value in query.items() if name != "page"},
    )
    context = {"page": page, "filters": filters}
    if request.htmx:  # the filters changed: only the table is redrawn
        return render(request, "cases/_case_table.html", context)
    choices = selectors.case_list_choices(request.user)
    context |= {
        "states": CaseState.choices,
        "services": choices.services,
        "advisors": choices.advisors,
        "can_open": choices.can_open,
    }
    return render(request, "cases/case_list.html", context)


@staff_required
def case_open(request):
    """Open a case for the client named in the query string, at the acting office."""
    require(request.user, Action.EDIT_CASES)
    office = office_to_act_for(request, Action.EDIT_CASES)
    client = parsed(ClientQueryForm, request.GET)
    person, company = client_named(request.user, person=client["person"], company=client["company"])
    form = CaseOpenForm(
        request.POST or None,
        services=selectors.services_offered(office),
        advisors=selectors.office_advisors(office),
        initial={"advisor": str(request.user.pk)},
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            case = services.case_open(
                actor=request.user,
                office=office,
                service_code=form.cleaned_data["service"],
                advisor=form.cleaned_data["advisor"],
                person=person,
                company=company,
            )
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return _back(case)
    context = {"form": form, "office": office, "person": person, "company": company}
    return render(request, "cases/case_open.html", context)


# The case page --------------------------------------------------------------------------------


def _case_forms(user, case) -> dict:
    """The forms of an editable case's page, filled in with what is most likely. Each form's
    element ids start with its own prefix (`auto_id`), so two forms asking for a step or a file
    never share an id and each label points to its own field; the posted names stay plain."""
    advisors = list(selectors.office_advisors(case.office))
    steps = selectors.step_choices(case)
    return {
        "session_form": SessionForm(
            steps=steps, initial={"step_id": case.current_step}, auto_id="session_%s"
        ),
        "task_form": TaskForm(
            advisors=advisors, initial={"assignee": str(user.pk)}, auto_id="task_%s"
        ),
        "attachment_form": AttachmentForm(
            steps=steps, initial={"step_id": case.current_step}, auto_id="attachment_%s"
        ),
        "outcome_form": OutcomeForm(
            companies=selectors.outcome_companies(case),
            initial={"occurred_on": timezone.localdate()},
            auto_id="outcome_%s",
        ),
        "update_form": CaseUpdateForm(
            advisors=advisors,
            auto_id="case_%s",
            initial={
                "state": case.state,
                "advisor": str(case.assigned_to_id),
                "version": case.lock_version,
            },
        ),
        "close_form": CloseForm(initial={"version": case.lock_version}, auto_id="close_%s"),
    }


@staff_required
def case_detail(request, public_id):
    case = get_case_or_404(request.user, public_id)
    services.case_read_logged(actor=request.user, case=case)
    page = selectors.case_page(user=request.user, case=case)
    context = {
        "case": page.case,
        "editable": page.editable,
        "can_reopen": page.can_reopen,
        "timeline": page.timeline,
        "hours": page.hours,
        "survey": page.survey,
        "client_fields": page.client_fields,
        "client_page_open": page.client_page_open,
        "reopen_form": ReopenForm(initial={"version": page.case.lock_version}, auto_id="reopen_%s"),
    }
    if page.editable:
        context |= _case_forms(request.user, page.case)
    return render(request, "cases/case_detail.html", context)


def _editable_case(request, public_id):
    return get_case_or_404(request.user, public_id, Action.EDIT_CASES)


@require_POST
@staff_required
def session_add(request, public_id):
    """Quick session entry: the case page's form, also used from the day view."""
    case = _editable_case(request, public_id)
    form = SessionForm(request.POST, request.FILES, steps=selectors.step_choices(case))
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return _back(case)
    data = form.cleaned_data
    with refusals_as_messages(request):
        services.session_log(
            actor=request.user,
            case=case,
            started_at=data["started_at"],
            duration_minutes=data["duration_minutes"],
            channel=data["channel"],
            topics=data["topics"],
            private_notes=data["private_notes"],
            step_id=data["step_id"],
            uploads=[data["file"]] if data["file"] else [],
        )
        messages.success(request, _("Session saved."))
    return _back(case)


@require_POST
@staff_required
def step_tick(request, public_id, step_id):
    case = _editable_case(request, public_id)
    with refusals_as_messages(request):
        services.step_tick(
            actor=request.user,
            case=case,
            step_id=step_id,
            **parsed(StepTickForm, request.POST),
        )
    return _back(case)


@require_POST
@staff_required
def step_complete(request, public_id, step_id):
    case = _editable_case(request, public_id)
    form = StepDoneForm(request.POST)
    if not form.is_valid():  # only its version can be wrong: missing or not a version
        report_invalid_form(request, form, _("Reload the page and mark the step done again."))
        return _back(case)
    with refusals_as_messages(request):
        services.step_complete(
            actor=request.user,
            case=case,
            step_id=step_id,
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Step done."))
    return _back(case)


@require_POST
@staff_required
def task_add(request, public_id):
    case = _editable_case(request, public_id)
    form = TaskForm(request.POST, advisors=selectors.office_advisors(case.office))
    if not form.is_valid():
        messages.error(request, _("Give the task a title and a due date."))
        return _back(case)
    with refusals_as_messages(request):
        services.task_add(
            actor=request.user,
            case=case,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            assignee=form.cleaned_data["assignee"],
        )
        messages.success(request, _("Task added."))
    return _back(case)


@require_POST
@staff_required
def task_done(request, public_id):
    task = get_case_child_or_404(request.user, Task, public_id, Action.EDIT_CASES)
    posted = parsed(TaskDoneForm, request.POST)
    with refusals_as_messages(request):
        services.task_set_done(actor=request.user, task=task, done=posted["done"])
    return _next_or_back(posted["next"], task.case)


@require_POST
@staff_required
def attachment_add(request, public_id):
    case = _editable_case(request, public_id)
    form = AttachmentForm(request.POST, request.FILES, steps=selectors.step_choices(case))
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return _back(case)
    with refusals_as_messages(request):
        services.attachment_add(
            actor=request.user,
            case=case,
            upload=form.cleaned_data["file"],
            step_id=form.cleaned_data["step_id"],
        )
        messages.success(request, _("Document added."))
    return _back(case)


@staff_required
def attachment_download(request, public_id):
    attachment = get_case_child_or_404(request.user, Attachment, public_id)
    services.attachment_read_logged(actor=request.user, attachment=attachment)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@staff_required
def outcome_add(request, public_id):
    case = _editable_case(request, public_id)
    form = OutcomeForm(request.POST, request.FILES, companies=selectors.outcome_companies(case))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(case)
    with refusals_as_messages(request):
        services.outcome_record(
            actor=request.user,
            case=case,
            data=form.outcome_data(),
            evidence_upload=form.cleaned_data["evidence"],
        )
        messages.success(request, _("Outcome recorded."))
    return _back(case)


@require_POST
@staff_required
def outcome_verify(request, public_id):
    outcome = get_case_child_or_404(request.user, Outcome, public_id, Action.EDIT_CASES)
    with refusals_as_messages(request):
        services.outcome_verify(
            actor=request.user, outcome=outcome, evidence_upload=request.FILES.get("evidence")
        )
        messages.success(request, _("Outcome verified."))
    return _back(outcome.case)


@require_POST
@staff_required
def case_update(request, public_id):
    """State (in progress, on hold) and the assigned advisor, from one small form."""
    case = _editable_case(request, public_id)
    form = CaseUpdateForm(request.POST, advisors=selectors.office_advisors(case.office))
    if not form.is_valid():
        report_invalid_form(request, form, _("Choose a state and an advisor."))
        return _back(case)
    with refusals_as_messages(request):
        services.case_update(
            actor=request.user,
            case=case,
            state=form.cleaned_data["state"],
            advisor=form.cleaned_data["advisor"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Case updated."))
    return _back(case)


@require_POST
@staff_required
def case_close(request, public_id):
    case = _editable_case(request, public_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        report_invalid_form(request, form, _("Choose why the case is closed."))
        return _back(case)
    with refusals_as_messages(request):
        services.case_close(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Case closed. The satisfaction survey is on its way."))
    return _back(case)


@require_POST
@staff_required
def case_reopen(request, public_id):
    case = _editable_case(request, public_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        report_invalid_form(request, form, _("Say why the case is reopened."))
        return _back(case)
    with refusals_as_messages(request):
        services.case_reopen(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Case reopened."))
    return _back(case)


# The advisor's day ----------------------------------------------------------------------------


@staff_required
def today(request):
    require(request.user, Action.VIEW_CASES)
    day = selectors.advisor_day(user=request.user)
    list_read_logged(actor=request.user, action="cases.day.read", office=request.office)
    context = {
        "day": day,
        "quiet_days": selectors.NO_CONTACT_DAYS,
        "week_minutes": selectors.advisor_minutes(
            request.user, selectors.week_start(day.today), day.today
        ),
        "month_minutes": selectors.advisor_minutes(
            request.user, day.today.replace(day=1), day.today
        ),
    }
    return render(request, "cases/today.html", context)
