"""Case management: cases that follow a service's process, the sessions, tasks, documents,
outcomes and referrals recorded on them, each advisor's agenda, and satisfaction surveys."""

import uuid
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oae.common.models import TimeStampedModel, VersionedModel
from oae.network.hours import Weekday

TITLE_MAX_LENGTH = 200
MAX_SESSION_MINUTES = 12 * 60


class CaseState(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    ON_HOLD = "on_hold", _("on hold")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


ACTIVE_STATES = (CaseState.OPEN, CaseState.IN_PROGRESS, CaseState.ON_HOLD, CaseState.REOPENED)


class ClosingReason(models.TextChoices):
    GOALS_MET = "goals_met", _("goals met")
    REFERRED = "referred", _("referred elsewhere")
    CLIENT_WITHDREW = "client_withdrew", _("the client withdrew")
    NO_CONTACT = "no_contact", _("no contact with the client")
    OUT_OF_SCOPE = "out_of_scope", _("outside the office's scope")
    OTHER = "other", _("other")


class ProcessTemplate(models.Model):
    """A process exactly as a case runs it: the published content of one version (or an
    office's own process as it read), stored once and shared by every case on it."""

    code = models.CharField(max_length=80)
    version = models.PositiveIntegerField(null=True, blank=True)  # None: the office's own
    content = models.JSONField()
    digest = models.CharField(max_length=64, unique=True)  # of code, version and content

    def __str__(self) -> str:
        return f"{self.code} v{self.version}" if self.version else self.code

    @cached_property
    def steps_by_id(self) -> dict[str, dict]:
        return {step["id"]: step for step in self.content.get("steps") or []}


class Case(VersionedModel):
    """An *expedient*: one client served by one office for one of its services, along the
    process of that service at the version in force when the case was opened."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    office = models.ForeignKey(
        "network.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("office")
    )
    person = models.ForeignKey(
        "crm.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("person"),
    )
    company = models.ForeignKey(
        "crm.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("company"),
    )
    service_code = models.CharField(_("service"), max_length=80)
    service_name = models.CharField(max_length=TITLE_MAX_LENGTH)  # as it read when opened
    process = models.ForeignKey(
        ProcessTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN
    )
    closing_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("advisor"),
    )
    current_step = models.CharField(max_length=60, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(company__isnull=False),
                name="cases_case_has_client",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(closing_reason=""),
                name="cases_case_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "state", "opened_at"], name="cases_case_office_idx"),
            models.Index(fields=["assigned_to", "state"], name="cases_case_advisor_idx"),
            # Running cases only (a small share of all): the day view's "no contact" list.
            models.Index(
                fields=["assigned_to", "last_contact_at"],
                name="cases_case_contact_idx",
                condition=~Q(state="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.state == CaseState.CLOSED

    @property
    def client_name(self) -> str:
        return str(self.person or self.company)


class CaseStep(models.Model):
    """Where the case stands on one step of its process: started, due, done, what is ticked.
    What the step says (name, checklist, documents) is read from the case's process."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step_id = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField()
    target_days = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Ticked checklist items by position: {"0": {"by": "advisor@…", "at": "2026-…"}}
    ticks = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step_id"], name="cases_step_unique_id")
        ]
        indexes = [
            # Steps under way (started, not done): overdue checks look only at these.
            models.Index(
                fields=["case", "due_on"],
                name="cases_step_open_idx",
                condition=Q(completed_at__isnull=True, started_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.step_id

    @property
    def under_way(self) -> bool:
        """Started and not done yet."""
        return self.started_at is not None and self.completed_at is None

    @property
    def content(self) -> dict:
        process = self.case.process
        return process.steps_by_id.get(self.step_id, {}) if process else {}

    @property
    def name(self) -> dict:
        return self.content.get("name") or {"ca": self.step_id}

    @property
    def checklist(self) -> dict:
        return self.content.get("checklist") or {}

    @property
    def documents(self) -> dict:
        return self.content.get("documents") or {}


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video call")
    EMAIL = "email", _("e-mail")


class Session(TimeStampedModel):
    """One contact with the client. The office and client are copied from the case so that
    hours add up per office and per client (across offices) without joins."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "crm.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="advice_sessions",
        verbose_name=_("advisor"),
    )
    started_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    step_id = models.CharField(_("step"), max_length=60, blank=True)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    private_notes = models.TextField(_("private notes"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=MAX_SESSION_MINUTES),
                name="cases_session_duration_range",
            )
        ]
        indexes = [
            models.Index(fields=["case", "started_at"], name="cases_session_case_idx"),
            models.Index(fields=["person"], name="cases_session_person_idx"),
            models.Index(fields=["advisor", "started_at"], name="cases_session_advisor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.started_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    """A generated name: the client's file name is kept only in the database."""
    return f"cases/{instance.case.office_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    step_id = models.CharField(max_length=60, blank=True)
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Task(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=TITLE_MAX_LENGTH)
    due_on = models.DateField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_tasks",
        verbose_name=_("assigned to"),
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_on"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_on"], name="cases_task_todo_idx")
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeKind(models.TextChoices):
    BUSINESS_CREATED = "business_created", _("business created")
    JOBS_CREATED = "jobs_created", _("jobs created")
    JOBS_KEPT = "jobs_kept", _("jobs kept")
    FINANCING = "financing", _("financing obtained")
    PROCEDURE = "procedure", _("licence or procedure completed")
    TRAINING = "training", _("training completed")
    INTERNATIONAL = "international", _("export or international start")


class FinancingType(models.TextChoices):
    LOAN = "loan", _("loan")
    GRANT = "grant", _("grant")
    EQUITY = "equity", _("equity")
    MICROCREDIT = "microcredit", _("microcredit")
    OWN_FUNDS = "own_funds", _("own funds")


class Verification(models.TextChoices):
    DECLARED = "declared", _("declared")
    VERIFIED = "verified", _("verified with evidence")


class Outcome(TimeStampedModel):
    """A result of the advice. Only verified outcomes count as verified impact."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    occurred_on = models.DateField(_("date"))
    company = models.ForeignKey(
        "crm.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("company"),
    )
    jobs_fte = models.DecimalField(
        _("jobs (full-time equivalents)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(
        _("amount (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    financing_type = models.CharField(
        _("type of financing"), max_length=12, choices=FinancingType.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    evidence = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default="declared"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(verification="verified") | Q(evidence__isnull=False),
                name="cases_outcome_verified_has_evidence",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="cases_outcome_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(jobs_fte__isnull=True) | Q(jobs_fte__gte=0),
                name="cases_outcome_jobs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.kind}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class SharedPart(models.TextChoices):
    """What the receiving office may see of the referring case."""

    CONTACT = "contact", _("the client's contact details")
    SUMMARY = "summary", _("the case summary and steps")
    SESSIONS = "sessions", _("the sessions (dates, topics; never private notes)")
    DOCUMENTS = "documents", _("the documents")


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to office"),
    )
    to_service_code = models.CharField(_("service"), max_length=80)
    to_service_name = models.CharField(max_length=TITLE_MAX_LENGTH)
    reason = models.TextField(_("reason"))
    shared = models.JSONField(default=list)  # SharedPart values
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response_note = models.TextField(_("answer"), blank=True)
    received_case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["to_office", "status"], name="cases_referral_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_office_id}"

    @property
    def hours_to_answer(self) -> float | None:
        if self.responded_at is None:
            return None
        return round((self.responded_at - self.created_at).total_seconds() / 3600, 1)


# Agenda -----------------------------------------------------------------------------------


class AvailabilitySlot(models.Model):
    """A weekly period when an advisor takes appointments at an office."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="cases_slot_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AvailabilityException(models.Model):
    """A day (or part of one) when the advisor is away: holidays, training, leave."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="away"
    )
    date = models.DateField(_("date"))
    starts = models.TimeField(_("from"), null=True, blank=True)  # empty: the whole day
    ends = models.TimeField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CANCELLED = "cancelled", _("cancelled")
    ATTENDED = "attended", _("attended")
    NO_SHOW = "no_show", _("did not come")


class Appointment(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("advisor"),
    )
    person = models.ForeignKey(
        "crm.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("client"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("case"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.IN_PERSON
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="cases_appointment_order"
            )
        ]
        indexes = [
            models.Index(fields=["advisor", "starts_at"], name="cases_appointment_agenda_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """The secret address of an advisor's iCalendar feed (a new token revokes the old)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"calendar of user {self.user_id}"


class SurveyResponse(models.Model):
    """The satisfaction survey sent when a case closes, and its answer."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="survey")
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=10), name="cases_survey_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"survey of {self.case}"
