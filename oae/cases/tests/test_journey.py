"""The issue's whole journey through the URLs: an advisor books an appointment, opens a case
for a new entrepreneur, logs sessions through the steps, refers them to a financing service of
another office (which accepts), records a verified business creation with two jobs, closes
the case, and the survey answer arrives."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oae.cases.models import Appointment, Case, CaseState, Outcome, Referral, SurveyResponse
from oae.crm import services as crm
from oae.crm.models import Person


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_the_whole_case_journey(
    client_for, model, people, office_a, office_b, mailoutbox, django_capture_on_commit_callbacks
):
    advisor = client_for("advisor_a")
    advisor.post(
        reverse("crm:person_create"),
        {
            "first_name": "Núria",
            "last_name": "Soler Camps",
            "id_type": "dni",
            "id_number": "87654321X",
            "email": "nuria@example.org",
            "language": "ca",
        },
    )
    nuria = Person.objects.get(email="nuria@example.org")

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    advisor.post(
        reverse("cases:book") + f"?person={nuria.public_id}",
        {
            "advisor": str(people["advisor_a"].pk),
            "date": tomorrow.isoformat(),
            "starts": "10:00",
            "minutes": "60",
            "channel": "in_person",
        },
    )
    assert Appointment.objects.get().person == nuria

    advisor.post(
        reverse("cases:open") + f"?person={nuria.public_id}",
        {"service": "crear", "advisor": str(people["advisor_a"].pk)},
    )
    case = Case.objects.get(person=nuria)

    start = timezone.now() - datetime.timedelta(days=10)
    for day, step in enumerate(["acollida", "diagnosi", "pla"]):
        advisor.post(
            reverse("cases:session_add", args=[case.public_id]),
            {
                "started_at": _local(start + datetime.timedelta(days=3 * day)),
                "duration_minutes": "60",
                "channel": "in_person",
                "step_id": step,
                "topics": f"Pas {step}",
            },
        )
        case.refresh_from_db()
        advisor.post(
            reverse("cases:step_complete", args=[case.public_id, step]),
            {"version": case.lock_version},
        )
    case.refresh_from_db()
    assert case.current_step == "seguiment" and case.sessions.count() == 3

    advisor.post(
        reverse("cases:refer", args=[case.public_id]),
        {
            "to_office": str(office_b.public_id),
            "service": "financar",
            "reason": "Microcrèdit per a l'equipament",
            "shared": ["contact", "summary"],
            "consent": "on",
        },
    )
    referral = Referral.objects.get()
    client_for("advisor_b").post(
        reverse("cases:referral_answer", args=[referral.public_id]), {"answer": "accept"}
    )
    referral.refresh_from_db()
    assert referral.received_case.office == office_b

    company = crm.company_save(
        actor=people["advisor_a"],
        office=office_a,
        company=None,
        data={"legal_name": "Soler Camps SL", "tax_id": "B58818501", "legal_form": "limited"},
    )
    crm.person_link_company(
        actor=people["advisor_a"], person=nuria, company=company, relation="founder"
    )
    advisor.post(
        reverse("cases:outcome_add", args=[case.public_id]),
        {
            "kind": "business_created",
            "occurred_on": timezone.localdate().isoformat(),
            "company": str(company.public_id),
            "jobs_fte": "2",
            "verification": "verified",
            "evidence": SimpleUploadedFile("escriptura.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    outcome = Outcome.objects.get()
    assert (outcome.verification, outcome.company, outcome.jobs_fte) == ("verified", company, 2)

    with django_capture_on_commit_callbacks(execute=True):
        advisor.post(
            reverse("cases:close", args=[case.public_id]),
            {"reason": "goals_met", "note": "Empresa creada", "version": case.lock_version},
        )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED

    link = next(w for w in mailoutbox[-1].body.split() if "/survey/" in w)
    client_for("anonymous").post(link.split("127.0.0.1:8000")[-1], {"score": "10", "comment": ""})
    assert SurveyResponse.objects.get(case=case).score == 10
