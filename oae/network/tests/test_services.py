"""Network services: offices, opening hours, memberships, invitations — and their audit rows."""

from datetime import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from oae.accounts.models import User
from oae.common.concurrency import EditConflict
from oae.network import services
from oae.network.models import Membership, OfficeRole, OfficeStatus
from oae.network.services import Period
from oae.network.tasks import send_membership_invitation
from oae.privacy.models import AuditEvent
from oae.testing.factories import MembershipFactory, MunicipalityFactory, OfficeFactory, UserFactory

MORNING = Period(weekday=0, opens=time(9), closes=time(14))


def _office_data(municipality, **overrides):
    data = {
        "municipality": municipality,
        "name": "OAE Nova",
        "address": "Carrer Major, 1",
        "postal_code": "08001",
        "latitude": None,
        "longitude": None,
        "phone": "+34 934 02 70 00",
        "email": "nova@example.org",
        "languages": ["ca"],
        "status": OfficeStatus.PLANNED,
    }
    return data | overrides


@pytest.mark.django_db
def test_office_create_saves_hours_and_audits():
    coordinator = UserFactory()
    office = services.office_create(
        actor=coordinator, data=_office_data(MunicipalityFactory()), periods=[MORNING]
    )
    assert [str(p) for p in office.opening_periods.all()] == ["Monday 09:00–14:00"]
    event = AuditEvent.objects.get(action="network.office.create")
    assert event.actor == coordinator and event.office == office
    assert event.details["changes"]["name"] == {"from": None, "to": "OAE Nova"}


@pytest.mark.django_db
def test_office_update_records_only_what_changed():
    office = OfficeFactory(status=OfficeStatus.OPENING)
    services.office_update(
        actor=None,
        office=office,
        expected_version=office.lock_version,
        data={"status": OfficeStatus.OPEN, "name": office.name},
        periods=None,
    )
    office.refresh_from_db()
    assert office.status == OfficeStatus.OPEN and office.lock_version == 2
    event = AuditEvent.objects.get(action="network.office.update")
    assert event.details["changes"] == {"status": {"from": "opening", "to": "open"}}


@pytest.mark.django_db
def test_second_save_from_a_stale_form_is_refused_not_overwritten():
    office = OfficeFactory(name="Original")
    read_version = office.lock_version
    services.office_update(
        actor=None,
        office=office,
        expected_version=read_version,
        data={"name": "First save"},
        periods=None,
    )
    stale = type(office).objects.get(pk=office.pk)
    with pytest.raises(EditConflict):
        services.office_update(
            actor=None,
            office=stale,
            expected_version=read_version,
            data={"name": "Second save"},
            periods=None,
        )
    office.refresh_from_db()
    assert office.name == "First save"


@pytest.mark.django_db
def test_overlapping_opening_periods_are_refused():
    office = OfficeFactory()
    with pytest.raises(ValidationError):
        services.office_update(
            actor=None,
            office=office,
            expected_version=office.lock_version,
            data={},
            periods=[MORNING, Period(weekday=0, opens=time(13), closes=time(15))],
        )
    assert office.opening_periods.count() == 0


@pytest.mark.django_db
def test_inviting_a_new_person_creates_an_account_and_sends_one_email(
    django_capture_on_commit_callbacks,
):
    manager = MembershipFactory(role=OfficeRole.MANAGER)
    office = manager.office
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            actor=manager.user,
            office=office,
            email="Nova.Persona@Example.org",
            role=OfficeRole.ADVISOR,
            first_name="Nova",
        )
    user = User.objects.get(email="nova.persona@example.org")
    assert membership.user == user and not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    membership.refresh_from_db()
    assert membership.invitation_sent_at is not None
    assert AuditEvent.objects.filter(action="network.membership.invite", office=office).exists()


@pytest.mark.django_db
def test_invitation_job_is_idempotent():
    membership = MembershipFactory()
    assert send_membership_invitation(membership.pk) is True
    assert send_membership_invitation(membership.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_inviting_an_existing_colleague_adds_a_second_office(django_capture_on_commit_callbacks):
    advisor = MembershipFactory(role=OfficeRole.ADVISOR)
    other_office = OfficeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_invite(
            actor=None, office=other_office, email=advisor.user.email, role=OfficeRole.READ_ONLY
        )
    assert set(advisor.user.memberships.values_list("office", flat=True)) == {
        advisor.office_id,
        other_office.pk,
    }
    assert "/accounts/login/" in mail.outbox[0].body


@pytest.mark.django_db
def test_inviting_someone_already_active_is_refused_with_a_message():
    advisor = MembershipFactory(role=OfficeRole.ADVISOR)
    with pytest.raises(ValidationError, match="already works at this office"):
        services.membership_invite(
            actor=None, office=advisor.office, email=advisor.user.email, role=OfficeRole.MANAGER
        )


@pytest.mark.django_db
def test_reinviting_a_deactivated_person_reactivates_their_membership():
    membership = MembershipFactory(is_active=False)
    again = services.membership_invite(
        actor=None, office=membership.office, email=membership.user.email, role=OfficeRole.MANAGER
    )
    assert again.pk == membership.pk and again.is_active and again.role == OfficeRole.MANAGER


@pytest.mark.django_db
def test_role_change_and_deactivation_are_audited_and_never_delete():
    manager = MembershipFactory(role=OfficeRole.MANAGER)
    advisor = MembershipFactory(office=manager.office, role=OfficeRole.ADVISOR)
    services.membership_change_role(actor=manager.user, membership=advisor, role=OfficeRole.MANAGER)
    services.membership_set_active(actor=manager.user, membership=advisor, active=False)
    advisor.refresh_from_db()
    assert advisor.role == OfficeRole.MANAGER and advisor.is_active is False
    assert Membership.objects.filter(pk=advisor.pk).exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["network.membership.role_change", "network.membership.deactivate"]


@pytest.mark.django_db
def test_nobody_changes_their_own_membership():
    manager = MembershipFactory(role=OfficeRole.MANAGER)
    with pytest.raises(ValidationError):
        services.membership_set_active(actor=manager.user, membership=manager, active=False)
    with pytest.raises(ValidationError):
        services.membership_change_role(
            actor=manager.user, membership=manager, role=OfficeRole.ADVISOR
        )


@pytest.mark.django_db
def test_pending_invitations_command_sends_each_once():
    from django.core.management import call_command

    MembershipFactory()
    MembershipFactory(is_active=False)
    call_command("send_pending_invitations", wait=5)
    call_command("send_pending_invitations", wait=5)
    assert len(mail.outbox) == 1
