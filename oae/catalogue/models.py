"""The shared operating model: a draft that coordinators edit, immutable published versions,
each office's adapted copy, municipal variants of procedures, and the resource library."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oae.catalogue.schema import Kind
from oae.common.models import TimeStampedModel, VersionedModel

CODE_MAX_LENGTH = 40
KIND_CHOICES = [(kind.value, kind.value) for kind in Kind]


class ImmutableError(Exception):
    """A published version or its items cannot be changed."""


class Category(TimeStampedModel):
    """Service categories: an editable list (creation, financing, …), not versioned."""

    key = models.SlugField(_("key"), max_length=CODE_MAX_LENGTH, unique=True)
    name_ca = models.CharField(_("name (Catalan)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name_ca


class DraftItem(VersionedModel):
    """The network's working copy of one item; publishing snapshots every live draft item."""

    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH)
    content = models.JSONField(_("content"), default=dict)
    is_archived = models.BooleanField(_("removed from the next version"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="catalogue_draft_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class ItemRevision(models.Model):
    """Every saved state of a draft item: its edit history."""

    item = models.ForeignKey(DraftItem, on_delete=models.CASCADE, related_name="revisions")
    content = models.JSONField()
    is_archived = models.BooleanField(default=False)
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item} @ {self.saved_at:%Y-%m-%d %H:%M}"


class NetworkVersion(models.Model):
    """One published, numbered version of the network model. Never changed after creation."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    changelog = models.TextField(_("changelog"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("network model version")

    def __str__(self) -> str:
        return f"v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Published versions are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Published versions are immutable")


class PublishedItem(models.Model):
    """An item exactly as it was published in one version."""

    version = models.ForeignKey(NetworkVersion, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    code = models.SlugField(max_length=CODE_MAX_LENGTH)
    content = models.JSONField()

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "code"], name="catalogue_published_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}:{self.kind}:{self.code}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("Published items are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Published items are immutable")


class OfficeItem(VersionedModel):
    """One item of an office's catalogue: a network item at the version the office adopted,
    switched on or off, with the office's overrides; or an item of the office's own."""

    office = models.ForeignKey(
        "network.Office", on_delete=models.CASCADE, related_name="catalogue_items"
    )
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH)
    adopted_version = models.ForeignKey(
        NetworkVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enabled = models.BooleanField(_("offered"), default=True)
    overrides = models.JSONField(default=dict, blank=True)
    local_content = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "code"], name="catalogue_office_item_unique"
            ),
            models.CheckConstraint(
                condition=Q(adopted_version__isnull=False) | ~Q(local_content={}),
                name="catalogue_office_item_network_or_local",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "kind", "enabled"], name="catalogue_office_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.kind}:{self.code}"

    @property
    def is_local(self) -> bool:
        return self.adopted_version_id is None


class ProcedureVariant(VersionedModel):
    """How a network procedure works in one municipality, filled in by its office."""

    municipality = models.ForeignKey(
        "network.Municipality", on_delete=models.CASCADE, related_name="procedure_variants"
    )
    procedure_code = models.SlugField(max_length=CODE_MAX_LENGTH)
    where = models.JSONField(_("where"), default=dict, blank=True)
    local_fee = models.JSONField(_("local fee"), default=dict, blank=True)
    local_form_url = models.URLField(_("local form (link)"), blank=True)
    local_time = models.JSONField(_("local time"), default=dict, blank=True)
    notes = models.JSONField(_("notes"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "procedure_code"], name="catalogue_variant_unique"
            ),
        ]


class Resource(TimeStampedModel):
    """A file in the resource library (template, form…); each upload is a new revision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class ResourceFile(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="resources/%Y/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="catalogue_resource_file_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class SearchEntry(models.Model):
    """One offered item of an office's catalogue, in one language, for full-text search.
    Rebuilt for the office whenever its catalogue changes (catalogue.search)."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    code = models.SlugField(max_length=CODE_MAX_LENGTH)
    language = models.CharField(max_length=2)
    title = models.CharField(max_length=300)
    body = models.TextField()
    folded = models.TextField(help_text="lower-case, accent-free title and body (SQLite search)")

    class Meta:
        indexes = [models.Index(fields=["office", "language"], name="catalogue_search_office_idx")]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.kind}:{self.code}:{self.language}"


# Co-design: offices propose changes to the model, discuss them, the network adopts them ----


class ProposalState(models.TextChoices):
    OPEN = "open", pgettext_lazy("proposal", "open")
    UNDER_REVIEW = "under_review", _("under review")
    ACCEPTED = "accepted", pgettext_lazy("proposal", "accepted")
    ACCEPTED_WITH_CHANGES = "accepted_changes", pgettext_lazy("proposal", "accepted with changes")
    DECLINED = "declined", pgettext_lazy("proposal", "declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal", "withdrawn")


ACCEPTED_STATES = (ProposalState.ACCEPTED, ProposalState.ACCEPTED_WITH_CHANGES)


class Proposal(VersionedModel):
    """An office's proposed change to an item of the published model (or a new item): the
    item's fields as they would read, against the published content they were written from
    (`base_content`, empty for a new item), with the office's reason. Revised by its office
    while open; decided by the network; merged into the draft, then published."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH)
    is_new = models.BooleanField(default=False)
    base_version = models.ForeignKey(
        NetworkVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    base_content = models.JSONField(default=dict, blank=True)
    content = models.JSONField()
    reason = models.TextField(_("why"))
    state = models.CharField(
        _("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("the network's reason"), blank=True)
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_in = models.ForeignKey(
        NetworkVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ProposalState.DECLINED) | ~Q(decision_note=""),
                name="catalogue_proposal_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(merged_at__isnull=True)
                | Q(state__in=[s.value for s in ACCEPTED_STATES]),
                name="catalogue_proposal_merged_once_accepted",
            ),
        ]
        indexes = [models.Index(fields=["state", "kind", "code"], name="catalogue_proposal_idx")]

    def __str__(self) -> str:
        return f"{self.office_id}:{self.kind}:{self.code}"


class ProposalRevision(models.Model):
    """Each version of a proposal its office wrote: the first, then every revision."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    reason = models.TextField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="catalogue_proposal_revision_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} r{self.number}"


class ProposalEvidence(models.Model):
    """What backs a proposal: a note, a link or a file (checked by its content)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    note = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="proposals/%Y/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(note="") | ~Q(url="") | ~Q(file=""),
                name="catalogue_proposal_evidence_not_empty",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} evidence {self.pk}"


class ProposalComment(models.Model):
    """An office's word on a proposal (plain text or safe Markdown), written by its staff."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id} comment {self.pk}"


class ProposalSupport(models.Model):
    """One office backs a proposal: one support per office, whoever of its staff gives it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "office"], name="catalogue_one_support_per_office"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} supported by {self.office_id}"


class ProposalNotice(models.Model):
    """A change a person is told about, in the app (until read) and by e-mail (sent once by
    a job): a proposal's new state, or the version that took it up published."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_notices"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(max_length=30)  # a state, or "published"
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="catalogue_notice_unread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}"


class ConsultationRound(TimeStampedModel):
    """The network asks every office about items of the draft: between two dates, with its
    questions; the items' content as they stood when the round opened."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    questions = models.TextField(_("questions"))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    items = models.JSONField(default=list)  # [{"kind", "code", "content"}], as opened
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="catalogue_round_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Stance(models.TextChoices):
    AGREE = "agree", _("agree")
    AGREE_WITH_CHANGES = "agree_changes", _("agree with changes")
    DISAGREE = "disagree", _("disagree")


class ConsultationAnswer(models.Model):
    """An office's answer to a round, once: a stance and a comment per item."""

    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="answers")
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now_add=True)
    items = models.JSONField()  # {"kind:code": {"stance": …, "comment": …}}
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "office"], name="catalogue_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.office_id}"
