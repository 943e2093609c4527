"""Office scoping: the one place that decides which offices a user may see and what they may do.

Every view (and later every API call) asks this module, never the models directly:
- `can(user, action, office)` answers yes or no;
- `offices_for(user, action)` hands out a queryset of offices already filtered;
- `scope_to_offices(queryset, user, action)` filters any office-owned queryset;
- `get_office_or_404(...)` gives the same 404 for "missing" and "not yours".
Deny by default: an action not listed for a role is refused.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from oae.accounts.models import NetworkRole
from oae.network.models import Membership, Office, OfficeRole


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


_READ = frozenset({Action.VIEW_OFFICE, Action.VIEW_MUNICIPALITIES})
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
    }
)
_CLIENTS = frozenset({Action.VIEW_PEOPLE, Action.EDIT_PEOPLE, Action.VIEW_CASES, Action.EDIT_CASES})

NETWORK_ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    NetworkRole.COORDINATOR: frozenset(Action) - _OFFICE_ONLY,
    NetworkRole.AUDITOR: _READ | {Action.VIEW_AUDIT, Action.VIEW_NETWORK_MODEL},
}

OFFICE_ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    OfficeRole.MANAGER: _READ
    | _CLIENTS
    | {Action.EDIT_OFFICE, Action.MANAGE_STAFF, Action.ADAPT_CATALOGUE, Action.MERGE_PEOPLE},
    OfficeRole.ADVISOR: _READ | _CLIENTS,
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
    }
)


def _active_memberships(user) -> list[Membership]:
    """Memberships of the user, cached on the user object for the length of the request."""
    cached = getattr(user, "_oae_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("office"))
        user._oae_memberships = cached
    return cached


def forget_cached_memberships(user) -> None:
    user.__dict__.pop("_oae_memberships", None)


def network_actions(user) -> frozenset[Action]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return NETWORK_ROLE_ACTIONS.get(user.network_role, frozenset())


def is_staff_member(user) -> bool:
    """Network role or at least one active office membership. Citizens are not staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(network_actions(user)) or bool(_active_memberships(user))


def office_ids_for(user, action: Action) -> set[int] | None:
    """Office ids where the user may do `action`; None means every office."""
    if action in network_actions(user):
        return None
    if not user.is_authenticated:
        return set()
    return {
        membership.office_id
        for membership in _active_memberships(user)
        if action in OFFICE_ROLE_ACTIONS.get(membership.role, frozenset())
    }


def can(user, action: Action, office: Office | None = None) -> bool:
    if action in network_actions(user):
        return True
    if office is None:
        if action in NETWORK_ACTIONS:
            return False
        return bool(office_ids_for(user, action))
    allowed = office_ids_for(user, action)
    return allowed is None or office.pk in allowed


def require(user, action: Action, office: Office | None = None) -> None:
    if not can(user, action, office):
        raise PermissionDenied(f"{action} refused")


def scope_to_offices(
    queryset: QuerySet, user, action: Action, office_field: str = "office"
) -> QuerySet:
    allowed = office_ids_for(user, action)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{office_field}__in": allowed})


def offices_for(user, action: Action = Action.VIEW_OFFICE) -> QuerySet[Office]:
    return scope_to_offices(Office.objects.all(), user, action, office_field="pk")


def roles_in_office(user, office: Office) -> list[str]:
    return [m.role for m in _active_memberships(user) if m.office_id == office.pk]


def get_office_or_404(user, public_id, action: Action = Action.VIEW_OFFICE) -> Office:
    """The office if the user may see it. The same 404 for missing and not-yours offices;
    when the user may see it but not do `action`, PermissionDenied (403)."""
    office = (
        offices_for(user, Action.VIEW_OFFICE)
        .select_related("municipality")
        .filter(public_id=public_id)
        .first()
    )
    if office is None:
        _audit_hidden_object(user, Office, public_id)
        raise Http404("No such office")
    require(user, action, office)
    return office


def _audit_hidden_object(user, model, public_id) -> None:
    """Record a probe at an existing object the user may not see (missing ones are not logged)."""
    instance = model.objects.filter(public_id=public_id).first()
    if instance is None:
        return
    from oae.privacy.services import audit_record

    audit_record(
        action="access.denied",
        actor=user,
        target=instance,
        office=instance if isinstance(instance, Office) else getattr(instance, "office", None),
        details={"reason": "out_of_scope"},
    )


def people_for(user, action: Action = Action.VIEW_PEOPLE) -> QuerySet:
    """People the user may see: those registered by the user's offices, and, for reading,
    those of other offices whose latest network-sharing consent event says "given" (the
    `shares_with_network` flag, kept in step with the ledger by crm.services)."""
    from django.db.models import Q

    from oae.crm.models import Person

    allowed = office_ids_for(user, action) or set()
    people = Person.objects.filter(merged_into__isnull=True)
    if action != Action.VIEW_PEOPLE:
        return people.filter(office_id__in=allowed)
    if not allowed:
        return people.none()
    return people.filter(Q(office_id__in=allowed) | Q(shares_with_network=True))


def companies_for(user, action: Action = Action.VIEW_PEOPLE) -> QuerySet:
    """Companies are business data: every office that serves clients may read them all;
    only the registering office changes them."""
    from oae.crm.models import Company

    allowed = office_ids_for(user, action) or set()
    if not allowed:
        return Company.objects.none()
    if action == Action.VIEW_PEOPLE:
        return Company.objects.all()
    return Company.objects.filter(office_id__in=allowed)


def get_person_or_404(user, public_id, action: Action = Action.VIEW_PEOPLE):
    person = people_for(user, action).filter(public_id=public_id).first()
    if person is None:
        from oae.crm.models import Person

        _audit_hidden_object(user, Person, public_id)
        raise Http404("No such person")
    return person


def get_company_or_404(user, public_id, action: Action = Action.VIEW_PEOPLE):
    company = companies_for(user, action).filter(public_id=public_id).first()
    if company is None:
        raise Http404("No such company")
    return company


def staff_required(view):
    """Staff pages: sign-in first (redirect), then a staff role (403 for citizens)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied("staff role required")
        return view(request, *args, **kwargs)

    return wrapper


def cases_for(user, action: Action = Action.VIEW_CASES) -> QuerySet:
    """Cases of the offices where the user may do `action`. Only the owning office reads or
    changes a case; a receiving office sees what a referral grants (`referrals_received_for`)."""
    from oae.cases.models import Case

    allowed = office_ids_for(user, action) or set()
    return Case.objects.filter(office_id__in=allowed)


def get_case_or_404(user, public_id, action: Action = Action.VIEW_CASES):
    """The case if the user's office owns it; the same 404 otherwise (the probe audited).
    A read-only member asking to change it gets 403, and so does anyone without cases."""
    require(user, Action.VIEW_CASES)
    case = cases_for(user, Action.VIEW_CASES).filter(public_id=public_id).first()
    if case is None:
        from oae.cases.models import Case

        _audit_hidden_object(user, Case, public_id)
        raise Http404("No such case")
    require(user, action, case.office)
    return case


def referrals_received_for(user) -> QuerySet:
    from oae.cases.models import Referral

    allowed = office_ids_for(user, Action.VIEW_CASES) or set()
    return Referral.objects.filter(to_office_id__in=allowed)
