"""Worked examples of the job profile rules, each at its edge: the text an office's version
says (its own wording, else the network's in the language, else the first the network has),
what counts as the network's wording, texts of exactly 4000 characters and of 4001, a field
sent as no text at all, fields a profile does not have, what an adaptation records as changed
and against which network wording, settling either way (who, what, which wording, in one
read), each write audited on its record."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oae.privacy.models import AuditEvent
from oae.training import profiles
from oae.training.models import PROFILE_FIELDS, JobProfile, OfficeJobProfile

OURS = "Atendre les persones emprenedores de Sant Boi."
LONGEST = "x" * 4000
TOO_LONG = "x" * 4001
NEW_MISSION = {"ca": "Nova missió.", "es": "Nueva misión.", "en": "New mission."}


def _profile(**texts) -> JobProfile:
    """A profile (not saved) whose fields say `texts`, by default a text per language."""
    values = {
        field: {language: f"{field} {language}" for language in ("ca", "es", "en")}
        for field in PROFILE_FIELDS
    }
    return JobProfile(role="advisor", **(values | texts))


@pytest.fixture
def advisor_profile(framework) -> JobProfile:
    return JobProfile.objects.get(role="advisor")


def _adapt(actor, office, profile, **overrides) -> OfficeJobProfile:
    return profiles.office_profile_adapt(
        actor=actor,
        office=office,
        profile=profile,
        overrides=overrides,
        expected_version=profiles.adaptation_of(office, profile).lock_version,
    )


def _network_data(profile: JobProfile, **changes) -> dict:
    data = {field: dict(getattr(profile, field)) for field in PROFILE_FIELDS}
    return data | changes


def _network_edit(actor, profile: JobProfile, **changes) -> JobProfile:
    profile.refresh_from_db()
    return profiles.job_profile_update(
        actor=actor,
        profile=profile,
        data=_network_data(profile, **changes),
        expected_version=profile.lock_version,
    )


def _refusal(write, **kwargs) -> dict | list:
    with pytest.raises(ValidationError) as refused:
        write(**kwargs)
    error = refused.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


# Reading --------------------------------------------------------------------------------------


def test_the_effective_text_is_the_offices_wording_else_the_networks_in_the_language():
    profile = _profile(mission={"ca": "Missió", "es": "Misión", "en": "Mission"})
    assert profiles.effective_text(profile, {"mission": OURS}, "mission", "es") == OURS
    assert profiles.effective_text(profile, {"tasks": OURS}, "mission", "en") == "Mission"
    assert profiles.effective_text(profile, {"mission": ""}, "mission", "es") == "Misión"
    assert profiles.effective_text(profile, {}, "tasks", "en") == "tasks en"


def test_the_effective_text_falls_back_to_the_first_language_the_network_wrote():
    profile = _profile(mission={"ca": "", "es": "Misión"})
    assert profiles.effective_text(profile, {}, "mission", "en") == "Misión"


def test_only_a_text_per_language_is_the_networks_wording():
    assert profiles.is_network_wording(" Misión \r\n", {"ca": "Missió", "es": "Misión"})
    assert not profiles.is_network_wording("Misión", {"ca": "Missió"})
    assert not profiles.is_network_wording("Misión", "Misión")  # not a text per language
    assert not profiles.is_network_wording("Misión", None)


# The network's wording ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_network_wording_takes_4000_characters_and_refuses_4001(advisor_profile, coordinator):
    mission = dict(advisor_profile.mission) | {"en": TOO_LONG}
    refusal = _refusal(
        profiles.job_profile_update,
        actor=coordinator,
        profile=advisor_profile,
        data=_network_data(advisor_profile, mission=mission),
        expected_version=advisor_profile.lock_version,
    )
    assert refusal == {
        "mission_en": ["At most 4000 characters: keep it to what a recruitment call needs."]
    }
    _network_edit(coordinator, advisor_profile, mission=mission | {"en": LONGEST})
    advisor_profile.refresh_from_db()
    assert advisor_profile.mission["en"] == LONGEST


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [None, "Mission in one language only"])
def test_a_field_sent_as_no_text_per_language_is_missing_in_each(
    advisor_profile, coordinator, sent
):
    refusal = _refusal(
        profiles.job_profile_update,
        actor=coordinator,
        profile=advisor_profile,
        data=_network_data(advisor_profile, mission=sent),
        expected_version=advisor_profile.lock_version,
    )
    missing = ["Write it in each of the three languages: offices read it in theirs."]
    assert refusal == {"mission_ca": missing, "mission_es": missing, "mission_en": missing}


@pytest.mark.django_db
def test_the_network_wording_written_is_audited_on_the_profile(advisor_profile, coordinator):
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    event = AuditEvent.objects.get(action="training.job_profile.update")
    assert (event.actor_id, event.target_type, event.target_id, event.details) == (
        coordinator.pk,
        "training.jobprofile",
        str(advisor_profile.pk),
        {"role": "advisor", "changed": ["mission"]},
    )


# An office's adaptation -----------------------------------------------------------------------


@pytest.mark.django_db
def test_fields_a_profile_does_not_have_are_refused_by_name(advisor_profile, office_a, people):
    refusal = _refusal(
        _adapt,
        actor=people["manager_a"],
        office=office_a,
        profile=advisor_profile,
        salary="40.000 €",
        mission=OURS,
        bonus="Sí",
    )
    assert refusal == ["A job profile has no such field: bonus, salary"]
    assert not OfficeJobProfile.objects.exists()


@pytest.mark.django_db
def test_the_office_wording_takes_4000_characters_and_refuses_4001(
    advisor_profile, office_a, people
):
    manager = people["manager_a"]
    refusal = _refusal(
        _adapt, actor=manager, office=office_a, profile=advisor_profile, tasks=TOO_LONG
    )
    assert refusal == {
        "tasks": ["At most 4000 characters: keep it to what a recruitment call needs."]
    }
    adaptation = _adapt(manager, office_a, advisor_profile, tasks=LONGEST)
    assert adaptation.overrides == {"tasks": LONGEST}


@pytest.mark.django_db
def test_an_adaptation_records_what_changed_and_is_audited_on_itself(
    advisor_profile, office_a, people
):
    manager = people["manager_a"]
    _adapt(manager, office_a, advisor_profile, mission=OURS)
    _adapt(manager, office_a, advisor_profile, mission=OURS, tasks="Acollir.")
    adaptation = _adapt(manager, office_a, advisor_profile, tasks="Acollir.")
    events = AuditEvent.objects.filter(action="training.office_profile.adapt").order_by("pk")
    assert [e.details["changed"] for e in events] == [["mission"], ["tasks"], ["mission"]]
    assert {(e.actor_id, e.target_type, e.target_id, e.office_id) for e in events} == {
        (manager.pk, "training.officejobprofile", str(adaptation.pk), office_a.pk)
    }


@pytest.mark.django_db
def test_rewording_a_field_in_conflict_writes_it_against_todays_network_wording(
    advisor_profile, office_a, people, coordinator
):
    manager = people["manager_a"]
    _adapt(manager, office_a, advisor_profile, mission=OURS)
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    adaptation = _adapt(manager, office_a, advisor_profile, mission=OURS + " Del Baix.")
    assert adaptation.based_on == {"mission": NEW_MISSION}
    assert profiles.conflicts(advisor_profile, adaptation) == []


@pytest.fixture
def conflicting(advisor_profile, office_a, people, coordinator) -> OfficeJobProfile:
    """Office A reworded the mission and the tasks; the network then changed the mission."""
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OURS, tasks="Acollir.")
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    return profiles.adaptation_of(office_a, advisor_profile)


@pytest.mark.django_db
@pytest.mark.parametrize(("network", "wording"), [(True, "network"), (False, "office")])
def test_settling_is_audited_with_who_which_fields_and_which_wording(
    conflicting, people, office_a, network, wording
):
    manager = people["manager_a"]
    profiles.office_profile_settle(
        actor=manager, adaptation=conflicting, use_network_wording=network
    )
    event = AuditEvent.objects.get(action="training.office_profile.settle")
    assert (event.actor_id, event.target_type, event.target_id, event.office_id) == (
        manager.pk,
        "training.officejobprofile",
        str(conflicting.pk),
        office_a.pk,
    )
    assert event.details == {"role": "advisor", "fields": ["mission"], "wording": wording}


@pytest.mark.django_db
def test_settling_reads_the_adaptation_its_profile_and_office_at_once(conflicting, people):
    with CaptureQueriesContext(connection) as queries:
        profiles.office_profile_settle(
            actor=people["manager_a"], adaptation=conflicting, use_network_wording=False
        )
    reads = [query for query in queries if query["sql"].lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1


@pytest.mark.django_db
def test_an_office_that_reworded_nothing_has_nothing_to_settle(advisor_profile, office_a, people):
    refusal = _refusal(
        profiles.office_profile_settle,
        actor=people["manager_a"],
        adaptation=profiles.adaptation_of(office_a, advisor_profile),
        use_network_wording=True,
    )
    assert refusal == ["Your office has not reworded this profile: nothing to settle."]
