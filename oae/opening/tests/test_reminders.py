"""Reminders: each owner's due items (the network's and every review action for coordinators,
the municipality's for its active contacts; an office's managers read their path but own
nothing), the weekly digest of what is overdue and stalled, and the iCalendar feed of due
dates behind a secret address that a new one revokes."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from oae.accounts.models import User
from oae.opening import contacts, reminders, services, tasks
from oae.opening.models import Contact, DueDateFeed, Path, ReviewAction
from oae.opening.tests.conftest import days_ago, signed_in
from oae.privacy.models import AuditEvent
from oae.testing.factories import MunicipalityFactory

TODAY = timezone.localdate


@pytest.fixture
def situation(path_a, path_b, contact_a, contact_b, coordinator):
    """Path A 40 days into its first stage (its first meeting and letter overdue; the contact
    is invited); path B 10 days in (nothing overdue); path C, without an office, started 100
    days ago and never heard of since: stalled."""
    User.objects.update(language="en")
    Path.objects.filter(pk=path_a.pk).update(stage_since=days_ago(40))
    path_c = services.path_start(
        actor=coordinator,
        municipality=MunicipalityFactory(name="Gavà", ine_code="08089"),
        started_on=days_ago(100),
    )
    return {"a": path_a, "b": path_b, "c": path_c}


def _owed(user) -> list[tuple[str, str, datetime.date]]:
    return [
        (d.path.municipality.name, d.key.split("-")[-1], d.due_on) for d in reminders.owed(user)
    ]


def _keys(user) -> set[str]:
    return {d.key for d in reminders.owed(user)}


@pytest.mark.django_db
def test_coordinators_owe_the_networks_items_of_every_path(situation, coordinator):
    a, b, c = situation["a"], situation["b"], situation["c"]
    assert _keys(coordinator) == {
        f"{a.public_id}-first_meeting",
        f"{b.public_id}-first_meeting",
        f"{c.public_id}-first_meeting",
        f"{c.public_id}-contact_named",
    }
    due = [d.due_on for d in reminders.owed(coordinator)]
    assert due == sorted(due)
    assert reminders.owed(coordinator)[0].due_on == days_ago(85)  # Gavà's first meeting


@pytest.mark.django_db
def test_contacts_owe_their_municipalitys_items_and_the_offices_managers_nothing(
    situation, contact_a, people, office_a
):
    a = situation["a"]
    assert _owed(contact_a) == [("Sant Boi de Llobregat", "letter_of_interest", days_ago(10))]
    assert reminders.owed(contact_a)[0].url == reverse("opening:path", args=[a.public_id])
    assert reminders.owed(people["manager_a"]) == []  # they read the path; the council acts
    assert reminders.owed(people["advisor_a"]) == []
    assert reminders.owed(people["auditor"]) == []


@pytest.mark.django_db
def test_a_contact_whose_access_was_removed_owes_nothing(situation, contact_a, coordinator):
    contact = Contact.objects.get(user=contact_a)
    contacts.contact_set_active(actor=coordinator, contact=contact, active=False)
    assert reminders.owed(contact_a) == []
    assert reminders.digest_for(contact_a) is None


@pytest.mark.django_db
def test_open_review_actions_are_the_coordinators(situation, coordinator, contact_a, people):
    review = services.review_open(actor=coordinator, path=situation["a"], year=2025)
    late = ReviewAction.objects.create(
        review=review, title="Difusió", owner="Oficina", due_on=days_ago(3)
    )
    ReviewAction.objects.create(
        review=review, title="Fet", owner="Oficina", due_on=days_ago(5), done_on=days_ago(4)
    )
    actions = {d.key: d for d in reminders.owed(coordinator) if d.title in ("Difusió", "Fet")}
    assert list(actions) == [str(late.public_id)]  # the one done is no longer owed
    assert actions[str(late.public_id)].url == reverse("opening:review", args=[review.public_id])
    assert reminders.digest_for(coordinator)["overdue"][-1].title == "Difusió"
    for reader in (contact_a, people["manager_a"]):  # the path's, but not theirs to act on
        assert "Difusió" not in [d.title for d in reminders.owed(reader)]


@pytest.mark.django_db
def test_the_digest_says_what_is_overdue_and_to_coordinators_what_is_stalled(
    situation, coordinator, contact_a, contact_b, people
):
    digest = reminders.digest_for(coordinator)
    assert [(d.path.municipality.name, d.title) for d in digest["overdue"]] == [
        ("Gavà", "First meeting with the council"),
        ("Gavà", "Municipal contact named"),
        ("Sant Boi de Llobregat", "First meeting with the council"),
    ]
    assert digest["stalled"] == [situation["c"]]
    contact_digest = reminders.digest_for(contact_a)
    assert [d.key.split("-")[-1] for d in contact_digest["overdue"]] == ["letter_of_interest"]
    assert contact_digest["stalled"] == []  # the network follows stalled paths
    assert reminders.digest_for(contact_b) is None  # owes an item, not yet overdue
    assert reminders.digest_for(people["manager_a"]) is None  # Sant Boi's, but not theirs
    assert reminders.digest_for(people["advisor_a"]) is None


@pytest.mark.django_db
def test_the_weekly_job_mails_each_owner_with_something_overdue_once(
    situation, coordinator, contact_a, people
):
    assert tasks.send_weekly_digests() == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {coordinator.email, contact_a.email}  # not office A's manager
    coordinator_mail = by_recipient[coordinator.email]
    assert coordinator_mail.subject == "Opening of offices: what is overdue this week"
    assert "Gavà" in coordinator_mail.body
    assert "These paths have had no new evidence for too long:" in coordinator_mail.body
    path_url = reverse("opening:path", args=[situation["a"].public_id])
    assert path_url in by_recipient[contact_a.email].body
    assert "Gavà" not in by_recipient[contact_a.email].body
    assert "no new evidence" not in by_recipient[contact_a.email].body


@pytest.mark.django_db
def test_nothing_overdue_nothing_stalled_no_mail(path_b, contact_b, coordinator):
    assert tasks.send_weekly_digests() == 0
    assert mail.outbox == []


# The iCalendar feed ------------------------------------------------------------------------


def _events(user) -> dict[str, object]:
    calendar = Calendar.from_ical(reminders.feed_ics(user))
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.django_db
def test_the_feed_is_a_calendar_of_the_users_due_dates_from_a_month_ago(situation, coordinator):
    a, b = situation["a"], situation["b"]
    coordinator.refresh_from_db()  # reads English now
    events = _events(coordinator)
    assert set(events) == {
        f"{a.public_id}-first_meeting@xarxa-oae",  # due 25 days ago
        f"{b.public_id}-first_meeting@xarxa-oae",  # due in 5 days
    }  # Gavà's, due 85 and 70 days ago, are left out
    event = events[f"{b.public_id}-first_meeting@xarxa-oae"]
    assert event.decoded("dtstart") == TODAY() + datetime.timedelta(days=5)  # all day
    assert str(event["summary"]) == "Badalona: First meeting with the council"
    assert str(event["url"]).endswith(reverse("opening:path", args=[b.public_id]))


@pytest.mark.django_db
def test_an_offices_manager_has_no_due_dates_in_a_calendar(situation, people):
    assert situation["a"].office.memberships.filter(user=people["manager_a"]).exists()
    assert _events(people["manager_a"]) == {}


@pytest.mark.django_db
def test_the_feeds_events_keep_their_ids_from_one_fetch_to_the_next(situation, contact_a):
    first, second = _events(contact_a), _events(contact_a)
    assert set(first) == set(second) == {f"{situation['a'].public_id}-letter_of_interest@xarxa-oae"}
    assert [e.decoded("dtstart") for e in first.values()] == [
        e.decoded("dtstart") for e in second.values()
    ]


@pytest.mark.django_db
def test_a_new_address_revokes_the_old(situation, contact_a):
    token = reminders.feed_token(contact_a)
    assert reminders.feed_token(contact_a) == token  # made once
    client = signed_in(contact_a)
    response = client.get(reverse("opening:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert Calendar.from_ical(response.content).walk("VEVENT")
    assert client.post(reverse("opening:feed_renew")).status_code == 302
    renewed = DueDateFeed.objects.get(user=contact_a).token
    assert renewed != token
    assert reminders.feed_owner(token) is None
    anonymous = Client()
    assert anonymous.get(reverse("opening:feed", args=[token])).status_code == 404
    assert anonymous.get(reverse("opening:feed", args=[renewed])).status_code == 200
    assert list(
        AuditEvent.objects.filter(action__startswith="opening.feed")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["opening.feed.create", "opening.feed.renew"]


@pytest.mark.django_db
def test_the_feed_of_a_deactivated_account_is_gone(situation, contact_a):
    token = reminders.feed_token(contact_a)
    contact_a.is_active = False
    contact_a.save(update_fields=["is_active"])
    assert reminders.feed_owner(token) is None
