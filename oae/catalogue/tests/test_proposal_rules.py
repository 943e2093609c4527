"""Each refusal of the proposals' rules, exactly: the field it is said on and its words, at
the edges (a reason of 4000 characters and of 4001, a proposal decided, withdrawn, merged),
and what each write leaves (who merged, which support is taken back)."""

import pytest
from django.core.exceptions import ValidationError

from oae.catalogue import proposals, services
from oae.catalogue.models import DraftItem, ProposalState
from oae.catalogue.tests.conftest import NEW_NAME, proposal_content
from oae.testing.catalogue import i18n, service_content

pytestmark = pytest.mark.django_db


def _said(function, **kwargs) -> dict:
    """The refusal as {field: [messages]} ("__all__" for the whole)."""
    with pytest.raises(ValidationError) as caught:
        function(**kwargs)
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _create(v1, people, office, **changes):
    data = {
        "actor": people["manager_a"],
        "office": office,
        "kind": "service",
        "code": "crear",
        "content": proposal_content(v1, name=NEW_NAME),
        "reason": "Més clar",
    } | changes
    return proposals.proposal_create(**data)


def test_the_reason_is_said_on_its_field_with_its_limit(v1, people, office_a):
    assert _said(_create, v1=v1, people=people, office=office_a, reason="") == {
        "reason": ["Say why the network should change it."]
    }
    assert _said(_create, v1=v1, people=people, office=office_a, reason="x" * 4001) == {
        "reason": ["Keep it to 4000 characters."]
    }
    kept = _create(v1, people, office_a, reason="  " + "x" * 4000 + "  ")
    assert kept.reason == "x" * 4000


def test_a_new_code_taken_in_the_draft_only_is_refused_on_the_code(v1, people, office_a):
    services.draft_item_create(
        actor=None, kind="service", code="nova", content=service_content("Nova")
    )
    assert _said(_create, v1=v1, people=people, office=office_a, code="nova", is_new=True) == {
        "code": ["The code “nova” is already in use."]
    }
    other_kind = _create(v1, people, office_a, code="nova-servei", is_new=True)
    assert other_kind.is_new


def test_a_revision_is_refused_once_decided_and_its_reason_checked(proposal, people, v1):
    kwargs = {
        "actor": people["advisor_a"],
        "proposal": proposal,
        "content": proposal_content(v1, name=NEW_NAME, duration=i18n("1 mes")),
        "expected_version": proposal.lock_version,
    }
    assert _said(proposals.proposal_revise, reason="", **kwargs) == {
        "reason": ["Say why the network should change it."]
    }
    revised = proposals.proposal_revise(reason="Més curt", **kwargs)
    assert revised.revisions.get(number=2).reason == "Més curt"
    proposals.proposal_decide(
        actor=people["coordinator"], proposal=proposal, state="declined", note="No"
    )
    proposal.refresh_from_db()
    assert _said(
        proposals.proposal_revise,
        reason="x",
        **(kwargs | {"proposal": proposal, "expected_version": proposal.lock_version}),
    ) == {"__all__": ["This proposal is no longer open to revision."]}


def test_a_revision_that_changes_nothing_is_refused(proposal, people, v1):
    assert _said(
        proposals.proposal_revise,
        actor=people["advisor_a"],
        proposal=proposal,
        content=proposal_content(v1),
        reason="Res",
        expected_version=proposal.lock_version,
    ) == {"__all__": ["The proposal changes nothing: it reads exactly as the published item."]}


def test_evidence_is_refused_once_decided_and_a_long_note_on_its_field(proposal, people):
    assert _said(
        proposals.proposal_evidence_add,
        actor=people["manager_a"],
        proposal=proposal,
        note="x" * 2001,
    ) == {"note": ["Keep it to 2000 characters."]}
    proposals.proposal_withdraw(actor=people["manager_a"], proposal=proposal)
    proposal.refresh_from_db()
    assert _said(
        proposals.proposal_evidence_add, actor=people["manager_a"], proposal=proposal, note="x"
    ) == {"__all__": ["This proposal is no longer open to revision."]}


def test_comments_are_said_on_their_field_and_refused_once_withdrawn(proposal, people, office_b):
    kwargs = {"actor": people["advisor_b"], "office": office_b, "proposal": proposal}
    assert _said(proposals.proposal_comment, body=" ", **kwargs) == {
        "body": ["Write your comment."]
    }
    assert _said(proposals.proposal_comment, body="x" * 4001, **kwargs) == {
        "body": ["Keep it to 4000 characters."]
    }
    comment = proposals.proposal_comment(body=" D'acord ", **kwargs)
    assert (comment.body, comment.office, comment.author) == (
        "D'acord",
        office_b,
        people["advisor_b"],
    )
    proposals.proposal_withdraw(actor=people["manager_a"], proposal=proposal)
    proposal.refresh_from_db()
    assert _said(proposals.proposal_comment, body="Llàstima", **kwargs) == {
        "__all__": ["This proposal was withdrawn."]
    }


def test_a_support_is_refused_once_decided_and_withdrawing_one_keeps_the_others(
    proposal, people, office_b
):
    from oae.testing.factories import MembershipFactory, OfficeFactory

    office_c = OfficeFactory(name="OAE Gamma")
    manager_c = MembershipFactory(office=office_c, role="manager").user
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    proposals.proposal_support(actor=manager_c, office=office_c, proposal=proposal)
    proposals.proposal_support_withdraw(
        actor=people["advisor_b"], office=office_b, proposal=proposal
    )
    assert [s.office for s in proposal.supports.all()] == [office_c]
    proposals.proposal_decide(actor=people["coordinator"], proposal=proposal, state="accepted")
    proposal.refresh_from_db()
    assert _said(
        proposals.proposal_support_withdraw, actor=manager_c, office=office_c, proposal=proposal
    ) == {"__all__": ["This proposal is decided: its supports stay as they were."]}
    assert _said(
        proposals.proposal_support, actor=people["advisor_b"], office=office_b, proposal=proposal
    ) == {"__all__": ["Only an open proposal can be supported."]}


def test_each_decision_says_what_is_missing_on_the_note(proposal, people):
    coordinator = people["coordinator"]
    assert _said(
        proposals.proposal_decide, actor=coordinator, proposal=proposal, state="declined"
    ) == {"note": ["Say why the network declines it."]}
    assert _said(
        proposals.proposal_decide,
        actor=coordinator,
        proposal=proposal,
        state="accepted_changes",
        note="  ",
    ) == {"note": ["Say what the network changes in it."]}
    assert _said(
        proposals.proposal_decide,
        actor=coordinator,
        proposal=proposal,
        state="accepted",
        note="x" * 2001,
    ) == {"note": ["Keep it to 2000 characters."]}
    assert _said(proposals.proposal_decide, actor=coordinator, proposal=proposal, state="open") == {
        "__all__": ["A proposal open cannot become open."]
    }
    assert _said(
        proposals.proposal_decide, actor=coordinator, proposal=proposal, state="nonsense"
    ) == {"__all__": ["A proposal open cannot become nonsense."]}
    decided = proposals.proposal_decide(
        actor=coordinator, proposal=proposal, state="accepted", note=" D'acord "
    )
    assert (decided.decision_note, decided.decided_by) == ("D'acord", coordinator)
    assert decided.decided_at is not None
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED


def test_under_review_goes_back_to_open_or_on_to_a_decision(proposal, people):
    coordinator = people["coordinator"]
    proposals.proposal_decide(actor=coordinator, proposal=proposal, state="under_review")
    proposals.proposal_decide(actor=coordinator, proposal=proposal, state="open")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.OPEN


def test_a_merge_is_refused_twice_and_for_an_item_removed_from_the_draft(proposal, people):
    coordinator = people["coordinator"]
    assert _said(proposals.proposal_merge, actor=coordinator, proposal=proposal) == {
        "__all__": ["Only an accepted proposal is merged into the draft."]
    }
    proposals.proposal_decide(actor=coordinator, proposal=proposal, state="accepted")
    draft = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_set_archived(actor=coordinator, item=draft, archived=True)
    assert _said(proposals.proposal_merge, actor=coordinator, proposal=proposal) == {
        "__all__": ["The network removed this item from the draft: restore it first."]
    }
    draft.refresh_from_db()
    services.draft_item_set_archived(actor=coordinator, item=draft, archived=False)
    item = proposals.proposal_merge(actor=coordinator, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.merged_by, item.updated_by) == (coordinator, coordinator)
    assert _said(proposals.proposal_merge, actor=coordinator, proposal=proposal) == {
        "__all__": ["This proposal is in the draft already."]
    }


def test_a_withdrawal_is_told_and_refused_once_decided(proposal, people):
    proposals.proposal_decide(actor=people["coordinator"], proposal=proposal, state="accepted")
    proposal.refresh_from_db()
    assert _said(proposals.proposal_withdraw, actor=people["manager_a"], proposal=proposal) == {
        "__all__": ["Only an open proposal can be withdrawn."]
    }
