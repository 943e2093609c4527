"""Training and staffing: the competence framework the network publishes (EntreComp and the
advisory competences of an OAE), what each job role requires, the curriculum's modules and
their dated sessions, enrolments (with a waiting list), attendance, assessment and the
completions that certify competences; the certificates issued for them; each office's
staffing plan; the job profiles the network publishes and the offices adapt."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oae.common.models import TimeStampedModel, VersionedModel
from oae.network.models import JobRole

CODE_MAX_LENGTH = 20
PLACE_MAX_LENGTH = 200
MAX_LEVEL = 4
MAX_CAPACITY = 500


class Competence(models.Model):
    code = models.CharField(_("code"), max_length=CODE_MAX_LENGTH, unique=True)
    area = models.CharField(_("area"), max_length=20)
    name = models.JSONField(_("name"))  # {"ca": …, "es": …, "en": …}
    description = models.JSONField(_("description"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code


class RoleRequirement(models.Model):
    """A job role needs a competence at least at a level (1 foundation … 4 expert)."""

    role = models.CharField(_("job role"), max_length=20, choices=JobRole.choices)
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)]
    )

    class Meta:
        ordering = ["role", "competence__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "competence"], name="training_requirement_once"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=MAX_LEVEL),
                name="training_requirement_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.competence_id}@{self.level}"


class Module(TimeStampedModel):
    """A unit of the curriculum: what it teaches, to which level, in how many hours; passed
    on attendance alone, or with a score at least `pass_mark` (of 100)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH, unique=True)
    title = models.JSONField(_("title"))
    objectives = models.JSONField(_("objectives"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (of 100)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    resources = models.JSONField(_("materials"), default=list, blank=True)  # library codes

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ModuleCompetence(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVEL)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "competence"], name="training_module_covers")
        ]

    def __str__(self) -> str:
        return f"{self.module_id} {self.competence_id}@{self.level}"


class TrainingSession(TimeStampedModel):
    """A dated run of a module, in a place or online, with a trainer and a capacity."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=PLACE_MAX_LENGTH, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=200)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_ends_after"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""), name="training_session_has_a_place"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.module_id} {self.starts_at:%Y-%m-%d}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Enrolment(TimeStampedModel):
    """A person's place in a session, or on its waiting list (first come, first served);
    then whether they attended and how they were assessed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attended = models.BooleanField(null=True)  # unknown until the trainer says
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(null=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # An e-mail owed to the person (a place freed for them, the session cancelled, their
    # certificate issued), sent once by a job that claims the row (training/notices.py).
    notice = models.CharField(max_length=20, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="training_enrolment_once"),
            # "IS NOT NULL" too: a CHECK passes when it is unknown, and NULL AND NULL is.
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(attended=True, passed=True, attended__isnull=False, passed__isnull=False),
                name="training_completion_needs_attendance_and_pass",
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status="enrolled"),
                name="training_attendance_of_the_enrolled",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="training_enrolment_status")]

    def __str__(self) -> str:
        return f"{self.session} {self.user_id} {self.status}"


class Certificate(TimeStampedModel):
    """What a completion certifies, frozen when issued (`facts`: name, module, hours,
    competences, date, issuer) with its signed Open Badges 3.0 credential. Revoked, never
    deleted: the verification page then says so. One in force per enrolment: a corrected
    result revokes it, and a later pass issues a new one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="certificates")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    issued_at = models.DateTimeField()
    facts = models.JSONField()
    credential = models.TextField()  # the signed credential, a compact JWS
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="training_revocation_has_a_reason",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="training_one_certificate_in_force",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


MAX_POSITION_FTE = Decimal("50")


class Position(TimeStampedModel):
    """An office's staffing plan, one line per job: how many full-time posts it needs."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="positions")
    job_role = models.CharField(_("job"), max_length=20, choices=JobRole.choices)
    fte = models.DecimalField(
        _("full-time posts needed"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(MAX_POSITION_FTE)],
    )

    class Meta:
        ordering = ["office", "job_role"]
        constraints = [
            models.UniqueConstraint(fields=["office", "job_role"], name="training_position_once"),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=MAX_POSITION_FTE),
                name="training_position_fte_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.job_role} {self.fte}"


# The fields of a job profile an office may reword for its recruitment call.
PROFILE_FIELDS = ("mission", "tasks", "requirements")


class JobProfile(VersionedModel):
    """The network's profile of a job, for recruiting: its mission, tasks and requirements,
    each a text per language ({"ca": …, "es": …, "en": …}); the competences are the job's
    requirements in the framework."""

    role = models.CharField(_("job"), max_length=20, choices=JobRole.choices, unique=True)
    mission = models.JSONField(_("mission"))
    tasks = models.JSONField(_("tasks"))
    requirements = models.JSONField(_("requirements"))

    class Meta:
        ordering = ["role"]

    def __str__(self) -> str:
        return self.role


class OfficeJobProfile(VersionedModel):
    """An office's adaptation of a network profile: its own wording of some fields
    (`overrides`, field → text) and the network's wording each override was written against
    (`based_on`, field → the profile's value then), so a later change by the network to a
    field the office reworded shows as a conflict for the office to settle."""

    office = models.ForeignKey(
        "network.Office", on_delete=models.CASCADE, related_name="job_profiles"
    )
    profile = models.ForeignKey(JobProfile, on_delete=models.CASCADE, related_name="adaptations")
    overrides = models.JSONField(default=dict, blank=True)
    based_on = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["office", "profile__role"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "profile"], name="training_office_profile_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.profile_id}"
