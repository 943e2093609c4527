"""Reading accounts."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from oae.accounts.models import User


def accounts_named_for(viewer) -> QuerySet[User]:
    """The accounts a reader of the audit trail sees by e-mail: staff (a network role, or a
    membership of an office, now or once), whose actions the trail answers for, and the
    reader's own. A citizen's account is personal data: it is shown by reference."""
    # Memberships are network's model: reached through the relation, not imported (downward).
    membership = User._meta.get_field("memberships").related_model
    memberships = membership.objects.filter(user=OuterRef("pk"))
    own = Q(pk=viewer.pk) if getattr(viewer, "is_authenticated", False) else Q(pk__in=[])
    return User.objects.filter(~Q(network_role="") | Exists(memberships) | own)
