"""The demo's co-design tells its story: Sant Boi's own wording of the business-creation
service became a proposal that Badalona supported and commented, the network accepted it with
changes and the latest version names it; Badalona's proposal on a procedure is open with
Sant Boi's support; a consultation round on the draft is open with both offices' answers.
Loaded again, it changes nothing."""

import pytest
from django.core.management import call_command

from oae.catalogue import consultation, notices
from oae.catalogue.models import (
    ConsultationAnswer,
    NetworkVersion,
    Proposal,
    ProposalComment,
    ProposalNotice,
    ProposalSupport,
)
from oae.catalogue.starter import starter_model_load
from oae.devdata.demo.catalogue import catalogue_demo_load
from oae.devdata.demo.codesign import CREATION, PROCEDURE, codesign_demo_load
from oae.devdata.demo.network import demo_network_load


def _rows() -> dict:
    models = (Proposal, ProposalComment, ProposalSupport, ProposalNotice, ConsultationAnswer)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_the_demo_co_design_loads_its_story_once():
    call_command("load_reference_data")
    demo_network_load()
    starter_model_load()
    catalogue_demo_load()
    assert codesign_demo_load() is True
    first = _rows()
    assert codesign_demo_load() is False
    assert _rows() == first

    accepted = Proposal.objects.get(code=CREATION)
    latest = NetworkVersion.objects.order_by("-number").first()
    assert (accepted.state, accepted.office.name) == (
        "accepted_changes",
        "OAE Sant Boi de Llobregat",
    )
    assert accepted.published_in == latest
    assert "OAE Sant Boi de Llobregat" in latest.changelog  # the proposal's line names it
    assert [s.office.name for s in accepted.supports.all()] == ["OAE Badalona"]
    assert accepted.comments.filter(office__name="OAE Badalona").exists()
    # Told of every change of state, then of the version: the author and Badalona's manager.
    told = {n.user.email for n in ProposalNotice.objects.filter(proposal=accepted)}
    assert told == {"gerent.santboi@xarxa-oae.example", "gerent.badalona@xarxa-oae.example"}
    assert notices.unread_count(accepted.author) >= 1

    open_one = Proposal.objects.get(code=PROCEDURE)
    assert (open_one.state, open_one.office.name) == ("open", "OAE Badalona")
    assert [s.office.name for s in open_one.supports.all()] == ["OAE Sant Boi de Llobregat"]

    (opened,) = consultation.ConsultationRound.objects.all()
    assert consultation.round_state(opened) == "open"
    assert sorted(a.office.name for a in opened.answers.all()) == [
        "OAE Badalona",
        "OAE Sant Boi de Llobregat",
    ]
