"""The writes of the staffing plan: an office's positions (the full-time posts it needs for a
job) and the post each member of staff holds (the job, their share of a full-time post, the
dates in post). Each in one transaction with its audit row, filed under the office."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from oae.network.models import MAX_FTE, MIN_FTE, JobRole, Membership, Office
from oae.privacy.services import audit_record, changes_between, model_snapshot
from oae.training.models import MAX_POSITION_FTE, Position

CENT = Decimal("0.01")
POST_FIELDS = ["job_role", "fte", "starts_on", "ends_on"]


def _number(value: Decimal) -> str:
    """As the pages show a share of posts: 0.5, 1.25, 50 (in the reader's notation)."""
    return floatformat(value, "-2")


def _fte_problem(fte: Decimal | None, highest: Decimal, message: str) -> str | None:
    """Why `fte` is no share of posts from 0.05 to `highest` in hundredths, if it is not."""
    if fte is None or not fte.is_finite() or not MIN_FTE <= fte <= highest:
        return message
    if fte != fte.quantize(CENT):
        return _("Give full-time posts in hundredths at most, such as 0.5 or 1.25.")
    return None


def _job_problem(job_role: str, *, blank_allowed: bool) -> str | None:
    if job_role in JobRole.values or (blank_allowed and job_role == ""):
        return None
    return _("Choose one of the listed jobs.")


# Positions ----------------------------------------------------------------------------------


@transaction.atomic
def position_save(*, actor, office: Office, job_role: str, fte: Decimal) -> Position:
    """The full-time posts the office needs for a job: a new line of its plan, or the one it
    has changed."""
    problems = {}
    if problem := _job_problem(job_role, blank_allowed=False):
        problems["job_role"] = problem
    fte_problem = _fte_problem(
        fte,
        MAX_POSITION_FTE,
        _("An office needs from %(min)s to %(max)s full-time posts for a job.")
        % {"min": _number(MIN_FTE), "max": _number(MAX_POSITION_FTE)},
    )
    if fte_problem:
        problems["fte"] = fte_problem
    if problems:
        raise ValidationError(problems)
    fte = fte.quantize(CENT)
    position = Position.objects.select_for_update().filter(office=office, job_role=job_role).first()
    before = None if position is None else position.fte
    if position is None:
        position = Position.objects.create(office=office, job_role=job_role, fte=fte)
    elif position.fte != fte:
        position.fte = fte
        position.save(update_fields=["fte", "updated_at"])
    else:
        return position
    audit_record(
        action="training.position.create" if before is None else "training.position.update",
        actor=actor,
        target=position,
        office=office,
        details={
            "job": job_role,
            "changes": {"fte": {"from": None if before is None else str(before), "to": str(fte)}},
        },
    )
    return position


@transaction.atomic
def position_remove(*, actor, position: Position) -> None:
    """A job the office no longer plans for; the people in that job stay in post."""
    audit_record(
        action="training.position.remove",
        actor=actor,
        target=position,
        office=position.office,
        details={"job": position.job_role, "fte": str(position.fte)},
    )
    position.delete()


# Posts --------------------------------------------------------------------------------------


@transaction.atomic
def membership_post_save(
    *,
    actor,
    membership: Membership,
    job_role: str,
    fte: Decimal,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
) -> Membership:
    """The post a member of staff holds: the job (blank: the one their access role stands
    for), their share of a full-time post and the dates in post (blank: open-ended). The post
    is not their access, so a manager records their own as well."""
    problems = {}
    if not membership.is_active:
        raise ValidationError(
            _("%(name)s no longer works at this office: reactivate them first.")
            % {"name": membership.user.display_name}
        )
    if problem := _job_problem(job_role, blank_allowed=True):
        problems["job_role"] = problem
    fte_problem = _fte_problem(
        fte,
        MAX_FTE,
        _("The share of a full-time post is from %(min)s to %(max)s.")
        % {"min": _number(MIN_FTE), "max": _number(MAX_FTE)},
    )
    if fte_problem:
        problems["fte"] = fte_problem
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The post ends on or after the day it starts.")
    if problems:
        raise ValidationError(problems)
    before = model_snapshot(membership, POST_FIELDS)
    membership.job_role, membership.fte = job_role, fte.quantize(CENT)
    membership.starts_on, membership.ends_on = starts_on, ends_on
    changes = changes_between(before, model_snapshot(membership, POST_FIELDS))
    if not changes:
        return membership
    membership.save(update_fields=[*POST_FIELDS, "updated_at"])
    audit_record(
        action="training.post.record",
        actor=actor,
        target=membership,
        office=membership.office,
        details={"changes": changes},
    )
    return membership
