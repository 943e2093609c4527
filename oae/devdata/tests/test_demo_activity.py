"""The demo's year of office activity: loaded once however often it runs, carried on by a later
load as if loaded in one go, dated consistently, and big enough for the reports to show."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from oae.accounts.models import User
from oae.cases.models import (
    Attachment,
    Case,
    CaseState,
    CaseStep,
    Outcome,
    Referral,
    ReferralStatus,
    Session,
    SurveyResponse,
    Verification,
)
from oae.catalogue.starter import starter_model_load
from oae.crm.models import ConsentEvent, Person
from oae.devdata.demo.activity import activity_demo_load
from oae.devdata.demo.activity_plan import HISTORY_DAYS, REFERENCE_PREFIX
from oae.devdata.demo.catalogue import catalogue_demo_load
from oae.devdata.demo.network import DEMO_USERS, demo_network_load
from oae.network.models import Office
from oae.reports import periods, selectors
from oae.reports.disclosure import THRESHOLD
from oae.reports.kpis import ALL, BY_CODE, Cut

SHOWN = ["people_served", "sessions", "advice_hours", "satisfaction_mean"]


@pytest.fixture
def offices():
    """What the activity stands on: towns, the demo offices and staff, their catalogues."""
    call_command("load_reference_data")
    demo_network_load()
    starter_model_load()
    catalogue_demo_load()
    return {
        "santboi": Office.objects.get(name__contains="Sant Boi"),
        "badalona": Office.objects.get(name__contains="Badalona"),
    }


@pytest.fixture
def loaded(offices):
    assert activity_demo_load() > 0
    return offices


def _generated():
    return Case.objects.filter(reference__startswith=REFERENCE_PREFIX)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _months_before(today: datetime.date, count: int) -> list[periods.Period]:
    """The `count` full months before today's, the latest first."""
    months, first = [], today.replace(day=1)
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(periods.month(first.year, first.month))
    return months


def _story_of(since: datetime.date) -> dict:
    """What the generated stories that began on or after `since` look like: every case, its
    sessions, steps, outcomes, survey and referral (the advisors aside: who gets a case
    depends on the day it is loaded)."""
    first = since.strftime("%y%m%d")
    cases = {case.pk: case.reference for case in _generated() if case.reference[8:14] >= first}
    rows = {
        "cases": _generated().values_list(
            "pk", "state", "closed_at", "closing_reason", "current_step", "last_contact_at"
        ),
        "sessions": Session.objects.values_list(
            "case", "started_at", "duration_minutes", "channel", "step_id"
        ),
        "steps": CaseStep.objects.values_list(
            "case", "step_id", "started_at", "due_on", "completed_at"
        ),
        "outcomes": Outcome.objects.values_list(
            "case", "kind", "occurred_on", "verification", "amount", "jobs_fte", "created_at"
        ),
        "surveys": SurveyResponse.objects.values_list("case", "sent_at", "answered_at", "score"),
        "referrals": Referral.objects.values_list(
            "case", "status", "created_at", "responded_at", "received_case__reference"
        ),
    }
    return {
        name: sorted((cases[row[0]], *map(str, row[1:])) for row in found if row[0] in cases)
        for name, found in rows.items()
    }


@pytest.mark.django_db
def test_loading_again_adds_and_changes_nothing(loaded):
    counts, story = _row_counts(), _story_of(datetime.date(2000, 1, 1))
    assert activity_demo_load() == 0
    assert _row_counts() == counts
    assert _story_of(datetime.date(2000, 1, 1)) == story


@pytest.mark.django_db
def test_a_later_load_carries_on_the_running_cases_as_if_loaded_at_once(offices):
    now = timezone.now()
    since = timezone.localdate(now) - datetime.timedelta(days=HISTORY_DAYS)
    with transaction.atomic():
        activity_demo_load(now=now)
        at_once = _story_of(since)
        transaction.set_rollback(True)
    assert not _generated().exists()

    activity_demo_load(now=now - datetime.timedelta(days=75))
    running = set(_generated().exclude(state=CaseState.CLOSED).values_list("pk", flat=True))
    assert activity_demo_load(now=now) > 0  # the days since

    assert _story_of(since) == at_once
    # The cases left running by the first load went on: most are closed by now.
    assert _generated().filter(pk__in=running, state=CaseState.CLOSED).count() > len(running) / 2


@pytest.mark.django_db
def test_every_open_office_is_busy_in_each_of_the_last_twelve_months(loaded):
    open_offices = list(selectors.reported_offices())
    assert len(open_offices) == 4  # Sant Boi, Badalona, Barcelona – Ciutat Vella, Sant Cugat
    for period in _months_before(timezone.localdate(), 12):
        for office in open_offices:
            cut = Cut(period=period, offices=frozenset({office.pk}))
            for code in ("new_clients", "cases_opened", "sessions", "cases_closed"):
                assert BY_CODE[code].figures(cut)[ALL].value > 0, (office.name, period, code)


@pytest.mark.django_db
def test_dates_follow_one_another_and_none_is_ahead_of_now(loaded):
    now, today = timezone.now(), timezone.localdate()
    cases = {case.pk: case for case in _generated().select_related("person")}
    for case in cases.values():
        assert case.person.created_at <= case.opened_at <= now
        assert (case.state == CaseState.CLOSED) == (case.closed_at is not None)
        if case.closed_at is not None:
            assert case.opened_at < case.closed_at <= now and case.closing_reason
    for session in Session.objects.filter(case__in=cases):
        case = cases[session.case_id]
        end = session.started_at + datetime.timedelta(minutes=session.duration_minutes)
        assert case.opened_at <= session.started_at and end <= (case.closed_at or now)
        assert session.person_id == case.person_id and session.office_id == case.office_id
    for step in CaseStep.objects.filter(case__in=cases, completed_at__isnull=False):
        case = cases[step.case_id]
        assert case.opened_at <= step.started_at <= step.completed_at <= (case.closed_at or now)
    for outcome in Outcome.objects.filter(case__in=cases).select_related("evidence"):
        case = cases[outcome.case_id]
        closed_on = timezone.localdate(case.closed_at) if case.closed_at else today
        assert timezone.localdate(case.opened_at) <= outcome.occurred_on <= closed_on
        assert outcome.created_at <= (case.closed_at or now)
        if outcome.verification == Verification.VERIFIED:
            assert outcome.evidence.case_id == case.pk
            assert outcome.evidence.uploaded_at == outcome.verified_at == outcome.created_at
            assert outcome.evidence.file.read(5) == b"%PDF-"
    for survey in SurveyResponse.objects.filter(case__in=cases):
        case = cases[survey.case_id]
        assert case.closed_at < survey.sent_at
        assert survey.answered_at is None or survey.sent_at < survey.answered_at <= now
    for referral in Referral.objects.filter(case__in=cases).select_related("received_case"):
        assert cases[referral.case_id].opened_at < referral.created_at <= now
        if referral.status == ReferralStatus.PENDING:
            continue
        assert referral.created_at < referral.responded_at <= now
        received = referral.received_case
        assert (received is not None) == (referral.status == ReferralStatus.ACCEPTED)
        assert received is None or received.opened_at == referral.responded_at
    generated_people = Person.objects.filter(cases__in=cases).distinct()
    assert not ConsentEvent.objects.filter(person__in=generated_people, occurred_at__gt=now)
    assert not Attachment.objects.filter(case__in=cases, uploaded_at__gt=now)


@pytest.mark.django_db
def test_the_generated_clients_are_plainly_made_up(loaded):
    people = Person.objects.filter(cases__reference__startswith=REFERENCE_PREFIX).distinct()
    assert people.count() > 1000
    assert not people.exclude(email__endswith="@example.org")
    assert not people.exclude(id_number="", phone="")


@pytest.mark.django_db
def test_the_demo_logins_keep_only_cases_closed_before_today(loaded):
    logins = User.objects.filter(email__in=[user.email for user in DEMO_USERS])
    theirs = _generated().filter(assigned_to__in=logins)
    assert theirs.exists()  # their own cases, in the reports by advisor
    today_starts = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    assert not theirs.exclude(state=CaseState.CLOSED, closed_at__lt=today_starts)


@pytest.mark.django_db
def test_last_month_sant_boi_and_badalona_show_each_other_figures_per_inhabitant(loaded):
    period = _months_before(timezone.localdate(), 1)[0]
    for office in loaded.values():
        cut = Cut(period=period, offices=frozenset({office.pk}))
        for code in SHOWN:
            figure = BY_CODE[code].figures(cut)[ALL]
            assert figure.value and figure.people >= THRESHOLD, (office.name, code, figure)

    # Badalona's manager compares the offices: Sant Boi's figures are not hidden.
    manager = User.objects.get(email="gerent.badalona@xarxa-oae.example")
    compared = selectors.comparison(manager, period, SHOWN)
    rows = {row.office.pk: row for row in compared.rows}
    santboi, badalona = rows[loaded["santboi"].pk], rows[loaded["badalona"].pk]
    assert badalona.own and not santboi.own
    for code in SHOWN:
        assert santboi.figures[code].value is not None, code
    assert santboi.per_inhabitants("people_served") != badalona.per_inhabitants("people_served")
