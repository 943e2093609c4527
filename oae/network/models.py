"""Municipalities, their offices, opening hours and the staff who work there."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oae.common.models import TimeStampedModel, VersionedModel
from oae.network.hours import Weekday, weekly_hours
from oae.network.validators import (
    INE_CODE_LENGTH,
    validate_ine_code,
    validate_latitude,
    validate_longitude,
    validate_phone,
)
from oae.scoping import OfficeRole

NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300
PHONE_MAX_LENGTH = 30


class Municipality(TimeStampedModel):
    ine_code = models.CharField(
        _("INE code"), max_length=INE_CODE_LENGTH, unique=True, validators=[validate_ine_code]
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    comarca = models.CharField(_("comarca"), max_length=100)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population year"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=[validate_latitude]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=[validate_longitude]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="network_municipality_coordinates_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OfficeStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPENING = "opening", _("opening")
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended")
    CLOSED = "closed", _("closed")


class ServedLanguage(models.TextChoices):
    CATALAN = "ca", _("Catalan")
    SPANISH = "es", _("Spanish")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ROMANIAN = "ro", _("Romanian")
    URDU = "ur", _("Urdu")


class Office(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    address = models.CharField(_("address"), max_length=ADDRESS_MAX_LENGTH)
    postal_code = models.CharField(_("postal code"), max_length=5)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_latitude],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_longitude],
    )
    phone = models.CharField(
        _("phone"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(_("languages served"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OfficeStatus.choices,
        default=OfficeStatus.PLANNED,
        db_index=True,
    )

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="network_office_unique_name_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfficeStatus.values), name="network_office_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def language_labels(self) -> list[str]:
        labels = dict(ServedLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    @property
    def weekly_hours(self):
        return weekly_hours(self.opening_periods.all())


class OpeningPeriod(models.Model):
    """One opening period of an office on one weekday (a day may have two: morning, afternoon)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")),
                name="network_opening_opens_before_closes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class JobRole(models.TextChoices):
    """What a person does at an office (not what they may do on the platform)."""

    MANAGER = "manager", _("office manager")
    ADVISOR = "advisor", _("advisor")
    FRONT_DESK = "front_desk", _("front desk")


# The job a membership stands for when none is recorded: its access role read as a job.
JOB_OF_OFFICE_ROLE = {
    OfficeRole.MANAGER: JobRole.MANAGER,
    OfficeRole.ADVISOR: JobRole.ADVISOR,
    OfficeRole.READ_ONLY: JobRole.FRONT_DESK,
}
MIN_FTE, MAX_FTE = Decimal("0.05"), Decimal("1.00")


class Membership(TimeStampedModel):
    """A person's role in one office; deactivated, never deleted, so history stays readable."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=OfficeRole.choices)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    # The post held, for the staffing plan: the job (blank: read from the access role), the
    # share of a full-time post, and the dates in post (blank: open-ended).
    job_role = models.CharField(_("job"), max_length=20, choices=JobRole.choices, blank=True)
    fte = models.DecimalField(
        _("full-time equivalent"),
        max_digits=3,
        decimal_places=2,
        default=MAX_FTE,
        validators=[MinValueValidator(MIN_FTE), MaxValueValidator(MAX_FTE)],
    )
    starts_on = models.DateField(_("in post from"), null=True, blank=True)
    ends_on = models.DateField(_("in post until"), null=True, blank=True)

    class Meta:
        ordering = ["office", "user__last_name", "user__email"]
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="network_membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=OfficeRole.values), name="network_membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=MIN_FTE) & Q(fte__lte=MAX_FTE),
                name="network_membership_fte_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="network_membership_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["user", "is_active"], name="network_membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.office} ({self.get_role_display()})"

    @property
    def job(self) -> str:
        return self.job_role or JOB_OF_OFFICE_ROLE[self.role]
