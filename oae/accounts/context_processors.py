"""Navigation for the layout: which sections the signed-in user may open, and the offices
they may act for (the switcher in the header, shown to people with more than one)."""

from oae.scoping import (
    Action,
    active_memberships,
    can,
    follows_a_path,
    is_staff_member,
    network_actions,
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"staff": False}}
    staff = is_staff_member(user)
    offices = [membership.office for membership in active_memberships(user)]
    return {
        "nav": {
            "staff": staff,
            "municipalities": can(user, Action.VIEW_MUNICIPALITIES),
            "audit": can(user, Action.VIEW_AUDIT),
            "network_model": can(user, Action.VIEW_NETWORK_MODEL),
            "people": can(user, Action.VIEW_PEOPLE),
            "cases": can(user, Action.VIEW_CASES),
            "reports": can(user, Action.VIEW_REPORTS),
            "proposals": can(user, Action.VIEW_PROPOSALS),
            # A council officer follows a path without being staff (staff pay no query here).
            "opening": can(user, Action.VIEW_OPENING) or (not staff and follows_a_path(user)),
            # An office's staff start from their day; network-wide roles from the offices.
            "day_first": can(user, Action.VIEW_CASES) and not network_actions(user),
            "acting_office": getattr(request, "office", None),
            "offices_to_switch": offices if len(offices) > 1 else [],
        }
    }
