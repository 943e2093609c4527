"""The consultation rounds' checks at their edges, exactly: a title of 200 characters and of
201, questions of 10,000 and 10,001, a round closing the day it opens or the day before, today
or yesterday; an answer's stance, comments and their limits, item by item."""

import datetime

import pytest

from oae.catalogue import consultation
from oae.catalogue.models import ConsultationRound, Stance

TODAY = datetime.date(2026, 12, 8)
DAY = datetime.timedelta(days=1)


def _problems(title="Ronda", questions="Què en penseu?", opens=TODAY, closes=TODAY):
    return consultation._round_problems(title, questions, opens, closes, TODAY)


def test_a_round_that_opens_and_closes_today_is_right():
    assert _problems() == {}


def test_the_title_and_questions_at_their_limits():
    assert _problems(title="t" * 200, questions="q" * 10_000) == {}
    assert _problems(title="t" * 201, questions="q" * 10_001) == {
        "title": "The title is at most 200 characters.",
        "questions": "The questions are at most 10,000 characters.",
    }
    assert _problems(title="", questions="") == {
        "title": "Give the round a title.",
        "questions": "Say what the network asks the offices.",
    }
    assert _problems(title="a\x00b", questions="q\x00") == {
        "title": "Give the round a title.",
        "questions": "Say what the network asks the offices.",
    }


def test_the_dates_in_order_and_not_past():
    assert _problems(opens=TODAY, closes=TODAY - DAY) == {
        "closes_on": "The round cannot close before it opens."
    }
    assert _problems(opens=TODAY - 2 * DAY, closes=TODAY - DAY) == {
        "closes_on": "That day has passed: a round closes today at the earliest (12/08/2026)."
    }
    assert _problems(opens=TODAY - 2 * DAY, closes=TODAY) == {}


def _round() -> ConsultationRound:
    return ConsultationRound(
        title="Ronda",
        questions="?",
        opens_on=TODAY,
        closes_on=TODAY,
        items=[
            {"kind": "service", "code": "crear", "content": {"name": {"ca": "Crear"}}},
            {"kind": "guide", "code": "guia", "content": {}},
        ],
    )


def _answer(**entries) -> dict:
    base = {
        "service:crear": {"stance": Stance.AGREE, "comment": ""},
        "guide:guia": {"stance": Stance.AGREE, "comment": ""},
    }
    return base | entries


def test_an_answer_with_every_stance_is_right():
    assert consultation._answer_problems(_round(), _answer(), "") == {}


def test_each_item_needs_its_stance_and_what_changes_or_why():
    items = _answer(
        **{
            "service:crear": {"stance": Stance.AGREE_WITH_CHANGES, "comment": "  "},
            "guide:guia": {"stance": "", "comment": ""},
        }
    )
    assert consultation._answer_problems(_round(), items, "") == {
        "service:crear.comment": "Say what should change in “Crear”.",
        "guide:guia.stance": "Give your office's stance on “guia”.",
    }
    disagree = _answer(**{"service:crear": {"stance": Stance.DISAGREE, "comment": ""}})
    assert consultation._answer_problems(_round(), disagree, "") == {
        "service:crear.comment": "Say why your office disagrees with “Crear”."
    }


def test_comments_at_their_limit_and_items_not_asked():
    at_limit = _answer(**{"service:crear": {"stance": Stance.DISAGREE, "comment": "c" * 2000}})
    assert consultation._answer_problems(_round(), at_limit, "g" * 2000) == {}
    over = _answer(**{"service:crear": {"stance": Stance.DISAGREE, "comment": "c" * 2001}})
    assert consultation._answer_problems(_round(), over, "g" * 2001) == {
        "service:crear.comment": "At most 2,000 characters (this one has 2,001).",
        "comment": "At most 2,000 characters (this one has 2,001).",
    }
    nul = _answer(**{"guide:guia": {"stance": Stance.AGREE, "comment": "a\x00"}})
    assert consultation._answer_problems(_round(), nul | {"process:x": {}}, "b\x00") == {
        "items": "This round does not ask about: process:x.",
        "guide:guia.comment": "The comment holds a character that cannot be kept.",
        "comment": "The comment holds a character that cannot be kept.",
    }


@pytest.mark.django_db
def test_a_round_is_upcoming_open_then_closed_by_local_day():
    opened = _round()
    assert consultation.round_state(opened, TODAY - DAY) == "upcoming"
    assert consultation.round_state(opened, TODAY) == "open"
    assert consultation.round_state(opened, TODAY + DAY) == "closed"
