"""Items the platform checks by itself: each fact completes its item with the proof in words
and a link to it, and opens it again when it stops holding (the staff left), which the path
shows; the job brings every path up to date and changes nothing the second time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oae.cases.models import Case, SurveyResponse
from oae.catalogue import services as catalogue
from oae.network.models import Membership, OfficeStatus, OpeningPeriod
from oae.network.services import membership_set_active
from oae.opening import contacts, facts, selectors, services, tasks
from oae.opening.models import ItemState, Path
from oae.opening.tests.conftest import days_ago, pdf
from oae.privacy.models import AuditEvent
from oae.testing.catalogue import build_small_model
from oae.testing.factories import MunicipalityFactory
from oae.testing.reports import clients_served


def _state(path, key) -> ItemState | None:
    return ItemState.objects.filter(path=path, item_key=key, review=None).first()


def _done(path, key) -> bool:
    state = _state(path, key)
    return state is not None and state.done_at is not None


def _view(path, key):
    path = Path.objects.get(pk=path.pk)
    page = selectors.path_page(path)
    return next(v for stage in page.stages for v in stage.items if v.item.key == key)


def _agreement(path, coordinator, signed_on, term_months=48):
    return services.agreement_record(
        actor=coordinator,
        municipality=path.municipality,
        data={
            "parties": "Xarxa OAE i Ajuntament",
            "signed_on": signed_on,
            "term_months": term_months,
            "renewal_on": signed_on + datetime.timedelta(days=30 * term_months - 90),
            "network_obligations": "Formació",
            "municipality_obligations": "Local i personal",
        },
        upload=pdf("conveni.pdf"),
    )


@pytest.mark.django_db
def test_an_office_with_its_manager_and_advisor_completes_three_items_at_once(path_a):
    assert {s.item_key for s in ItemState.objects.filter(path=path_a, done_at__isnull=False)} == {
        "office_recorded",
        "staff_in_place",
        "office_open",
    }
    assert all(s.by_fact and s.evidence is None for s in ItemState.objects.filter(path=path_a))
    assert set(
        AuditEvent.objects.filter(action="opening.item.fact_done").values_list(
            "details__item", flat=True
        )
    ) == {"office_recorded", "staff_in_place", "office_open"}


@pytest.mark.django_db
def test_a_path_without_an_office_has_no_office_fact(playbook_v1, coordinator):
    path = services.path_start(actor=coordinator, municipality=MunicipalityFactory())
    assert not ItemState.objects.filter(path=path).exists()
    for code in ("office_recorded", "services_chosen", "hours_published", "staff_in_place"):
        assert facts.proof(code, path) is None
    for code in ("office_open", "first_case", "first_survey"):
        assert facts.proof(code, path) is None


@pytest.mark.django_db
def test_the_proof_is_in_words_with_a_link(path_a, office_a):
    proof = _view(path_a, "staff_in_place").proof
    assert proof.text == "1 manager(s) and 1 advisor(s) in post"
    assert proof.url == reverse("training:staffing_office", args=[office_a.public_id])
    assert _view(path_a, "office_open").proof.text == "OAE Alfa is open"


@pytest.mark.django_db
def test_a_contact_invited_completes_its_item_and_removing_them_opens_it(path_a, coordinator):
    contact = contacts.contact_invite(
        actor=coordinator, path=path_a, email="ajuntament@santboi.example", first_name="Ramon"
    )
    assert _done(path_a, "contact_named")
    proof = _view(path_a, "contact_named").proof
    assert proof.text.startswith("Municipal contact: Ramon")
    assert proof.url == reverse("opening:path", args=[path_a.public_id]) + "#contacts"
    contacts.contact_set_active(actor=coordinator, contact=contact, active=False)
    assert not _done(path_a, "contact_named")
    assert _view(path_a, "contact_named").undone


@pytest.mark.django_db
def test_the_staff_leaving_opens_staff_in_place_again_and_the_path_shows_it(
    path_a, people, office_a
):
    membership = Membership.objects.get(user=people["advisor_a"], office=office_a)
    membership_set_active(actor=people["manager_a"], membership=membership, active=False)
    assert _done(path_a, "staff_in_place")  # until the job (or a page) looks again
    assert tasks.refresh_paths() == 1
    state = _state(path_a, "staff_in_place")
    assert state.done_at is None and not state.by_fact
    assert state.undone_at is not None
    view = _view(path_a, "staff_in_place")
    assert view.undone and not view.done and view.proof is None
    event = AuditEvent.objects.get(action="opening.item.fact_undone")
    assert (event.actor, event.office, event.details) == (
        None,
        office_a,
        {"item": "staff_in_place", "fact": "staff_in_place"},
    )
    # An advisor back in post completes it again; it no longer shows as undone.
    membership_set_active(actor=people["manager_a"], membership=membership, active=True)
    assert tasks.refresh_paths() == 1
    assert _done(path_a, "staff_in_place") and not _view(path_a, "staff_in_place").undone


@pytest.mark.django_db
def test_the_job_changes_nothing_when_no_fact_changed(path_a, path_b):
    events = AuditEvent.objects.count()
    assert tasks.refresh_paths() == 0
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_fact_that_changes_counts_as_new_evidence_for_the_stall(path_a, office_a):
    Path.objects.filter(pk=path_a.pk).update(
        last_evidence_at=timezone.now() - datetime.timedelta(days=90)
    )
    OpeningPeriod.objects.create(
        office=office_a, weekday=0, opens=datetime.time(9), closes=datetime.time(14)
    )
    services.paths_refresh()
    path_a.refresh_from_db()
    assert _done(path_a, "hours_published")
    assert not selectors.is_stalled(path_a, timezone.localdate())


@pytest.mark.django_db
def test_hours_need_the_address_too(path_a, office_a):
    OpeningPeriod.objects.create(
        office=office_a, weekday=0, opens=datetime.time(9), closes=datetime.time(14)
    )
    office_a.address = ""
    office_a.save(update_fields=["address"])
    services.paths_refresh()
    assert not _done(path_a, "hours_published")
    office_a.address = "Plaça de l'Ajuntament, 1"
    office_a.save(update_fields=["address"])
    services.paths_refresh()
    assert _done(path_a, "hours_published")
    assert _view(path_a, "hours_published").proof.text == (
        "Plaça de l'Ajuntament, 1, 1 opening periods a week"
    )


@pytest.mark.django_db
def test_the_office_adopting_the_catalogue_chooses_its_services(path_a, office_a):
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    assert not _done(path_a, "services_chosen")
    catalogue.office_catalogue_adopt(actor=None, office=office_a, version=version)
    services.paths_refresh()
    assert _done(path_a, "services_chosen")
    proof = _view(path_a, "services_chosen").proof
    assert proof.text == "Catalogue adopted from version 1"
    assert proof.url == reverse("catalogue:office_catalogue", args=[office_a.public_id])


@pytest.mark.django_db
def test_an_office_no_longer_open_opens_its_item_again(path_a, office_a):
    office_a.status = OfficeStatus.SUSPENDED
    office_a.save(update_fields=["status"])
    services.paths_refresh()
    assert not _done(path_a, "office_open")
    assert _view(path_a, "office_open").undone


@pytest.mark.django_db
def test_the_first_case_and_the_first_survey_complete_their_items(path_a, office_a, people):
    assert not _done(path_a, "first_case")
    opened = timezone.now() - datetime.timedelta(days=3)
    clients_served(office_a, people["advisor_a"], 1, opened)
    services.paths_refresh()
    assert _done(path_a, "first_case")
    day = timezone.localtime(opened).date()
    assert _view(path_a, "first_case").proof.text == f"First case opened on {day:%m/%d/%Y}"
    case = Case.objects.get(office=office_a)
    survey = SurveyResponse.objects.create(case=case, office=office_a, sent_at=opened)
    services.paths_refresh()
    assert not _done(path_a, "first_survey")  # sent, not answered
    survey.answered_at, survey.score = timezone.now(), 9
    survey.save(update_fields=["answered_at", "score"])
    services.paths_refresh()
    assert _done(path_a, "first_survey")


@pytest.mark.django_db
def test_an_agreement_recorded_completes_agreement_signed_and_in_force(path_a, coordinator):
    assert not _done(path_a, "agreement_signed")
    agreement = _agreement(path_a, coordinator, days_ago(10))
    assert _done(path_a, "agreement_signed") and _done(path_a, "agreement_in_force")
    assert _view(path_a, "agreement_signed").proof.url == reverse(
        "opening:agreement", args=[agreement.public_id]
    )


@pytest.mark.django_db
def test_an_agreement_that_ended_is_signed_but_not_in_force(path_a, coordinator):
    _agreement(path_a, coordinator, days_ago(800), term_months=24)
    assert _done(path_a, "agreement_signed")
    assert not _done(path_a, "agreement_in_force")
