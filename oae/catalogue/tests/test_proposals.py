"""Proposals to the operating model, rule by rule: only an office's own staff propose, revise,
comment and support for it; a proposal must change something; one support per office; the
network decides (a decline says why), merges an accepted proposal into the draft field by
field (conflicts when the draft changed the same field meanwhile) and the next version names
it; each change of state is audited and told to the author and the supporters."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from oae.catalogue import notices, proposals, services
from oae.catalogue.models import DraftItem, OfficeItem, ProposalNotice, ProposalState
from oae.catalogue.tests.conftest import NEW_NAME, proposal_content
from oae.privacy.models import AuditEvent
from oae.testing.catalogue import i18n


@pytest.fixture
def english(people):
    for user in people.values():
        if user is not None:
            user.language = "en"
            user.save(update_fields=["language"])


def _refusal(function, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        function(**kwargs)
    return caught.value.messages


# Proposing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_proposal_keeps_what_it_changes_against_the_published_item(proposal, v1):
    assert proposal.state == ProposalState.OPEN
    assert proposal.base_version == v1
    assert proposals.proposed_changes("service", proposal.base_content, proposal.content) == [
        "name"
    ]
    assert [r.number for r in proposal.revisions.all()] == [1]
    event = AuditEvent.objects.get(action="catalogue.proposal.create")
    assert event.office == proposal.office and event.details["changed"] == ["name"]


@pytest.mark.django_db
def test_a_proposal_identical_to_the_published_item_is_refused(v1, people, office_a):
    assert _refusal(
        proposals.proposal_create,
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=proposal_content(v1),
        reason="Res",
    ) == ["The proposal changes nothing: it reads exactly as the published item."]


@pytest.mark.django_db
def test_an_office_s_practical_details_are_not_proposed(v1, people, office_a):
    """Local-only fields (contact, schedule…) are the office's own: dropped, so changing only
    them changes nothing."""
    content = proposal_content(v1, contact=i18n("93 000 00 00"))
    with pytest.raises(ValidationError, match="changes nothing"):
        proposals.proposal_create(
            actor=people["advisor_a"],
            office=office_a,
            kind="service",
            code="crear",
            content=content,
            reason="Telèfon",
        )


@pytest.mark.django_db
def test_a_proposal_needs_a_reason_and_the_required_fields(v1, people, office_a):
    kwargs = {"actor": people["manager_a"], "office": office_a, "kind": "service", "code": "crear"}
    assert _refusal(
        proposals.proposal_create,
        content=proposal_content(v1, name=NEW_NAME),
        reason="  ",
        **kwargs,
    ) == ["Say why the network should change it."]
    assert _refusal(
        proposals.proposal_create,
        content=proposal_content(v1, name=i18n("", "Nombre")),
        reason="Sense nom",
        **kwargs,
    ) == ["“Name” is empty in Catalan."]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["readonly_a", "advisor_b", "coordinator", "auditor"])
def test_only_the_office_s_managers_and_advisors_propose_for_it(v1, people, office_a, persona):
    with pytest.raises(PermissionDenied):
        proposals.proposal_create(
            actor=people[persona],
            office=office_a,
            kind="service",
            code="crear",
            content=proposal_content(v1, name=NEW_NAME),
            reason="Per què no",
        )


@pytest.mark.django_db
def test_a_new_item_needs_a_code_not_in_use(v1, people, office_a):
    content = proposal_content(v1, name=i18n("Relleu generacional"))
    new = proposals.proposal_create(
        actor=people["advisor_a"],
        office=office_a,
        kind="service",
        code="relleu",
        content=content,
        reason="Molts comerços tanquen per jubilació.",
        is_new=True,
    )
    assert (new.is_new, new.base_content, new.base_version) == (True, {}, None)
    with pytest.raises(ValidationError, match="already in use"):
        proposals.proposal_create(
            actor=people["advisor_a"],
            office=office_a,
            kind="service",
            code="crear",
            content=content,
            reason="x",
            is_new=True,
        )


@pytest.mark.django_db
def test_an_item_not_published_cannot_be_changed(v1, people, office_a):
    with pytest.raises(ValidationError, match="not in the published model"):
        proposals.proposal_create(
            actor=people["manager_a"],
            office=office_a,
            kind="service",
            code="no-existeix",
            content=proposal_content(v1, name=NEW_NAME),
            reason="x",
        )


@pytest.mark.django_db
def test_an_office_s_wording_becomes_a_proposal_in_one_step(v1, people, office_a):
    services.office_catalogue_adopt(actor=None, office=office_a, version=v1)
    item = OfficeItem.objects.get(office=office_a, kind="service", code="crear")
    with pytest.raises(ValidationError, match="uses the network's wording"):
        proposals.proposal_from_override(actor=people["manager_a"], item=item)
    item.overrides = {"name": {"ca": "Crea la teva empresa"}, "schedule": i18n("Dimarts")}
    item.save()
    proposal = proposals.proposal_from_override(actor=people["manager_a"], item=item)
    assert proposal.content["name"] == i18n("Crea la teva empresa", "Crear una empresa", "")
    assert "schedule" not in proposal.content  # the office's practical details stay its own
    assert proposal.reason == "This is the wording our office uses with its clients."


@pytest.mark.django_db
def test_the_proposing_office_revises_while_open_and_keeps_every_revision(proposal, v1, people):
    revised = proposals.proposal_revise(
        actor=people["advisor_a"],
        proposal=proposal,
        content=proposal_content(v1, name=NEW_NAME, summary=i18n("Pas a pas")),
        reason="I el resum",
        expected_version=proposal.lock_version,
    )
    assert [r.number for r in revised.revisions.all()] == [1, 2]
    assert (
        revised.revisions.get(number=1).content["summary"]
        == v1.items.get(code="crear").content["summary"]
    )
    with pytest.raises(PermissionDenied):
        proposals.proposal_revise(
            actor=people["advisor_b"],
            proposal=revised,
            content=proposal_content(v1, name=NEW_NAME),
            reason="x",
            expected_version=revised.lock_version,
        )


@pytest.mark.django_db
def test_evidence_files_are_checked_by_theirproposal_content(proposal, people):
    fake = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError, match="not a file we accept"):
        proposals.proposal_evidence_add(actor=people["manager_a"], proposal=proposal, upload=fake)
    real = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf")
    evidence = proposals.proposal_evidence_add(
        actor=people["manager_a"], proposal=proposal, upload=real, note="Acta"
    )
    assert evidence.content_type == "application/pdf"
    with pytest.raises(ValidationError, match="Add a note, a link or a file"):
        proposals.proposal_evidence_add(actor=people["manager_a"], proposal=proposal)


# Discussion -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_other_offices_comment_and_support_once(proposal, people, office_b):
    proposals.proposal_comment(
        actor=people["advisor_b"], office=office_b, proposal=proposal, body="Molt d'acord."
    )
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    assert _refusal(
        proposals.proposal_support, actor=people["advisor_b"], office=office_b, proposal=proposal
    ) == ["OAE Beta supports this proposal already."]
    assert proposal.supports.count() == 1
    assert _refusal(
        proposals.proposal_support,
        actor=people["manager_a"],
        office=proposal.office,
        proposal=proposal,
    ) == ["Your office made this proposal: it supports it already."]


@pytest.mark.django_db
def test_a_comment_is_not_empty_and_speaks_for_the_commenter_s_office(proposal, people, office_a):
    with pytest.raises(ValidationError, match="Write your comment"):
        proposals.proposal_comment(
            actor=people["advisor_a"], office=office_a, proposal=proposal, body="   "
        )
    with pytest.raises(PermissionDenied):
        proposals.proposal_comment(
            actor=people["advisor_b"], office=office_a, proposal=proposal, body="Per A"
        )


@pytest.mark.django_db
def test_a_support_is_taken_back_while_open(proposal, people, office_b):
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    proposals.proposal_support_withdraw(
        actor=people["advisor_b"], office=office_b, proposal=proposal
    )
    assert proposal.supports.count() == 0
    with pytest.raises(ValidationError, match="does not support"):
        proposals.proposal_support_withdraw(
            actor=people["advisor_b"], office=office_b, proposal=proposal
        )


# Decisions and notices --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_each_change_of_state_is_told_to_the_author_and_the_supporters(
    v1, people, office_a, office_b, english
):
    proposal = proposals.proposal_create(
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=proposal_content(v1, name=NEW_NAME),
        reason="Més clar",
    )
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    proposals.proposal_decide(
        actor=people["coordinator"], proposal=proposal, state=ProposalState.UNDER_REVIEW
    )
    told = sorted(recipient for message in mail.outbox for recipient in message.to)
    assert told == sorted([people["manager_a"].email, people["advisor_b"].email])
    assert all("under review" in message.subject for message in mail.outbox)
    assert ProposalNotice.objects.filter(read_at__isnull=True).count() == 2
    assert notices.unread_count(people["manager_a"]) == 1
    assert notices.notices_mark_read(people["manager_a"]) == 1
    assert notices.notice_send(notice_id=ProposalNotice.objects.first().pk) is False  # once


@pytest.mark.django_db
def test_declining_needs_a_reason_and_ends_the_proposal(proposal, people):
    coordinator = people["coordinator"]
    assert _refusal(
        proposals.proposal_decide,
        actor=coordinator,
        proposal=proposal,
        state=ProposalState.DECLINED,
    ) == ["Say why the network declines it."]
    proposals.proposal_decide(
        actor=coordinator, proposal=proposal, state=ProposalState.DECLINED, note="Massa local."
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision_note) == ("declined", "Massa local.")
    with pytest.raises(ValidationError, match="cannot become"):
        proposals.proposal_decide(
            actor=coordinator, proposal=proposal, state=ProposalState.ACCEPTED
        )
    assert AuditEvent.objects.filter(action="catalogue.proposal.decide").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "auditor", "advisor_b"])
def test_only_the_network_decides(proposal, people, persona):
    with pytest.raises(PermissionDenied):
        proposals.proposal_decide(
            actor=people[persona], proposal=proposal, state=ProposalState.ACCEPTED
        )


@pytest.mark.django_db
def test_the_proposing_office_withdraws_an_open_proposal_once(proposal, people):
    with pytest.raises(PermissionDenied):
        proposals.proposal_withdraw(actor=people["coordinator"], proposal=proposal)
    proposals.proposal_withdraw(actor=people["advisor_a"], proposal=proposal)
    with pytest.raises(ValidationError, match="Only an open proposal"):
        proposals.proposal_withdraw(actor=people["advisor_a"], proposal=proposal)


# Adoption ---------------------------------------------------------------------------------


def _accept(proposal, people, state=ProposalState.ACCEPTED, note=""):
    return proposals.proposal_decide(
        actor=people["coordinator"], proposal=proposal, state=state, note=note
    )


@pytest.mark.django_db
def test_only_an_accepted_proposal_is_merged(proposal, people):
    with pytest.raises(ValidationError, match="Only an accepted proposal"):
        proposals.proposal_merge(actor=people["coordinator"], proposal=proposal)


@pytest.mark.django_db
def test_merging_brings_the_proposal_s_fields_into_the_draft(proposal, people):
    _accept(proposal, people)
    item = proposals.proposal_merge(actor=people["coordinator"], proposal=proposal)
    assert item.content["name"] == NEW_NAME
    with pytest.raises(ValidationError, match="in the draft already"):
        proposals.proposal_merge(actor=people["coordinator"], proposal=proposal)


@pytest.mark.django_db
def test_a_field_the_draft_changed_meanwhile_is_a_conflict_the_coordinator_settles(
    proposal, people, v1
):
    draft = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=people["coordinator"],
        item=draft,
        content=draft.content | {"name": i18n("Crear una empresa pas a pas")},
        expected_version=draft.lock_version,
    )
    _accept(proposal, people, ProposalState.ACCEPTED_WITH_CHANGES, note="Ens quedem el nostre.")
    plan = proposals.merge_plan(proposal)
    assert [(f.name, f.conflict) for f in plan.fields] == [("name", True)]
    item = proposals.proposal_merge(
        actor=people["coordinator"], proposal=proposal, keep_draft={"name"}
    )
    assert item.content["name"] == i18n("Crear una empresa pas a pas")


@pytest.mark.django_db
def test_a_field_only_the_proposal_changed_is_no_conflict(proposal, people):
    draft = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=people["coordinator"],
        item=draft,
        content=draft.content | {"duration": i18n("3 sessions")},
        expected_version=draft.lock_version,
    )
    _accept(proposal, people)
    assert proposals.merge_plan(proposal).conflicts == []
    item = proposals.proposal_merge(
        actor=people["coordinator"], proposal=proposal, keep_draft={"name"}
    )
    assert (item.content["name"], item.content["duration"]) == (NEW_NAME, i18n("3 sessions"))


@pytest.mark.django_db
def test_a_new_item_is_created_in_the_draft(v1, people, office_a):
    new = proposals.proposal_create(
        actor=people["advisor_a"],
        office=office_a,
        kind="service",
        code="relleu",
        content=proposal_content(v1, name=i18n("Relleu generacional")),
        reason="Jubilacions",
        is_new=True,
    )
    _accept(new, people)
    item = proposals.proposal_merge(actor=people["coordinator"], proposal=new)
    assert (item.code, item.content["name"]["ca"]) == ("relleu", "Relleu generacional")


@pytest.mark.django_db(transaction=True)
def test_the_next_version_names_the_proposal_and_tells_its_supporters(
    proposal, people, office_b, english
):
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    _accept(proposal, people)
    proposals.proposal_merge(actor=people["coordinator"], proposal=proposal)
    mail.outbox.clear()
    v2 = services.network_publish(actor=people["coordinator"], changelog="Noms més clars.")
    proposal.refresh_from_db()
    assert proposal.published_in == v2
    assert "Crear la teva empresa" in v2.changelog and "OAE Alfa" in v2.changelog
    told = sorted(recipient for message in mail.outbox for recipient in message.to)
    assert told == sorted([people["manager_a"].email, people["advisor_b"].email])
    assert all("Version 2" in message.subject for message in mail.outbox)
    v3 = services.network_publish(actor=people["coordinator"], changelog="Res més.")
    assert v3.changelog == "Res més." and list(v3.proposals.all()) == []


@pytest.mark.django_db
def test_an_office_behind_proposes_only_its_wording_not_the_older_version(v1, people, office_a):
    """Adopted v1, reworded the name; the network changed the duration in v2: the proposal
    changes the name only (it does not take v2's duration back to v1's)."""
    services.office_catalogue_adopt(actor=None, office=office_a, version=v1)
    draft = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=None,
        item=draft,
        content=draft.content | {"duration": i18n("3 mesos")},
        expected_version=draft.lock_version,
    )
    v2 = services.network_publish(actor=None, changelog="Durada")
    item = OfficeItem.objects.get(office=office_a, kind="service", code="crear")
    item.overrides = {"name": {"ca": "Crea la teva empresa"}}
    item.save()
    proposal = proposals.proposal_from_override(actor=people["manager_a"], item=item)
    assert proposal.base_version == v2
    assert proposals.proposed_changes("service", proposal.base_content, proposal.content) == [
        "name"
    ]
    assert proposal.content["duration"] == i18n("3 mesos")
