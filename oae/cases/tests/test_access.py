"""The rows recorded on a case, its appointments and its referrals are reached only through
the user's cases: another office gets the same 404 as for a row that does not exist (the
probe audited at the case), read-only staff get 403 for changes."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oae.cases import agenda, referrals, services
from oae.cases.models import Appointment, AppointmentStatus, Referral, ReferralStatus, Task
from oae.privacy.models import AuditEvent


@pytest.fixture
def records(case_a, people, office_a, office_b):
    advisor = people["advisor_a"]
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    return {
        "task": services.task_add(
            actor=advisor, case=case_a, title="Pla", due_on=timezone.localdate(), assignee=advisor
        ),
        "document": services.attachment_add(
            actor=advisor, case=case_a, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
        ),
        "outcome": services.outcome_record(
            actor=advisor,
            case=case_a,
            data={"kind": "training", "occurred_on": timezone.localdate()},
        ),
        "referral": referrals.referral_create(
            actor=advisor,
            case=case_a,
            to_office=office_b,
            service_code="financar",
            reason="Finançament",
            shared=["summary"],
            consent_given_now=True,
        ),
        "appointment": agenda.appointment_book(
            actor=advisor,
            office=office_a,
            advisor=advisor,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
        ),
    }


def _urls(records) -> dict[str, tuple[str, str, dict]]:
    """Each URL that reaches a record of case A by its own id: (method, url, data)."""
    return {
        "task done": ("post", reverse("cases:task_done", args=[records["task"].public_id]), {}),
        "download": (
            "get",
            reverse("cases:attachment_download", args=[records["document"].public_id]),
            {},
        ),
        "verify outcome": (
            "post",
            reverse("cases:outcome_verify", args=[records["outcome"].public_id]),
            {},
        ),
        "withdraw referral": (
            "post",
            reverse("cases:referral_withdraw", args=[records["referral"].public_id]),
            {},
        ),
        "appointment status": (
            "post",
            reverse("cases:appointment_status", args=[records["appointment"].public_id]),
            {"status": "cancelled"},
        ),
    }


def _request(client, method, url, data):
    return getattr(client, method)(url, data)


@pytest.mark.django_db
def test_another_office_gets_404_for_every_record_of_a_case(records, client_for):
    client = client_for("advisor_b")
    for label, (method, url, data) in _urls(records).items():
        assert _request(client, method, url, data).status_code == 404, label
    task = Task.objects.get()
    assert task.done_at is None
    assert Referral.objects.get().status == ReferralStatus.PENDING
    assert Appointment.objects.get().status == AppointmentStatus.BOOKED


@pytest.mark.django_db
def test_a_missing_record_gets_the_same_404(records, client_for):
    client = client_for("advisor_a")
    for label, (method, url, data) in _urls(records).items():
        missing = url.replace(str(_id_in(url)), str(uuid.uuid4()))
        assert _request(client, method, missing, data).status_code == 404, label


def _id_in(url: str) -> uuid.UUID:
    return next(uuid.UUID(part) for part in url.split("/") if len(part) == 36)


@pytest.mark.django_db
def test_a_probe_at_another_offices_record_is_audited_at_its_case(records, client_for, case_a):
    client_for("advisor_b").post(reverse("cases:task_done", args=[records["task"].public_id]))
    probe = AuditEvent.objects.get(action="access.denied")
    assert (probe.target_id, probe.office_id) == (str(case_a.public_id), case_a.office_id)


@pytest.mark.django_db
def test_read_only_staff_may_download_but_not_change(records, client_for):
    client = client_for("readonly_a")
    urls = _urls(records)
    method, url, data = urls.pop("download")
    assert _request(client, method, url, data).status_code == 200
    for label, (method, url, data) in urls.items():
        expected = 404 if label == "appointment status" else 403  # not among what they edit
        assert _request(client, method, url, data).status_code == expected, label


@pytest.mark.django_db
def test_the_owning_office_marks_a_task_done_and_goes_back_where_it_was(records, client_for):
    client = client_for("advisor_a")
    task = records["task"]
    response = client.post(
        reverse("cases:task_done", args=[task.public_id]),
        {"done": "1", "next": reverse("cases:today")},
    )
    assert response["Location"] == reverse("cases:today")
    task.refresh_from_db()
    assert task.done_at is not None


@pytest.mark.django_db
def test_a_referral_received_elsewhere_is_404(records, client_for):
    url = reverse("cases:referral", args=[records["referral"].public_id])
    assert client_for("advisor_b").get(url).status_code == 200
    assert client_for("advisor_a").get(url).status_code == 404  # sent, not received


@pytest.mark.django_db
def test_a_malformed_client_id_in_the_query_is_400_and_a_missing_one_404(client_for, model):
    client = client_for("advisor_a")
    assert client.get(reverse("cases:open"), {"person": "not-an-id"}).status_code == 400
    assert client.get(reverse("cases:book"), {"case": "not-an-id"}).status_code == 400
    nobody = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("cases:open"), {"person": nobody}).status_code == 404
    assert client.get(reverse("cases:book"), {"case": nobody}).status_code == 404
