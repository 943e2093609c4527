"""Navigation for the layout: which sections the signed-in user may open."""

from oae.scoping import Action, can, is_staff_member


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {"staff": False}}
    return {
        "nav": {
            "staff": is_staff_member(user),
            "municipalities": can(user, Action.VIEW_MUNICIPALITIES),
            "audit": can(user, Action.VIEW_AUDIT),
            "network_model": can(user, Action.VIEW_NETWORK_MODEL),
            "people": can(user, Action.VIEW_PEOPLE),
            "cases": can(user, Action.VIEW_CASES),
        }
    }
