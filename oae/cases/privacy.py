"""A person's case data for the data-protection tools: what a subject access export holds,
and what erasure blanks. Counts, minutes, dates, states and outcome figures stay, so
statistics still add up; every free text and every file goes."""

from oae.cases.models import (
    Appointment,
    Attachment,
    Case,
    Outcome,
    Referral,
    Session,
    SurveyResponse,
    Task,
)

ERASED = "—"


def person_case_data(person, row) -> dict:
    """The person's cases and everything recorded on them (`row` turns a model into a dict)."""
    cases = Case.objects.filter(person=person)
    return {
        "cases": [row(c) for c in cases],
        "sessions": [row(s) for s in Session.objects.filter(case__in=cases)],
        "tasks": [row(t) for t in Task.objects.filter(case__in=cases)],
        "documents": [row(a, ("id", "file")) for a in Attachment.objects.filter(case__in=cases)],
        "outcomes": [row(o) for o in Outcome.objects.filter(case__in=cases)],
        "referrals": [row(r) for r in Referral.objects.filter(case__in=cases)],
        "appointments": [row(a) for a in Appointment.objects.filter(person=person)],
        "surveys": [row(s) for s in SurveyResponse.objects.filter(case__in=cases)],
    }


def person_case_erase(person) -> None:
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
    person.tool_results.all().delete()
