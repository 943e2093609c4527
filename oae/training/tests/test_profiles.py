"""Job profiles for recruiting. The rules: an office's version says its own wording where it
reworded a field and the network's (in the reader's language, else Catalan, Spanish, English)
elsewhere; an empty box or the network's own text is not kept as the office's; a network edit
to a field the office reworded is a conflict until the office keeps its wording or takes the
network's, and saving the adaptation again does not settle it; stale edits are refused. The
pages, as each role opens them: coordinators edit the network's wording; office A's manager
adapts office A's version; its staff read and download it, never adapt it; another office's
manager gets a 404; coordinators download any office's; every refusal is a message or a form
error. The PDF is a real PDF of the office's version."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from oae.common.concurrency import EditConflict
from oae.network.models import OfficeRole
from oae.privacy.models import AuditEvent
from oae.testing.factories import MembershipFactory, OfficeFactory, UserFactory
from oae.training import profiles, services
from oae.training.models import PROFILE_FIELDS, JobProfile, OfficeJobProfile
from oae.training.tests.conftest import signed_in

OUR_MISSION = "Atendre les persones emprenedores de Sant Boi i del Baix Llobregat."
OUR_TASKS = "Acollir les persones emprenedores.\nFer el pla d'empresa amb elles."


@pytest.fixture
def advisor_profile(framework) -> JobProfile:
    return JobProfile.objects.get(role="advisor")


def _adapt(actor, office, profile, **overrides) -> OfficeJobProfile:
    adaptation = profiles.adaptation_of(office, profile)
    return profiles.office_profile_adapt(
        actor=actor,
        office=office,
        profile=profile,
        overrides=overrides,
        expected_version=adaptation.lock_version,
    )


def _network_data(profile: JobProfile, **changes) -> dict:
    """The profile's wording as the coordinators' form sends it, with `changes` (field →
    {language: text})."""
    data = {field: dict(getattr(profile, field)) for field in PROFILE_FIELDS}
    for field, texts in changes.items():
        data[field] |= texts
    return data


def _network_edit(actor, profile: JobProfile, **changes) -> JobProfile:
    profile.refresh_from_db()
    return profiles.job_profile_update(
        actor=actor,
        profile=profile,
        data=_network_data(profile, **changes),
        expected_version=profile.lock_version,
    )


NEW_MISSION = {
    "ca": "Acompanyar cada projecte empresarial del municipi fins que camini sol.",
    "es": "Acompañar cada proyecto empresarial del municipio hasta que camine solo.",
    "en": "Support every business project in the town until it stands on its own.",
}


# The seed data --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_framework_brings_a_profile_for_each_job_in_every_language(framework):
    found = {profile.role: profile for profile in JobProfile.objects.all()}
    assert set(found) == {"manager", "advisor", "front_desk"}
    for profile in found.values():
        for field in PROFILE_FIELDS:
            assert all(getattr(profile, field)[language].strip() for language in ("ca", "es", "en"))
        assert len(profiles.items(profile.tasks["en"])) >= 5
        assert len(profiles.items(profile.requirements["ca"])) >= 4
    assert "joint database" in found["advisor"].tasks["en"]


@pytest.mark.django_db
def test_loading_the_framework_again_adds_no_profile_and_keeps_the_coordinators_wording(
    advisor_profile, coordinator
):
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    assert services.framework_load() == 0
    assert JobProfile.objects.count() == 3
    advisor_profile.refresh_from_db()
    assert advisor_profile.mission == NEW_MISSION


# The rules --------------------------------------------------------------------------------------


def test_the_network_text_falls_back_to_catalan_then_spanish_then_english():
    assert profiles.in_language({"ca": "Missió", "es": "Misión", "en": "Mission"}, "es") == "Misión"
    assert profiles.in_language({"ca": "Missió", "es": "Misión", "en": ""}, "en") == "Missió"
    assert profiles.in_language({"ca": " ", "es": "Misión", "en": "Mission"}, "fr") == "Misión"
    assert profiles.in_language({"en": "Mission"}, "ca") == "Mission"
    assert profiles.in_language(None, "ca") == ""


def test_list_fields_read_one_item_a_line_without_bullets():
    assert profiles.items("- Acollir\n\n• Diagnosticar  \r\n  Derivar") == [
        "Acollir",
        "Diagnosticar",
        "Derivar",
    ]


@pytest.mark.django_db
def test_the_office_version_says_its_wording_where_reworded_and_the_networks_elsewhere(
    advisor_profile, office_a, people
):
    adaptation = _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    for language in ("ca", "es", "en"):
        texts = {f.name: f.text for f in profiles.office_view(adaptation, language).fields}
        assert texts["mission"] == OUR_MISSION
        assert texts["tasks"] == advisor_profile.tasks[language]
        assert texts["requirements"] == advisor_profile.requirements[language]
    version = profiles.office_view(adaptation, "en")
    assert [field.name for field in version.reworded] == ["mission"]
    assert version.conflicts == []


@pytest.mark.django_db
def test_a_text_identical_to_the_networks_in_any_language_or_empty_is_not_kept(
    advisor_profile, office_a, people
):
    spanish_tasks = advisor_profile.tasks["es"].replace("\n", "  \r\n") + "\n"
    adaptation = _adapt(
        people["manager_a"],
        office_a,
        advisor_profile,
        mission=advisor_profile.mission["en"],
        tasks=spanish_tasks,
        requirements="   ",
    )
    assert adaptation.overrides == {}
    assert adaptation.based_on == {}


@pytest.mark.django_db
def test_each_reworded_field_keeps_the_network_wording_it_was_written_against(
    advisor_profile, office_a, people
):
    adaptation = _adapt(
        people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION, tasks=OUR_TASKS
    )
    assert adaptation.overrides == {"mission": OUR_MISSION, "tasks": OUR_TASKS}
    assert adaptation.based_on == {
        "mission": advisor_profile.mission,
        "tasks": advisor_profile.tasks,
    }
    event = AuditEvent.objects.get(action="training.office_profile.adapt")
    assert event.office == office_a
    assert event.details == {"role": "advisor", "changed": ["mission", "tasks"]}


@pytest.mark.django_db
def test_a_network_edit_to_a_reworded_field_is_a_conflict_and_to_another_field_is_not(
    advisor_profile, office_a, people, coordinator
):
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    new_requirements = {"ca": "Grau.", "es": "Grado.", "en": "A degree."}
    _network_edit(coordinator, advisor_profile, requirements=new_requirements)
    adaptation = profiles.adaptation_of(office_a, advisor_profile)
    assert profiles.conflicts(advisor_profile, adaptation) == []
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    adaptation = profiles.adaptation_of(office_a, advisor_profile)
    assert profiles.conflicts(advisor_profile, adaptation) == ["mission"]
    (conflict,) = profiles.office_view(adaptation, "es").conflicts
    assert conflict.own == OUR_MISSION
    assert conflict.network == NEW_MISSION["es"]
    assert conflict.network_before.startswith("Acompañar a las personas emprendedoras")
    assert conflict.text == OUR_MISSION  # the office's wording stays until it settles


@pytest.fixture
def conflicting(advisor_profile, office_a, people, coordinator) -> OfficeJobProfile:
    """Office A reworded the mission and the tasks; the network then changed the mission."""
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION, tasks=OUR_TASKS)
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    return profiles.adaptation_of(office_a, advisor_profile)


@pytest.mark.django_db
def test_keeping_the_office_wording_settles_the_conflict_against_the_networks_new_wording(
    conflicting, advisor_profile, people
):
    settled = profiles.office_profile_settle(
        actor=people["manager_a"], adaptation=conflicting, use_network_wording=False
    )
    assert settled == ["mission"]
    conflicting.refresh_from_db()
    assert conflicting.overrides == {"mission": OUR_MISSION, "tasks": OUR_TASKS}
    assert conflicting.based_on["mission"] == NEW_MISSION
    assert profiles.conflicts(advisor_profile, conflicting) == []
    event = AuditEvent.objects.get(action="training.office_profile.settle")
    assert event.details == {"role": "advisor", "fields": ["mission"], "wording": "office"}


@pytest.mark.django_db
def test_taking_the_network_wording_drops_only_the_conflicting_override(
    conflicting, advisor_profile, people
):
    profiles.office_profile_settle(
        actor=people["manager_a"], adaptation=conflicting, use_network_wording=True
    )
    conflicting.refresh_from_db()
    assert conflicting.overrides == {"tasks": OUR_TASKS}
    assert set(conflicting.based_on) == {"tasks"}
    texts = {f.name: f.text for f in profiles.office_view(conflicting, "en").fields}
    assert texts["mission"] == NEW_MISSION["en"]
    assert texts["tasks"] == OUR_TASKS


@pytest.mark.django_db
def test_settling_when_nothing_conflicts_is_refused(advisor_profile, office_a, people):
    adaptation = _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    with pytest.raises(ValidationError, match="Nothing to settle"):
        profiles.office_profile_settle(
            actor=people["manager_a"], adaptation=adaptation, use_network_wording=True
        )
    with pytest.raises(ValidationError, match="not reworded"):
        profiles.office_profile_settle(
            actor=people["manager_a"],
            adaptation=profiles.adaptation_of(OfficeFactory(), advisor_profile),
            use_network_wording=True,
        )


@pytest.mark.django_db
def test_saving_the_adaptation_again_does_not_settle_a_conflict(conflicting, people):
    manager = people["manager_a"]
    adaptation = _adapt(
        manager, conflicting.office, conflicting.profile, mission=OUR_MISSION, tasks="Acollir."
    )
    assert profiles.conflicts(adaptation.profile, adaptation) == ["mission"]
    assert adaptation.based_on["tasks"] == adaptation.profile.tasks  # reworded now: today's


@pytest.mark.django_db
def test_a_stale_edit_of_the_network_wording_is_refused(advisor_profile, coordinator):
    read_version = advisor_profile.lock_version
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    with pytest.raises(EditConflict):
        profiles.job_profile_update(
            actor=coordinator,
            profile=advisor_profile,
            data=_network_data(advisor_profile, mission={"ca": "Una altra missió."}),
            expected_version=read_version,
        )
    advisor_profile.refresh_from_db()
    assert advisor_profile.mission == NEW_MISSION


@pytest.mark.django_db
def test_two_managers_adapting_from_the_same_page_the_second_is_refused(
    advisor_profile, office_a, people
):
    shown = profiles.adaptation_of(office_a, advisor_profile).lock_version
    first = dict(overrides={"mission": OUR_MISSION}, expected_version=shown)
    common = {"actor": people["manager_a"], "office": office_a, "profile": advisor_profile}
    profiles.office_profile_adapt(**common, **first)
    with pytest.raises(EditConflict):
        profiles.office_profile_adapt(
            **common, overrides={"tasks": OUR_TASKS}, expected_version=shown
        )
    assert profiles.adaptation_of(office_a, advisor_profile).overrides == {"mission": OUR_MISSION}


@pytest.mark.django_db
def test_the_network_wording_is_written_in_every_language(advisor_profile, coordinator):
    data = _network_data(advisor_profile, tasks={"es": " \r\n "})
    with pytest.raises(ValidationError) as refused:
        profiles.job_profile_update(
            actor=coordinator,
            profile=advisor_profile,
            data=data,
            expected_version=advisor_profile.lock_version,
        )
    assert set(refused.value.error_dict) == {"tasks_es"}
    assert not AuditEvent.objects.filter(action="training.job_profile.update").exists()


# The pages ------------------------------------------------------------------------------------

STAFF = ["readonly_a", "advisor_a", "manager_a", "advisor_b", "auditor", "coordinator"]


def _url(name, *args) -> str:
    return reverse(f"training:{name}", args=args)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post(client, url, data):
    """A POST whose messages are its own: the client drops those left by earlier requests."""
    client.cookies.pop("messages", None)
    return client.post(url, data)


def _form_data(profile: JobProfile, version: int, **changes) -> dict:
    data = {"lock_version": version}
    for field, texts in _network_data(profile, **changes).items():
        data |= {f"{field}_{language}": text for language, text in texts.items()}
    return data


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", STAFF)
def test_every_member_of_staff_reads_the_network_profiles(client_for, framework, persona):
    page = client_for(persona).get(_url("profiles")).content.decode()
    for title in ("Office manager", "Advisor", "Front desk"):
        assert title in page
    assert (_url("profile_edit", "advisor") in page) == (persona == "coordinator")
    detail = client_for(persona).get(_url("profile", "advisor"))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Welcome entrepreneurs and hold the first interview." in text


@pytest.mark.django_db
def test_the_profile_page_names_the_competences_with_their_levels(client_for, framework):
    response = client_for("advisor_a").get(_url("profile", "advisor"))
    needs = {need.code: need for need in response.context["competences"]}
    assert needs["OAE1"].level == 3
    assert needs["OAE1"].level_name == "Advanced"
    spanish = client_for("advisor_a", "es").get(_url("profile", "advisor"))
    assert {need.code: need.level_name for need in spanish.context["competences"]}[
        "OAE1"
    ] == "Avanzado"


@pytest.mark.django_db
def test_an_unknown_job_is_a_404(client_for, framework, office_a):
    client = client_for("coordinator")
    assert client.get(_url("profile", "janitor")).status_code == 404
    assert client.get(_url("office_profile_pdf", "janitor", office_a.public_id)).status_code == 404


@pytest.mark.django_db
def test_the_coordinator_edits_the_network_wording(client_for, advisor_profile):
    client = client_for("coordinator")
    assert client.get(_url("profile_edit", "advisor")).status_code == 200
    data = _form_data(advisor_profile, advisor_profile.lock_version, mission=NEW_MISSION)
    response = client.post(_url("profile_edit", "advisor"), data)
    assert response.status_code == 302
    assert response["Location"] == _url("profile", "advisor")
    assert _messages(response) == ["The network's profile is saved."]
    advisor_profile.refresh_from_db()
    assert advisor_profile.mission == NEW_MISSION
    event = AuditEvent.objects.get(action="training.job_profile.update")
    assert event.details == {"role": "advisor", "changed": ["mission"]}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["readonly_a", "advisor_a", "manager_a", "auditor"])
def test_only_coordinators_edit_the_network_wording(client_for, advisor_profile, persona):
    client = client_for(persona)
    assert client.get(_url("profile_edit", "advisor")).status_code == 403
    data = _form_data(advisor_profile, advisor_profile.lock_version, mission=NEW_MISSION)
    assert client.post(_url("profile_edit", "advisor"), data).status_code == 403
    advisor_profile.refresh_from_db()
    assert advisor_profile.mission != NEW_MISSION


@pytest.mark.django_db
def test_a_stale_or_incomplete_network_edit_keeps_the_form_with_its_reason(
    client_for, advisor_profile, coordinator
):
    client = client_for("coordinator")
    stale_version = advisor_profile.lock_version
    _network_edit(coordinator, advisor_profile, mission=NEW_MISSION)
    stale = client.post(
        _url("profile_edit", "advisor"),
        _form_data(advisor_profile, stale_version, tasks={"en": "Only this."}),
    )
    assert stale.status_code == 200
    assert "Someone else changed this record while you were editing it." in stale.content.decode()
    assert "Only this." in stale.content.decode()  # what was typed is not lost
    missing = client.post(
        _url("profile_edit", "advisor"),
        _form_data(advisor_profile, advisor_profile.lock_version + 1, requirements={"ca": ""}),
    )
    assert missing.status_code == 200
    assert missing.context["form"].errors["requirements_ca"] == [
        "Write it in each of the three languages: offices read it in theirs."
    ]
    unversioned = _form_data(advisor_profile, 1)
    unversioned.pop("lock_version")
    response = client.post(_url("profile_edit", "advisor"), unversioned)
    assert response.status_code == 200
    assert "came without the version" in response.content.decode()
    advisor_profile.refresh_from_db()
    assert advisor_profile.tasks["en"] != "Only this."


@pytest.mark.django_db
def test_office_a_manager_adapts_office_a_version(client_for, advisor_profile, office_a):
    client = client_for("manager_a")
    form_page = client.get(_url("office_profile_adapt", "advisor", office_a.public_id))
    assert form_page.status_code == 200
    assert form_page.context["form"].initial["mission"] == advisor_profile.mission["en"]
    response = client.post(
        _url("office_profile_adapt", "advisor", office_a.public_id),
        {
            "lock_version": 1,
            "mission": OUR_MISSION,
            "tasks": advisor_profile.tasks["en"],  # left as the network's
            "requirements": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("office_profile", "advisor", office_a.public_id)
    assert profiles.adaptation_of(office_a, advisor_profile).overrides == {"mission": OUR_MISSION}
    page = client.get(response["Location"]).content.decode()
    assert OUR_MISSION in page
    assert "your office&#x27;s wording" in page or "your office's wording" in page


@pytest.mark.django_db
def test_bad_input_to_the_adaptation_keeps_the_form_with_a_clear_message(
    client_for, advisor_profile, office_a
):
    client = client_for("manager_a")
    url = _url("office_profile_adapt", "advisor", office_a.public_id)
    too_long = client.post(url, {"lock_version": 1, "mission": "x" * 4001})
    assert too_long.status_code == 200
    assert too_long.context["form"].errors["mission"]
    unversioned = client.post(url, {"mission": OUR_MISSION})
    assert unversioned.status_code == 200
    assert "came without the version" in unversioned.content.decode()
    stale = client.post(url, {"lock_version": 7, "mission": OUR_MISSION})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    assert OfficeJobProfile.objects.filter(overrides__has_key="mission").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["readonly_a", "advisor_a"])
def test_office_staff_read_and_download_their_version_but_do_not_adapt_it(
    client_for, advisor_profile, office_a, people, persona
):
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    client = client_for(persona)
    page = client.get(_url("office_profile", "advisor", office_a.public_id))
    assert page.status_code == 200
    assert _url("office_profile_adapt", "advisor", office_a.public_id) not in page.content.decode()
    assert OUR_MISSION in _pdf_text(
        client.get(_url("office_profile_pdf", "advisor", office_a.public_id))
    )
    adapt = _url("office_profile_adapt", "advisor", office_a.public_id)
    assert client.get(adapt).status_code == 403
    assert client.post(adapt, {"lock_version": 2, "mission": "Nostra"}).status_code == 403
    settle = _url("office_profile_settle", "advisor", office_a.public_id)
    assert client.post(settle, {"field": "mission", "wording": "network"}).status_code == 403
    assert profiles.adaptation_of(office_a, advisor_profile).overrides == {"mission": OUR_MISSION}


@pytest.mark.django_db
def test_another_offices_manager_gets_a_404_for_office_a(advisor_profile, office_a, office_b):
    manager_b = MembershipFactory(
        office=office_b, role=OfficeRole.MANAGER, user=UserFactory(email="manager.b@example.org")
    ).user
    client = signed_in(manager_b)
    for name in ("office_profile", "office_profile_adapt", "office_profile_pdf"):
        assert client.get(_url(name, "advisor", office_a.public_id)).status_code == 404, name
    adapt = client.post(
        _url("office_profile_adapt", "advisor", office_a.public_id),
        {"lock_version": 1, "mission": "Nostra"},
    )
    assert adapt.status_code == 404
    settle = _url("office_profile_settle", "advisor", office_a.public_id)
    assert client.post(settle, {"field": "mission", "wording": "network"}).status_code == 404
    assert not OfficeJobProfile.objects.exists()
    assert AuditEvent.objects.filter(action="access.denied", office=office_a).exists()
    own = client.get(_url("office_profile_adapt", "advisor", office_b.public_id))
    assert own.status_code == 200


@pytest.mark.django_db
def test_coordinators_download_any_offices_version_and_auditors_none(
    client_for, advisor_profile, office_a, office_b, people
):
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    coordinator = client_for("coordinator")
    assert OUR_MISSION in _pdf_text(
        coordinator.get(_url("office_profile_pdf", "advisor", office_a.public_id))
    )
    other = coordinator.get(_url("office_profile_pdf", "advisor", office_b.public_id))
    assert other.status_code == 200
    adapt = coordinator.get(_url("office_profile_adapt", "advisor", office_a.public_id))
    assert adapt.status_code == 403  # the network's roles write the network's wording
    auditor = client_for("auditor")
    assert auditor.get(_url("office_profile_pdf", "advisor", office_a.public_id)).status_code == 404


@pytest.mark.django_db
def test_the_pdf_is_the_offices_version_in_the_readers_language(
    client_for, advisor_profile, office_a, people
):
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    response = client_for("advisor_a", "es").get(
        _url("office_profile_pdf", "advisor", office_a.public_id)
    )
    assert response["Content-Disposition"] == 'attachment; filename="asesor-a-oae-alfa.pdf"'
    text = " ".join(_pdf_text(response).split())
    assert OUR_MISSION in text
    for expected in ("OAE Alfa", "Sant Boi de Llobregat", "Asesor/a"):
        assert expected in text
    assert "Acoger a las personas emprendedoras" in text  # the network's tasks, in Spanish
    assert "Diagnosticar la idea de negocio" in text
    assert "Avanzado" in text  # a competence's level, named


@pytest.mark.django_db
def test_the_office_sees_a_conflict_and_settles_it_both_ways_on_its_page(
    client_for, conflicting, office_a
):
    client = client_for("manager_a")
    page = client.get(_url("office_profile", "advisor", office_a.public_id))
    (conflict,) = page.context["version"].conflicts
    assert conflict.name == "mission"
    text = page.content.decode()
    assert "The network changed what your office reworded" in text
    assert NEW_MISSION["en"] in text and OUR_MISSION in text
    assert "Support the town&#x27;s entrepreneurs" in text  # the network's wording then
    settle = _url("office_profile_settle", "advisor", office_a.public_id)
    response = client.post(settle, {"field": "mission", "wording": "office"})
    assert response.status_code == 302
    assert _messages(response) == ["Your wording is kept."]
    settled = profiles.adaptation_of(office_a, conflicting.profile)
    assert profiles.conflicts(settled.profile, settled) == []
    again = _post(client, settle, {"field": "mission", "wording": "network"})
    assert _messages(again) == [
        "Nothing to settle: the network has not changed what you reworded since you wrote it."
    ]
    nonsense = _post(client, settle, {"field": "salary", "wording": "maybe"})
    assert nonsense.status_code == 302
    assert _messages(nonsense) == ["Choose whether to keep your wording or use the network's."]


@pytest.mark.django_db
def test_taking_the_networks_wording_from_the_page(client_for, conflicting, office_a):
    client = client_for("manager_a")
    settle = _url("office_profile_settle", "advisor", office_a.public_id)
    response = client.post(settle, {"field": "mission", "wording": "network"})
    assert _messages(response) == ["The network's wording is used."]
    page = client.get(_url("office_profile", "advisor", office_a.public_id)).content.decode()
    assert NEW_MISSION["en"] in page and OUR_MISSION not in page


@pytest.mark.django_db
def test_the_profile_page_lists_the_offices_each_may_open(
    client_for, advisor_profile, office_a, people
):
    _adapt(people["manager_a"], office_a, advisor_profile, mission=OUR_MISSION)
    rows = client_for("coordinator").get(_url("profile", "advisor")).context["offices"]
    assert {row.office.name: row.reworded for row in rows} == {
        "OAE Alfa": ["Mission"],
        "OAE Beta": [],
    }
    assert not any(row.may_adapt for row in rows)
    (mine,) = client_for("manager_a").get(_url("profile", "advisor")).context["offices"]
    assert (mine.office, mine.may_adapt) == (office_a, True)
    (theirs,) = client_for("advisor_b").get(_url("profile", "advisor")).context["offices"]
    assert (theirs.office.name, theirs.may_adapt) == ("OAE Beta", False)
    assert client_for("auditor").get(_url("profile", "advisor")).context["offices"] == []


@pytest.mark.django_db
def test_the_profile_page_reads_the_same_queries_whatever_the_number_of_offices(
    client_for, advisor_profile, people, django_assert_max_num_queries
):
    client = client_for("coordinator")
    client.get(_url("profile", "advisor"))  # the session and the user read once
    with django_assert_max_num_queries(12) as few:
        client.get(_url("profile", "advisor"))
    for office in OfficeFactory.create_batch(5):
        _adapt(None, office, advisor_profile, mission=f"{OUR_MISSION} {office.name}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("profile", "advisor"))
    assert len(response.context["offices"]) == 7


# Found walking the pages in a browser ------------------------------------------------------


def _lines_sent_by_a_browser(count: int) -> tuple[str, str]:
    """A list as typed (lines ended by "\\n", as a box counts them) and as a browser sends it
    (each line break "\\r\\n")."""
    typed = "\n".join(f"Tasca {number:03d} de l'oficina de Sant Boi" for number in range(count))
    return typed, typed.replace("\n", "\r\n")


@pytest.mark.django_db
def test_a_list_within_the_length_is_kept_though_the_browser_sends_two_characters_a_line(
    client_for, advisor_profile, office_a, coordinator
):
    typed, sent = _lines_sent_by_a_browser(114)
    assert len(typed) <= profiles.TEXT_MAX_LENGTH < len(sent)
    url = _url("office_profile_adapt", "advisor", office_a.public_id)
    response = client_for("manager_a").post(url, {"lock_version": 1, "tasks": sent})
    assert response.status_code == 302
    assert profiles.adaptation_of(office_a, advisor_profile).overrides == {"tasks": typed}
    data = _form_data(advisor_profile, advisor_profile.lock_version, tasks={"es": sent})
    response = client_for("coordinator").post(_url("profile_edit", "advisor"), data)
    assert response.status_code == 302
    advisor_profile.refresh_from_db()
    assert advisor_profile.tasks["es"] == typed


@pytest.mark.django_db
def test_a_text_too_long_keeps_all_that_was_typed_with_the_services_reason(
    client_for, advisor_profile, office_a
):
    url = _url("office_profile_adapt", "advisor", office_a.public_id)
    too_long = "Sant Boi. " * 401  # 4010 characters
    response = client_for("manager_a").post(url, {"lock_version": 1, "mission": too_long})
    assert response.status_code == 200
    assert response.context["form"].errors["mission"] == [
        "At most 4000 characters: keep it to what a recruitment call needs."
    ]
    page = response.content.decode()
    assert too_long.strip() in page  # the box gives it back, not cut to its length
    assert "maxlength" not in page  # a box that cuts a pasted text short loses its end


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_networks_profile_of_each_job_is_one_page_dated_under_its_title(
    client_for, framework, office_a, language
):
    """The day closed the profile and fell alone on a second sheet; it is under the title now,
    and the network's wording of each job fits one page."""
    client = client_for("advisor_a", language)
    for role in ("manager", "advisor", "front_desk"):
        response = client.get(_url("office_profile_pdf", role, office_a.public_id))
        content = b"".join(response) if response.streaming else response.content
        pages = PdfReader(io.BytesIO(content)).pages
        assert len(pages) == 1, (role, language)
    if language == "en":
        assert "Profile of" in " ".join(pages[0].extract_text().split())


@pytest.mark.django_db
def test_an_apostrophe_in_the_pdf_name_parts_words_rather_than_joining_them(
    client_for, framework, office_a
):
    response = client_for("manager_a", "ca").get(
        _url("office_profile_pdf", "manager", office_a.public_id)
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="responsable-d-oficina-oae-alfa.pdf"'  # not "responsable-doficina"
    )
