"""The proposal pages as each role opens them: every member of staff reads proposals,
citizens never; an office's managers and advisors propose (from an item, from their own
wording, or a new item), comment and support for their office; the proposing office revises
and withdraws (after a confirmation); the coordinator decides and merges. Every refusal is a
message or a form error, never a server error; comments cannot inject HTML; two supports
from one office at the same moment end as one (PostgreSQL)."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oae.catalogue import proposals, services
from oae.catalogue.models import OfficeItem, Proposal, ProposalNotice, ProposalState
from oae.catalogue.tests.conftest import NEW_NAME, proposal_content
from oae.testing.catalogue import i18n
from oae.testing.concurrency import in_a_transaction_held_until_another_waits, postgresql_only


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post(client, url, data=None, **extra):
    client.cookies.pop("messages", None)
    return client.post(url, data or {}, **extra)


def _url(name, *args) -> str:
    return reverse(f"catalogue:{name}", args=args)


def _form_data(v1, office, **changes) -> dict:
    """What the proposal form posts for the service "crear", as published, with `changes`."""
    content = proposal_content(v1) | changes
    data = {"office": office.pk, "reason": "Els clients ho entenen millor."}
    for name, value in content.items():
        if isinstance(value, dict):
            for lang, text in value.items():
                data[f"{name}__{lang}"] = "\n".join(text) if isinstance(text, list) else text
        elif isinstance(value, list):
            data[name] = value
        elif value is not None:
            data[name] = value
    return data


# Reading ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("readonly_a", 200),
        ("advisor_b", 200),
        ("auditor", 200),
        ("coordinator", 200),
        ("citizen", 403),
        ("anonymous", 302),
    ],
)
def test_every_member_of_staff_reads_proposals_citizens_never(
    client_for, proposal, persona, status
):
    client = client_for(persona)
    assert client.get(_url("proposals")).status_code == status
    assert client.get(_url("proposal", proposal.public_id)).status_code == status
    if status == 200:
        assert "Start your business" in client.get(_url("proposals")).content.decode()


@pytest.mark.django_db
def test_the_list_filters_by_state_and_says_when_nothing_matches(client_for, proposal, people):
    client = client_for("advisor_b")
    assert (
        "Start your business" in client.get(_url("proposals"), {"state": "live"}).content.decode()
    )
    empty = client.get(_url("proposals"), {"state": "declined"}).content.decode()
    assert "No proposal matches." in empty
    bad = client.get(_url("proposals"), {"state": "nonsense", "page": "x"})
    assert bad.status_code in (200, 400)


@pytest.mark.django_db
def test_an_unknown_proposal_is_a_404(client_for, v1):
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client_for("advisor_a").get(_url("proposal", unknown)).status_code == 404


# Proposing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_proposes_a_change_from_the_published_item(client_for, v1, office_a):
    client = client_for("manager_a")
    url = _url("proposal_new", "service", "crear")
    page = client.get(url).content.decode()
    assert "Crear una empresa" in page  # the boxes hold the published text
    done = _post(client, url, _form_data(v1, office_a, name=NEW_NAME))
    proposal = Proposal.objects.get()
    assert done.status_code == 302 and done["Location"] == _url("proposal", proposal.public_id)
    assert proposal.content["name"]["ca"] == "Crear la teva empresa"


@pytest.mark.django_db
def test_an_unchanged_proposal_is_sent_back_with_the_reason(client_for, v1, office_a):
    response = _post(
        client_for("advisor_a"), _url("proposal_new", "service", "crear"), _form_data(v1, office_a)
    )
    assert response.status_code == 200
    assert "The proposal changes nothing" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_a_proposal_without_its_reason_keeps_what_was_typed(client_for, v1, office_a):
    data = _form_data(v1, office_a, name=NEW_NAME) | {"reason": ""}
    response = _post(client_for("advisor_a"), _url("proposal_new", "service", "crear"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "This field is required." in html
    assert "Crear la teva empresa" in html


@pytest.mark.django_db
def test_someone_cannot_propose_for_an_office_not_theirs(client_for, v1, office_a):
    response = _post(
        client_for("advisor_b"),
        _url("proposal_new", "service", "crear"),
        _form_data(v1, office_a, name=NEW_NAME),
    )
    assert response.status_code == 200  # the office is not one of the choices
    assert not Proposal.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "auditor", "readonly_a"])
def test_who_speaks_for_no_office_cannot_propose(client_for, v1, persona):
    assert client_for(persona).get(_url("proposal_new", "service", "crear")).status_code == 403


@pytest.mark.django_db
def test_an_item_not_published_is_a_404(client_for, v1):
    response = client_for("advisor_a").get(_url("proposal_new", "service", "no-hi-es"))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_new_item_is_proposed_with_its_code(client_for, v1, office_a):
    data = _form_data(v1, office_a, name=i18n("Relleu generacional")) | {"code": "relleu"}
    done = _post(client_for("advisor_a"), _url("proposal_new_item", "service"), data)
    assert done.status_code == 302
    assert Proposal.objects.get().is_new
    taken = _post(
        client_for("advisor_a"), _url("proposal_new_item", "service"), data | {"code": "crear"}
    )
    assert "already in use" in taken.content.decode()


@pytest.mark.django_db
def test_an_office_s_wording_becomes_a_proposal_in_one_click(client_for, v1, office_a):
    services.office_catalogue_adopt(actor=None, office=office_a, version=v1)
    item = OfficeItem.objects.get(office=office_a, kind="service", code="crear")
    client = client_for("manager_a")
    item_page = _url("office_item", office_a.public_id, "service", "crear")
    url = _url("office_item_propose", office_a.public_id, "service", "crear")
    refused = _post(client, url)
    assert refused["Location"] == item_page
    assert _messages(refused) == [
        "Your office uses the network's wording of this item: there is nothing to propose."
    ]
    item.overrides = {"name": {"ca": "Crea la teva empresa"}}
    item.save()
    assert "Propose my wording to the network" in client.get(item_page).content.decode()
    done = _post(client, url)
    proposal = Proposal.objects.get()
    assert done["Location"] == _url("proposal", proposal.public_id)
    assert _post(client_for("advisor_b"), url).status_code == 404


# Discussion -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_office_comments_and_supports_once(client_for, proposal, office_b):
    client = client_for("advisor_b")
    url = _url("proposal", proposal.public_id)
    page = client.get(url).content.decode()
    assert "Support on behalf of OAE Beta" in page
    comment = _post(
        client,
        _url("proposal_comment", proposal.public_id),
        {"office": office_b.pk, "body": "D'acord."},
    )
    assert _messages(comment) == ["Your comment is published."]
    support = _url("proposal_support", proposal.public_id)
    assert _messages(_post(client, support, {"office": office_b.pk})) == [
        "Your office supports the proposal."
    ]
    assert _messages(_post(client, support, {"office": office_b.pk})) == [
        "OAE Beta supports this proposal already."
    ]
    page = client.get(url).content.decode()
    assert "Take back the support of OAE Beta" in page and "<p>D'acord.</p>" in page


@pytest.mark.django_db
def test_a_support_for_another_office_is_refused_with_a_message(client_for, proposal, office_a):
    response = _post(
        client_for("advisor_b"),
        _url("proposal_support", proposal.public_id),
        {"office": office_a.pk},
    )
    assert _messages(response) == ["Choose one of your offices."]
    assert not proposal.supports.exists()


@pytest.mark.django_db
def test_comments_cannot_inject_html(client_for, proposal, office_b):
    body = (
        "**D'acord**, amb una condició.\n\n<script>alert('x')</script>\n\n"
        '<img src="x" onerror="alert(1)"> [enllaç](javascript:alert(1))'
    )
    client = client_for("advisor_b")
    _post(
        client, _url("proposal_comment", proposal.public_id), {"office": office_b.pk, "body": body}
    )
    html = client.get(_url("proposal", proposal.public_id)).content.decode()
    assert "<strong>D'acord</strong>" in html or "<strong>D&#x27;acord</strong>" in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert 'href="javascript:' not in html


@pytest.mark.django_db
def test_an_empty_comment_is_refused_with_a_message(client_for, proposal, office_b):
    response = _post(
        client_for("advisor_b"),
        _url("proposal_comment", proposal.public_id),
        {"office": office_b.pk, "body": "   "},
    )
    assert _messages(response) == ["This field is required."]
    assert not proposal.comments.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["proposal_comment", "proposal_support", "proposal_unsupport"])
def test_who_speaks_for_no_office_is_refused(client_for, proposal, name):
    assert _post(client_for("coordinator"), _url(name, proposal.public_id)).status_code == 403
    assert _post(client_for("readonly_a"), _url(name, proposal.public_id)).status_code == 403


# Revising, evidence, withdrawing -----------------------------------------------------------


@pytest.mark.django_db
def test_the_proposing_office_revises_and_the_change_is_shown(client_for, proposal, v1, office_a):
    client = client_for("advisor_a")
    url = _url("proposal_revise", proposal.public_id)
    assert client.get(url).status_code == 200
    data = _form_data(v1, office_a, name=NEW_NAME, summary=i18n("Pas a pas")) | {
        "lock_version": proposal.lock_version
    }
    assert _post(client, url, data).status_code == 302
    page = client.get(_url("proposal", proposal.public_id)).content.decode()
    assert "Revision 2" in page and "Pas a pas" in page
    stale = _post(client, url, data)
    assert stale.status_code == 200 and "changed" in stale.content.decode().lower()
    assert client_for("advisor_b").get(url).status_code == 404


@pytest.mark.django_db
def test_evidence_is_checked_by_content_through_the_page(client_for, proposal):
    client = client_for("manager_a")
    url = _url("proposal_evidence", proposal.public_id)
    fake = SimpleUploadedFile("acta.pdf", b"MZ not a pdf", "application/pdf")
    refused = _post(client, url, {"file": fake})
    assert "not a file we accept" in " ".join(_messages(refused))
    real = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf")
    assert _messages(_post(client, url, {"file": real})) == ["The evidence is added."]
    evidence = proposal.evidence.get()
    download = client_for("advisor_b").get(
        _url("proposal_evidence_file", proposal.public_id, evidence.pk)
    )
    assert download.status_code == 200
    assert _messages(_post(client, url, {})) == ["Add a note, a link or a file."]


@pytest.mark.django_db
def test_withdrawing_asks_first_then_ends_the_proposal(client_for, proposal):
    client = client_for("advisor_a")
    url = _url("proposal_withdraw", proposal.public_id)
    assert "cannot be opened again" in client.get(url).content.decode()
    assert _messages(_post(client, url)) == ["The proposal is withdrawn."]
    assert _messages(_post(client, url)) == ["Only an open proposal can be withdrawn."]
    assert client_for("advisor_b").get(url).status_code == 404


# The network's decision and merge ----------------------------------------------------------


@pytest.mark.django_db
def test_the_coordinator_declines_with_a_reason(client_for, proposal):
    client = client_for("coordinator")
    url = _url("proposal_decide", proposal.public_id)
    assert _messages(_post(client, url, {"state": "declined", "note": ""})) == [
        "Say why the network declines it."
    ]
    done = _post(client, url, {"state": "declined", "note": "Massa local."})
    assert _messages(done) == ["The proposal is now: declined. Its office and supporters are told."]
    assert _messages(_post(client, url, {"state": "accepted"})) == [
        "A proposal declined cannot become accepted."
    ]
    assert _messages(_post(client, url, {"state": "nonsense"})) == ["Choose a decision."]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "advisor_b", "auditor"])
def test_only_the_coordinator_decides_and_merges(client_for, proposal, persona):
    client = client_for(persona)
    assert (
        _post(
            client, _url("proposal_decide", proposal.public_id), {"state": "accepted"}
        ).status_code
        == 403
    )
    assert client.get(_url("proposal_merge", proposal.public_id)).status_code == 403


@pytest.mark.django_db
def test_the_coordinator_accepts_with_changes_and_merges_in_one_action(client_for, proposal):
    client = client_for("coordinator")
    _post(
        client,
        _url("proposal_decide", proposal.public_id),
        {"state": "accepted_changes", "note": "Només el nom en català."},
    )
    page = client.get(_url("proposal_merge", proposal.public_id)).content.decode()
    assert "Start your business" in page
    done = _post(client, _url("proposal_merge", proposal.public_id))
    assert done["Location"] == _url("item_edit", "service", "crear")
    proposal.refresh_from_db()
    assert proposal.merged_at is not None
    again = _post(client, _url("proposal_merge", proposal.public_id))
    assert _messages(again) == ["This proposal is in the draft already."]


@pytest.mark.django_db
def test_a_merge_of_a_proposal_not_accepted_is_refused_with_a_message(client_for, proposal):
    response = _post(client_for("coordinator"), _url("proposal_merge", proposal.public_id))
    assert _messages(response) == ["Only an accepted proposal is merged into the draft."]


@pytest.mark.django_db
def test_the_merge_page_shows_a_conflict_to_settle(client_for, proposal, people):
    from oae.catalogue.models import DraftItem

    draft = DraftItem.objects.get(kind="service", code="crear")
    services.draft_item_update(
        actor=people["coordinator"],
        item=draft,
        content=draft.content | {"name": i18n("Crear una empresa pas a pas")},
        expected_version=draft.lock_version,
    )
    proposals.proposal_decide(actor=people["coordinator"], proposal=proposal, state="accepted")
    client = client_for("coordinator")
    page = client.get(_url("proposal_merge", proposal.public_id)).content.decode()
    assert "changed in the draft too" in page
    _post(client, _url("proposal_merge", proposal.public_id), {"keep__name": "draft"})
    draft.refresh_from_db()
    assert draft.content["name"]["ca"] == "Crear una empresa pas a pas"


@pytest.mark.django_db
def test_my_notices_list_what_changed_and_are_then_read(client_for, proposal, people):
    proposals.proposal_decide(
        actor=people["coordinator"], proposal=proposal, state=ProposalState.UNDER_REVIEW
    )
    client = client_for("manager_a")
    assert (
        'My notices <span class="badge">1</span>' in client.get(_url("proposals")).content.decode()
    )
    page = client.get(_url("proposal_notices")).content.decode()
    assert "Start your business" in page and "under review" in page
    assert not ProposalNotice.objects.filter(read_at__isnull=True).exists()


# Two supports at once (PostgreSQL) ---------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_supports_from_one_office_at_once_end_as_one(v1, people, office_a, office_b):
    from oae.testing.factories import MembershipFactory, UserFactory

    proposal = proposals.proposal_create(
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=proposal_content(v1, name=NEW_NAME),
        reason="Més clar",
    )
    colleague = MembershipFactory(office=office_b, role="manager", user=UserFactory()).user
    thread, waited = in_a_transaction_held_until_another_waits(
        lambda: proposals.proposal_support(
            actor=people["advisor_b"], office=office_b, proposal=proposal
        )
    )
    with pytest.raises(Exception) as refused:
        proposals.proposal_support(actor=colleague, office=office_b, proposal=proposal)
    thread.join(10)
    assert waited == [True]  # the second waited for the first to commit
    assert "OAE Beta supports this proposal already." in str(refused.value)
    assert proposal.supports.count() == 1


@pytest.mark.django_db
def test_the_offices_read_the_version_that_took_up_their_proposal(
    client_for, proposal, people, office_a, office_b, v1
):
    for office in (office_a, office_b):
        services.office_catalogue_adopt(actor=None, office=office, version=v1)
    proposals.proposal_support(actor=people["advisor_b"], office=office_b, proposal=proposal)
    proposals.proposal_decide(actor=people["coordinator"], proposal=proposal, state="accepted")
    proposals.proposal_merge(actor=people["coordinator"], proposal=proposal)
    services.network_publish(actor=people["coordinator"], changelog="Noms més clars.")
    page = client_for("manager_a").get(_url("office_updates", office_a.public_id)).content.decode()
    assert "Crear la teva empresa" in page  # the changelog names it, in the network's language
    assert "proposals it takes up" in page and "supported by OAE Beta" in page
    badge = client_for("advisor_b").get(_url("proposal", proposal.public_id)).content.decode()
    assert "in version 2" in badge


@pytest.mark.django_db
def test_a_process_step_is_proposed_with_the_draft_editor_s_steps(client_for, v1, office_a):
    """The process's steps are edited as in the draft editor: one step renamed."""
    client = client_for("advisor_a")
    url = _url("proposal_new", "process", "atencio")
    page = client.get(url)
    assert page.status_code == 200 and 'name="steps-TOTAL_FORMS"' in page.content.decode()
    published = v1.items.get(kind="process", code="atencio").content
    data = {
        "office": office_a.pk,
        "reason": "La primera trobada és una acollida, no una diagnosi.",
        **{
            f"{field}__{lang}": text
            for field in ("name", "summary")
            for lang, text in published[field].items()
        },
        "steps-TOTAL_FORMS": len(published["steps"]),
        "steps-INITIAL_FORMS": len(published["steps"]),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 50,
    }
    for number, step in enumerate(published["steps"]):
        data |= {
            f"steps-{number}-id": step["id"],
            f"steps-{number}-name__ca": step["name"]["ca"],
            f"steps-{number}-checklist__ca": "\n".join(step["checklist"]["ca"]),
            f"steps-{number}-role": step["role"],
            f"steps-{number}-target_days": step["target_days"],
            f"steps-{number}-ORDER": number + 1,
        }
    data["steps-0-name__ca"] = "Primera acollida"
    done = _post(client, url, data)
    assert done.status_code == 302, done.content.decode()[:2000]
    proposal = Proposal.objects.get()
    assert proposal.content["steps"][0]["name"]["ca"] == "Primera acollida"
    assert proposals.proposed_changes("process", proposal.base_content, proposal.content) == [
        "steps"
    ]


@pytest.mark.django_db
def test_a_change_in_spanish_only_is_shown_in_spanish_to_an_english_reader(
    client_for, v1, people, office_a
):
    proposal = proposals.proposal_create(
        actor=people["manager_a"],
        office=office_a,
        kind="service",
        code="crear",
        content=proposal_content(v1, summary=i18n("Resum Crear una empresa", "Resumen nuevo", "")),
        reason="Més clar",
    )
    html = client_for("advisor_b").get(_url("proposal", proposal.public_id)).content.decode()
    assert "Summary (Spanish)" in html and "Resumen nuevo" in html
