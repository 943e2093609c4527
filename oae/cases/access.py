"""Who may see and change what in case management, built on oae.scoping. Every fetch a view
makes goes through here and filters in the query itself: a case, a row recorded on one, an
appointment or a referral that is missing and one that is not the user's get the same 404
(the probe at an existing one audited)."""

from django.db.models import QuerySet
from django.http import Http404

from oae.cases.models import Appointment, CalendarFeed, Case, Referral
from oae.crm.access import get_company_or_404, get_person_or_404
from oae.scoping import Action, audit_hidden_probe, can, office_ids_for, require, scoped_or_404


def cases_for(user, action: Action = Action.VIEW_CASES) -> QuerySet[Case]:
    """Cases of the offices where the user may do `action`. Only the owning office reads or
    changes a case; a receiving office sees what a referral grants (`referrals_received_for`)."""
    allowed = office_ids_for(user, action) or set()
    return Case.objects.filter(office_id__in=allowed)


def get_case_or_404(user, public_id, action: Action = Action.VIEW_CASES) -> Case:
    """The case if the user's office owns it; the same 404 otherwise (the probe audited).
    A read-only member asking to change it gets 403, and so does anyone without cases."""
    require(user, Action.VIEW_CASES)
    case = scoped_or_404(user, cases_for(user, Action.VIEW_CASES), public_id)
    require(user, action, case.office)
    return case


def case_editable(user, case: Case) -> bool:
    """Whether the user may change the case now: their office may edit it and it is not closed
    (a closed case is read-only until it is reopened)."""
    return not case.is_closed and can(user, Action.EDIT_CASES, case.office)


def case_reopenable(user, case: Case) -> bool:
    """Whether the user may reopen the case: it is closed and their office may edit it."""
    return case.is_closed and can(user, Action.EDIT_CASES, case.office)


def _audit_probe_through_case(user, model, public_id) -> None:
    """Record a probe at an existing row of a case as a probe at its case (the case carries
    the office the row belongs to)."""
    rows = model.objects.filter(public_id=public_id)
    case_public_id = rows.values_list("case__public_id", flat=True).first()
    if case_public_id is not None:
        audit_hidden_probe(user, Case, case_public_id)


def get_case_child_or_404(user, model, public_id, action: Action = Action.VIEW_CASES):
    """A row recorded on a case (a Task, Attachment, Outcome or the Referral a case sent),
    looked for only among the user's cases, with its case and office. The same 404 for a
    missing row and one of another office; 403 when the user may see it but not `action`."""
    require(user, Action.VIEW_CASES)
    child = (
        model.objects.filter(public_id=public_id, case__in=cases_for(user, Action.VIEW_CASES))
        .select_related("case__office")
        .first()
    )
    if child is None:
        _audit_probe_through_case(user, model, public_id)
        raise Http404(f"No such {model._meta.verbose_name}")
    require(user, action, child.case.office)
    return child


def referrals_received_for(user) -> QuerySet[Referral]:
    """Referrals sent to the offices where the user may see cases."""
    allowed = office_ids_for(user, Action.VIEW_CASES) or set()
    return Referral.objects.filter(to_office_id__in=allowed)


def get_referral_received_or_404(user, public_id) -> Referral:
    """A referral sent to one of the user's offices, with what its page shows; the same 404
    for a missing one and one sent elsewhere (the probe audited at the referring case)."""
    require(user, Action.VIEW_CASES)
    referral = (
        referrals_received_for(user)
        .filter(public_id=public_id)
        .select_related("case__person", "case__company", "from_office", "to_office")
        .first()
    )
    if referral is None:
        _audit_probe_through_case(user, Referral, public_id)
        raise Http404("No such referral")
    return referral


def appointments_for(user, action: Action = Action.VIEW_CASES) -> QuerySet[Appointment]:
    """Appointments at the offices where the user may do `action`."""
    allowed = office_ids_for(user, action) or set()
    return Appointment.objects.filter(office_id__in=allowed)


def get_appointment_or_404(user, public_id, action: Action = Action.EDIT_CASES) -> Appointment:
    """An appointment at an office where the user may do `action`; 404 otherwise."""
    return scoped_or_404(user, appointments_for(user, action), public_id)


def client_named(user, *, person=None, company=None) -> tuple:
    """The person and the company a page is opened for (public ids read by
    `forms.ClientQueryForm`), each None when not named; 404 for one the user may not see."""
    return (
        get_person_or_404(user, person) if person else None,
        get_company_or_404(user, company) if company else None,
    )


def case_named(user, public_id, action: Action = Action.VIEW_CASES) -> Case | None:
    """The case a page is opened for, or None when none is named; 404 for one the user may
    not see, 403 when they may see it but not `action`."""
    return get_case_or_404(user, public_id, action) if public_id else None


def calendar_owner_or_404(token: str):
    """The active user whose calendar address holds this secret token; 404 otherwise."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar")
    return feed.user
