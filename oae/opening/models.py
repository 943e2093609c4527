"""Opening and follow-up of offices: the network's playbook (a draft and its published
versions), each municipality's path through it, the evidence that completes its items, the
collaboration agreements, the yearly reviews with their actions, and the municipality's own
contacts."""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oae.common.models import TimeStampedModel, VersionedModel
from oae.network.models import Municipality, Office

NOTE_MAX_LENGTH = 4000
URL_MAX_LENGTH = 500
EXPIRY_WARNING_DAYS = 90


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class ImmutableError(Exception):
    """A published playbook version is never changed."""


class PlaybookDraft(VersionedModel):
    """The next version, as the coordinators edit it (one row)."""

    content = models.JSONField(default=dict)


class PlaybookVersion(models.Model):
    number = models.PositiveIntegerField(_("version"), unique=True)
    content = models.JSONField()
    changelog = models.TextField(_("what changed"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Published playbook versions are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Published playbook versions are immutable")


class Path(TimeStampedModel):
    """A municipality's way from first contact to a sustainable office, on the playbook
    version it started on (kept until the coordinator moves it to a newer one)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="opening_path"
    )
    office = models.OneToOneField(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opening_path",
        verbose_name=_("office"),
    )
    version = models.ForeignKey(PlaybookVersion, on_delete=models.PROTECT, related_name="paths")
    started_on = models.DateField(_("started"))
    stage_key = models.CharField(max_length=40)
    stage_since = models.DateField()
    last_evidence_at = models.DateTimeField(null=True, blank=True)
    complete = models.BooleanField(default=False)

    class Meta:
        ordering = ["municipality__name"]
        indexes = [models.Index(fields=["stage_key"], name="opening_path_stage")]

    def __str__(self) -> str:
        return str(self.municipality)


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    LINK = "link", _("link")
    NOTE = "note", _("note")


def evidence_path(instance, filename: str) -> str:
    """A generated name: the uploaded file's name is kept only in the database."""
    return f"opening/{instance.path.municipality_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """What someone brought to complete an item (append-only: a newer one supersedes it).
    `review` is set for an item of a yearly review."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="evidence")
    review = models.ForeignKey(
        "Review", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    item_key = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    url = models.URLField(_("link"), max_length=URL_MAX_LENGTH, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        indexes = [models.Index(fields=["path", "item_key"], name="opening_evidence_item")]

    def __str__(self) -> str:
        return f"{self.item_key} ({self.get_kind_display()})"

    @property
    def office(self):
        """The office the audit trail files a probe under (none before there is one)."""
        return self.path.office


class ItemState(models.Model):
    """Where one item of a path (or of a yearly review) stands: done with its evidence or by
    its fact (whose proof is read live, in the reader's language), or open again since a fact
    stopped holding."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="states")
    review = models.ForeignKey(
        "Review", on_delete=models.CASCADE, null=True, blank=True, related_name="states"
    )
    item_key = models.CharField(max_length=40)
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True)
    by_fact = models.BooleanField(default=False)
    undone_at = models.DateTimeField(null=True, blank=True)  # a fact that stopped holding
    reopened_at = models.DateTimeField(null=True, blank=True)  # sent back by a coordinator
    reopen_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["path", "item_key"],
                condition=Q(review__isnull=True),
                name="opening_state_one_per_item",
            ),
            models.UniqueConstraint(
                fields=["review", "item_key"],
                condition=Q(review__isnull=False),
                name="opening_state_one_per_review_item",
            ),
        ]

    def __str__(self) -> str:
        return self.item_key


class Agreement(models.Model):
    """A collaboration agreement between the network and a council. A renewal is a new
    agreement that names the one it renews, so the history stays."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agreements"
    )
    renews = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewed_by"
    )
    parties = models.TextField(_("parties"), max_length=1000)
    signed_on = models.DateField(_("signed on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    renewal_on = models.DateField(_("renewal to decide by"))
    network_obligations = models.TextField(
        _("the network's obligations"), max_length=NOTE_MAX_LENGTH
    )
    municipality_obligations = models.TextField(
        _("the municipality's obligations"), max_length=NOTE_MAX_LENGTH
    )
    file = models.FileField(upload_to="opening/agreements/")
    original_name = models.CharField(_("file name"), max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal_on__gt=F("signed_on")),
                name="opening_agreement_renewal_after",
                violation_error_message=_("The renewal date must come after the signature."),
            ),
            models.CheckConstraint(
                condition=Q(term_months__gte=1),
                name="opening_agreement_has_a_term",
                violation_error_message=_("The term is at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.signed_on:%Y-%m-%d}"

    @property
    def office(self):
        path = Path.objects.filter(municipality_id=self.municipality_id).first()
        return path.office if path else None

    @property
    def ends_on(self) -> date:
        return months_after(self.signed_on, self.term_months)


class Review(TimeStampedModel):
    """An open office's yearly review: the scorecard as it stood, the meeting and what was
    agreed; its checklist is the playbook's review items."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    scorecard = models.JSONField(default=dict)
    met_on = models.DateField(_("meeting date"), null=True, blank=True)
    attendees = models.TextField(_("attendees"), max_length=1000, blank=True)
    findings = models.TextField(_("findings"), max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["path", "year"], name="opening_review_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.year}"

    @property
    def office(self):
        """The office the audit trail files a probe under (none before there is one)."""
        return self.path.office


class ReviewAction(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def office(self):
        return self.review.path.office


class Contact(TimeStampedModel):
    """A municipal officer who follows their municipality's path: sees it and brings
    evidence; invited like staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opening_contacts"
    )
    path = models.ForeignKey(Path, on_delete=models.PROTECT, related_name="contacts")
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invitation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="opening_contact_once")
        ]

    @property
    def office(self):
        """The office the audit trail files a probe under (none before there is one)."""
        return self.path.office


class DueDateFeed(models.Model):
    """The secret address of a user's iCalendar feed of opening due dates (a new token
    revokes the old)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opening_feed"
    )
    token = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"opening calendar of user {self.user_id}"
