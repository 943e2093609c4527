"""A person's case data for the data-protection tools: what a subject access copy holds, and
what erasure blanks. Counts, minutes, dates, states and outcome figures stay, so statistics
still add up; every free text and every file goes. Registered with the privacy registry by
`CasesConfig.ready`."""

from oae.cases.models import (
    Appointment,
    Attachment,
    Case,
    CaseStep,
    Outcome,
    Referral,
    Session,
    SurveyResponse,
    Task,
)
from oae.privacy.registry import as_row

ERASED = "—"
PERSONAL_MODELS = (
    Case,
    CaseStep,
    Session,
    Task,
    Attachment,
    Outcome,
    Referral,
    Appointment,
    SurveyResponse,
)


def person_case_data(person) -> dict[str, list[dict]]:
    """The person's cases and everything recorded on them."""
    cases = Case.objects.filter(person=person)
    return {
        "cases": [as_row(c) for c in cases],
        "steps": [as_row(s) for s in CaseStep.objects.filter(case__in=cases)],
        "sessions": [as_row(s) for s in Session.objects.filter(case__in=cases)],
        "tasks": [as_row(t) for t in Task.objects.filter(case__in=cases)],
        "documents": [as_row(a, ("id", "file")) for a in Attachment.objects.filter(case__in=cases)],
        "outcomes": [as_row(o) for o in Outcome.objects.filter(case__in=cases)],
        "referrals": [as_row(r) for r in Referral.objects.filter(case__in=cases)],
        "appointments": [as_row(a) for a in Appointment.objects.filter(person=person)],
        "surveys": [as_row(s) for s in SurveyResponse.objects.filter(case__in=cases)],
    }


def cases_of(person):
    """The person's cases (audit rows name them): erasure blanks their rows' texts."""
    return Case.objects.filter(person=person)


def appointments_of(person):
    return Appointment.objects.filter(person=person)


def person_case_erase(person) -> None:
    """Blank the free texts and delete the files of the person's cases and appointments."""
    cases = Case.objects.filter(person=person)
    cases.update(closing_note="")
    Session.objects.filter(case__in=cases).update(topics="", private_notes="")
    Task.objects.filter(case__in=cases).update(title=ERASED)
    for attachment in Attachment.objects.filter(case__in=cases):
        attachment.file.delete(save=False)
    Attachment.objects.filter(case__in=cases).update(original_name=ERASED, file="")
    Outcome.objects.filter(case__in=cases).update(description="", source="")
    Referral.objects.filter(case__in=cases).update(reason=ERASED, response_note="")
    Appointment.objects.filter(person=person).update(note="")
    SurveyResponse.objects.filter(case__in=cases).update(comment="")
