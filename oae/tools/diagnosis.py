"""Self-diagnosis: questionnaires defined as data (dimensions, questions, options with scores,
weights), scored 0–100 per dimension; weak dimensions point to service categories of the
office's catalogue. Pure functions; the questionnaire's content is validated here too."""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

STRENGTH, WEAKNESS = 70, 50


@dataclass(frozen=True)
class DimensionScore:
    id: str
    name: dict  # {"ca", "es", "en"}
    score: int  # 0..100
    categories: tuple[str, ...]
    advice: dict = field(default_factory=dict, compare=False)  # what to work on, translated


@dataclass(frozen=True)
class Diagnosis:
    dimensions: list[DimensionScore]
    strengths: list[DimensionScore]
    weaknesses: list[DimensionScore]
    categories: list[str]  # service categories recommended (from the weak dimensions)

    @property
    def overall(self) -> int:
        if not self.dimensions:
            return 0
        return round(sum(d.score for d in self.dimensions) / len(self.dimensions))


def question_options(content: dict, question: dict) -> list[dict]:
    """The options a question offers: its own, else the questionnaire's common scale."""
    return question.get("options") or content.get("scale") or []


def score(content: dict, answers: dict[str, int]) -> Diagnosis:
    """`answers`: question id → chosen option's position. Unanswered questions do not count;
    a dimension with no answer scores 0."""
    thresholds = content.get("thresholds") or {}
    strength = thresholds.get("strength", STRENGTH)
    weakness = thresholds.get("weakness", WEAKNESS)
    totals = {d["id"]: [0.0, 0.0] for d in content["dimensions"]}
    for question in content["questions"]:
        options = question_options(content, question)
        chosen = answers.get(question["id"])
        if chosen is None or not 0 <= chosen < len(options):
            continue
        weight = float(question.get("weight", 1))
        best = max(float(o["score"]) for o in options)
        totals[question["dimension"]][0] += weight * float(options[chosen]["score"])
        totals[question["dimension"]][1] += weight * best
    dimensions = [
        DimensionScore(
            id=d["id"],
            name=d["name"],
            score=round(100 * totals[d["id"]][0] / totals[d["id"]][1]) if totals[d["id"]][1] else 0,
            categories=tuple(d.get("categories") or ()),
            advice=d.get("advice") or {},
        )
        for d in content["dimensions"]
    ]
    weak = [d for d in dimensions if d.score < weakness]
    categories = list(
        dict.fromkeys(c for d in sorted(weak, key=lambda d: d.score) for c in d.categories)
    )
    return Diagnosis(
        dimensions=dimensions,
        strengths=[d for d in dimensions if d.score >= strength],
        weaknesses=weak,
        categories=categories,
    )


# Room beside the chart for the dimensions' names: a label on the left or right is anchored
# at its end or start, so it runs outwards into this margin instead of off the chart; long
# names wrap onto two lines (tools' `label_lines` filter).
RADAR_LABEL_ROOM = 72


def _anchor(x: float, centre: float) -> str:
    if abs(x - centre) < 1:
        return "middle"
    return "start" if x > centre else "end"


def radar(dimensions: list[DimensionScore], size: int = 320) -> dict:
    """Points of a radar chart (polygon of the scores, rings, spokes, label positions and
    anchors, the view box that holds every label) for an inline SVG: no script, no library."""
    centre, radius = size / 2, size / 2 - 40
    count = max(len(dimensions), 1)

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        return (
            round(centre + radius * fraction * math.cos(angle), 1),
            round(centre + radius * fraction * math.sin(angle), 1),
        )

    def polygon(fraction_of) -> str:
        return " ".join(f"{x},{y}" for x, y in (point(i, fraction_of(i)) for i in range(count)))

    return {
        "size": size,
        "shape": polygon(lambda i: dimensions[i].score / 100 if dimensions else 0),
        "rings": [polygon(lambda i, f=f: f) for f in (0.25, 0.5, 0.75, 1)],
        "spokes": [point(i, 1) for i in range(count)],
        "labels": [
            (x, y, _anchor(x, centre), d)
            for (x, y), d in ((point(i, 1.12), d) for i, d in enumerate(dimensions))
        ],
        "centre": centre,
        "view_box": f"{-RADAR_LABEL_ROOM} 0 {size + 2 * RADAR_LABEL_ROOM} {size}",
    }


def content_problems(content) -> list[str]:
    """Everything wrong with a questionnaire's content, for the coordinators' editor."""
    if not isinstance(content, dict):
        return [_("The questionnaire must be a JSON object.")]
    problems = []
    dimensions = content.get("dimensions")
    questions = content.get("questions")
    if not isinstance(dimensions, list) or not dimensions:
        problems.append(_("Add at least one dimension."))
        dimensions = []
    if not isinstance(questions, list) or not questions:
        problems.append(_("Add at least one question."))
        questions = []
    ids = [d.get("id") for d in dimensions if isinstance(d, dict)]
    for d in dimensions:
        if not isinstance(d, dict) or not d.get("id") or not (d.get("name") or {}).get("ca"):
            problems.append(_("Every dimension needs an id and a name in Catalan."))
    seen = set()
    for q in questions:
        if not isinstance(q, dict):
            problems.append(_("Every question must be an object."))
            continue
        label = q.get("id") or "?"
        if q.get("id") in seen:
            problems.append(_("Question %(id)s appears twice.") % {"id": label})
        seen.add(q.get("id"))
        if q.get("dimension") not in ids:
            problems.append(_("Question %(id)s belongs to no dimension.") % {"id": label})
        if not (q.get("text") or {}).get("ca"):
            problems.append(_("Question %(id)s needs its text in Catalan.") % {"id": label})
        options = question_options(content, q)
        if len(options) < 2 or any(not isinstance(o.get("score"), int | float) for o in options):
            problems.append(
                _("Question %(id)s needs two or more options with scores.") % {"id": label}
            )
        elif max(o["score"] for o in options) <= 0:
            problems.append(_("Question %(id)s needs an option scoring above 0.") % {"id": label})
        if not isinstance(q.get("weight", 1), int | float) or q.get("weight", 1) <= 0:
            problems.append(_("Question %(id)s needs a positive weight.") % {"id": label})
    return problems
