"""Who sees and changes what of training, built on oae.scoping: every member of staff reads
the curriculum and their own record; an office's managers enrol their staff and see their
enrolments; coordinators run sessions, attendance and assessment. Missing and not-yours get
the same 404."""

from django.db.models import Q, QuerySet

from oae.network.models import Membership, Office
from oae.scoping import Action, active_memberships, can, office_ids_for, scoped_or_404
from oae.training.models import Certificate, Enrolment, TrainingSession


def may_manage(user) -> bool:
    return can(user, Action.MANAGE_TRAINING)


def sessions_for(user) -> QuerySet[TrainingSession]:
    """Every staff member sees the network's sessions (to enrol)."""
    return TrainingSession.objects.select_related("module")


def get_session_or_404(user, public_id) -> TrainingSession:
    return scoped_or_404(user, sessions_for(user), public_id)


def enrolments_for(user) -> QuerySet[Enrolment]:
    """Coordinators every enrolment; managers their offices' staff's; anyone their own."""
    enrolments = Enrolment.objects.select_related("session__module", "user").prefetch_related(
        "certificates"
    )
    if may_manage(user):
        return enrolments
    offices = office_ids_for(user, Action.MANAGE_STAFF) or set()
    staff = Q(user__memberships__office_id__in=offices, user__memberships__is_active=True)
    return enrolments.filter(Q(user=user) | staff).distinct()


def get_enrolment_or_404(user, public_id) -> Enrolment:
    return scoped_or_404(user, enrolments_for(user), public_id)


def staff_to_enrol(user) -> list:
    """Whom the user may enrol: themself, and the staff of the offices they manage."""
    offices = office_ids_for(user, Action.MANAGE_STAFF)
    if offices is None:
        return []  # coordinators run sessions; offices enrol their people
    people = {user.pk: user} if active_memberships(user) else {}
    for membership in Membership.objects.filter(
        office_id__in=offices, is_active=True
    ).select_related("user"):
        people[membership.user_id] = membership.user
    return sorted(people.values(), key=lambda person: (person.last_name, person.email))


def certificates_for(user) -> QuerySet[Certificate]:
    """The certificates of the enrolments the user sees: their own, their staff's, or all."""
    enrolments = enrolments_for(user).values("pk")
    return Certificate.objects.filter(enrolment__in=enrolments).select_related(
        "user", "enrolment__session__module"
    )


def get_certificate_or_404(user, public_id) -> Certificate:
    return scoped_or_404(user, certificates_for(user), public_id)


# The staffing plan ---------------------------------------------------------------------------
# A plan names the people in post with the competences each still has to certify, read from
# their training records: so it is for those who see those records (an office's managers, the
# network's coordinators) and for the auditors, who read every office's figures. Advisors and
# read-only staff see their own gap in "My training", not their colleagues'.


def staffing_office_ids(user) -> set[int] | None:
    """Offices whose staffing plan the user reads; None means every office."""
    if office_ids_for(user, Action.VIEW_NETWORK_REPORTS) is None:
        return None  # coordinators and auditors
    return office_ids_for(user, Action.MANAGE_STAFF) or set()


def may_read_staffing(user) -> bool:
    allowed = staffing_office_ids(user)
    return allowed is None or bool(allowed)


def staffing_offices_for(user) -> QuerySet[Office]:
    offices = Office.objects.select_related("municipality")
    allowed = staffing_office_ids(user)
    return offices if allowed is None else offices.filter(pk__in=allowed)


def get_staffing_office_or_404(user, public_id) -> Office:
    return scoped_or_404(user, staffing_offices_for(user), public_id)


def may_edit_staffing(user, office) -> bool:
    """An office's managers plan their office; coordinators every office's."""
    return can(user, Action.MANAGE_TRAINING) or can(user, Action.MANAGE_STAFF, office)


def may_read_training_needs(user) -> bool:
    """The network's training needs: coordinators, who schedule sessions, and auditors."""
    return can(user, Action.VIEW_NETWORK_REPORTS)


def post_of_office_or_404(user, office, public_id) -> Membership:
    """An active membership of the office (whose post is recorded); the same 404 for one of
    another office, a deactivated one or none."""
    posts = Membership.objects.filter(office=office, is_active=True).select_related("user")
    return scoped_or_404(user, posts, public_id)
