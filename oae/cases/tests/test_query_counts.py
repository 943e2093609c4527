"""Every list and detail page of case management reads in a fixed number of queries, however
many rows it shows: each page is filled with ROWS rows, so one query per row (an N+1) breaks
its ceiling."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oae.cases import agenda, referrals, services

ROWS = 8


def _tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def many_cases(case_a, people, office_a, client_a):
    """case_a and ROWS - 1 more cases of the same client, each with a task and a booking."""
    advisor = people["advisor_a"]
    person, company = client_a
    cases = [case_a] + [
        services.case_open(
            actor=advisor,
            office=office_a,
            service_code="crear" if n % 2 else "financar",
            advisor=advisor,
            person=person,
            company=company,
        )
        for n in range(ROWS - 1)
    ]
    for hour, case in enumerate(cases, start=8):
        services.task_add(
            actor=advisor, case=case, title="Pla", due_on=timezone.localdate(), assignee=advisor
        )
        agenda.appointment_book(
            actor=advisor,
            office=office_a,
            advisor=advisor,
            starts_at=_tomorrow_at(hour),
            ends_at=_tomorrow_at(hour) + datetime.timedelta(minutes=30),
            person=person,
            case=case,
        )
    return cases


@pytest.fixture
def referrals_to_b(many_cases, people, office_b):
    """A referral of each case to office B, sharing every part of the case."""
    return [
        referrals.referral_create(
            actor=people["advisor_a"],
            case=case,
            to_office=office_b,
            service_code="financar",
            reason="Finançament",
            shared=["contact", "summary", "sessions", "documents"],
            consent_given_now=True,
        )
        for case in many_cases
    ]


@pytest.mark.django_db
def test_the_case_list_reads_in_a_fixed_number_of_queries(
    many_cases, client_for, django_assert_max_num_queries
):
    client = client_for("advisor_a")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("cases:list"))
    assert len(page.context["page"].object_list) == ROWS


@pytest.mark.django_db
def test_the_agenda_week_reads_in_a_fixed_number_of_queries(
    many_cases, client_for, django_assert_max_num_queries
):
    client = client_for("advisor_a")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.get(reverse("cases:agenda"))  # the calendar address is made on the first visit
    with django_assert_max_num_queries(10):
        page = client.get(reverse("cases:agenda"), {"week": tomorrow})
    assert sum(len(day.appointments) for day in page.context["week"].days) == ROWS


@pytest.mark.django_db
def test_the_referral_inbox_reads_in_a_fixed_number_of_queries(
    referrals_to_b, client_for, django_assert_max_num_queries
):
    client = client_for("advisor_b")
    with django_assert_max_num_queries(7):
        page = client.get(reverse("cases:referrals"))
    assert len(page.context["referrals"]) == ROWS


@pytest.mark.django_db
def test_a_referral_page_reads_in_a_fixed_number_of_queries(
    referrals_to_b, people, client_for, django_assert_max_num_queries
):
    case = referrals_to_b[0].case
    for n in range(ROWS):
        services.session_log(
            actor=people["advisor_a"],
            case=case,
            started_at=timezone.now() - datetime.timedelta(days=n + 1),
            duration_minutes=30,
            channel="phone",
            topics=f"Tema {n}",
            uploads=[SimpleUploadedFile(f"doc{n}.pdf", b"%PDF-1.4\n%%EOF\n")],
        )
    client = client_for("advisor_b")
    url = reverse("cases:referral", args=[referrals_to_b[0].public_id])
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert len(page.context["sessions"]) == ROWS and len(page.context["documents"]) == ROWS


@pytest.mark.django_db
def test_the_opening_hours_page_reads_in_a_fixed_number_of_queries(
    people, office_a, client_for, django_assert_max_num_queries
):
    advisor = people["advisor_a"]
    agenda.availability_set(
        actor=advisor,
        advisor=advisor,
        office=office_a,
        slots=[
            (day % 7, datetime.time(9 + day // 7), datetime.time(9 + day // 7, 30))
            for day in range(ROWS)
        ],
    )
    for n in range(ROWS):
        agenda.away_add(
            actor=advisor,
            advisor=advisor,
            date=timezone.localdate() + datetime.timedelta(days=n + 1),
        )
    client = client_for("advisor_a")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("cases:availability"))
    assert len(page.context["away"]) == ROWS
    assert page.context["formset"].initial_form_count() == ROWS


@pytest.fixture
def busy_case(case_a, people, office_b):
    """case_a with ROWS of every record its page lists."""
    advisor = people["advisor_a"]
    for n in range(ROWS):
        services.session_log(
            actor=advisor,
            case=case_a,
            started_at=timezone.now() - datetime.timedelta(days=n + 1),
            duration_minutes=30,
            channel="phone",
            topics=f"Tema {n}",
        )
        services.task_add(
            actor=advisor,
            case=case_a,
            title=f"Tasca {n}",
            due_on=timezone.localdate() - datetime.timedelta(days=n),
            assignee=advisor,
        )
        services.attachment_add(
            actor=advisor, case=case_a, upload=SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4\n")
        )
        services.outcome_record(
            actor=advisor,
            case=case_a,
            data={"kind": "training", "occurred_on": timezone.localdate()},
        )
        referrals.referral_create(
            actor=advisor,
            case=case_a,
            to_office=office_b,
            service_code="financar",
            reason=f"Motiu {n}",
            shared=["summary"],
            consent_given_now=True,
        )
    return case_a


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_a", "readonly_a"])
def test_the_case_page_reads_in_a_fixed_number_of_queries(
    busy_case, persona, client_for, django_assert_max_num_queries
):
    client = client_for(persona)
    with django_assert_max_num_queries(22):
        page = client.get(reverse("cases:detail", args=[busy_case.public_id]))
    case = page.context["case"]
    assert len(case.tasks.all()) == len(case.outcomes.all()) == ROWS
    assert len(page.context["timeline"]) >= 4 * ROWS
