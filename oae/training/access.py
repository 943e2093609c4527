"""Who sees and changes what of training, built on oae.scoping: every member of staff reads
the curriculum and their own record; an office's managers enrol their staff and see their
enrolments; coordinators run sessions, attendance and assessment. Missing and not-yours get
the same 404."""

from django.db.models import Q, QuerySet

from oae.network.models import Membership
from oae.scoping import Action, active_memberships, can, office_ids_for, scoped_or_404
from oae.training.models import Enrolment, TrainingSession


def may_manage(user) -> bool:
    return can(user, Action.MANAGE_TRAINING)


def sessions_for(user) -> QuerySet[TrainingSession]:
    """Every staff member sees the network's sessions (to enrol)."""
    return TrainingSession.objects.select_related("module")


def get_session_or_404(user, public_id) -> TrainingSession:
    return scoped_or_404(user, sessions_for(user), public_id)


def enrolments_for(user) -> QuerySet[Enrolment]:
    """Coordinators every enrolment; managers their offices' staff's; anyone their own."""
    enrolments = Enrolment.objects.select_related("session__module", "user")
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
