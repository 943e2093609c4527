"""Who may see and change what of the opening paths, built on oae.scoping. Coordinators and
auditors see every path; an office's managers their office's; a municipal contact the path of
their municipality. Only coordinators change the playbook, paths, agreements and reviews;
evidence comes from coordinators and the municipality's contacts. Missing and not-yours get
the same 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from oae.opening.models import Agreement, Contact, Evidence, Path, Review, ReviewAction
from oae.scoping import Action, can, office_ids_for, require, scope_to_offices, scoped_or_404


def followed_path_ids(user) -> set[int]:
    """The paths the user follows as an active municipal contact."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(Contact.objects.filter(user=user, is_active=True).values_list("path_id", flat=True))


def opening_access_required(view):
    """Sign-in first (redirect), then staff who follow paths (coordinators, auditors, office
    managers) or a municipality's contact; 403 for everyone else."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_read_playbook(request.user):
            raise PermissionDenied("opening: staff who follow paths or a municipal contact")
        return view(request, *args, **kwargs)

    return wrapper


def paths_for(user) -> QuerySet[Path]:
    paths = Path.objects.select_related("municipality", "office", "version")
    allowed = office_ids_for(user, Action.VIEW_OPENING)
    if allowed is None:
        return paths
    return paths.filter(Q(office_id__in=allowed) | Q(pk__in=followed_path_ids(user)))


def get_path_or_404(user, public_id) -> Path:
    return scoped_or_404(user, paths_for(user), public_id)


def can_see_all(user) -> bool:
    return office_ids_for(user, Action.VIEW_OPENING) is None


def may_read_playbook(user) -> bool:
    """Staff who follow paths and the councils' contacts read the published playbook."""
    return can(user, Action.VIEW_OPENING) or bool(followed_path_ids(user))


def owns_items(user) -> bool:
    """Coordinators own the network's items, contacts their municipality's: they get the
    digest and the due-date calendar."""
    return may_edit(user) or bool(followed_path_ids(user))


def may_edit(user) -> bool:
    return can(user, Action.EDIT_OPENING)


def may_add_evidence(user, path: Path) -> bool:
    return may_edit(user) or path.pk in followed_path_ids(user)


def require_evidence_right(user, path: Path) -> None:
    if not may_add_evidence(user, path):
        raise PermissionDenied("evidence: coordinators and the municipality's contacts")


def agreements_for(user) -> QuerySet[Agreement]:
    """Agreements of the municipalities whose paths the user sees."""
    agreements = Agreement.objects.select_related("municipality")
    if office_ids_for(user, Action.VIEW_OPENING) is None:
        return agreements
    return agreements.filter(municipality__opening_path__in=paths_for(user))


def get_agreement_or_404(user, public_id) -> Agreement:
    return scoped_or_404(user, agreements_for(user), public_id)


def get_evidence_or_404(user, public_id) -> Evidence:
    """A path's evidence for those who see the path; a yearly review's only for those who
    read the review (not the council's contacts)."""
    evidence = Evidence.objects.filter(
        Q(review=None, path__in=paths_for(user)) | Q(review__in=reviews_for(user))
    )
    return scoped_or_404(user, evidence, public_id)


def reviews_for(user) -> QuerySet[Review]:
    """Yearly reviews: the network's roles and the office's managers, not the council's
    contacts (a scorecard shows an office's figures in full, small counts included)."""
    paths = scope_to_offices(Path.objects.all(), user, Action.VIEW_OPENING)
    return Review.objects.filter(path__in=paths)


def may_read_reviews(user, path: Path) -> bool:
    return can(user, Action.VIEW_OPENING, path.office) if path.office else may_edit(user)


def get_review_or_404(user, public_id) -> Review:
    reviews = reviews_for(user).select_related(
        "path__municipality", "path__office", "path__version"
    )
    return scoped_or_404(user, reviews, public_id)


def get_review_action_or_404(user, public_id) -> ReviewAction:
    require(user, Action.EDIT_OPENING)
    return scoped_or_404(
        user, ReviewAction.objects.select_related("review__path__office"), public_id
    )


def get_contact_or_404(user, public_id) -> Contact:
    require(user, Action.EDIT_OPENING)
    return scoped_or_404(user, Contact.objects.select_related("user", "path"), public_id)
