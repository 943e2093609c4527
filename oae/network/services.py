"""Every write to network data: municipalities, offices, opening hours and staff memberships."""

from dataclasses import dataclass
from datetime import time

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oae.accounts.models import User
from oae.common.concurrency import save_with_version
from oae.network.models import Membership, Municipality, Office, OfficeRole, OpeningPeriod
from oae.network.tasks import send_membership_invitation
from oae.privacy.services import audit_record, changes_between, model_snapshot

MUNICIPALITY_FIELDS = [
    "ine_code",
    "name",
    "comarca",
    "population",
    "population_year",
    "latitude",
    "longitude",
]
OFFICE_FIELDS = [
    "municipality",
    "name",
    "address",
    "postal_code",
    "latitude",
    "longitude",
    "phone",
    "email",
    "languages",
    "status",
]


@dataclass(frozen=True)
class Period:
    weekday: int
    opens: time
    closes: time


def _stored_snapshot(instance, fields: list[str]) -> dict:
    """Values as stored, not as on `instance` (a bound ModelForm has already changed it)."""
    return model_snapshot(type(instance).objects.get(pk=instance.pk), fields)


# Municipalities ---------------------------------------------------------------------------


@transaction.atomic
def municipality_save(*, actor, municipality: Municipality | None, data: dict) -> Municipality:
    """Create (municipality=None) or update a municipality from validated form data."""
    creating = municipality is None
    municipality = municipality or Municipality()
    before = {} if creating else _stored_snapshot(municipality, MUNICIPALITY_FIELDS)
    for name in MUNICIPALITY_FIELDS:
        setattr(municipality, name, data[name])
    municipality.full_clean()
    municipality.save()
    changes = changes_between(before, model_snapshot(municipality, MUNICIPALITY_FIELDS))
    if changes:
        verb = "create" if creating else "update"
        audit_record(
            action=f"network.municipality.{verb}",
            actor=actor,
            target=municipality,
            details={"changes": changes},
        )
    return municipality


def municipality_upsert_reference(*, row: dict) -> bool:
    """Load one row of the shipped reference file; returns True when something changed."""
    municipality = Municipality.objects.filter(ine_code=row["ine_code"]).first()
    if municipality is not None and all(
        str(getattr(municipality, k)) == str(v) for k, v in row.items()
    ):
        return False
    municipality_save(actor=None, municipality=municipality, data=row)
    return True


# Offices ----------------------------------------------------------------------------------


def _opening_snapshot(office: Office) -> list[str]:
    return [str(period) for period in office.opening_periods.all()]


def _replace_opening_periods(office: Office, periods: list[Period]) -> None:
    office.opening_periods.all().delete()
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(office=office, weekday=p.weekday, opens=p.opens, closes=p.closes)
        for p in periods
    )


def validate_periods(periods: list[Period]) -> None:
    """Periods of one day must not overlap, and each must close after it opens."""
    by_day: dict[int, list[Period]] = {}
    for period in periods:
        if period.opens >= period.closes:
            raise ValidationError(_("Each opening period must close after it opens."))
        by_day.setdefault(period.weekday, []).append(period)
    for day_periods in by_day.values():
        day_periods.sort(key=lambda p: p.opens)
        for earlier, later in zip(day_periods, day_periods[1:], strict=False):
            if later.opens < earlier.closes:
                raise ValidationError(_("Two opening periods on the same day overlap."))


@transaction.atomic
def office_create(*, actor, data: dict, periods: list[Period]) -> Office:
    validate_periods(periods)
    office = Office(**{name: data[name] for name in OFFICE_FIELDS})
    office.full_clean()
    office.save()
    _replace_opening_periods(office, periods)
    audit_record(
        action="network.office.create",
        actor=actor,
        target=office,
        office=office,
        details={"changes": changes_between({}, model_snapshot(office, OFFICE_FIELDS))},
    )
    return office


@transaction.atomic
def office_update(
    *, actor, office: Office, expected_version: int, data: dict, periods: list[Period] | None
) -> Office:
    """Change the given fields; refused with EditConflict if someone saved in between."""
    validate_periods(periods or [])
    fields = [name for name in OFFICE_FIELDS if name in data]
    before = _stored_snapshot(office, fields)
    hours_before = _opening_snapshot(office)
    for name in fields:
        setattr(office, name, data[name])
    office.full_clean()
    save_with_version(office, expected_version=expected_version, fields=fields)
    details = {"changes": changes_between(before, model_snapshot(office, fields))}
    if periods is not None:
        _replace_opening_periods(office, periods)
        hours_after = _opening_snapshot(office)
        if hours_after != hours_before:
            details["changes"]["opening_hours"] = {"from": hours_before, "to": hours_after}
    if details["changes"]:
        audit_record(
            action="network.office.update",
            actor=actor,
            target=office,
            office=office,
            details=details,
        )
    return office


# Staff memberships ------------------------------------------------------------------------


def _refuse_own_membership(actor, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        raise ValidationError(
            _("You cannot change your own role or access; ask another manager or a coordinator.")
        )


def user_for_invitation(*, email: str, first_name: str, last_name: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        # The inviting manager vouches for the address; the invitation link proves it works.
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@transaction.atomic
def membership_invite(
    *, actor, office: Office, email: str, role: str, first_name: str = "", last_name: str = ""
) -> Membership:
    """Give a person (new or existing account) a role in the office and e-mail them."""
    email = email.strip().lower()
    user = user_for_invitation(email=email, first_name=first_name, last_name=last_name)
    membership = Membership.objects.filter(user=user, office=office).first()
    if membership is not None and membership.is_active:
        raise ValidationError(
            _("%(email)s already works at this office as %(role)s."),
            params={"email": email, "role": membership.get_role_display()},
        )
    if membership is None:
        membership = Membership(user=user, office=office)
    membership.role, membership.is_active = role, True
    membership.invited_by, membership.invitation_sent_at = actor, None
    membership.full_clean(validate_unique=False)
    membership.save()
    audit_record(
        action="network.membership.invite",
        actor=actor,
        target=membership,
        office=office,
        details={"email": email, "role": role},
    )
    transaction.on_commit(lambda: send_membership_invitation.delay(membership.pk))
    return membership


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    _refuse_own_membership(actor, membership)
    if role not in OfficeRole.values:
        raise ValidationError(_("Choose one of the listed roles."))
    if membership.role == role:
        return membership
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        action="network.membership.role_change",
        actor=actor,
        target=membership,
        office=membership.office,
        details={"changes": {"role": {"from": previous, "to": role}}},
    )
    return membership


@transaction.atomic
def membership_set_active(*, actor, membership: Membership, active: bool) -> Membership:
    """Deactivate (or reactivate) a membership; memberships are never deleted."""
    _refuse_own_membership(actor, membership)
    if membership.is_active == active:
        return membership
    membership.is_active = active
    membership.save(update_fields=["is_active", "updated_at"])
    verb = "reactivate" if active else "deactivate"
    audit_record(
        action=f"network.membership.{verb}",
        actor=actor,
        target=membership,
        office=membership.office,
    )
    return membership
