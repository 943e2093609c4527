"""Reads of the training domain: what a person has certified (completed modules and the
competence levels they cover), what their job role requires, and the gap between them."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from oae.training.models import (
    Certificate,
    Competence,
    Enrolment,
    EnrolmentStatus,
    Module,
    ModuleCompetence,
    RoleRequirement,
    TrainingSession,
)


def completions(user) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user=user, completed_at__isnull=False)
        .select_related("session__module")
        .order_by("-completed_at")
    )


def certified_levels(user) -> dict[int, int]:
    """Competence id → the highest level a completed module certified."""
    modules = completions(user).values_list("session__module_id", flat=True)
    levels: dict[int, int] = {}
    for covered in ModuleCompetence.objects.filter(module_id__in=modules):
        levels[covered.competence_id] = max(levels.get(covered.competence_id, 0), covered.level)
    return levels


@dataclass(frozen=True)
class Gap:
    competence: Competence
    required: int
    certified: int

    @property
    def missing(self) -> bool:
        return self.certified < self.required


def gaps(user, role: str) -> list[Gap]:
    """Each competence the role requires, against what the person has certified."""
    levels = certified_levels(user)
    requirements = RoleRequirement.objects.filter(role=role).select_related("competence")
    return [Gap(r.competence, r.level, levels.get(r.competence_id, 0)) for r in requirements]


def places_left(session: TrainingSession) -> int:
    taken = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
    return max(session.capacity - taken, 0)


@dataclass
class CurriculumModule:
    module: Module
    covers: list[ModuleCompetence]
    sessions: list[TrainingSession]
    held: list[TrainingSession]  # the latest held, newest first


HELD_SHOWN = 5


def people_to_tell(session: TrainingSession) -> int:
    return session.enrolments.exclude(status=EnrolmentStatus.CANCELLED).count()


def curriculum() -> list[CurriculumModule]:
    """Every module with the competences it covers and its sessions still to come."""
    now = timezone.now()
    covers: dict[int, list[ModuleCompetence]] = {}
    for covered in ModuleCompetence.objects.select_related("competence").order_by(
        "competence__position"
    ):
        covers.setdefault(covered.module_id, []).append(covered)
    upcoming: dict[int, list[TrainingSession]] = {}
    sessions = TrainingSession.objects.filter(ends_at__gte=now, cancelled_at__isnull=True)
    for session in sessions.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
    ).order_by("starts_at"):  # a GROUP BY drops the model's default ordering
        upcoming.setdefault(session.module_id, []).append(session)
    held: dict[int, list[TrainingSession]] = {}
    for session in TrainingSession.objects.filter(
        ends_at__lt=now, cancelled_at__isnull=True
    ).order_by("-starts_at"):
        shown = held.setdefault(session.module_id, [])
        if len(shown) < HELD_SHOWN:
            shown.append(session)
    return [
        CurriculumModule(
            module,
            covers.get(module.pk, []),
            upcoming.get(module.pk, []),
            held.get(module.pk, []),
        )
        for module in Module.objects.all()
    ]


def get_module_or_404(code: str) -> Module:
    module = Module.objects.filter(code=code).first()
    if module is None:
        raise Http404("No such module")
    return module


def upcoming_enrolments(user) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user=user, session__ends_at__gte=timezone.now())
        .exclude(status=EnrolmentStatus.CANCELLED)
        .select_related("session__module")
        .order_by("session__starts_at")
    )


def certificate_by_public_id(public_id) -> Certificate | None:
    """For the public verification page: anyone holding the link sees what it certifies."""
    return Certificate.objects.filter(public_id=public_id).first()


def certificates_of(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).order_by("-issued_at")
