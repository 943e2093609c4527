"""Every write of the training domain: the framework and curriculum loaded from data, sessions
scheduled, enrolments (never over capacity: the session row is locked while places are
counted, so concurrent enrolments queue), cancellations that promote the waiting list,
attendance and assessment. Each runs in one transaction and writes its audit row."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.privacy.services import audit_record
from oae.training.certificates import certificate_issue, certificate_withdraw
from oae.training.models import (
    MAX_CAPACITY,
    Competence,
    Enrolment,
    EnrolmentStatus,
    JobProfile,
    Module,
    ModuleCompetence,
    RoleRequirement,
    TrainingSession,
)
from oae.training.notices import CERTIFIED, PROMOTED, SESSION_CANCELLED
from oae.training.tasks import send_enrolment_notice

FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "competences.json"
JOB_PROFILES_FILE = Path(__file__).resolve().parent / "data" / "job_profiles.json"


def framework_data() -> dict:
    with open(FRAMEWORK_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def framework_load() -> int:
    """The competences, each role's requirements, the starter modules and the job profiles;
    the number of records added. Safe to run again: what exists is left as the coordinators
    keep it."""
    data = framework_data()
    added = 0
    competences = {}
    for position, row in enumerate(data["competences"], start=1):
        competence, created = Competence.objects.get_or_create(
            code=row["code"],
            defaults={
                "area": row["area"],
                "name": row["name"],
                "description": row["description"],
                "position": position,
            },
        )
        competences[row["code"]], added = competence, added + created
    for role, needs in data["requirements"].items():
        for code, level in needs.items():
            _requirement, created = RoleRequirement.objects.get_or_create(
                role=role, competence=competences[code], defaults={"level": level}
            )
            added += created
    for row in data["modules"]:
        if Module.objects.filter(code=row["code"]).exists():
            continue
        module = Module.objects.create(
            code=row["code"],
            title=row["title"],
            objectives=row["objectives"],
            hours=Decimal(row["hours"]),
            pass_mark=row["pass_mark"],
        )
        ModuleCompetence.objects.bulk_create(
            ModuleCompetence(module=module, competence=competences[code], level=level)
            for code, level in row["competences"].items()
        )
        added += 1
    with open(JOB_PROFILES_FILE, encoding="utf-8") as handle:
        profiles = json.load(handle)["profiles"]
    for row in profiles:
        _profile, created = JobProfile.objects.get_or_create(
            role=row["role"],
            defaults={field: row[field] for field in ("mission", "tasks", "requirements")},
        )
        added += created
    return added


# Sessions ---------------------------------------------------------------------------------


def _session_problems(data: dict) -> dict[str, str]:
    problems = {}
    if data["starts_at"] < timezone.now():
        problems["starts_at"] = _("A session is scheduled from now on.")
    if data["ends_at"] <= data["starts_at"]:
        problems["ends_at"] = _("A session ends after it starts.")
    elif data["ends_at"] - data["starts_at"] > datetime.timedelta(hours=12):
        problems["ends_at"] = _("A session lasts 12 hours at most: schedule one per day.")
    if not data.get("place") and not data.get("online_url"):
        problems["place"] = _("Say where it is held, or give its online link.")
    if not 1 <= data["capacity"] <= MAX_CAPACITY:
        problems["capacity"] = _("The capacity is from 1 to %(max)s people.") % {
            "max": MAX_CAPACITY
        }
    return problems


@transaction.atomic
def session_schedule(*, actor, module: Module, data: dict) -> TrainingSession:
    problems = _session_problems(data)
    if problems:
        raise ValidationError(problems)
    session = TrainingSession(module=module, **data)
    session.full_clean()
    session.save()
    audit_record(
        action="training.session.schedule",
        actor=actor,
        target=session,
        details={"module": module.code, "starts_at": session.starts_at.isoformat()},
    )
    return session


def notice_owe(enrolment: Enrolment, kind: str) -> None:
    """Mark the e-mail the person is owed and queue its job once the write commits."""
    enrolment.notice, enrolment.notice_sent_at = kind, None
    enrolment.save(update_fields=["notice", "notice_sent_at", "updated_at"])
    transaction.on_commit(lambda: send_enrolment_notice.delay(enrolment.pk))


@transaction.atomic
def session_cancel(*, actor, session: TrainingSession) -> int:
    """Cancel a session not yet started; everyone enrolled or waiting is told. How many."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.cancelled_at is not None:
        raise ValidationError(_("This session has been cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started: record who attended instead."))
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at", "updated_at"])
    told = session.enrolments.exclude(status=EnrolmentStatus.CANCELLED)
    for enrolment in told:
        notice_owe(enrolment, SESSION_CANCELLED)
    audit_record(
        action="training.session.cancel",
        actor=actor,
        target=session,
        details={"module": session.module.code, "told": len(told)},
    )
    return len(told)


# Enrolment --------------------------------------------------------------------------------


def _enrolled_count(session: TrainingSession) -> int:
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


@transaction.atomic
def enrol(*, actor, session: TrainingSession, user) -> Enrolment:
    """A place in the session, or a place on its waiting list when it is full. The session
    row is locked while places are counted: two enrolments at once never both take the
    last place."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.cancelled_at is not None:
        raise ValidationError(_("This session has been cancelled."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started: enrol in a later one."))
    if not user.is_active or not user.memberships.filter(is_active=True).exists():
        raise ValidationError(_("Only an office's staff enrol in the network's training."))
    enrolment = Enrolment.objects.filter(session=session, user=user).first()
    if enrolment is not None and enrolment.status != EnrolmentStatus.CANCELLED:
        raise ValidationError(
            _("%(name)s is already enrolled or on the waiting list.") % {"name": user.display_name}
        )
    full = _enrolled_count(session) >= session.capacity
    if enrolment is None:
        enrolment = Enrolment(session=session, user=user)
    else:  # enrolling again: the waiting list (by created_at) is first come, first served
        enrolment.created_at = timezone.now()
    enrolment.status = EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED
    enrolment.enrolled_by = actor
    enrolment.save()
    audit_record(
        action="training.enrolment.wait" if full else "training.enrolment.enrol",
        actor=actor,
        target=enrolment,
        details={"session": str(session.public_id), "for": user.email},
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor, enrolment: Enrolment) -> Enrolment | None:
    """Give up a place (or one on the waiting list); the first waiting takes a freed place.
    The one promoted, if any."""
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment.refresh_from_db()
    if enrolment.status == EnrolmentStatus.CANCELLED:
        raise ValidationError(_("This enrolment is already cancelled."))
    if enrolment.attended is not None:
        raise ValidationError(_("The attendance is recorded: the enrolment stays."))
    freed = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    audit_record(action="training.enrolment.cancel", actor=actor, target=enrolment)
    promoted = None
    if freed and session.starts_at > timezone.now():
        promoted = session.enrolments.filter(status=EnrolmentStatus.WAITING).first()
        if promoted is not None:
            promoted.status = EnrolmentStatus.ENROLLED
            promoted.save(update_fields=["status", "updated_at"])
            audit_record(action="training.enrolment.promote", actor=actor, target=promoted)
            notice_owe(promoted, PROMOTED)
    return promoted


# Attendance and assessment ----------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor, enrolment: Enrolment, attended: bool) -> Enrolment:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Attendance is recorded only for people enrolled in the session."))
    if enrolment.session.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the session has started."))
    enrolment.attended = attended
    if not attended:
        enrolment.passed, enrolment.score, enrolment.completed_at = None, None, None
    enrolment.save(update_fields=["attended", "passed", "score", "completed_at", "updated_at"])
    audit_record(
        action="training.attendance.record",
        actor=actor,
        target=enrolment,
        details={"attended": attended},
    )
    if not attended:
        certificate_withdraw(actor=actor, enrolment=enrolment)
    return enrolment


@transaction.atomic
def assessment_record(
    *, actor, enrolment: Enrolment, passed: bool | None = None, score: int | None = None
) -> Enrolment:
    """Pass or fail, or a score against the module's pass mark; attending and passing
    completes the module and issues its certificate."""
    if enrolment.attended is not True:
        raise ValidationError(_("Only someone who attended is assessed."))
    pass_mark = enrolment.session.module.pass_mark
    if pass_mark is not None:
        if score is None or not 0 <= score <= 100:
            raise ValidationError(
                {"score": _("This module is assessed with a score from 0 to 100.")}
            )
        passed = score >= pass_mark
    elif passed is None:
        raise ValidationError({"passed": _("Say whether they passed.")})
    newly_completed = passed and enrolment.completed_at is None
    enrolment.score, enrolment.passed = score if pass_mark is not None else None, passed
    enrolment.completed_at = (enrolment.completed_at or timezone.now()) if passed else None
    enrolment.save(update_fields=["score", "passed", "completed_at", "updated_at"])
    audit_record(
        action="training.assessment.record",
        actor=actor,
        target=enrolment,
        details={"passed": passed, **({"score": score} if pass_mark is not None else {})},
    )
    if passed:
        certificate_issue(actor=actor, enrolment=enrolment)
        if newly_completed:
            notice_owe(enrolment, CERTIFIED)
    else:
        certificate_withdraw(actor=actor, enrolment=enrolment)
    return enrolment
