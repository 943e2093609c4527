"""Every write of case management: opening and running cases along their process, sessions,
tasks, documents, outcomes and closing. Agenda, referrals and surveys live in their own
modules (agenda.py, referrals.py, surveys.py) with the same habits."""

import datetime
import hashlib
import json
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.cases.models import (
    MAX_SESSION_MINUTES,
    Attachment,
    Case,
    CaseState,
    CaseStep,
    ClosingReason,
    Outcome,
    OutcomeKind,
    ProcessTemplate,
    Referral,
    Session,
    SurveyResponse,
    Task,
    Verification,
)
from oae.cases.tasks import send_survey
from oae.catalogue import content as catalogue_content
from oae.catalogue.selectors import effective_items
from oae.common.concurrency import save_with_version
from oae.common.files import checked_upload
from oae.privacy.services import audit_record
from oae.scoping import Action, can

# Dates further than this from today are slips of the keyboard (year 1, 9999), not records:
# a session is logged soon after it happens, a task is due within a plan's horizon.
SESSION_MAX_AGE = datetime.timedelta(days=2 * 366)
TASK_HORIZON = datetime.timedelta(days=2 * 366)


def _audit(action: str, actor, case: Case, **details) -> None:
    audit_record(
        action=f"cases.{action}", actor=actor, target=case, office=case.office, details=details
    )


def refuse_if_closed(case: Case) -> None:
    """A closed case is read-only: every change but reopening is refused."""
    if case.is_closed:
        raise ValidationError(_("This case is closed. Reopen it to change it."))


def _check_advisor(office, advisor) -> None:
    if not can(advisor, Action.EDIT_CASES, office):
        raise ValidationError(
            {"advisor": _("%(name)s is not an advisor of this office.") % {"name": advisor}}
        )


# Opening ------------------------------------------------------------------------------------


def service_and_process(office, service_code: str):
    """The office's offered service and the process it follows, at the office's version."""
    items = {(e.kind, e.code): e for e in effective_items(office, enabled_only=True)}
    service = items.get(("service", service_code))
    if service is None:
        raise ValidationError({"service": _("This office does not offer that service.")})
    process = items.get(("process", service.content.get("process") or ""))
    return catalogue_content.title("service", service.content, "ca"), process


def process_template(code: str, version: int | None, content: dict) -> ProcessTemplate:
    """The stored template of a process as it reads (one row per distinct content, shared by
    every case opened on it)."""
    canonical = json.dumps([code, version, content], sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    template, _created = ProcessTemplate.objects.get_or_create(
        digest=digest, defaults={"code": code, "version": version, "content": content}
    )
    return template


def process_template_for(process) -> ProcessTemplate | None:
    """The template of the office's process (an effective catalogue item) as it reads now."""
    if process is None:
        return None
    version = None if process.is_local else process.adopted_version
    return process_template(process.code, version, process.content)


@transaction.atomic
def case_open(*, actor, office, service_code: str, advisor, person=None, company=None) -> Case:
    """Open a case on the service's process as the office runs it today (the version is kept
    with the case, and its steps copied, so later versions never change a running case)."""
    if person is None and company is None:
        raise ValidationError(_("Choose the person or the company the case is for."))
    _check_advisor(office, advisor)
    service_name, process = service_and_process(office, service_code)
    now = timezone.now()
    case = Case(
        office=office,
        person=person,
        company=company,
        service_code=service_code,
        service_name=service_name[:200],
        process=process_template_for(process),
        assigned_to=advisor,
        opened_at=now,
        created_by=actor,
        reference=f"tmp-{now.timestamp()}"[:20],
    )
    case.save()
    case.reference = f"EXP-{now.year}-{case.pk:07d}"
    case.save(update_fields=["reference"])
    steps = [
        CaseStep(
            case=case,
            step_id=step["id"],
            position=position,
            target_days=step.get("target_days") or None,
        )
        for position, step in enumerate(
            case.process.content.get("steps") or [] if case.process else []
        )
    ]
    CaseStep.objects.bulk_create(steps)
    if steps:
        _start_step(case, steps[0], now)
    _audit("case.open", actor, case, service=service_code)
    return case


def _start_step(case: Case, step: CaseStep, now) -> None:
    step.started_at = now
    if step.target_days:
        step.due_on = timezone.localdate(now) + datetime.timedelta(days=step.target_days)
    step.save(update_fields=["started_at", "due_on"])
    case.current_step = step.step_id
    case.save(update_fields=["current_step", "updated_at"])


# Running the process --------------------------------------------------------------------------


@transaction.atomic
def step_tick(*, actor, case: Case, step_id: str, item: int, done: bool) -> CaseStep:
    """Tick (or untick) one checklist item of a step, with who and when."""
    refuse_if_closed(case)
    step = CaseStep.objects.select_for_update().filter(case=case, step_id=step_id).first()
    if step is None:
        raise ValidationError(_("That step is not part of this case's process."))
    step.case = case
    items = step.checklist.get("ca") or []
    if not 0 <= item < len(items):
        raise ValidationError(_("That checklist item does not exist."))
    ticks = dict(step.ticks)
    if done:
        ticks[str(item)] = {"by": actor.email, "at": timezone.now().isoformat()}
    else:
        ticks.pop(str(item), None)
    step.ticks = ticks
    step.save(update_fields=["ticks"])
    _audit("step.tick", actor, case, step=step_id, item=item, done=done)
    return step


@transaction.atomic
def step_complete(*, actor, case: Case, step_id: str, expected_version: int) -> Case:
    """Mark the step done and start the next one (the case moves on)."""
    refuse_if_closed(case)
    steps = list(CaseStep.objects.select_for_update().filter(case=case))
    step = next((s for s in steps if s.step_id == step_id), None)
    if step is None:
        raise ValidationError(_("That step is not part of this case's process."))
    if step.completed_at:
        raise ValidationError(_("This step is already done."))
    now = timezone.now()
    step.completed_at, step.completed_by = now, actor
    step.save(update_fields=["completed_at", "completed_by"])
    following = [s for s in steps if s.position > step.position and not s.completed_at]
    case.state = CaseState.IN_PROGRESS if case.state == CaseState.OPEN else case.state
    save_with_version(case, expected_version=expected_version, fields=["state"])
    if following:
        _start_step(case, following[0], now)
    elif case.current_step == step_id:
        case.current_step = ""
        case.save(update_fields=["current_step"])
    _audit("step.complete", actor, case, step=step_id)
    return case


# State, assignment, closing -------------------------------------------------------------------


@transaction.atomic
def case_assign(*, actor, case: Case, advisor, expected_version: int) -> Case:
    refuse_if_closed(case)
    _check_advisor(case.office, advisor)
    previous = case.assigned_to
    case.assigned_to = advisor
    save_with_version(case, expected_version=expected_version, fields=["assigned_to"])
    _audit("case.assign", actor, case, **{"from": previous.email, "to": advisor.email})
    return case


@transaction.atomic
def case_set_state(*, actor, case: Case, state: str, expected_version: int) -> Case:
    """Put a running case in progress or on hold (closing and reopening have their own)."""
    refuse_if_closed(case)
    if state not in (CaseState.IN_PROGRESS, CaseState.ON_HOLD):
        raise ValidationError(_("A case can be put in progress or on hold here."))
    previous = case.state
    case.state = state
    save_with_version(case, expected_version=expected_version, fields=["state"])
    _audit("case.state", actor, case, **{"from": previous, "to": state})
    return case


@transaction.atomic
def case_update(*, actor, case: Case, state: str, advisor, expected_version: int) -> Case:
    """Put the case in `state` and give it to `advisor` (the case page sets both in one
    form); only what differs changes, each change audited, both or neither saved."""
    if state != case.state:
        case = case_set_state(
            actor=actor, case=case, state=state, expected_version=expected_version
        )
        expected_version = case.lock_version
    if advisor.pk != case.assigned_to_id:
        case = case_assign(
            actor=actor, case=case, advisor=advisor, expected_version=expected_version
        )
    return case


@transaction.atomic
def case_close(*, actor, case: Case, reason: str, note: str, expected_version: int) -> Case:
    """Close with a reason; the satisfaction survey goes out once the change is saved."""
    refuse_if_closed(case)
    if reason not in ClosingReason.values:
        raise ValidationError({"reason": _("Choose why the case is closed.")})
    case.state, case.closing_reason, case.closing_note = CaseState.CLOSED, reason, note
    case.closed_at = timezone.now()
    save_with_version(
        case,
        expected_version=expected_version,
        fields=["state", "closing_reason", "closing_note", "closed_at"],
    )
    _audit("case.close", actor, case, reason=reason)
    _survey_prepare(case)
    return case


def _survey_prepare(case: Case) -> SurveyResponse:
    """The closed case's satisfaction survey (created once); its e-mail goes out once the
    closing is saved."""
    survey, _created = SurveyResponse.objects.get_or_create(
        case=case, defaults={"office": case.office}
    )
    if survey.sent_at is None:
        transaction.on_commit(partial(send_survey.delay, survey.pk))
    return survey


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str, expected_version: int) -> Case:
    if not case.is_closed:
        raise ValidationError(_("Only a closed case can be reopened."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is reopened.")})
    case.state, case.closed_at = CaseState.REOPENED, None
    save_with_version(case, expected_version=expected_version, fields=["state", "closed_at"])
    _audit("case.reopen", actor, case, reason=reason.strip()[:300])
    return case


# Sessions, documents, tasks -------------------------------------------------------------------


def _session_problems(started_at, duration_minutes: int) -> dict:
    problems = {}
    if started_at > timezone.now() + datetime.timedelta(minutes=5):
        problems["started_at"] = _("A session cannot be in the future; book an appointment.")
    elif started_at < timezone.now() - SESSION_MAX_AGE:
        problems["started_at"] = _(
            "A session of more than two years ago cannot be logged: check the date."
        )
    if duration_minutes is None or duration_minutes <= 0:
        problems["duration_minutes"] = _("The duration must be more than 0 minutes.")
    elif duration_minutes > MAX_SESSION_MINUTES:
        problems["duration_minutes"] = _("A session lasts at most %(hours)s hours.") % {
            "hours": MAX_SESSION_MINUTES // 60
        }
    return problems


@transaction.atomic
def session_log(
    *,
    actor,
    case: Case,
    started_at,
    duration_minutes: int,
    channel: str,
    topics: str = "",
    private_notes: str = "",
    step_id: str = "",
    uploads=(),
) -> Session:
    """Record one contact with the client (and its files); the case counts it as contact."""
    refuse_if_closed(case)
    problems = _session_problems(started_at, duration_minutes)
    if problems:
        raise ValidationError(problems)
    session = Session(
        case=case,
        office=case.office,
        person=case.person,
        advisor=actor,
        started_at=started_at,
        duration_minutes=duration_minutes,
        channel=channel,
        topics=topics,
        private_notes=private_notes,
        step_id=step_id,
    )
    session.full_clean(exclude=["case", "office", "person", "advisor"])
    session.save()
    for upload in uploads:
        attachment_add(actor=actor, case=case, upload=upload, session=session, step_id=step_id)
    if case.last_contact_at is None or started_at > case.last_contact_at:
        case.last_contact_at = started_at
    if case.state in (CaseState.OPEN, CaseState.REOPENED):
        case.state = CaseState.IN_PROGRESS
    case.save(update_fields=["last_contact_at", "state", "updated_at"])
    _audit("session.log", actor, case, minutes=duration_minutes, channel=channel)
    return session


@transaction.atomic
def attachment_add(*, actor, case: Case, upload, step_id: str = "", session=None) -> Attachment:
    """Store a file under a generated name after checking its size and real type."""
    refuse_if_closed(case)
    content_type = checked_upload(upload)
    attachment = Attachment(
        case=case,
        session=session,
        step_id=step_id,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _audit("attachment.add", actor, case, size=upload.size, type=content_type)
    return attachment


@transaction.atomic
def task_add(*, actor, case: Case, title: str, due_on, assignee) -> Task:
    refuse_if_closed(case)
    if not title.strip():
        raise ValidationError({"title": _("Say what has to be done.")})
    if abs(due_on - timezone.localdate()) > TASK_HORIZON:
        raise ValidationError(
            {"due_on": _("A task is due within two years of today: check the date.")}
        )
    _check_advisor(case.office, assignee)
    task = Task.objects.create(
        case=case, title=title.strip(), due_on=due_on, assignee=assignee, created_by=actor
    )
    _audit("task.add", actor, case)
    return task


@transaction.atomic
def task_set_done(*, actor, task: Task, done: bool) -> Task:
    refuse_if_closed(task.case)
    task.done_at, task.done_by = (timezone.now(), actor) if done else (None, None)
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    _audit("task.done" if done else "task.undone", actor, task.case)
    return task


# Outcomes -------------------------------------------------------------------------------------


def _outcome_problems(data: dict) -> dict:
    problems = {}
    kind = data.get("kind")
    for name in ("amount", "jobs_fte"):
        value = data.get(name)
        if value is not None and Decimal(value) < 0:
            problems[name] = _("This cannot be negative.")
    if kind == OutcomeKind.BUSINESS_CREATED and not data.get("company"):
        problems["company"] = _("Link the company that was created.")
    if kind == OutcomeKind.BUSINESS_CREATED and data.get("company") and not data["company"].tax_id:
        problems["company"] = _("The company needs its NIF to count as created.")
    if kind in (OutcomeKind.JOBS_CREATED, OutcomeKind.JOBS_KEPT) and not data.get("jobs_fte"):
        problems["jobs_fte"] = _("Say how many jobs (full-time equivalents).")
    if kind == OutcomeKind.FINANCING:
        if not data.get("amount"):
            problems["amount"] = _("Say the amount obtained.")
        if not data.get("financing_type"):
            problems["financing_type"] = _("Say what kind of financing it is.")
    if data.get("occurred_on") and data["occurred_on"] > timezone.localdate():
        problems["occurred_on"] = _("An outcome is recorded once it has happened.")
    return problems


@transaction.atomic
def outcome_record(*, actor, case: Case, data: dict, evidence_upload=None) -> Outcome:
    """Record an outcome as declared, or as verified when evidence comes with it."""
    refuse_if_closed(case)
    problems = _outcome_problems(data)
    verified = data.get("verification") == Verification.VERIFIED
    if verified and evidence_upload is None:
        problems["verification"] = _(
            "Attach the evidence (a deed, a contract, a resolution…) to mark it as verified."
        )
    if problems:
        raise ValidationError(problems)
    outcome = Outcome(case=case, recorded_by=actor, **data)
    if evidence_upload is not None:
        outcome.evidence = attachment_add(actor=actor, case=case, upload=evidence_upload)
    if verified:
        outcome.verified_by, outcome.verified_at = actor, timezone.now()
    outcome.full_clean(exclude=["case", "evidence", "company", "verified_by", "recorded_by"])
    outcome.save()
    _audit("outcome.record", actor, case, kind=outcome.kind, verified=verified)
    return outcome


@transaction.atomic
def outcome_verify(*, actor, outcome: Outcome, evidence_upload=None) -> Outcome:
    refuse_if_closed(outcome.case)
    if evidence_upload is not None:
        outcome.evidence = attachment_add(actor=actor, case=outcome.case, upload=evidence_upload)
    if outcome.evidence is None:
        raise ValidationError(
            _("Attach the evidence (a deed, a contract, a resolution…) to mark it as verified.")
        )
    outcome.verification = Verification.VERIFIED
    outcome.verified_by, outcome.verified_at = actor, timezone.now()
    outcome.save(
        update_fields=["evidence", "verification", "verified_by", "verified_at", "updated_at"]
    )
    _audit("outcome.verify", actor, outcome.case, kind=outcome.kind)
    return outcome


# Reads of a client's data ---------------------------------------------------------------------


def case_read_logged(*, actor, case: Case) -> None:
    """Who opened which case page (its sessions, notes and client), and when."""
    audit_record(action="cases.case.read", actor=actor, target=case, office=case.office)


def attachment_read_logged(*, actor, attachment: Attachment) -> None:
    """Who downloaded which document of a case; named by its id (its file name may name the
    client)."""
    audit_record(
        action="cases.document.read",
        actor=actor,
        target=attachment.case,
        office=attachment.case.office,
        details={"document": str(attachment.public_id)},
    )


def referral_read_logged(*, actor, referral: Referral) -> None:
    """Who, in the receiving office, read which referral and what it shares of the client."""
    audit_record(
        action="cases.referral.read", actor=actor, target=referral, office=referral.to_office
    )
