"""Screens of case management for office staff. Each view: parse, scope, one service or
selector, render. The owning office edits a case; a receiving office sees what a referral
grants."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.cases import selectors, services
from oae.cases.forms import (
    AttachmentForm,
    CaseOpenForm,
    CaseUpdateForm,
    CloseForm,
    OutcomeForm,
    ReopenForm,
    SessionForm,
    TaskForm,
)
from oae.cases.models import Attachment, CaseState, Outcome, Task
from oae.common.concurrency import EditConflict
from oae.network.selectors import offices_for
from oae.scoping import (
    Action,
    can,
    cases_for,
    get_case_or_404,
    get_company_or_404,
    get_person_or_404,
    require,
    staff_required,
)

PAGE_SIZE = 25


def office_advisors(office):
    """Active advisors and managers of the office (who may be given cases and tasks)."""
    from oae.accounts.models import User

    return User.objects.filter(
        memberships__office=office,
        memberships__is_active=True,
        memberships__role__in=["advisor", "manager"],
        is_active=True,
    ).order_by("first_name", "last_name", "email")


def _case_conflict(request, case) -> None:
    messages.error(
        request,
        _("Someone else changed this case meanwhile. Here it is as it is now; do it again."),
    )


def _back(case):
    return redirect("cases:detail", public_id=case.public_id)


def _next_or_back(request, case):
    """Back where the form was (the day view, say) if that is one of our pages."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return _back(case)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# Lists and opening --------------------------------------------------------------------------


def _filters(request) -> selectors.CaseFilters:
    get = request.GET.get
    return selectors.CaseFilters(
        state=get("state", "active")[:12],
        service=get("service", "")[:80],
        advisor=get("advisor", "") if get("advisor", "").isdigit() else "",
        overdue=get("overdue") == "1",
        opened_from=parse_date(get("from", "") or "") if _is_date(get("from")) else None,
        opened_to=parse_date(get("to", "") or "") if _is_date(get("to")) else None,
        search=get("search", "")[:30],
    )


def _is_date(value) -> bool:
    try:
        return bool(value) and parse_date(value) is not None
    except ValueError:
        return False


@staff_required
def case_list(request):
    require(request.user, Action.VIEW_CASES)
    filters = _filters(request)
    cases = selectors.cases_search(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    offices = offices_for(request.user, Action.VIEW_CASES)
    context = {
        "page": page,
        "filters": filters,
        "states": CaseState.choices,
        "services": sorted(
            set(cases_for(request.user).values_list("service_code", "service_name").distinct())
        ),
        "advisors": [a for office in offices for a in office_advisors(office)],
        "can_open": can(request.user, Action.EDIT_CASES),
    }
    template = "cases/_case_table.html" if request.htmx else "cases/case_list.html"
    return render(request, template, context)


def _client_from(request):
    person = company = None
    if request.GET.get("person"):
        person = get_person_or_404(request.user, request.GET["person"])
    if request.GET.get("company"):
        company = get_company_or_404(request.user, request.GET["company"])
    return person, company


@staff_required
def case_open(request):
    from oae.catalogue.selectors import effective_items

    require(request.user, Action.EDIT_CASES)
    office = offices_for(request.user, Action.EDIT_CASES).order_by("name").first()
    person, company = _client_from(request)
    services_offered = [
        (e.code, e.title) for e in effective_items(office, kind="service", enabled_only=True)
    ]
    form = CaseOpenForm(
        request.POST or None,
        services=services_offered,
        advisors=office_advisors(office),
        initial={"advisor": str(request.user.pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=request.user,
                office=office,
                service_code=form.cleaned_data["service"],
                advisor=office_advisors(office).get(pk=form.cleaned_data["advisor"]),
                person=person,
                company=company,
            )
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return _back(case)
        except ValidationError as error:
            form.add_error(None, error)
    context = {"form": form, "office": office, "person": person, "company": company}
    return render(request, "cases/case_open.html", context)


# The case page --------------------------------------------------------------------------------


def _step_choices(case):
    from oae.catalogue.content import text

    return [(s.step_id, text(s.name)) for s in case.steps.all()]


@staff_required
def case_detail(request, public_id):
    case = selectors.case_page(get_case_or_404(request.user, public_id))
    editable = can(request.user, Action.EDIT_CASES, case.office) and not case.is_closed
    advisors = office_advisors(case.office)
    steps = _step_choices(case)
    companies = list(case.person.company_links.select_related("company")) if case.person else []
    context = {
        "case": case,
        "editable": editable,
        "can_reopen": case.is_closed and can(request.user, Action.EDIT_CASES, case.office),
        "timeline": selectors.case_timeline(case),
        "hours": selectors.case_hours(case),
        "survey": getattr(case, "survey", None) if case.is_closed else None,
        "today": timezone.localdate(),
        "session_form": SessionForm(steps=steps, initial={"step_id": case.current_step}),
        "task_form": TaskForm(advisors=advisors, initial={"assignee": str(request.user.pk)}),
        "attachment_form": AttachmentForm(steps=steps, initial={"step_id": case.current_step}),
        "outcome_form": OutcomeForm(
            companies=[link.company for link in companies]
            + ([case.company] if case.company else []),
            initial={"occurred_on": timezone.localdate()},
        ),
        "update_form": CaseUpdateForm(
            advisors=advisors,
            initial={
                "state": case.state,
                "advisor": str(case.assigned_to_id),
                "version": case.lock_version,
            },
        ),
        "close_form": CloseForm(initial={"version": case.lock_version}),
        "reopen_form": ReopenForm(initial={"version": case.lock_version}),
    }
    return render(request, "cases/case_detail.html", context)


def _editable_case(request, public_id):
    return get_case_or_404(request.user, public_id, Action.EDIT_CASES)


@require_POST
@staff_required
def session_add(request, public_id):
    """Quick session entry: the case page's form, also used from the day view."""
    case = _editable_case(request, public_id)
    form = SessionForm(request.POST, request.FILES, steps=_step_choices(case))
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}",
            )
        return _back(case)
    data = form.cleaned_data
    try:
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
    except ValidationError as error:
        _errors(request, error)
    return _back(case)


@require_POST
@staff_required
def step_tick(request, public_id, step_id):
    case = _editable_case(request, public_id)
    try:
        services.step_tick(
            actor=request.user,
            case=case,
            step_id=step_id,
            item=int(request.POST.get("item", "-1")),
            done=request.POST.get("done") == "1",
        )
    except (ValidationError, ValueError) as error:
        _errors(
            request, error if isinstance(error, ValidationError) else ValidationError(str(error))
        )
    return _back(case)


@require_POST
@staff_required
def step_complete(request, public_id, step_id):
    case = _editable_case(request, public_id)
    try:
        services.step_complete(
            actor=request.user,
            case=case,
            step_id=step_id,
            expected_version=int(request.POST.get("version", "0")),
        )
        messages.success(request, _("Step done."))
    except EditConflict:
        _case_conflict(request, case)
    except ValidationError as error:
        _errors(request, error)
    return _back(case)


@require_POST
@staff_required
def task_add(request, public_id):
    case = _editable_case(request, public_id)
    form = TaskForm(request.POST, advisors=office_advisors(case.office))
    if form.is_valid():
        try:
            services.task_add(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                assignee=office_advisors(case.office).get(pk=form.cleaned_data["assignee"]),
            )
            messages.success(request, _("Task added."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the task a title and a due date."))
    return _back(case)


@require_POST
@staff_required
def task_done(request, public_id):
    task = Task.objects.filter(public_id=public_id).select_related("case").first()
    if task is None:
        raise Http404("No such task")
    case = _editable_case(request, task.case.public_id)
    try:
        services.task_set_done(actor=request.user, task=task, done=request.POST.get("done") == "1")
    except ValidationError as error:
        _errors(request, error)
    return _next_or_back(request, case)


@require_POST
@staff_required
def attachment_add(request, public_id):
    case = _editable_case(request, public_id)
    form = AttachmentForm(request.POST, request.FILES, steps=_step_choices(case))
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["file"],
                step_id=form.cleaned_data["step_id"],
            )
            messages.success(request, _("Document added."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Choose a file to upload."))
    return _back(case)


@staff_required
def attachment_download(request, public_id):
    attachment = Attachment.objects.filter(public_id=public_id).select_related("case").first()
    if attachment is None:
        raise Http404("No such document")
    get_case_or_404(request.user, attachment.case.public_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@staff_required
def outcome_add(request, public_id):
    case = selectors.case_page(_editable_case(request, public_id))
    companies = [link.company for link in case.person.company_links.all()] if case.person else []
    form = OutcomeForm(
        request.POST, request.FILES, companies=companies + ([case.company] if case.company else [])
    )
    if form.is_valid():
        try:
            services.outcome_record(
                actor=request.user,
                case=case,
                data=form.outcome_data(),
                evidence_upload=form.cleaned_data["evidence"],
            )
            messages.success(request, _("Outcome recorded."))
        except ValidationError as error:
            _errors(request, error)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return _back(case)


@require_POST
@staff_required
def outcome_verify(request, public_id):
    outcome = Outcome.objects.filter(public_id=public_id).select_related("case").first()
    if outcome is None:
        raise Http404("No such outcome")
    case = _editable_case(request, outcome.case.public_id)
    try:
        services.outcome_verify(
            actor=request.user, outcome=outcome, evidence_upload=request.FILES.get("evidence")
        )
        messages.success(request, _("Outcome verified."))
    except ValidationError as error:
        _errors(request, error)
    return _back(case)


@require_POST
@staff_required
def case_update(request, public_id):
    """State (in progress, on hold) and the assigned advisor, from one small form."""
    case = _editable_case(request, public_id)
    advisors = office_advisors(case.office)
    form = CaseUpdateForm(request.POST, advisors=advisors)
    if not form.is_valid():
        messages.error(request, _("Choose a state and an advisor."))
        return _back(case)
    version = form.cleaned_data["version"]
    try:
        if form.cleaned_data["state"] != case.state:
            case = services.case_set_state(
                actor=request.user,
                case=case,
                state=form.cleaned_data["state"],
                expected_version=version,
            )
            version = case.lock_version
        if str(case.assigned_to_id) != form.cleaned_data["advisor"]:
            services.case_assign(
                actor=request.user,
                case=case,
                advisor=advisors.get(pk=form.cleaned_data["advisor"]),
                expected_version=version,
            )
        messages.success(request, _("Case updated."))
    except EditConflict:
        _case_conflict(request, case)
    except ValidationError as error:
        _errors(request, error)
    return _back(case)


@require_POST
@staff_required
def case_close(request, public_id):
    case = _editable_case(request, public_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the case is closed."))
        return _back(case)
    try:
        services.case_close(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Case closed. The satisfaction survey is on its way."))
    except EditConflict:
        _case_conflict(request, case)
    except ValidationError as error:
        _errors(request, error)
    return _back(case)


@require_POST
@staff_required
def case_reopen(request, public_id):
    case = _editable_case(request, public_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the case is reopened."))
        return _back(case)
    try:
        services.case_reopen(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Case reopened."))
    except EditConflict:
        _case_conflict(request, case)
    except ValidationError as error:
        _errors(request, error)
    return _back(case)


# The advisor's day ----------------------------------------------------------------------------


@staff_required
def today(request):
    require(request.user, Action.VIEW_CASES)
    day = selectors.advisor_day(user=request.user)
    monday = week_start(None)
    context = {
        "day": day,
        "quiet_days": selectors.NO_CONTACT_DAYS,
        "week_minutes": selectors.advisor_minutes(request.user, monday, day.today),
        "month_minutes": selectors.advisor_minutes(
            request.user, day.today.replace(day=1), day.today
        ),
    }
    return render(request, "cases/today.html", context)


def week_start(value: str | None) -> datetime.date:
    day = None
    if value:
        try:
            day = parse_date(value)
        except ValueError:
            day = None
    day = day or timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())
