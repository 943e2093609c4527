"""Running cases along the process: steps, overdue, sessions and hours, tasks, outcomes,
closing and reopening."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oae.cases import agenda, reminders, selectors, services
from oae.cases.models import CaseState, Outcome, Verification
from oae.catalogue import services as catalogue
from oae.catalogue.models import DraftItem
from oae.common.concurrency import EditConflict
from oae.privacy.models import AuditEvent

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _pdf(name="escriptura.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


@pytest.mark.django_db
def test_a_case_copies_the_process_steps_and_starts_the_first(case_a):
    steps = list(case_a.steps.all())
    assert [s.step_id for s in steps] == ["acollida", "diagnosi", "pla", "seguiment", "tancament"]
    assert (case_a.process.code, case_a.process.version) == ("atencio", 1)
    assert case_a.current_step == "acollida"
    assert steps[0].due_on == timezone.localdate() + datetime.timedelta(days=7)
    assert steps[1].started_at is None
    assert case_a.reference.startswith(f"EXP-{timezone.now().year}-")


@pytest.mark.django_db
def test_a_service_the_office_does_not_offer_is_refused(model, people, office_a, client_a):
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=people["advisor_a"],
            office=office_a,
            service_code="no-such-service",
            advisor=people["advisor_a"],
            person=client_a[0],
        )
    assert "service" in error.value.message_dict


@pytest.mark.django_db
def test_an_advisor_of_another_office_cannot_be_assigned(model, people, office_a, client_a):
    with pytest.raises(ValidationError) as error:
        services.case_open(
            actor=people["advisor_a"],
            office=office_a,
            service_code="crear",
            advisor=people["advisor_b"],
            person=client_a[0],
        )
    assert "advisor" in error.value.message_dict


@pytest.mark.django_db
def test_ticking_and_completing_steps_moves_the_case_on(case_a, people):
    advisor = people["advisor_a"]
    step = services.step_tick(actor=advisor, case=case_a, step_id="acollida", item=0, done=True)
    assert step.ticks["0"]["by"] == "advisor.a@example.org"
    with pytest.raises(ValidationError):
        services.step_tick(actor=advisor, case=case_a, step_id="acollida", item=9, done=True)
    services.step_complete(
        actor=advisor, case=case_a, step_id="acollida", expected_version=case_a.lock_version
    )
    case_a.refresh_from_db()
    assert case_a.current_step == "diagnosi" and case_a.state == CaseState.IN_PROGRESS
    diagnosis = case_a.steps.get(step_id="diagnosi")
    assert diagnosis.started_at is not None and diagnosis.due_on is not None


@pytest.mark.django_db
def test_a_step_past_its_target_makes_the_case_overdue(case_a, people):
    filters = selectors.CaseFilters(overdue=True)
    assert list(selectors.cases_search(user=people["advisor_a"], filters=filters)) == []
    case_a.steps.filter(step_id="acollida").update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    overdue = list(selectors.cases_search(user=people["advisor_a"], filters=filters))
    assert overdue == [case_a] and overdue[0].overdue
    day = selectors.advisor_day(user=people["advisor_a"])
    assert [s.step_id for s in day.overdue_steps] == ["acollida"]


@pytest.mark.django_db
def test_concurrent_edits_of_a_case_are_refused_not_overwritten(case_a, people):
    stale = case_a.lock_version
    services.case_set_state(
        actor=people["advisor_a"], case=case_a, state=CaseState.ON_HOLD, expected_version=stale
    )
    with pytest.raises(EditConflict):
        services.case_set_state(
            actor=people["manager_a"],
            case=case_a,
            state=CaseState.IN_PROGRESS,
            expected_version=stale,
        )


@pytest.mark.django_db
def test_sessions_refuse_the_future_and_bad_durations(case_a, people):
    for started_at, minutes, field in (
        (timezone.now() + datetime.timedelta(days=1), 30, "started_at"),
        (_ago(hours=1), 0, "duration_minutes"),
        (_ago(hours=1), -5, "duration_minutes"),
        (_ago(hours=1), 13 * 60, "duration_minutes"),
    ):
        with pytest.raises(ValidationError) as error:
            services.session_log(
                actor=people["advisor_a"],
                case=case_a,
                started_at=started_at,
                duration_minutes=minutes,
                channel="phone",
            )
        assert field in error.value.message_dict


@pytest.mark.django_db
def test_hours_add_up_per_case_and_across_offices_for_the_client(case_a, people, office_b):
    services.session_log(
        actor=people["advisor_a"],
        case=case_a,
        started_at=_ago(days=2),
        duration_minutes=90,
        channel="in_person",
        topics="Pla d'empresa",
    )
    services.session_log(
        actor=people["advisor_a"],
        case=case_a,
        started_at=_ago(days=1),
        duration_minutes=30,
        channel="phone",
    )
    other = services.case_open(
        actor=people["advisor_b"],
        office=office_b,
        service_code="financar",
        advisor=people["advisor_b"],
        person=case_a.person,
    )
    services.session_log(
        actor=people["advisor_b"],
        case=other,
        started_at=_ago(hours=3),
        duration_minutes=60,
        channel="video",
    )
    hours = selectors.case_hours(case_a)
    assert hours.case_minutes == 120
    assert hours.client_minutes_network == 180 and hours.client_offices == 2
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    assert selectors.advisor_minutes(people["advisor_a"], week_ago, today) == 120
    case_a.refresh_from_db()
    assert case_a.state == CaseState.IN_PROGRESS
    assert case_a.last_contact_at > _ago(days=1, minutes=5)


@pytest.mark.django_db
def test_files_are_checked_by_content_and_stored_under_generated_names(case_a, people):
    attachment = services.attachment_add(actor=people["advisor_a"], case=case_a, upload=_pdf())
    assert attachment.content_type == "application/pdf"
    assert "escriptura" not in attachment.file.name
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a file we accept"):
        services.attachment_add(actor=people["advisor_a"], case=case_a, upload=fake)


@pytest.mark.django_db
def test_outcomes_are_verified_only_with_evidence(case_a, people, client_a):
    _person, company = client_a
    advisor = people["advisor_a"]
    data = {
        "kind": "business_created",
        "occurred_on": timezone.localdate(),
        "company": company,
        "verification": Verification.VERIFIED,
    }
    with pytest.raises(ValidationError) as error:
        services.outcome_record(actor=advisor, case=case_a, data=data)
    assert "verification" in error.value.message_dict
    created = services.outcome_record(actor=advisor, case=case_a, data=data, evidence_upload=_pdf())
    assert created.verification == Verification.VERIFIED and created.evidence is not None

    jobs = {"kind": "jobs_created", "occurred_on": timezone.localdate(), "jobs_fte": -1}
    with pytest.raises(ValidationError) as error:
        services.outcome_record(actor=advisor, case=case_a, data=jobs)
    assert "jobs_fte" in error.value.message_dict
    declared = services.outcome_record(actor=advisor, case=case_a, data=jobs | {"jobs_fte": 2})
    assert declared.verification == Verification.DECLARED
    with pytest.raises(ValidationError):
        services.outcome_verify(actor=advisor, outcome=declared)
    services.outcome_verify(actor=advisor, outcome=declared, evidence_upload=_pdf("contractes.pdf"))
    assert Outcome.objects.filter(verification=Verification.VERIFIED).count() == 2


@pytest.mark.django_db
def test_financing_needs_amount_and_type_and_no_negative_amounts(case_a, people):
    base = {"kind": "financing", "occurred_on": timezone.localdate()}
    with pytest.raises(ValidationError) as error:
        services.outcome_record(actor=people["advisor_a"], case=case_a, data=base)
    assert {"amount", "financing_type"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.outcome_record(
            actor=people["advisor_a"],
            case=case_a,
            data=base | {"amount": -100, "financing_type": "loan"},
        )
    assert "amount" in error.value.message_dict


@pytest.mark.django_db
def test_a_closed_case_is_read_only_until_reopened_which_is_audited(case_a, people):
    advisor = people["advisor_a"]
    with pytest.raises(ValidationError):
        services.case_close(actor=advisor, case=case_a, reason="", note="", expected_version=1)
    services.case_close(
        actor=advisor,
        case=case_a,
        reason="goals_met",
        note="",
        expected_version=case_a.lock_version,
    )
    with pytest.raises(ValidationError, match="closed"):
        services.session_log(
            actor=advisor,
            case=case_a,
            started_at=_ago(hours=1),
            duration_minutes=30,
            channel="phone",
        )
    with pytest.raises(ValidationError, match="closed"):
        services.task_add(
            actor=advisor, case=case_a, title="x", due_on=timezone.localdate(), assignee=advisor
        )
    services.case_reopen(
        actor=advisor, case=case_a, reason="Needs more help", expected_version=case_a.lock_version
    )
    assert case_a.state == CaseState.REOPENED
    event = AuditEvent.objects.get(action="cases.case.reopen")
    assert event.details == {"reason": "Needs more help"}
    services.session_log(
        actor=advisor, case=case_a, started_at=_ago(hours=1), duration_minutes=30, channel="phone"
    )


@pytest.mark.django_db
def test_tasks_and_their_daily_reminder_go_out_once(case_a, people, mailoutbox):
    advisor = people["advisor_a"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    task = services.task_add(
        actor=advisor, case=case_a, title="Enviar el pla", due_on=yesterday, assignee=advisor
    )
    assert reminders.task_reminders_send() == 1
    assert reminders.task_reminders_send() == 0
    assert len(mailoutbox) == 1 and "Enviar el pla" in mailoutbox[0].body
    assert [t.pk for t in selectors.advisor_day(user=advisor).tasks] == [task.pk]
    services.task_set_done(actor=advisor, task=task, done=True)
    assert selectors.advisor_day(user=advisor).tasks == []


@pytest.mark.django_db
def test_a_new_process_version_never_changes_a_running_case(case_a, people, office_a):
    same = services.case_open(
        actor=people["advisor_a"],
        office=office_a,
        service_code="crear",
        advisor=people["advisor_a"],
        person=case_a.person,
    )
    assert same.process_id == case_a.process_id  # one stored template for both
    draft = DraftItem.objects.get(kind="process", code="atencio")
    content = draft.content
    content["steps"][0]["name"]["ca"] = "Primera acollida"
    catalogue.draft_item_update(
        actor=None, item=draft, content=content, expected_version=draft.lock_version
    )
    catalogue.network_publish(actor=None, changelog="v2")
    catalogue.office_take_up(actor=None, office=office_a, keys=None)
    newer = services.case_open(
        actor=people["advisor_a"],
        office=office_a,
        service_code="crear",
        advisor=people["advisor_a"],
        person=case_a.person,
    )
    assert newer.process.version == 2
    assert newer.steps.get(step_id="acollida").name["ca"] == "Primera acollida"
    assert case_a.steps.get(step_id="acollida").name["ca"] == "Acollida"


@pytest.mark.django_db
def test_one_update_sets_state_and_advisor_or_neither(case_a, people):
    manager = people["manager_a"]
    services.case_update(
        actor=people["advisor_a"],
        case=case_a,
        state=CaseState.ON_HOLD,
        advisor=manager,
        expected_version=case_a.lock_version,
    )
    case_a.refresh_from_db()
    assert (case_a.state, case_a.assigned_to) == (CaseState.ON_HOLD, manager)
    assert (
        AuditEvent.objects.filter(action__in=["cases.case.state", "cases.case.assign"]).count() == 2
    )
    with pytest.raises(ValidationError):  # advisor B cannot hold office A's cases
        services.case_update(
            actor=manager,
            case=case_a,
            state=CaseState.IN_PROGRESS,
            advisor=people["advisor_b"],
            expected_version=case_a.lock_version,
        )
    case_a.refresh_from_db()
    assert case_a.state == CaseState.ON_HOLD  # the state change went back with the refusal


@pytest.mark.django_db
def test_days_away_and_calendar_addresses_are_audited(people):
    advisor = people["advisor_a"]
    agenda.away_add(actor=advisor, advisor=advisor, date=timezone.localdate())
    first = agenda.calendar_feed_token(advisor)
    assert agenda.calendar_feed_token(advisor) == first  # read again, not renewed
    agenda.calendar_feed_token(advisor, renew=True)
    actions = list(
        AuditEvent.objects.filter(action__startswith="cases.").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "cases.away.add",
        "cases.calendar_feed.create",
        "cases.calendar_feed.renew",
    ]
