"""Office scoping: the one place that decides which offices a user may act for and what they
may do there.

It stands on the ground floor: it knows the roles, the actions and each role's table, and
reads a user's memberships through the `user.memberships` relation, so it imports no domain.
Every domain above hands its own querysets to it:
- `can(user, action, office)` answers yes or no; `require(...)` raises 403;
- `office_ids_for(user, action)` and `scope_to_offices(queryset, user, action)` filter;
- `acting_office(request)`: the one office a request acts for (chosen in the session among
  the user's offices), set once per request as `request.office` by `ActingOfficeMiddleware`.
Deny by default: an action not listed for a role is refused.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from oae.privacy.services import audit_record

ACTING_OFFICE_SESSION_KEY = "acting_office"


class NetworkRole(models.TextChoices):
    """Roles over the whole network; per-office roles are `OfficeRole`, on a membership."""

    NONE = "", _("none")
    COORDINATOR = "coordinator", _("network coordinator")
    AUDITOR = "auditor", _("auditor")


class OfficeRole(models.TextChoices):
    MANAGER = "manager", _("office manager")
    ADVISOR = "advisor", _("advisor")
    READ_ONLY = "readonly", _("read-only staff")


class Action(StrEnum):
    VIEW_OFFICE = "view_office"
    CREATE_OFFICE = "create_office"
    EDIT_OFFICE = "edit_office"
    CHANGE_OFFICE_STATUS = "change_office_status"
    MANAGE_STAFF = "manage_staff"
    VIEW_MUNICIPALITIES = "view_municipalities"
    EDIT_MUNICIPALITY = "edit_municipality"
    VIEW_AUDIT = "view_audit"
    VIEW_NETWORK_MODEL = "view_network_model"
    EDIT_NETWORK_MODEL = "edit_network_model"
    ADAPT_CATALOGUE = "adapt_catalogue"
    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    MERGE_PEOPLE = "merge_people"
    VIEW_CASES = "view_cases"
    EDIT_CASES = "edit_cases"
    VIEW_REPORTS = "view_reports"  # an office's own figures in full
    VIEW_NETWORK_REPORTS = "view_network_reports"  # every office's figures in full
    MANAGE_REPORTS = "manage_reports"  # the network's goals, its monthly reports again
    VIEW_OPENING = "view_opening"  # the opening paths and yearly reviews (an office: its own)
    EDIT_OPENING = "edit_opening"  # the playbook, paths, agreements, reviews
    MANAGE_TRAINING = "manage_training"  # sessions, attendance and assessment
    VIEW_PROPOSALS = "view_proposals"  # offices' proposals to the model, consultation rounds
    PROPOSE_CHANGE = "propose_change"  # propose, revise, comment, support for one's office
    ANSWER_CONSULTATION = "answer_consultation"  # an office's answer to a round


_READ = frozenset(
    {Action.VIEW_OFFICE, Action.VIEW_MUNICIPALITIES, Action.VIEW_REPORTS, Action.VIEW_PROPOSALS}
)
# Only an office's own managers adapt its catalogue; coordinators own the network model.
# Personal data of clients is for the offices that serve them, not for network-wide roles.
_OFFICE_ONLY = frozenset(
    {
        Action.ADAPT_CATALOGUE,
        Action.VIEW_PEOPLE,
        Action.EDIT_PEOPLE,
        Action.MERGE_PEOPLE,
        Action.VIEW_CASES,
        Action.EDIT_CASES,
        # An office speaks for itself in the co-design of the model; the network decides.
        Action.PROPOSE_CHANGE,
        Action.ANSWER_CONSULTATION,
    }
)
_CLIENTS = frozenset({Action.VIEW_PEOPLE, Action.EDIT_PEOPLE, Action.VIEW_CASES, Action.EDIT_CASES})

NETWORK_ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    NetworkRole.COORDINATOR: frozenset(Action) - _OFFICE_ONLY,
    NetworkRole.AUDITOR: _READ
    | {
        Action.VIEW_AUDIT,
        Action.VIEW_NETWORK_MODEL,
        Action.VIEW_NETWORK_REPORTS,
        Action.VIEW_OPENING,
    },
}

OFFICE_ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    OfficeRole.MANAGER: _READ
    | _CLIENTS
    | {
        Action.EDIT_OFFICE,
        Action.MANAGE_STAFF,
        Action.ADAPT_CATALOGUE,
        Action.MERGE_PEOPLE,
        Action.VIEW_OPENING,
        Action.PROPOSE_CHANGE,
        Action.ANSWER_CONSULTATION,
    },
    OfficeRole.ADVISOR: _READ | _CLIENTS | {Action.PROPOSE_CHANGE},
    OfficeRole.READ_ONLY: _READ | {Action.VIEW_PEOPLE, Action.VIEW_CASES},
}

# Actions that are about the whole network, not one office.
NETWORK_ACTIONS = frozenset(
    {
        Action.CREATE_OFFICE,
        Action.EDIT_MUNICIPALITY,
        Action.VIEW_AUDIT,
        Action.VIEW_NETWORK_MODEL,
        Action.EDIT_NETWORK_MODEL,
        Action.VIEW_NETWORK_REPORTS,
        Action.MANAGE_REPORTS,
        Action.EDIT_OPENING,
        Action.MANAGE_TRAINING,
    }
)


def active_memberships(user) -> list:
    """The user's active memberships with their offices, by office name; read once and kept
    on the user object for the length of the request."""
    cached = getattr(user, "_oae_memberships", None)
    if cached is None:
        if not user.is_authenticated:
            return []
        cached = list(
            user.memberships.filter(is_active=True)
            .select_related("office", "office__municipality")
            .order_by("office__name", "office_id")
        )
        user._oae_memberships = cached
    return cached


def forget_cached_memberships(user) -> None:
    user.__dict__.pop("_oae_memberships", None)


def follows_a_path(user) -> bool:
    """A council's officer invited to follow their municipality's opening path (read through
    `user.opening_contacts`, as memberships are read); not staff of any office."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.opening_contacts.filter(is_active=True).exists()


def network_actions(user) -> frozenset[Action]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return NETWORK_ROLE_ACTIONS.get(user.network_role, frozenset())


def is_staff_member(user) -> bool:
    """Network role or at least one active office membership. Citizens are not staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(network_actions(user)) or bool(active_memberships(user))


def office_ids_for(user, action: Action) -> set[int] | None:
    """Office ids where the user may do `action`; None means every office."""
    if action in network_actions(user):
        return None
    if not user.is_authenticated or not user.is_active:  # a deactivated account acts nowhere
        return set()
    return {
        membership.office_id
        for membership in active_memberships(user)
        if action in OFFICE_ROLE_ACTIONS.get(membership.role, frozenset())
    }


def can(user, action: Action, office=None) -> bool:
    if action in network_actions(user):
        return True
    if office is None:
        if action in NETWORK_ACTIONS:
            return False
        return bool(office_ids_for(user, action))
    allowed = office_ids_for(user, action)
    return allowed is None or office.pk in allowed


def require(user, action: Action, office=None) -> None:
    if not can(user, action, office):
        raise PermissionDenied(f"{action} refused")


def scope_to_offices(
    queryset: QuerySet, user, action: Action, office_field: str = "office"
) -> QuerySet:
    allowed = office_ids_for(user, action)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{office_field}__in": allowed})


def roles_in_office(user, office) -> list[str]:
    return [m.role for m in active_memberships(user) if m.office_id == office.pk]


def audit_hidden_probe(user, model, public_id) -> None:
    """Record a probe at an existing object the user may not see (missing ones are not logged).
    The row is filed under the object's office (an office is its own; a record of no office,
    such as a person's training, under none)."""
    instance = model.objects.filter(public_id=public_id).first()
    if instance is None:
        return
    is_office = model._meta.label_lower == "network.office"
    audit_record(
        action="access.denied",
        actor=user,
        target=instance,
        office=instance if is_office else getattr(instance, "office", None),
        details={"reason": "out_of_scope"},
    )


def scoped_or_404(user, scoped: QuerySet, public_id):
    """The object of `scoped` (a queryset already limited to what the user may see) with that
    public id. The same 404 whether it is missing or out of scope; a probe at an existing
    object out of scope is audited."""
    found = scoped.filter(public_id=public_id).first()
    if found is None:
        audit_hidden_probe(user, scoped.model, public_id)
        raise Http404(f"No such {scoped.model._meta.model_name}")
    return found


def acting_office(request):
    """The office the request acts for: the one the user chose this session (`choose_office`)
    while it is still among their offices, otherwise their first office by name; None for
    users without an office (network roles, citizens, visitors)."""
    offices = [m.office for m in active_memberships(request.user)]
    chosen = request.session.get(ACTING_OFFICE_SESSION_KEY) if hasattr(request, "session") else None
    for office in offices:
        if str(office.public_id) == chosen:
            return office
    return offices[0] if offices else None


def choose_office(request, public_id: str):
    """Act for another of the user's own offices from now on; the office chosen (404 for any
    other office, or a malformed id)."""
    for membership in active_memberships(request.user):
        if str(membership.office.public_id) == public_id:
            request.session[ACTING_OFFICE_SESSION_KEY] = public_id
            request.office = membership.office
            return membership.office
    raise Http404("Not one of your offices")


def office_to_act_for(request, action: Action):
    """The acting office, when the user may do `action` there: 404 for users without an
    office, 403 when the chosen office does not allow the action."""
    office = getattr(request, "office", None)
    if office is None:
        raise Http404("No office to act for")
    require(request.user, action, office)
    return office


class ActingOfficeMiddleware:
    """Resolves the acting office once per request, as `request.office` (after sign-in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.office = acting_office(request)
        return self.get_response(request)


def staff_required(view):
    """Staff pages: sign-in first (redirect), then a staff role (403 for citizens)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied("staff role required")
        return view(request, *args, **kwargs)

    return wrapper
