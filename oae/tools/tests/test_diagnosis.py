"""Self-diagnosis: scoring of questionnaires defined as data, the radar, validation of the
content, and the public pages."""

import pytest
from django.urls import reverse

from oae.catalogue import services as catalogue
from oae.testing.catalogue import build_small_model
from oae.tools import diagnosis
from oae.tools.models import Questionnaire


def _content():
    scale = [{"text": {"ca": s}, "score": n} for n, s in enumerate(["no", "poc", "força", "sí"])]
    return {
        "scale": scale,
        "dimensions": [
            {"id": "fin", "name": {"ca": "Finances"}, "categories": ["financing"]},
            {"id": "dig", "name": {"ca": "Digital"}, "categories": ["digitalisation"]},
            {"id": "leg", "name": {"ca": "Legal"}, "categories": ["creation"]},
        ],
        "questions": [
            {"id": "f1", "dimension": "fin", "text": {"ca": "a"}, "weight": 2},
            {"id": "f2", "dimension": "fin", "text": {"ca": "b"}, "weight": 1},
            {"id": "d1", "dimension": "dig", "text": {"ca": "c"}},
            {"id": "l1", "dimension": "leg", "text": {"ca": "d"}},
        ],
    }


def test_scores_are_weighted_per_dimension_on_0_to_100():
    # fin: (2×3 + 1×0) / (2×3 + 1×3) = 6/9 → 67; dig: 1/3 → 33; leg: 3/3 → 100
    result = diagnosis.score(_content(), {"f1": 3, "f2": 0, "d1": 1, "l1": 3})
    assert [(d.id, d.score) for d in result.dimensions] == [("fin", 67), ("dig", 33), ("leg", 100)]
    assert [d.id for d in result.strengths] == ["leg"]
    assert [d.id for d in result.weaknesses] == ["dig"]
    assert result.categories == ["digitalisation"] and result.overall == 67


def test_weak_dimensions_recommend_their_categories_weakest_first():
    result = diagnosis.score(_content(), {"f1": 1, "f2": 1, "d1": 0, "l1": 3})
    assert result.categories == ["digitalisation", "financing"]


def test_unanswered_or_impossible_answers_do_not_count():
    result = diagnosis.score(_content(), {"f1": 9, "d1": 3})
    assert {d.id: d.score for d in result.dimensions} == {"fin": 0, "dig": 100, "leg": 0}


def test_the_radar_has_one_point_per_dimension_inside_the_chart():
    result = diagnosis.score(_content(), {"f1": 3, "f2": 3, "d1": 0, "l1": 2})
    radar = diagnosis.radar(result.dimensions)
    points = [tuple(map(float, p.split(","))) for p in radar["shape"].split()]
    assert len(points) == 3 and all(
        0 <= x <= radar["size"] and 0 <= y <= radar["size"] for x, y in points
    )
    assert points[1] == (radar["centre"], radar["centre"])  # a score of 0 sits in the centre


def test_content_problems_are_named():
    broken = _content()
    broken["questions"].append({"id": "f1", "dimension": "nope", "text": {}, "weight": -1})
    problems = diagnosis.content_problems(broken)
    assert len(problems) == 4
    assert diagnosis.content_problems(_content()) == []
    assert diagnosis.content_problems([]) == ["The questionnaire must be a JSON object."]


@pytest.mark.django_db
def test_the_starter_questionnaire_is_valid_and_covers_the_eight_dimensions():
    starter = Questionnaire.objects.get(code="maduresa", version=1)
    assert diagnosis.content_problems(starter.content) == []
    assert len(starter.content["dimensions"]) == 8 and len(starter.content["questions"]) == 24


@pytest.mark.django_db
def test_a_citizen_answers_and_sees_scores_and_recommended_services(client, office_a):
    build_small_model()
    catalogue.office_catalogue_adopt(
        actor=None, office=office_a, version=catalogue.network_publish(actor=None, changelog="v1")
    )
    client.cookies["django_language"] = "en"
    form = client.get(reverse("tools:diagnosis")).content.decode()
    assert "Strategy" in form and 'name="q-strategy-1"' in form
    partial = client.post(reverse("tools:diagnosis"), {"q-strategy-1": "3"})
    assert "23 are missing" in partial.content.decode()
    questions = Questionnaire.objects.get(code="maduresa").content["questions"]
    answers = {f"q-{q['id']}": ("0" if q["dimension"] == "legal" else "3") for q in questions}
    response = client.post(reverse("tools:diagnosis"), answers)
    assert response["Location"] == reverse("tools:diagnosis_result")
    page = client.get(reverse("tools:diagnosis_result") + f"?office={office_a.public_id}")
    body = page.content.decode()
    assert "<svg" in body and "Legal and compliance (0)" in body
    assert "Crear una empresa" in body  # the office's service of the "creation" category
