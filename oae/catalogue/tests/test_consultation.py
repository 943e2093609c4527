"""Consultation rounds: the coordinator opens one on items of the draft, each office's manager
answers once while it is open, everyone on the staff reads the summary and its export."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oae.catalogue import consultation, services
from oae.catalogue.models import ConsultationAnswer, ConsultationRound, Stance
from oae.network.models import OfficeStatus
from oae.privacy.models import AuditEvent
from oae.scoping import OfficeRole
from oae.testing.concurrency import in_a_transaction_held_until_another_waits, postgresql_only
from oae.testing.factories import MembershipFactory, OfficeFactory, UserFactory

TODAY = timezone.localdate


def _days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def _open(actor, **changes) -> ConsultationRound:
    arguments = {
        "title": "Serveis de creació 2026",
        "questions": "Us semblen bé aquests canvis?",
        "opens_on": TODAY(),
        "closes_on": _days(14),
        "item_keys": [("service", "crear"), ("procedure", "alta-censal")],
    } | changes
    return consultation.round_open(actor=actor, **arguments)


def _agree_all(consultation_round, **overrides) -> dict:
    answers = {
        consultation.item_key(i["kind"], i["code"]): {"stance": Stance.AGREE, "comment": ""}
        for i in consultation_round.items
    }
    return answers | overrides


def _move(consultation_round, opens_on, closes_on) -> None:
    """Put the round on other days (the service refuses days in the past)."""
    ConsultationRound.objects.filter(pk=consultation_round.pk).update(
        opens_on=opens_on, closes_on=closes_on
    )
    consultation_round.refresh_from_db()


@pytest.fixture
def manager_b(people, office_b):
    return MembershipFactory(
        office=office_b, role=OfficeRole.MANAGER, user=UserFactory(email="manager.b@example.org")
    ).user


@pytest.fixture
def live_round(draft, people):
    return _open(people["coordinator"])


# Opening a round ---------------------------------------------------------------------------


def test_the_coordinator_opens_a_round_on_the_draft_items_as_they_stand(draft, people):
    opened = _open(
        people["coordinator"],
        item_keys=[("procedure", "alta-censal"), ("service", "crear"), ("service", "crear")],
    )
    # Services first, as the catalogue orders kinds; a key ticked twice is consulted once.
    assert [(i["kind"], i["code"]) for i in opened.items] == [
        ("service", "crear"),
        ("procedure", "alta-censal"),
    ]
    assert opened.items[0]["content"] == draft[("service", "crear")].content
    assert opened.opened_by == people["coordinator"]
    event = AuditEvent.objects.get(action="catalogue.round.open")
    assert event.actor == people["coordinator"]
    assert event.details["items"] == ["service:crear", "procedure:alta-censal"]


def test_later_edits_of_the_draft_leave_the_round_as_it_was_opened(draft, people, live_round):
    crear = draft[("service", "crear")]
    before = crear.content
    services.draft_item_update(
        actor=None,
        item=crear,
        content=crear.content | {"summary": {"ca": "Un altre resum"}},
        expected_version=crear.lock_version,
    )
    live_round.refresh_from_db()
    assert live_round.items[0]["content"] == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"item_keys": []}, "item_keys", "Choose at least one item of the draft to consult."),
        (
            {"item_keys": [("service", "crear"), ("service", "no-such")]},
            "item_keys",
            "Not items of the draft: service:no-such.",
        ),
        (
            {"item_keys": [("guide", "crear")]},  # a code of another kind
            "item_keys",
            "Not items of the draft: guide:crear.",
        ),
        (
            {"opens_on": _days(10), "closes_on": _days(9)},
            "closes_on",
            "The round cannot close before it opens.",
        ),
        (
            {"opens_on": _days(-10), "closes_on": _days(-1)},
            "closes_on",
            "That day has passed",
        ),
        ({"title": "   "}, "title", "Give the round a title."),
        ({"title": "x" * 201}, "title", "The title is at most 200 characters."),
        ({"questions": ""}, "questions", "Say what the network asks the offices."),
    ],
)
def test_a_round_is_refused_with_its_reason(draft, people, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        _open(people["coordinator"], **changes)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ConsultationRound.objects.exists()


def test_an_item_removed_from_the_next_version_is_not_consulted(draft, people):
    services.draft_item_set_archived(actor=None, item=draft[("service", "crear")], archived=True)
    with pytest.raises(ValidationError) as refused:
        _open(people["coordinator"], item_keys=[("service", "crear")])
    assert refused.value.message_dict["item_keys"] == ["Not items of the draft: service:crear."]


def test_a_round_may_close_today(draft, people):
    opened = _open(people["coordinator"], opens_on=_days(-3), closes_on=TODAY())
    assert consultation.round_state(opened) == consultation.RoundState.OPEN


@pytest.mark.parametrize("persona", ["manager_a", "advisor_a", "auditor"])
def test_only_the_coordinator_opens_a_round(draft, people, persona):
    with pytest.raises(PermissionDenied):
        _open(people[persona])


def test_the_state_of_a_round_follows_its_days(live_round):
    state = consultation.round_state
    assert state(live_round, _days(-1)) == consultation.RoundState.UPCOMING
    assert state(live_round, TODAY()) == consultation.RoundState.OPEN
    assert state(live_round, _days(14)) == consultation.RoundState.OPEN
    assert state(live_round, _days(15)) == consultation.RoundState.CLOSED


# Answering -------------------------------------------------------------------------------


def test_office_a_s_manager_answers_once(people, office_a, live_round):
    manager = people["manager_a"]
    items = _agree_all(
        live_round,
        **{"procedure:alta-censal": {"stance": Stance.DISAGREE, "comment": "  Falta el 037  "}},
    )
    answer = consultation.round_answer(
        actor=manager, office=office_a, round=live_round, items=items, comment="Bé"
    )
    assert answer.answered_by == manager
    assert answer.items["procedure:alta-censal"] == {
        "stance": "disagree",
        "comment": "Falta el 037",
    }
    event = AuditEvent.objects.get(action="catalogue.round.answer")
    assert event.office == office_a
    assert event.details == {"stances": {"agree": 1, "disagree": 1}}
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(
            actor=manager, office=office_a, round=live_round, items=items, comment=""
        )
    assert refused.value.messages == ["Your office has answered this round already."]
    assert refused.value.code == consultation.ALREADY_ANSWERED
    assert ConsultationAnswer.objects.count() == 1


def test_the_unique_constraint_says_the_office_answered_already(
    people, office_a, live_round, monkeypatch
):
    """Two answers that both passed the check (at the same moment): the database keeps one
    and the second is told why, not given a server error."""
    manager = people["manager_a"]
    items = _agree_all(live_round)
    consultation.round_answer(actor=manager, office=office_a, round=live_round, items=items)
    monkeypatch.setattr(consultation, "_round_refusal", lambda *args: None)
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(actor=manager, office=office_a, round=live_round, items=items)
    assert refused.value.messages == ["Your office has answered this round already."]
    assert ConsultationAnswer.objects.count() == 1


def test_the_manager_of_b_answers_for_b_and_not_for_a(office_a, office_b, manager_b, live_round):
    opened = live_round
    items = _agree_all(opened)
    with pytest.raises(PermissionDenied):
        consultation.round_answer(actor=manager_b, office=office_a, round=opened, items=items)
    consultation.round_answer(actor=manager_b, office=office_b, round=opened, items=items)
    assert list(ConsultationAnswer.objects.values_list("office", flat=True)) == [office_b.pk]


@pytest.mark.parametrize("persona", ["advisor_a", "readonly_a", "auditor", "coordinator"])
def test_only_an_office_s_manager_answers_for_it(people, office_a, live_round, persona):
    with pytest.raises(PermissionDenied):
        consultation.round_answer(
            actor=people[persona], office=office_a, round=live_round, items=_agree_all(live_round)
        )


def test_no_answer_before_the_round_opens_nor_after_it_closes(people, office_a, live_round):
    manager, items = people["manager_a"], _agree_all(live_round)
    _move(live_round, _days(1), _days(5))
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(actor=manager, office=office_a, round=live_round, items=items)
    assert refused.value.code == consultation.ROUND_NOT_OPEN_YET
    assert "answers are taken from then" in refused.value.messages[0]
    _move(live_round, _days(-10), _days(-1))
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(actor=manager, office=office_a, round=live_round, items=items)
    assert refused.value.code == consultation.ROUND_CLOSED
    assert "it takes no more answers" in refused.value.messages[0]
    assert not ConsultationAnswer.objects.exists()


@pytest.mark.parametrize(
    ("entry", "problem", "message"),
    [
        ({}, "service:crear.stance", "Give your office's stance on “Crear una empresa”."),
        ({"stance": "maybe"}, "service:crear.stance", "Give your office's stance"),
        (
            {"stance": Stance.AGREE_WITH_CHANGES, "comment": "  "},
            "service:crear.comment",
            "Say what should change in “Crear una empresa”.",
        ),
        (
            {"stance": Stance.DISAGREE},
            "service:crear.comment",
            "Say why your office disagrees with “Crear una empresa”.",
        ),
        (
            {"stance": Stance.AGREE, "comment": "x" * 2001},
            "service:crear.comment",
            "At most 2,000 characters (this one has 2,001).",
        ),
    ],
)
def test_an_answer_is_refused_with_its_reason(
    people, office_a, live_round, entry, problem, message
):
    items = _agree_all(live_round) | {"service:crear": entry}
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(
            actor=people["manager_a"], office=office_a, round=live_round, items=items
        )
    assert message in " ".join(refused.value.message_dict[problem])
    assert not ConsultationAnswer.objects.exists()


def test_a_general_comment_longer_than_2000_is_refused_and_2000_is_kept(
    people, office_a, live_round
):
    manager, items = people["manager_a"], _agree_all(live_round)
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(
            actor=manager, office=office_a, round=live_round, items=items, comment="x" * 2001
        )
    assert "comment" in refused.value.message_dict
    items["service:crear"] = {"stance": Stance.AGREE_WITH_CHANGES, "comment": "y" * 2000}
    answer = consultation.round_answer(
        actor=manager, office=office_a, round=live_round, items=items, comment="x" * 2000
    )
    assert len(answer.comment) == 2000


def test_an_answer_about_an_item_the_round_does_not_ask_about_is_refused(
    people, office_a, live_round
):
    items = _agree_all(live_round) | {"guide:guia": {"stance": Stance.AGREE}}
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(
            actor=people["manager_a"], office=office_a, round=live_round, items=items
        )
    assert refused.value.message_dict["items"] == ["This round does not ask about: guide:guia."]


# The summary and the lists --------------------------------------------------------------------


@pytest.fixture
def answered(people, office_a, office_b, manager_b, live_round):
    """Office A agrees with both items; office B asks for a change to the service; office C
    (open) has not answered; office D (closed) is not asked."""
    consultation.round_answer(
        actor=people["manager_a"],
        office=office_a,
        round=live_round,
        items=_agree_all(live_round),
        comment="Tot bé",
    )
    changes = {"stance": Stance.AGREE_WITH_CHANGES, "comment": "=Afegir la sessió 3"}
    consultation.round_answer(
        actor=manager_b,
        office=office_b,
        round=live_round,
        items=_agree_all(live_round, **{"service:crear": changes}),
    )
    OfficeFactory(name="OAE Gamma")
    OfficeFactory(name="OAE Delta", status=OfficeStatus.CLOSED)
    return live_round


def _counts(item) -> dict:
    return {value: count for value, _label, count in item.counts}


def test_the_summary_counts_each_item_s_stances_and_names_who_has_not_answered(people, answered):
    summary = consultation.round_summary(people["coordinator"], answered, language="ca")
    crear, alta = summary.items
    assert crear.title == "Crear una empresa"
    assert _counts(crear) == {"agree": 1, "agree_changes": 1, "disagree": 0}
    assert _counts(alta) == {"agree": 2, "agree_changes": 0, "disagree": 0}
    assert [(s.office.name, s.stance_label, s.comment) for s in crear.stances] == [
        ("OAE Alfa", "agree", ""),
        ("OAE Beta", "agree with changes", "=Afegir la sessió 3"),
    ]
    assert [office.name for office in summary.not_answered] == ["OAE Gamma"]
    assert [answer.comment for answer in summary.general_comments] == ["Tot bé"]
    assert [label for label, _items in summary.groups] == ["Services", "Procedures"]
    assert any(shown.name == "summary" for shown in crear.shown)


def test_an_office_s_staff_see_their_own_office_s_answers(people, answered):
    summary = consultation.round_summary(people["advisor_a"], answered, language="ca")
    crear = summary.items[0]
    assert [s.office.name for s in crear.stances] == ["OAE Alfa"]
    assert _counts(crear) == {"agree": 1, "agree_changes": 0, "disagree": 0}
    assert summary.not_answered == []
    summary = consultation.round_summary(people["advisor_b"], answered, language="ca")
    assert [s.office.name for s in summary.items[0].stances] == ["OAE Beta"]


def test_the_rounds_list_is_newest_first_with_the_offices_that_answered(
    people, answered, django_assert_num_queries
):
    later = _open(people["coordinator"], title="Guies", opens_on=_days(3), closes_on=_days(20))
    with django_assert_num_queries(1):
        rows = consultation.round_rows(people["coordinator"])
    assert [(row.round, row.state, row.round.answered) for row in rows] == [
        (later, consultation.RoundState.UPCOMING, 0),
        (answered, consultation.RoundState.OPEN, 2),
    ]
    rows = consultation.round_rows(people["readonly_a"])
    assert [row.round.answered for row in rows] == [0, 1]


# Through the screens ----------------------------------------------------------------------------


def _round_post(**changes) -> dict:
    return {
        "title": "Serveis de creació",
        "questions": "Hi esteu d'acord?",
        "opens_on": TODAY().isoformat(),
        "closes_on": _days(7).isoformat(),
        "items": ["service:crear", "service:financar"],
    } | changes


def test_the_coordinator_opens_a_round_through_the_form(draft, client_for):
    client = client_for("coordinator")
    page = client.get(reverse("catalogue:round_new"))
    assert page.status_code == 200
    assert b'value="service:crear"' in page.content
    assert b"Procedures" in page.content  # the items grouped by kind
    response = client.post(reverse("catalogue:round_new"), _round_post(), follow=True)
    opened = ConsultationRound.objects.get()
    assert response.redirect_chain[-1][0] == reverse("catalogue:round", args=[opened.public_id])
    assert b"The round is open to the offices" in response.content
    assert [i["code"] for i in opened.items] == ["crear", "financar"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items": []}, "Choose at least one item of the draft to consult."),
        ({"items": ["service:no-such"]}, "Not items of the draft: service:no-such."),
        ({"closes_on": _days(-1).isoformat()}, "The round cannot close before it opens."),
        (
            {"opens_on": _days(-9).isoformat(), "closes_on": _days(-1).isoformat()},
            "That day has passed",
        ),
        ({"title": ""}, "Give the round a title."),
        ({"questions": ""}, "Say what the network asks the offices."),
        ({"closes_on": "2026-02-30"}, "Enter a valid date."),
    ],
)
def test_the_round_form_shows_each_refusal(draft, client_for, changes, message):
    response = client_for("coordinator").post(
        reverse("catalogue:round_new"), _round_post(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not ConsultationRound.objects.exists()


def test_the_round_form_says_when_the_draft_is_empty(db, client_for, people):
    response = client_for("coordinator").get(reverse("catalogue:round_new"))
    assert "The draft has no items to consult yet." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("readonly_a", 403),
        ("advisor_a", 403),
        ("manager_a", 403),
        ("auditor", 403),
    ],
)
def test_only_the_coordinator_reaches_the_round_form(draft, client_for, persona, status):
    client = client_for(persona)
    assert client.get(reverse("catalogue:round_new")).status_code == status
    assert client.post(reverse("catalogue:round_new"), _round_post()).status_code == status
    assert not ConsultationRound.objects.exists()


def test_the_rounds_list_says_when_there_is_none(db, client_for, people):
    response = client_for("advisor_a").get(reverse("catalogue:rounds"))
    assert response.status_code == 200
    assert "No consultation round has been opened yet." in response.content.decode()


def test_the_rounds_list_shows_each_round(answered, client_for):
    page = client_for("auditor").get(reverse("catalogue:rounds")).content.decode()
    assert "Serveis de creació 2026" in page
    assert reverse("catalogue:round", args=[answered.public_id]) in page


def _answer_post(consultation_round, **changes) -> dict:
    data = {}
    for number, _item in enumerate(consultation_round.items):
        data[f"stance_{number}"] = Stance.AGREE
        data[f"comment_{number}"] = ""
    return data | {"comment": ""} | changes


def test_office_a_s_manager_answers_through_the_form_once(people, office_a, client_for, live_round):
    client = client_for("manager_a")
    round_url = reverse("catalogue:round", args=[live_round.public_id])
    answer_url = reverse("catalogue:round_answer", args=[live_round.public_id])
    assert answer_url in client.get(round_url).content.decode()  # the link to answer
    form = client.get(answer_url)
    assert form.status_code == 200
    assert 'name="stance_0"' in form.content.decode()
    data = _answer_post(live_round, stance_1=Stance.DISAGREE, comment_1="Cal el 037")
    response = client.post(answer_url, data, follow=True)
    assert response.redirect_chain[-1][0] == round_url
    page = response.content.decode()
    assert "Your office&#x27;s answer is saved. Thank you." in page
    assert answer_url not in page  # answered: no link any more
    assert "Cal el 037" in page
    answer = ConsultationAnswer.objects.get()
    assert (answer.office, answer.answered_by) == (office_a, people["manager_a"])
    again = client.post(answer_url, data, follow=True)
    assert "Your office has answered this round already." in again.content.decode()
    assert ConsultationAnswer.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"stance_0": ""}, "stance_0", "Give your office&#x27;s stance on “Crear una empresa”."),
        ({"stance_0": "maybe"}, "stance_0", "Select a valid choice."),
        ({"stance_0": Stance.AGREE_WITH_CHANGES}, "comment_0", "Say what should change in"),
        ({"stance_1": Stance.DISAGREE}, "comment_1", "Say why your office disagrees with"),
        ({"comment_0": "x" * 2001}, "comment_0", "At most 2,000 characters"),
        ({"comment": "x" * 2001}, "comment", "At most 2,000 characters"),
    ],
)
def test_the_answer_form_shows_each_refusal_on_its_box(
    client_for, live_round, changes, field, message
):
    url = reverse("catalogue:round_answer", args=[live_round.public_id])
    response = client_for("manager_a").post(url, _answer_post(live_round, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not ConsultationAnswer.objects.exists()


def test_a_closed_round_refuses_answers_with_a_message(client_for, live_round):
    _move(live_round, _days(-10), _days(-1))
    client = client_for("manager_a")
    url = reverse("catalogue:round_answer", args=[live_round.public_id])
    round_url = reverse("catalogue:round", args=[live_round.public_id])
    for response in (
        client.get(url, follow=True),
        client.post(url, _answer_post(live_round), follow=True),
    ):
        assert response.redirect_chain[-1][0] == round_url
        assert "it takes no more answers" in response.content.decode()
        assert url not in response.content.decode()
    assert not ConsultationAnswer.objects.exists()


def test_an_upcoming_round_is_not_answered_yet(client_for, live_round):
    _move(live_round, _days(2), _days(9))
    url = reverse("catalogue:round_answer", args=[live_round.public_id])
    response = client_for("manager_a").get(url, follow=True)
    assert "answers are taken from then" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("readonly_a", 403),
        ("advisor_a", 403),
        ("advisor_b", 403),
        ("auditor", 403),
        ("coordinator", 403),
    ],
)
def test_nobody_but_a_manager_answers(client_for, live_round, persona, status):
    url = reverse("catalogue:round_answer", args=[live_round.public_id])
    client = client_for(persona)
    assert client.get(url).status_code == status
    response = client.post(url, _answer_post(live_round))
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    assert not ConsultationAnswer.objects.exists()


def test_the_manager_of_b_answers_for_b_through_the_form(client, manager_b, office_b, live_round):
    client.force_login(manager_b)
    url = reverse("catalogue:round_answer", args=[live_round.public_id])
    assert client.post(url, _answer_post(live_round)).status_code == 302
    assert ConsultationAnswer.objects.get().office == office_b


@pytest.mark.parametrize("persona", ["readonly_a", "advisor_a", "advisor_b", "auditor"])
def test_staff_and_the_auditor_read_a_round_without_a_link_to_answer(client_for, answered, persona):
    response = client_for(persona).get(reverse("catalogue:round", args=[answered.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Us semblen bé aquests canvis?" in page
    assert reverse("catalogue:round_answer", args=[answered.public_id]) not in page


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("citizen", 403)])
def test_citizens_never_see_rounds(client_for, answered, persona, status):
    client = client_for(persona)
    for url in (
        reverse("catalogue:rounds"),
        reverse("catalogue:round", args=[answered.public_id]),
        reverse("catalogue:round_export", args=[answered.public_id, "csv"]),
    ):
        assert client.get(url).status_code == status


def test_the_round_page_shows_the_summary_to_the_coordinator(client_for, answered):
    page = (
        client_for("coordinator")
        .get(reverse("catalogue:round", args=[answered.public_id]))
        .content.decode()
    )
    assert "OAE Beta" in page and "=Afegir la sessió 3" in page
    assert "OAE Gamma" in page  # has not answered
    assert "OAE Delta" not in page  # closed: not asked
    assert "Tot bé" in page
    assert reverse("catalogue:round_export", args=[answered.public_id, "xlsx"]) in page


def test_the_round_page_of_a_round_nobody_answered_says_so(client_for, live_round):
    page = (
        client_for("coordinator")
        .get(reverse("catalogue:round", args=[live_round.public_id]))
        .content.decode()
    )
    assert "No answer yet." in page
    assert "OAE Alfa" in page and "OAE Beta" in page  # both yet to answer


def test_a_round_that_does_not_exist_is_404(client_for, people):
    url = reverse("catalogue:round", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for("coordinator").get(url).status_code == 404


# The export --------------------------------------------------------------------------------------

HEADER = ["Kind", "Code", "Title", "Office", "Stance", "Comment", "Answered at"]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_has_a_row_per_item_and_office_as_csv(client_for, answered):
    response = client_for("coordinator").get(
        reverse("catalogue:round_export", args=[answered.public_id, "csv"])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="round-serveis-de-creacio-2026.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == HEADER
    assert [row[:6] for row in rows[1:]] == [
        ["service", "crear", "Crear una empresa", "OAE Alfa", "agree", ""],
        [
            "service",
            "crear",
            "Crear una empresa",
            "OAE Beta",
            "agree with changes",
            "'=Afegir la sessió 3",  # a formula in a comment is written as text
        ],
        ["procedure", "alta-censal", "Alta censal", "OAE Alfa", "agree", ""],
        ["procedure", "alta-censal", "Alta censal", "OAE Beta", "agree", ""],
    ]
    answered_at = datetime.datetime.strptime(rows[1][6], "%Y-%m-%d %H:%M")  # noqa: DTZ007
    assert answered_at.date() == TODAY()


def test_the_export_as_xlsx_reads_back_the_same(client_for, answered):
    response = client_for("auditor").get(
        reverse("catalogue:round_export", args=[answered.public_id, "xlsx"])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
    assert rows[0] == HEADER
    assert len(rows) == 5
    assert rows[2][:6] == [
        "service",
        "crear",
        "Crear una empresa",
        "OAE Beta",
        "agree with changes",
        "'=Afegir la sessió 3",
    ]


def test_an_office_s_staff_export_their_own_office_s_rows(client_for, answered):
    response = client_for("readonly_a").get(
        reverse("catalogue:round_export", args=[answered.public_id, "csv"])
    )
    assert {row[3] for row in _csv(response)[1:]} == {"OAE Alfa"}


def test_an_export_in_another_format_is_not_found(client_for, answered):
    url = reverse("catalogue:round", args=[answered.public_id]) + "export.pdf"
    assert client_for("coordinator").get(url).status_code == 404


# At the same moment (PostgreSQL) ----------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_answers_of_one_office_at_the_same_moment_end_with_one(draft, people, office_a):
    """Both pass the check (neither sees the other's uncommitted answer); the unique index
    makes the second wait for the first, then refuse it with the reason."""
    other_manager = MembershipFactory(office=office_a, role=OfficeRole.MANAGER).user
    opened = _open(people["coordinator"])
    items = _agree_all(opened)
    thread, waited = in_a_transaction_held_until_another_waits(
        lambda: consultation.round_answer(
            actor=people["manager_a"], office=office_a, round=opened, items=items
        )
    )
    with pytest.raises(ValidationError) as refused:
        consultation.round_answer(actor=other_manager, office=office_a, round=opened, items=items)
    thread.join(10)
    assert waited == [True]  # the second really waited for the first
    assert refused.value.messages == ["Your office has answered this round already."]
    assert ConsultationAnswer.objects.get().answered_by == people["manager_a"]
