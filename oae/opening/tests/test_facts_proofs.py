"""Each fact's proof, word for word and with its link, on records whose answer is worked out
by hand; and the edges where a fact starts or stops holding."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from oae.cases.models import Case, SurveyResponse
from oae.network.models import JobRole, Membership, OfficeRole, OpeningPeriod
from oae.opening import facts, services
from oae.opening.models import Review, ReviewAction
from oae.opening.tests.conftest import days_ago, pdf
from oae.testing.factories import MembershipFactory, UserFactory
from oae.testing.reports import clients_served
from oae.training.models import Position

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _agreement(path, coordinator, signed_on, term_months=48):
    return services.agreement_record(
        actor=coordinator,
        municipality=path.municipality,
        data={
            "parties": "Xarxa OAE i Ajuntament",
            "signed_on": signed_on,
            "term_months": term_months,
            "renewal_on": signed_on + datetime.timedelta(days=20),
            "network_obligations": "Formació",
            "municipality_obligations": "Local i personal",
        },
        upload=pdf("conveni-2026.pdf"),
    )


def test_the_agreement_signed_names_its_day_and_file(path_a, coordinator):
    assert facts.proof("agreement_signed", path_a) is None
    agreement = _agreement(path_a, coordinator, datetime.date(2026, 3, 2))
    proof = facts.proof("agreement_signed", path_a)
    assert proof.text == "Agreement signed on 03/02/2026 (conveni-2026.pdf)"
    assert proof.url == reverse("opening:agreement", args=[agreement.public_id])


def test_an_agreement_is_in_force_from_its_signature_to_the_day_before_it_ends(path_a, coordinator):
    today = timezone.localdate()
    # Signed today for 12 months: in force until the same day a year later.
    agreement = _agreement(path_a, coordinator, today, term_months=12)
    proof = facts.proof("agreement_in_force", path_a)
    assert proof.text == f"Agreement in force until {agreement.ends_on:%m/%d/%Y}"
    assert proof.url == reverse("opening:agreement", args=[agreement.public_id])


def test_an_agreement_ending_today_is_no_longer_in_force(path_a, coordinator):
    today = timezone.localdate()
    signed = today.replace(year=today.year - 1)  # 12 months ago: it ends today
    _agreement(path_a, coordinator, signed, term_months=12)
    assert facts.proof("agreement_in_force", path_a) is None
    assert facts.proof("agreement_signed", path_a) is not None


def test_the_latest_agreement_decides(path_a, coordinator):
    """An old agreement that ended, then a renewal in force: the renewal is the proof."""
    old = _agreement(path_a, coordinator, days_ago(800), term_months=12)
    renewal = services.agreement_record(
        actor=coordinator,
        municipality=path_a.municipality,
        data={
            "parties": "Xarxa OAE i Ajuntament",
            "signed_on": days_ago(30),
            "term_months": 24,
            "renewal_on": days_ago(1),
            "network_obligations": "Formació",
            "municipality_obligations": "Local",
        },
        upload=pdf("renovacio.pdf"),
        renews=old,
    )
    assert facts.proof("agreement_in_force", path_a).url == reverse(
        "opening:agreement", args=[renewal.public_id]
    )
    assert "renovacio.pdf" in facts.proof("agreement_signed", path_a).text


def test_the_office_recorded_is_named_with_its_page(path_a, office_a):
    proof = facts.proof("office_recorded", path_a)
    assert proof.text == office_a.name
    assert proof.url == reverse("network:office_detail", args=[office_a.public_id])


def test_the_hours_proof_counts_the_opening_periods(path_a, office_a):
    OpeningPeriod.objects.filter(office=office_a).delete()
    assert facts.proof("hours_published", path_a) is None
    for day in range(3):
        OpeningPeriod.objects.create(
            office=office_a, weekday=day, opens=datetime.time(9), closes=datetime.time(14)
        )
    proof = facts.proof("hours_published", path_a)
    assert proof.text == f"{office_a.address}, 3 opening periods a week"
    assert proof.url == reverse("network:office_detail", args=[office_a.public_id])


def test_the_staff_proof_counts_managers_and_advisors(path_a, office_a):
    Membership.objects.filter(office=office_a).exclude(
        role__in=[OfficeRole.MANAGER, OfficeRole.ADVISOR]
    ).update(is_active=False)
    before = Membership.objects.filter(office=office_a, is_active=True)
    managers = before.filter(role=OfficeRole.MANAGER).count()
    advisors = before.filter(role=OfficeRole.ADVISOR).count()
    MembershipFactory(office=office_a, role=OfficeRole.ADVISOR, user=UserFactory())
    proof = facts.proof("staff_in_place", path_a)
    assert proof.text == f"{managers} manager(s) and {advisors + 1} advisor(s) in post"
    assert proof.url == reverse("training:staffing_office", args=[office_a.public_id])
    Membership.objects.filter(office=office_a, role=OfficeRole.MANAGER).update(is_active=False)
    assert facts.proof("staff_in_place", path_a) is None


def test_the_staff_proof_sets_the_people_in_post_against_the_plan(path_a, office_a):
    Membership.objects.filter(office=office_a, role=OfficeRole.READ_ONLY).update(is_active=False)
    Position.objects.create(office=office_a, job_role=JobRole.MANAGER, fte=Decimal("1"))
    Position.objects.create(office=office_a, job_role=JobRole.ADVISOR, fte=Decimal("2.5"))
    proof = facts.proof("staff_in_place", path_a)
    assert proof.text == (
        "1 manager(s) and 1 advisor(s) in post · 2 of 3.5 full-time posts planned · 1.5 vacant"
    )
    # Someone whose post ends yesterday is no longer in post: no advisor, no staff in place.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Membership.objects.filter(office=office_a, role=OfficeRole.ADVISOR).update(ends_on=yesterday)
    assert facts.proof("staff_in_place", path_a) is None


def _certify(user, module_code="induction"):
    from oae.training.models import Certificate, Enrolment, Module, TrainingSession

    module = Module.objects.get(code=module_code)
    now = timezone.now()
    session = TrainingSession.objects.create(
        module=module,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2) + datetime.timedelta(hours=4),
        place="Seu",
        trainer="T",
        capacity=5,
    )
    enrolment = Enrolment.objects.create(
        session=session, user=user, status="enrolled", attended=True, passed=True, completed_at=now
    )
    return Certificate.objects.create(
        enrolment=enrolment, user=user, issued_at=now, facts={}, credential="x"
    )


def test_staff_trained_holds_once_every_manager_and_advisor_holds_the_induction(
    path_a, office_a, people
):
    from oae.training.services import framework_load

    framework_load()
    assert facts.proof("staff_trained", path_a) is None
    _certify(people["manager_a"])
    _certify(people["advisor_a"], module_code="viability")  # not the induction
    assert facts.proof("staff_trained", path_a) is None
    certificate = _certify(people["advisor_a"])
    proof = facts.proof("staff_trained", path_a)  # front desk (read-only) staff not counted
    assert proof.text == "All 2 managers and advisors in post hold the induction certificate"
    assert proof.url == reverse("training:staffing_office", args=[office_a.public_id])
    certificate.revoked_at, certificate.revocation_reason = timezone.now(), "Error"
    certificate.save()
    assert facts.proof("staff_trained", path_a) is None


def test_the_office_open_names_the_office(path_a, office_a):
    proof = facts.proof("office_open", path_a)
    assert proof.text == f"{office_a.name} is open"
    assert proof.url == reverse("network:office_detail", args=[office_a.public_id])


def test_the_first_case_and_survey_are_the_earliest(path_a, office_a, people):
    assert facts.proof("first_case", path_a) is None
    assert facts.proof("first_survey", path_a) is None
    first = datetime.datetime(2026, 2, 3, 10, tzinfo=timezone.get_current_timezone())
    clients_served(office_a, people["advisor_a"], 1, first + datetime.timedelta(days=5))
    clients_served(office_a, people["advisor_a"], 1, first)
    proof = facts.proof("first_case", path_a)
    assert proof.text == "First case opened on 02/03/2026" and proof.url == ""
    later, earlier = Case.objects.filter(office=office_a).order_by("-opened_at")[:2]
    for case, answered in ((later, first + datetime.timedelta(days=9)), (earlier, first)):
        SurveyResponse.objects.create(case=case, office=office_a, answered_at=answered, score=8)
    SurveyResponse.objects.filter(answered_at=first).update(
        answered_at=first + datetime.timedelta(days=7)
    )
    assert facts.proof("first_survey", path_a).text == "First survey answered on 02/10/2026"


def test_the_review_facts_name_the_first_meeting_and_count_the_actions(path_a, coordinator):
    assert facts.proof("review_meeting", path_a) is None
    assert facts.proof("review_actions", path_a) is None
    later = Review.objects.create(path=path_a, year=2025, met_on=datetime.date(2026, 2, 1))
    earlier = Review.objects.create(path=path_a, year=2024, met_on=datetime.date(2025, 1, 20))
    unheld = Review.objects.create(path=path_a, year=2023)
    proof = facts.proof("review_meeting", path_a)
    assert proof.text == "Review of 2024 held on 01/20/2025"
    assert proof.url == reverse("opening:review", args=[earlier.public_id])
    # A review's own item reads that review only.
    assert facts.proof("review_meeting", path_a, unheld) is None
    assert facts.proof("review_meeting", path_a, later).text == "Review of 2025 held on 02/01/2026"
    for title in ("Difusió", "Agenda"):
        ReviewAction.objects.create(review=later, title=title, owner="x", due_on=days_ago(-5))
    assert facts.proof("review_actions", path_a, earlier) is None
    proof = facts.proof("review_actions", path_a, later)
    assert proof.text == "2 action(s) agreed"
    assert proof.url == reverse("opening:review", args=[later.public_id])
    assert facts.proof("review_actions", path_a).text == "2 action(s) agreed"


def test_the_contact_proof_names_the_active_contact(path_a, contact_a):
    proof = facts.proof("contact_invited", path_a)
    assert proof.text == f"Municipal contact: {contact_a.get_full_name() or contact_a.email}"
    assert proof.url == reverse("opening:path", args=[path_a.public_id]) + "#contacts"


def test_every_fact_has_a_label_for_the_playbook_editor():
    assert all(str(fact.label) for fact in facts.FACTS.values())
    assert set(facts.FACTS) >= {"agreement_signed", "staff_in_place", "review_meeting"}
