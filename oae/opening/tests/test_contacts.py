"""A municipality's contacts: council officers invited the way staff are (one e-mail, sent by
the job after the invitation is saved), who follow their municipality's path only; their
access removed and given again, every change audited."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from oae.opening import access, contacts, invitations, tasks
from oae.opening.models import Contact
from oae.privacy.models import AuditEvent
from oae.scoping import follows_a_path, is_staff_member
from oae.testing.factories import UserFactory


def _invite(path, actor, email="Ajuntament@SantBoi.example", **names):
    return contacts.contact_invite(actor=actor, path=path, email=email, **names)


@pytest.mark.django_db
def test_a_new_officer_gets_an_account_and_one_invitation(
    path_a, coordinator, office_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = _invite(path_a, coordinator, first_name="Ramon", last_name="Pujol")
    assert contact.user.email == "ajuntament@santboi.example"
    assert not contact.user.has_usable_password()
    assert (contact.is_active, contact.invited_by) == (True, coordinator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ajuntament@santboi.example"]
    assert "Sant Boi de Llobregat" in message.subject  # in Catalan: a new account's language
    assert "/accounts/password/reset/key/" in message.body  # choose a password, once
    contact.refresh_from_db()
    assert contact.invitation_sent_at is not None
    # The job again (a retry, a second worker) sends nothing more.
    assert tasks.send_contact_invitation(contact.pk) is False
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="opening.contact.invite")
    assert (event.actor, event.office, event.details) == (
        coordinator,
        office_a,
        {"email": "ajuntament@santboi.example"},
    )


@pytest.mark.django_db
def test_an_officer_with_an_account_is_told_to_sign_in(
    path_a, coordinator, django_capture_on_commit_callbacks
):
    officer = UserFactory(email="regidoria@santboi.example", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(path_a, coordinator, email="regidoria@santboi.example")
    assert Contact.objects.get().user == officer
    message = mail.outbox[0]
    assert message.subject == (
        "Follow the opening of Sant Boi de Llobregat's business support office"
    )
    assert "Sign in with your usual e-mail and password" in message.body
    assert "/accounts/login/" in message.body


@pytest.mark.django_db
def test_an_officer_already_following_the_path_is_not_invited_again(contact_a, path_a, coordinator):
    with pytest.raises(ValidationError) as error:
        _invite(path_a, coordinator, email=" AJUNTAMENT@santboi.example ")
    assert error.value.messages == ["ajuntament@santboi.example already follows this path."]
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_an_officer_follows_only_their_municipalitys_path(contact_a, path_a, path_b):
    assert follows_a_path(contact_a) and not is_staff_member(contact_a)
    assert list(access.paths_for(contact_a)) == [path_a]
    assert access.may_add_evidence(contact_a, path_a)
    assert not access.may_add_evidence(contact_a, path_b)
    assert not access.may_edit(contact_a)


@pytest.mark.django_db
def test_access_removed_and_given_again_is_audited_and_invites_once_more(
    contact_a, path_a, coordinator, django_capture_on_commit_callbacks
):
    contact = Contact.objects.get(user=contact_a)
    contacts.contact_set_active(actor=coordinator, contact=contact, active=False)
    assert list(access.paths_for(contact_a)) == []
    assert not follows_a_path(contact_a)
    assert tasks.send_contact_invitation(contact.pk) is False  # no e-mail to a removed contact
    contacts.contact_set_active(actor=coordinator, contact=contact, active=False)  # no change
    with django_capture_on_commit_callbacks(execute=True):
        again = _invite(path_a, coordinator)
    assert again.pk == contact.pk and again.is_active
    assert len(mail.outbox) == 1
    assert list(
        AuditEvent.objects.filter(action__startswith="opening.contact")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["opening.contact.invite", "opening.contact.deactivate", "opening.contact.invite"]


@pytest.mark.django_db
def test_the_invitation_is_sent_by_the_job_not_by_the_invitation_itself(path_a, coordinator):
    contact = _invite(path_a, coordinator)  # the transaction is not committed: no job yet
    assert mail.outbox == []
    assert invitations.contact_invitation_send(contact_id=contact.pk) is True
    assert invitations.contact_invitation_send(contact_id=contact.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_access_given_back_is_audited(contact_a, path_a, coordinator, office_a):
    contact = Contact.objects.get(user=contact_a)
    contacts.contact_set_active(actor=coordinator, contact=contact, active=False)
    contacts.contact_set_active(actor=coordinator, contact=contact, active=True)
    assert list(access.paths_for(contact_a)) == [path_a]
    event = AuditEvent.objects.get(action="opening.contact.reactivate")
    assert (event.actor, event.office, event.details) == (
        coordinator,
        office_a,
        {"email": "ajuntament@santboi.example"},
    )
