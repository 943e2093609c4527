"""Consultation rounds: the network asks every office about items of the draft between two
days; each office answers once (a stance and a comment per item); a summary per item and its
export. Writes and reads of rounds live here, each read scoped to what the user may see."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oae.catalogue import content as content_lib
from oae.catalogue import presenters
from oae.catalogue.models import ConsultationAnswer, ConsultationRound, DraftItem, Stance
from oae.catalogue.schema import KIND_LABELS, KIND_PLURALS, Kind
from oae.catalogue.selectors import draft_titles
from oae.common.exports import Column
from oae.network.models import Office, OfficeStatus
from oae.privacy.services import audit_record
from oae.scoping import Action, can, office_ids_for, scope_to_offices

TITLE_MAX_LENGTH = ConsultationRound._meta.get_field("title").max_length
QUESTIONS_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 2000
KIND_ORDER = {kind.value: position for position, kind in enumerate(Kind)}

# Codes of the refusals about the round as a whole (not about what was written): a page
# answers them with a message and the round's page, not the form again.
ROUND_NOT_OPEN_YET = "round_not_open_yet"
ROUND_CLOSED = "round_closed"
ALREADY_ANSWERED = "already_answered"
ROUND_REFUSALS = frozenset({ROUND_NOT_OPEN_YET, ROUND_CLOSED, ALREADY_ANSWERED})


class RoundState(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


ROUND_STATE_LABELS = {
    RoundState.UPCOMING: gettext_lazy("upcoming"),
    RoundState.OPEN: gettext_lazy("open"),
    RoundState.CLOSED: gettext_lazy("closed"),
}


def round_state(consultation: ConsultationRound, today: datetime.date | None = None) -> RoundState:
    """Upcoming before its first day, open to its last day included, closed after (local days)."""
    today = today or timezone.localdate()
    if today < consultation.opens_on:
        return RoundState.UPCOMING
    if today > consultation.closes_on:
        return RoundState.CLOSED
    return RoundState.OPEN


def item_key(kind: str, code: str) -> str:
    """How a round's answers name an item: "service:crear"."""
    return f"{kind}:{code}"


def _has_nul(*values: str) -> bool:
    # PostgreSQL keeps no NUL in text nor in JSON: refused here rather than by the database.
    return any("\x00" in value for value in values)


def _too_long(text: str) -> str:
    return _("At most %(max)s characters (this one has %(count)s).") % {
        "max": f"{COMMENT_MAX_LENGTH:,}",
        "count": f"{len(text):,}",
    }


# Opening a round ---------------------------------------------------------------------------


def _round_problems(title, questions, opens_on, closes_on, today) -> dict[str, str]:
    problems = {}
    if not title or _has_nul(title):
        problems["title"] = _("Give the round a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        problems["title"] = _("The title is at most %(max)s characters.") % {
            "max": TITLE_MAX_LENGTH
        }
    if not questions or _has_nul(questions):
        problems["questions"] = _("Say what the network asks the offices.")
    elif len(questions) > QUESTIONS_MAX_LENGTH:
        problems["questions"] = _("The questions are at most %(max)s characters.") % {
            "max": f"{QUESTIONS_MAX_LENGTH:,}"
        }
    if closes_on < opens_on:
        problems["closes_on"] = _("The round cannot close before it opens.")
    elif closes_on < today:
        problems["closes_on"] = _(
            "That day has passed: a round closes today at the earliest (%(today)s)."
        ) % {"today": date_format(today, "SHORT_DATE_FORMAT")}
    return problems


def draft_item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The live draft items to choose from, as ("kind:code", "title (code)") under each
    kind's heading, in the catalogue's order of kinds."""
    items = list(DraftItem.objects.filter(is_archived=False).order_by("kind", "code"))
    return [
        (
            str(KIND_PLURALS[kind]),
            [
                (
                    item_key(i.kind, i.code),
                    f"{content_lib.title(i.kind, i.content) or i.code} ({i.code})",
                )
                for i in members
            ],
        )
        for kind in Kind
        if (members := [i for i in items if i.kind == kind])
    ]


def _draft_items_chosen(item_keys: Iterable[tuple[str, str]]) -> tuple[list[DraftItem], str]:
    """The live draft items named by `item_keys` (kind and code), in the catalogue's order, or
    the reason they cannot be consulted."""
    wanted = list(dict.fromkeys((str(kind), str(code)) for kind, code in item_keys))
    if not wanted:
        return [], _("Choose at least one item of the draft to consult.")
    found = {
        (item.kind, item.code): item
        for item in DraftItem.objects.filter(
            is_archived=False, code__in={code for _kind, code in wanted}
        )
    }
    missing = [item_key(*key) for key in wanted if key not in found]
    if missing:
        return [], _("Not items of the draft: %(items)s.") % {"items": ", ".join(missing)}
    chosen = [found[key] for key in wanted]
    chosen.sort(key=lambda item: (KIND_ORDER.get(item.kind, 99), item.code))
    return chosen, ""


@transaction.atomic
def round_open(
    *,
    actor,
    title: str,
    questions: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    item_keys: Iterable[tuple[str, str]],
) -> ConsultationRound:
    """Open a round on items of the draft, their content kept as it stands now. Refused
    (ValidationError, by argument) without a title, questions or an item, for an item not in
    the draft (or removed from it), or dates that close before opening or in the past."""
    if actor is not None and not can(actor, Action.EDIT_NETWORK_MODEL):
        raise PermissionDenied("Only the network's coordinators open a consultation round.")
    title, questions = (title or "").strip(), (questions or "").strip()
    problems = _round_problems(title, questions, opens_on, closes_on, timezone.localdate())
    items, reason = _draft_items_chosen(item_keys)
    if reason:
        problems["item_keys"] = reason
    if problems:
        raise ValidationError(problems)
    consultation = ConsultationRound.objects.create(
        title=title,
        questions=questions,
        opens_on=opens_on,
        closes_on=closes_on,
        items=[{"kind": i.kind, "code": i.code, "content": i.content} for i in items],
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action="catalogue.round.open",
        actor=actor,
        target=consultation,
        details={
            "opens_on": opens_on.isoformat(),
            "closes_on": closes_on.isoformat(),
            "items": [item_key(i.kind, i.code) for i in items],
        },
    )
    return consultation


# Answering ---------------------------------------------------------------------------------


def _round_refusal(consultation: ConsultationRound, office) -> ValidationError | None:
    state = round_state(consultation)
    if state == RoundState.UPCOMING:
        return ValidationError(
            _("This round opens on %(day)s: answers are taken from then.")
            % {"day": date_format(consultation.opens_on, "SHORT_DATE_FORMAT")},
            code=ROUND_NOT_OPEN_YET,
        )
    if state == RoundState.CLOSED:
        return ValidationError(
            _("This round closed on %(day)s: it takes no more answers.")
            % {"day": date_format(consultation.closes_on, "SHORT_DATE_FORMAT")},
            code=ROUND_CLOSED,
        )
    if ConsultationAnswer.objects.filter(round=consultation, office=office).exists():
        return _already_answered()
    return None


def _already_answered() -> ValidationError:
    return ValidationError(_("Your office has answered this round already."), code=ALREADY_ANSWERED)


def _answer_problems(consultation: ConsultationRound, items: dict, comment: str) -> dict:
    """What is wrong with an answer, keyed "<kind:code>.stance", "<kind:code>.comment",
    "items" (names an item the round does not ask about) or "comment" (the general one)."""
    problems: dict[str, str] = {}
    asked = {item_key(i["kind"], i["code"]): i for i in consultation.items}
    unknown = sorted(set(items) - set(asked))
    if unknown:
        problems["items"] = _("This round does not ask about: %(items)s.") % {
            "items": ", ".join(unknown)
        }
    for key, item in asked.items():
        entry = items.get(key) or {}
        stance, text = entry.get("stance") or "", (entry.get("comment") or "").strip()
        name = content_lib.title(item["kind"], item["content"]) or item["code"]
        if stance not in Stance.values:
            problems[f"{key}.stance"] = _("Give your office's stance on “%(item)s”.") % {
                "item": name
            }
        if _has_nul(text):
            problems[f"{key}.comment"] = _("The comment holds a character that cannot be kept.")
        elif len(text) > COMMENT_MAX_LENGTH:
            problems[f"{key}.comment"] = _too_long(text)
        elif stance == Stance.AGREE_WITH_CHANGES and not text:
            problems[f"{key}.comment"] = _("Say what should change in “%(item)s”.") % {"item": name}
        elif stance == Stance.DISAGREE and not text:
            problems[f"{key}.comment"] = _("Say why your office disagrees with “%(item)s”.") % {
                "item": name
            }
    if _has_nul(comment):
        problems["comment"] = _("The comment holds a character that cannot be kept.")
    elif len(comment) > COMMENT_MAX_LENGTH:
        problems["comment"] = _too_long(comment)
    return problems


@transaction.atomic
def round_answer(
    *, actor, office: Office, round: ConsultationRound, items: dict, comment: str = ""
) -> ConsultationAnswer:
    """The office's answer to the round: for each item {"stance", "comment"} by "kind:code".
    Only a manager of the office answers for it (PermissionDenied otherwise), once, while the
    round is open; "agree with changes" and "disagree" say what in their comment. Refusals are
    ValidationErrors: about the round as a whole with a code (`ROUND_REFUSALS`), about what
    was written keyed as `_answer_problems` says."""
    consultation = round  # named as the answer's field; read under a name that shadows nothing
    if actor is None or not can(actor, Action.ANSWER_CONSULTATION, office):
        raise PermissionDenied("Only the office's managers answer a round for it.")
    refusal = _round_refusal(consultation, office)
    if refusal is not None:
        raise refusal
    comment = (comment or "").strip()
    problems = _answer_problems(consultation, items, comment)
    if problems:
        raise ValidationError(problems)
    kept = {
        item_key(i["kind"], i["code"]): {
            "stance": items[item_key(i["kind"], i["code"])]["stance"],
            "comment": (items[item_key(i["kind"], i["code"])].get("comment") or "").strip(),
        }
        for i in consultation.items
    }
    try:
        # The unique constraint is what keeps one answer per office when two arrive at once.
        with transaction.atomic():
            answer = ConsultationAnswer.objects.create(
                round=consultation, office=office, answered_by=actor, items=kept, comment=comment
            )
    except IntegrityError as error:
        raise _already_answered() from error
    audit_record(
        action="catalogue.round.answer",
        actor=actor,
        target=consultation,
        office=office,
        details={"stances": dict(Counter(entry["stance"] for entry in kept.values()))},
    )
    return answer


# Reading rounds ------------------------------------------------------------------------------


def rounds_for(user) -> QuerySet[ConsultationRound]:
    """Every round, newest first, each with `answered`: how many of the offices the user may
    see answered it (every office for the network's roles, their own for an office's staff)."""
    allowed = office_ids_for(user, Action.VIEW_PROPOSALS)
    answered = (
        Count("answers")
        if allowed is None
        else Count("answers", filter=Q(answers__office_id__in=allowed))
    )
    return ConsultationRound.objects.annotate(answered=answered).order_by("-opens_on", "-pk")


@dataclass(frozen=True)
class RoundRow:
    round: ConsultationRound  # annotated with `answered`
    state: RoundState

    @property
    def state_label(self) -> str:
        return str(ROUND_STATE_LABELS[self.state])


def round_rows(user) -> list[RoundRow]:
    """`rounds_for` the user, each with its state today: the rounds' list page."""
    today = timezone.localdate()
    return [RoundRow(item, round_state(item, today)) for item in rounds_for(user)]


def sees_every_office(user) -> bool:
    """Whether the user reads every office's answers (the network's roles) or only their own
    offices' (an office's staff)."""
    return office_ids_for(user, Action.VIEW_PROPOSALS) is None


def get_round_or_404(public_id) -> ConsultationRound:
    """A round by its public id: every member of staff may read every round."""
    return get_object_or_404(
        ConsultationRound.objects.select_related("opened_by"), public_id=public_id
    )


def answers_seen_by(user, consultation: ConsultationRound) -> QuerySet[ConsultationAnswer]:
    """The round's answers of the offices the user may see, by office name."""
    answers = consultation.answers.select_related("office", "answered_by").order_by(
        "office__name", "pk"
    )
    return scope_to_offices(answers, user, Action.VIEW_PROPOSALS)


def office_answer(consultation: ConsultationRound, office: Office | None):
    """The office's answer to the round, or None (also for no office)."""
    if office is None:
        return None
    return consultation.answers.filter(office=office).select_related("answered_by").first()


def may_answer(user, consultation: ConsultationRound, office: Office | None) -> bool:
    """Whether the user may answer the round now for `office` (their acting office)."""
    return (
        office is not None
        and can(user, Action.ANSWER_CONSULTATION, office)
        and _round_refusal(consultation, office) is None
    )


def answer_refusal(consultation: ConsultationRound, office: Office):
    """Why the office cannot answer the round now (a ValidationError), or None."""
    return _round_refusal(consultation, office)


@dataclass
class OfficeStance:
    """One office's word on one item."""

    office: Office
    stance: str
    comment: str
    answered_at: datetime.datetime

    @property
    def stance_label(self) -> str:
        return str(Stance(self.stance).label) if self.stance in Stance.values else self.stance


@dataclass
class ItemSummary:
    """An item of the round as it was opened, with the answers the reader may see."""

    kind: str
    code: str
    content: dict
    stances: list[OfficeStance] = field(default_factory=list)
    shown: list = field(default_factory=list)  # presenters.Shown, when asked for

    @property
    def key(self) -> str:
        return item_key(self.kind, self.code)

    @property
    def title(self) -> str:
        return content_lib.title(self.kind, self.content) or self.code

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(Kind(self.kind), self.kind))

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(stance, its label, how many offices took it), in the stances' order."""
        taken = Counter(s.stance for s in self.stances)
        return [(value, str(label), taken[value]) for value, label in Stance.choices]


def round_items(
    consultation: ConsultationRound, *, answers=(), language: str | None = None
) -> list[ItemSummary]:
    """The round's items with each office's stance from `answers`; with their fields shown
    in `language` when one is given (two or three queries more)."""
    items = [ItemSummary(i["kind"], i["code"], i["content"]) for i in consultation.items]
    answers = list(answers)
    for item in items:
        for answer in answers:
            entry = answer.items.get(item.key)
            if entry:
                item.stances.append(
                    OfficeStance(
                        answer.office, entry["stance"], entry.get("comment", ""), answer.answered_at
                    )
                )
    if language:
        lookups = presenters.lookups_for(draft_titles(language))
        for item in items:
            item.shown = presenters.shown_fields(item.kind, item.content, language, lookups)
    return items


def items_by_kind(items: list[ItemSummary]) -> list[tuple[str, list[ItemSummary]]]:
    """The items under their kind's heading, in the catalogue's order of kinds."""
    return [
        (str(KIND_PLURALS[kind]), members)
        for kind in Kind
        if (members := [item for item in items if item.kind == kind])
    ]


def offices_not_answered(user, consultation: ConsultationRound) -> list[Office]:
    """Open offices the user may see that have not answered the round, by name."""
    offices = Office.objects.filter(status=OfficeStatus.OPEN).exclude(
        pk__in=consultation.answers.values("office_id")
    )
    return list(scope_to_offices(offices, user, Action.VIEW_PROPOSALS, "pk").order_by("name"))


@dataclass
class RoundSummary:
    round: ConsultationRound
    state: RoundState
    items: list[ItemSummary]
    answers: list[ConsultationAnswer]  # the offices' the reader may see
    not_answered: list[Office]

    @property
    def state_label(self) -> str:
        return str(ROUND_STATE_LABELS[self.state])

    @property
    def groups(self) -> list[tuple[str, list[ItemSummary]]]:
        return items_by_kind(self.items)

    @property
    def general_comments(self) -> list[ConsultationAnswer]:
        return [answer for answer in self.answers if answer.comment]


def round_summary(user, consultation: ConsultationRound, *, language: str) -> RoundSummary:
    """The round page: each item as opened, with the stances the user may see and their counts;
    the open offices (that the user may see) that have not answered."""
    answers = list(answers_seen_by(user, consultation))
    return RoundSummary(
        round=consultation,
        state=round_state(consultation),
        items=round_items(consultation, answers=answers, language=language),
        answers=answers,
        not_answered=offices_not_answered(user, consultation),
    )


# The export ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    item: ItemSummary
    stance: OfficeStance


EXPORT_COLUMNS = (
    Column(gettext_lazy("Kind"), lambda row: row.item.kind_label),
    Column(gettext_lazy("Code"), lambda row: row.item.code),
    Column(gettext_lazy("Title"), lambda row: row.item.title),
    Column(gettext_lazy("Office"), lambda row: row.stance.office.name),
    Column(gettext_lazy("Stance"), lambda row: row.stance.stance_label),
    Column(gettext_lazy("Comment"), lambda row: row.stance.comment),
    Column(
        gettext_lazy("Answered at"),
        lambda row: timezone.localtime(row.stance.answered_at).strftime("%Y-%m-%d %H:%M"),
    ),
)


def round_export_rows(user, consultation: ConsultationRound) -> list[ExportRow]:
    """One row per item and office that answered (of those the user may see), item by item."""
    items = round_items(consultation, answers=answers_seen_by(user, consultation))
    return [ExportRow(item, stance) for item in items for stance in item.stances]
