"""The joint database: people and companies shared across the network, their relations, and
the append-only ledger of each person's consents."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from oae.common.models import VersionedModel

NAME_MAX_LENGTH = 150


class IdType(models.TextChoices):
    DNI = "dni", _("DNI")
    NIE = "nie", _("NIE")
    PASSPORT = "passport", _("passport")
    NONE = "", _("none")


class Gender(models.TextChoices):
    FEMALE = "female", _("woman")
    MALE = "male", _("man")
    NON_BINARY = "non_binary", _("non-binary")
    UNSAID = "unsaid", _("prefer not to say")


class EmploymentSituation(models.TextChoices):
    UNEMPLOYED = "unemployed", _("unemployed")
    EMPLOYED = "employed", _("employed")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    STUDENT = "student", _("student")
    RETIRED = "retired", _("retired")
    OTHER = "other", _("other")


class HeardFrom(models.TextChoices):
    TOWN_HALL = "town_hall", _("town hall")
    EMPLOYMENT_SERVICE = "employment_service", _("employment service")
    INTERNET = "internet", _("internet or social media")
    ACQUAINTANCE = "acquaintance", _("someone I know")
    EVENT = "event", _("an event or workshop")
    OTHER = "other", _("other")


class Person(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("registering office"),
        db_index=False,  # crm_person_office_idx (office, last_name) serves it
    )
    first_name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    last_name = models.CharField(_("surnames"), max_length=NAME_MAX_LENGTH, blank=True)
    id_type = models.CharField(
        _("identity document"), max_length=10, choices=IdType.choices, blank=True
    )
    id_number = models.CharField(_("document number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    # When known; the year is then its year (crm.services.person_clean derives it).
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    municipality = models.ForeignKey(
        "network.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of residence"),
    )
    # A client living outside the network's towns; a network town goes in `municipality`,
    # which offices' areas and reports read.
    other_municipality = models.ForeignKey(
        "reference.SpanishMunicipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality of residence (outside the network)"),
    )
    employment = models.CharField(
        _("employment situation"), max_length=20, choices=EmploymentSituation.choices, blank=True
    )
    heard_from = models.CharField(
        _("how they heard of the office"), max_length=20, choices=HeardFrom.choices, blank=True
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="ca"
    )
    search_text = models.TextField(editable=False, default="")
    # Derived from the name and year of birth (crm.matching.name_key): finds probable
    # duplicates by index.
    name_key = models.CharField(max_length=12, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The latest network-sharing consent event says "given" (kept by services.consent_record,
    # so scoping needs no subquery over the ledger).
    shares_with_network = models.BooleanField(
        _("shares with the network"), default=False, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # Also the index documents are looked up by (always with their type).
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=~Q(id_number=""),
                name="crm_person_unique_document",
            ),
            models.CheckConstraint(
                condition=Q(id_number="") | ~Q(id_type=""), name="crm_person_document_has_type"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) | Q(other_municipality__isnull=True),
                name="crm_person_one_residence",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_year=ExtractYear("birth_date")),
                name="crm_person_birth_year_of_date",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "last_name"], name="crm_person_office_idx"),
            models.Index(fields=["email"], name="crm_person_email_idx"),
            models.Index(fields=["phone"], name="crm_person_phone_idx"),
            # Covering: an import reads the names under its rows' keys from the index alone.
            models.Index(
                fields=["name_key"],
                include=["first_name", "last_name", "merged_into"],
                name="crm_person_name_key_cover",
            ),
            # The list's order, with every column its filters read: PostgreSQL finds a page's
            # keys from the index alone (the list asks for keys first), stopping after a page.
            models.Index(
                fields=["last_name", "first_name", "id"],
                include=[
                    "search_text",
                    "office",
                    "shares_with_network",
                    "merged_into",
                    "anonymised_at",
                ],
                name="crm_person_order_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def residence(self):
        """Where the person lives: a network town, a town elsewhere in Spain, or None."""
        return self.municipality or self.other_municipality


class LegalForm(models.TextChoices):
    SELF_EMPLOYED = "self_employed", _("self-employed")
    CIVIL_PARTNERSHIP = "civil_partnership", _("civil partnership")
    COMMUNITY_OF_PROPERTY = "community_property", _("community of property")
    LIMITED = "limited", _("limited company (SL)")
    PUBLIC_LIMITED = "public_limited", _("public limited company (SA)")
    COOPERATIVE = "cooperative", _("cooperative")
    LABOUR = "labour", _("labour company")
    ASSOCIATION = "association", _("association or foundation")
    OTHER = "other", _("other")


class Stage(models.TextChoices):
    IDEA = "idea", _("idea")
    IN_CREATION = "in_creation", _("in creation")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class Company(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("registering office"),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax ID (NIF)"), max_length=12, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    cnae = models.ForeignKey(
        "reference.CnaeActivity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("CNAE-2009 activity"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.IDEA)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    address = models.CharField(_("address"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        "network.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_id"], condition=~Q(tax_id=""), name="crm_company_unique_tax_id"
            ),
        ]
        indexes = [models.Index(fields=["stage", "legal_form"], name="crm_company_stage_idx")]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name


class Relation(models.TextChoices):
    FOUNDER = "founder", _("founder")
    PARTNER = "partner", _("partner")
    EMPLOYEE = "employee", _("employee")
    CONTACT = "contact", _("contact")


class PersonCompany(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="company_links")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="person_links")
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "company", "relation"], name="crm_person_company_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.company} ({self.relation})"


class Purpose(models.TextChoices):
    SERVICE = "service", _("advice from the registering office")
    NETWORK_SHARING = "network_sharing", _("sharing with the other offices of the network")
    COMMUNICATIONS = "communications", _("news and invitations")
    REFERRAL = "referral", _("referral to another office or service")


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", _("consent")
    PUBLIC_TASK = "public_task", _("public task")
    CONTRACT = "contract", _("contract")
    LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest")


class ConsentEvent(models.Model):
    """Append-only: a consent is given or withdrawn by adding an event, never by editing one.
    A person's current state for a purpose is their latest event for it."""

    class Action(models.TextChoices):
        GIVEN = "given", _("given")
        WITHDRAWN = "withdrawn", _("withdrawn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    lawful_basis = models.CharField(_("lawful basis"), max_length=20, choices=LawfulBasis.choices)
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["person", "purpose", "-occurred_at"], name="crm_consent_latest_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Consent events are append-only")
        super().save(*args, **kwargs)


class ImportJob(models.Model):
    """One spreadsheet of people or companies being imported: its column mapping, dry run and
    result. Every row ends as created, updated, unchanged or rejected (`report` says which and
    why)."""

    class Kind(models.TextChoices):
        PEOPLE = "people", _("people")
        COMPANIES = "companies", _("companies")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKED = "checked", _("dry run done")
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PEOPLE)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/")
    # How the file is read (imports/files.py): its sheet, encoding and separator as detected,
    # and the header row as the file numbers it (1 = the first), detected or chosen.
    sheet = models.CharField(max_length=100, blank=True)
    reading = models.JSONField(default=dict)
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # field -> column index
    # Whether the file's values replace an existing person's non-empty ones ("the file wins");
    # by default an import only fills blanks and lists the differences as conflicts.
    overwrite = models.BooleanField(default=False)
    cancel_requested = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)
    report = models.JSONField(default=list)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"


class ImportMapping(models.Model):
    """The columns an office last imported, by header (folded), so that its next spreadsheet
    of the same kind is mapped the same way."""

    office = models.ForeignKey("network.Office", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ImportJob.Kind.choices)
    columns = models.JSONField(default=dict)  # folded header -> field
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="crm_import_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.kind}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class DataRequest(models.Model):
    """A data-protection request about a person and who handled it (kept after erasure)."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("access (copy of the data)")
        ERASURE = "erasure", _("erasure")
        RETENTION = "retention", _("erasure by the retention rule")

    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="data_requests"
    )
    person_ref = models.CharField(max_length=36)  # the person's public id, kept as text
    office = models.ForeignKey("network.Office", on_delete=models.PROTECT, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-handled_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_ref}"


class PersonMerge(models.Model):
    """A merge of two records of the same person, with what is needed to undo it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survivor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges")
    absorbed = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    survivor_before = models.JSONField()
    absorbed_before = models.JSONField()
    moved = models.JSONField(default=dict)  # ids of the rows moved to the survivor, by table
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.absorbed_id} -> {self.survivor_id}"


class NameWord(models.Model):
    """A word of someone's name, folded ("garcia"): the vocabulary a search corrects typos
    against. It says nothing about who: it is kept while some record's name has it, and goes
    with the last one (crm/namewords.py)."""

    word = models.CharField(max_length=150, primary_key=True)
    # How many records have it: a hint for planning searches (rare words are looked up
    # differently from common ones), not a fact anything else relies on.
    people = models.PositiveIntegerField(default=0)

    # Words that begin with what is typed, whatever the database's collation, are found by
    # the index PostgreSQL is given for a text primary key ("…_like", varchar_pattern_ops).

    def __str__(self) -> str:
        return self.word
