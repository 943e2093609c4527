"""Self-diagnosis rules pinned one by one, without the database: the scores worked out by hand,
the strength and weakness thresholds on both sides, the radar's points, and every problem of a
questionnaire's content with its exact message."""

import pytest

from oae.tools import diagnosis
from oae.tools.diagnosis import Diagnosis, DimensionScore

PERCENT = [{"text": {"ca": str(n)}, "score": n} for n in (0, 29, 30, 49, 50, 69, 70, 79, 80, 100)]


def _one_question_per_dimension(ids: list[str], thresholds: dict | None = None) -> dict:
    """One question per dimension on a 0–100 scale, so a dimension scores what is chosen."""
    content = {
        "scale": PERCENT,
        "dimensions": [{"id": i, "name": {"ca": i}, "categories": [f"cat-{i}"]} for i in ids],
        "questions": [{"id": f"q-{i}", "dimension": i, "text": {"ca": i}} for i in ids],
    }
    if thresholds is not None:
        content["thresholds"] = thresholds
    return content


def _choose(**scores: int) -> dict[str, int]:
    """The position on the 0–100 scale of each dimension's wanted score."""
    positions = [o["score"] for o in PERCENT]
    return {f"q-{i}": positions.index(s) for i, s in scores.items()}


def test_strong_from_70_and_weak_under_50_by_default():
    content = _one_question_per_dimension(["a", "b", "c", "d"])
    result = diagnosis.score(content, _choose(a=70, b=69, c=50, d=49))
    assert [(d.id, d.score) for d in result.dimensions] == [
        ("a", 70),
        ("b", 69),
        ("c", 50),
        ("d", 49),
    ]
    assert [d.id for d in result.strengths] == ["a"]
    assert [d.id for d in result.weaknesses] == ["d"]
    assert result.categories == ["cat-d"]


def test_the_questionnaire_sets_its_own_thresholds():
    content = _one_question_per_dimension(["a", "b", "c", "d"], {"strength": 80, "weakness": 30})
    result = diagnosis.score(content, _choose(a=80, b=79, c=30, d=29))
    assert [d.id for d in result.strengths] == ["a"]
    assert [d.id for d in result.weaknesses] == ["d"]


def test_a_questionnaire_may_set_only_one_threshold():
    content = _one_question_per_dimension(["a", "b"], {"weakness": 30})
    result = diagnosis.score(content, _choose(a=70, b=29))
    assert ([d.id for d in result.strengths], [d.id for d in result.weaknesses]) == (["a"], ["b"])
    content = _one_question_per_dimension(["a", "b"], {"strength": 80})
    result = diagnosis.score(content, _choose(a=79, b=49))
    assert ([d.id for d in result.strengths], [d.id for d in result.weaknesses]) == ([], ["b"])


def _weighted() -> dict:
    scale = [{"text": {"ca": s}, "score": n} for n, s in enumerate(["no", "poc", "força", "sí"])]
    return {
        "scale": scale,
        "dimensions": [
            {
                "id": "fin",
                "name": {"ca": "Finances"},
                "categories": ["financing", "creation"],
                "advice": {"ca": "Feu un pressupost."},
            },
            {"id": "dig", "name": {"ca": "Digital"}, "categories": ["digitalisation", "financing"]},
            {"id": "leg", "name": {"ca": "Legal"}},
        ],
        "questions": [
            {"id": "f1", "dimension": "fin", "text": {"ca": "a"}, "weight": 3},
            {"id": "f2", "dimension": "fin", "text": {"ca": "b"}},  # weight 1
            {
                "id": "d1",
                "dimension": "dig",
                "text": {"ca": "c"},
                # its own options: the best scores 4, not the scale's 3
                "options": [{"text": {"ca": "x"}, "score": 4}, {"text": {"ca": "y"}, "score": 1}],
            },
            {"id": "d2", "dimension": "dig", "text": {"ca": "d"}, "weight": 0.5},
            {"id": "l1", "dimension": "leg", "text": {"ca": "e"}},
        ],
    }


def test_scores_are_weighted_and_own_options_replace_the_scale():
    # fin: f1 "poc" (1) × 3 + f2 "sí" (3) × 1 = 6 of 3 × 3 + 1 × 3 = 12 → 50.
    # dig: d1 "y" (1) of its best 4, × 1; d2 "poc" (1) of 3, × 0.5 → (1 + 0.5) / (4 + 1.5)
    #      = 1.5 / 5.5 = 27.27… → 27.
    # leg: not answered → 0.
    result = diagnosis.score(_weighted(), {"f1": 1, "f2": 3, "d1": 1, "d2": 1})
    assert result.dimensions == [
        DimensionScore("fin", {"ca": "Finances"}, 50, ("financing", "creation")),
        DimensionScore("dig", {"ca": "Digital"}, 27, ("digitalisation", "financing")),
        DimensionScore("leg", {"ca": "Legal"}, 0, ()),
    ]
    assert result.dimensions[0].advice == {"ca": "Feu un pressupost."}
    assert result.dimensions[1].advice == {}
    # Weak: dig (27) and leg (0); the weakest first, each category once: leg has none.
    assert [d.id for d in result.weaknesses] == ["dig", "leg"]
    assert result.categories == ["digitalisation", "financing"]
    assert result.strengths == []
    assert result.overall == 26  # (50 + 27 + 0) / 3 = 25.67


def test_categories_come_from_the_weakest_dimension_first_each_once():
    # fin: (0 × 3 + 0 × 1) / 12 = 0; dig: (1 × 1 + 3 × 0.5) / (4 + 1.5) = 2.5 / 5.5 → 45.
    result = diagnosis.score(_weighted(), {"f1": 0, "f2": 0, "d1": 1, "d2": 3, "l1": 3})
    assert [(d.id, d.score) for d in result.dimensions] == [("fin", 0), ("dig", 45), ("leg", 100)]
    assert result.categories == ["financing", "creation", "digitalisation"]
    assert [d.id for d in result.strengths] == ["leg"]


def test_the_first_and_last_options_count_and_positions_outside_do_not():
    # f1 at 0 ("no") counts: (0 × 3 + 3 × 1) / 12 = 25. d1 at 2 or −1 is outside its two
    # options and d2 at 4 outside the scale: dig has no answer → 0.
    result = diagnosis.score(_weighted(), {"f1": 0, "f2": 3, "d1": 2, "d2": 4, "l1": -1})
    assert [(d.id, d.score) for d in result.dimensions] == [("fin", 25), ("dig", 0), ("leg", 0)]
    result = diagnosis.score(_weighted(), {"d1": -1, "d2": 3, "l1": 0})
    # dig: only d2 counts, 3 of 3 → 100; a position of −1 is not "the last option".
    assert [(d.id, d.score) for d in result.dimensions] == [("fin", 0), ("dig", 100), ("leg", 0)]


def test_scores_round_to_the_nearest_whole():
    # fin: f1 "força" (2) × 3 + f2 "poc" (1) = 7 of 12 = 58.33 → 58.
    # dig: d1 "x" (4) + d2 "no" (0) × 0.5 = 4 of 5.5 = 72.7 → 73.
    result = diagnosis.score(_weighted(), {"f1": 2, "f2": 1, "d1": 0, "d2": 0})
    assert [d.score for d in result.dimensions] == [58, 73, 0]


def test_the_overall_score_is_the_rounded_mean_and_0_without_dimensions():
    def dimension(score: int) -> DimensionScore:
        return DimensionScore("x", {}, score, ())

    assert Diagnosis([], [], [], []).overall == 0
    assert Diagnosis([dimension(100), dimension(51)], [], [], []).overall == 76  # 75.5 → 76
    assert Diagnosis([dimension(10), dimension(20), dimension(40)], [], [], []).overall == 23


def test_a_question_offers_its_own_options_else_the_scale_else_nothing():
    own = [{"score": 1}, {"score": 0}]
    scale = [{"score": 5}]
    assert diagnosis.question_options({"scale": scale}, {"options": own}) == own
    assert diagnosis.question_options({"scale": scale}, {}) == scale
    assert diagnosis.question_options({"scale": scale}, {"options": []}) == scale
    assert diagnosis.question_options({}, {}) == []


# The radar chart.


def test_the_radar_of_four_dimensions_worked_out():
    # size 320: centre 160, radius 320/2 − 40 = 120. Four spokes from the top, clockwise:
    # angles −90°, 0°, 90°, 180°. A score s puts its point at 120 × s/100 from the centre:
    # 100 → (160, 40), 50 → (220, 160), 25 → (160, 190), 0 → the centre.
    # Labels at 1.12 × 120 = 134.4: (160, 25.6) middle, (294.4, 160) start,
    # (160, 294.4) middle, (25.6, 160) end.
    dimensions = [DimensionScore(str(n), {}, n, ()) for n in (100, 50, 25, 0)]
    radar = diagnosis.radar(dimensions)
    assert radar["size"] == 320 and radar["centre"] == 160
    assert radar["shape"] == "160.0,40.0 220.0,160.0 160.0,190.0 160.0,160.0"
    assert radar["rings"] == [
        "160.0,130.0 190.0,160.0 160.0,190.0 130.0,160.0",
        "160.0,100.0 220.0,160.0 160.0,220.0 100.0,160.0",
        "160.0,70.0 250.0,160.0 160.0,250.0 70.0,160.0",
        "160.0,40.0 280.0,160.0 160.0,280.0 40.0,160.0",
    ]
    assert radar["spokes"] == [(160, 40), (280, 160), (160, 280), (40, 160)]
    assert radar["labels"] == [
        (160, 25.6, "middle", dimensions[0]),
        (294.4, 160, "start", dimensions[1]),
        (160, 294.4, "middle", dimensions[2]),
        (25.6, 160, "end", dimensions[3]),
    ]
    # Room for the labels: 72 on each side, 320 + 2 × 72 = 464 wide.
    assert radar["view_box"] == "-72 0 464 320"


def test_a_smaller_radar_keeps_its_margin_of_40():
    # size 200: centre 100, radius 60; one dimension at 50 → (100, 100 − 30).
    radar = diagnosis.radar([DimensionScore("a", {}, 50, ())], size=200)
    assert radar["shape"] == "100.0,70.0"
    assert radar["spokes"] == [(100, 40)]
    assert radar["view_box"] == "-72 0 344 200"


def test_the_points_of_a_pentagon_are_rounded_to_one_decimal():
    # Five spokes, 72° apart from the top: −90°, −18°, 54°, 126°, 198°. At the full radius
    # of 120: cos 18° × 120 = 114.127, sin 18° × 120 = 37.082, cos 54° × 120 = 70.534,
    # sin 54° × 120 = 97.082; so (160 + 114.127, 160 − 37.082) = (274.1, 122.9), and so on.
    radar = diagnosis.radar([DimensionScore(str(n), {}, 100, ()) for n in range(5)])
    assert radar["spokes"] == [
        (160, 40),
        (274.1, 122.9),
        (230.5, 257.1),
        (89.5, 257.1),
        (45.9, 122.9),
    ]


def test_a_radar_without_dimensions_is_a_single_point():
    radar = diagnosis.radar([])
    assert radar["shape"] == "160.0,160.0"
    assert radar["rings"] == ["160.0,130.0", "160.0,100.0", "160.0,70.0", "160.0,40.0"]
    assert radar["spokes"] == [(160, 40)]
    assert radar["labels"] == []


@pytest.mark.parametrize(
    ("x", "anchor"),
    [(159.1, "middle"), (160.9, "middle"), (161, "start"), (159, "end"), (300, "start")],
)
def test_labels_near_the_vertical_axis_are_centred(x, anchor):
    assert diagnosis._anchor(x, 160) == anchor


# The coordinators' editor.


def _valid() -> dict:
    scale = [{"text": {"ca": "no"}, "score": 0}, {"text": {"ca": "sí"}, "score": 1}]
    return {
        "scale": scale,
        "dimensions": [{"id": "fin", "name": {"ca": "Finances"}}],
        "questions": [{"id": "f1", "dimension": "fin", "text": {"ca": "a"}}],
    }


def test_the_smallest_valid_questionnaire_has_no_problem():
    assert diagnosis.content_problems(_valid()) == []


@pytest.mark.parametrize("content", [[], "x", None, 3])
def test_a_questionnaire_must_be_an_object(content):
    assert diagnosis.content_problems(content) == ["The questionnaire must be a JSON object."]


@pytest.mark.parametrize("empty", [None, [], "x", {}])
def test_a_questionnaire_needs_dimensions_and_questions(empty):
    assert diagnosis.content_problems({"dimensions": empty, "questions": empty}) == [
        "Add at least one dimension.",
        "Add at least one question.",
    ]


def test_without_dimensions_every_question_belongs_to_none():
    content = _valid() | {"dimensions": []}
    assert diagnosis.content_problems(content) == [
        "Add at least one dimension.",
        "Question f1 belongs to no dimension.",
    ]


@pytest.mark.parametrize(
    "dimension",
    [
        "fin",
        {"name": {"ca": "Finances"}},
        {"id": "", "name": {"ca": "Finances"}},
        {"id": "dig"},
        {"id": "dig", "name": {"es": "Digital"}},
        {"id": "dig", "name": {"ca": ""}},
    ],
)
def test_every_dimension_needs_an_id_and_a_catalan_name(dimension):
    content = _valid()
    content["dimensions"].append(dimension)
    assert diagnosis.content_problems(content) == [
        "Every dimension needs an id and a name in Catalan."
    ]


def test_a_question_that_is_not_an_object_does_not_stop_the_checks():
    content = _valid()
    content["questions"][:0] = ["f0"]
    content["questions"].append({"id": "f2", "dimension": "nope", "text": {"ca": "b"}})
    assert diagnosis.content_problems(content) == [
        "Every question must be an object.",
        "Question f2 belongs to no dimension.",
    ]


def test_every_problem_of_a_question_is_named_in_order():
    content = _valid()
    content["questions"] += [
        {"id": "f1", "dimension": "fin", "text": {"ca": "again"}},
        {"dimension": "nope", "options": [{"score": 1}], "weight": 0},
    ]
    assert diagnosis.content_problems(content) == [
        "Question f1 appears twice.",
        "Question ? belongs to no dimension.",
        "Question ? needs its text in Catalan.",
        "Question ? needs two or more options with scores.",
        "Question ? needs a positive weight.",
    ]


@pytest.mark.parametrize(
    ("text", "valid"),
    [({"ca": "a"}, True), ({"es": "a"}, False), ({"ca": ""}, False), (None, False)],
)
def test_a_question_needs_its_text_in_catalan(text, valid):
    content = _valid()
    content["questions"][0]["text"] = text
    expected = [] if valid else ["Question f1 needs its text in Catalan."]
    assert diagnosis.content_problems(content) == expected


TWO_OR_MORE = "Question f1 needs two or more options with scores."
ABOVE_0 = "Question f1 needs an option scoring above 0."


@pytest.mark.parametrize(
    ("scores", "problem"),
    [
        ([0, 1], None),
        ([0, 0.5], None),
        ([3, 2, 1, 0], None),
        ([1], TWO_OR_MORE),
        ([], TWO_OR_MORE),
        ([0, "1"], TWO_OR_MORE),
        ([0, None], TWO_OR_MORE),
        ([0, 0], ABOVE_0),
        ([-1, 0], ABOVE_0),
        ([-2, -1], ABOVE_0),
    ],
)
def test_a_question_needs_options_with_scores_one_above_0(scores, problem):
    content = _valid()
    content["questions"][0]["options"] = [{"text": {"ca": "o"}, "score": s} for s in scores]
    if not scores:
        del content["scale"]
    assert diagnosis.content_problems(content) == ([problem] if problem else [])


def test_an_option_without_a_score_is_refused():
    content = _valid()
    content["questions"][0]["options"] = [{"score": 1}, {"text": {"ca": "o"}}]
    assert diagnosis.content_problems(content) == [TWO_OR_MORE]


@pytest.mark.parametrize(
    ("weight", "valid"),
    [(1, True), (0.5, True), (3, True), (0, False), (-1, False), ("2", False), (None, False)],
)
def test_a_question_needs_a_positive_weight(weight, valid):
    content = _valid()
    content["questions"][0]["weight"] = weight
    expected = [] if valid else ["Question f1 needs a positive weight."]
    assert diagnosis.content_problems(content) == expected
