"""Forms of the consultation rounds: opening a round on items of the draft, and an office's
answer (a stance and a comment per item, and a general comment)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from oae.catalogue.consultation import (
    COMMENT_MAX_LENGTH,
    QUESTIONS_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ItemSummary,
)
from oae.catalogue.models import Stance
from oae.common.input import DayField

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_DAYS_OPEN = 14


class DraftItemsField(forms.MultipleChoiceField):
    """Items of the draft ticked as "kind:code". Whether each is still in the draft is for
    the service to say (it names the ones that are not), so any value passes here."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        return True


class RoundForm(forms.Form):
    """The coordinator's round: what it asks, when, about which items of the draft. Empty
    boxes are left to the service, which says what each needs."""

    title = forms.CharField(label=_("Title"), required=False, max_length=TITLE_MAX_LENGTH)
    questions = forms.CharField(
        label=_("Questions to the offices"),
        required=False,
        max_length=QUESTIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the network wants to know. Offices answer item by item."),
    )
    opens_on = DayField(label=_("Opens on"), required=True, widget=DATE_INPUT)
    closes_on = DayField(
        label=_("Closes on"),
        required=True,
        widget=DATE_INPUT,
        help_text=_("Answers are taken until the end of this day."),
    )
    items = DraftItemsField(label=_("Items of the draft to consult"), required=False)

    def __init__(self, *args, groups: list[tuple[str, list[tuple[str, str]]]], **kwargs):
        """`groups`: (a kind's heading, [("kind:code", "title (code)"), …]) for each kind."""
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + datetime.timedelta(days=DEFAULT_DAYS_OPEN)
        self.fields["items"].choices = [choice for _label, choices in groups for choice in choices]
        self.headings = [(label, {value for value, _text in choices}) for label, choices in groups]

    def item_groups(self) -> list[tuple[str, list]]:
        """The items' checkboxes under their kind's heading."""
        boxes = list(self["items"])
        return [
            (label, [box for box in boxes if box.data["value"] in values])
            for label, values in self.headings
        ]

    def item_keys(self) -> list[tuple[str, str]]:
        return [
            tuple(value.split(":", 1)) if ":" in value else (value, "")
            for value in self.cleaned_data["items"]
        ]


class AnswerForm(forms.Form):
    """An office's answer: for each item of the round a stance and a comment (named by the
    item's place in the round), then a general comment. Whether each is given as it must be
    is for the service to say, so that its reasons land on the boxes they are about."""

    def __init__(self, *args, items: list[ItemSummary], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items):
            self.fields[f"stance_{number}"] = forms.ChoiceField(
                label=format_lazy(_("Stance on “{}”"), item.title),
                choices=Stance.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{number}"] = forms.CharField(
                label=format_lazy(_("Comment on “{}”"), item.title),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
                help_text=_("If you ask for changes or disagree, say what and why."),
            )
        self.fields["comment"] = forms.CharField(
            label=_("General comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
            help_text=_("Anything about the round as a whole (optional)."),
        )

    def rows(self) -> list[tuple[ItemSummary, forms.BoundField, forms.BoundField]]:
        return [
            (item, self[f"stance_{number}"], self[f"comment_{number}"])
            for number, item in enumerate(self.items)
        ]

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            item.key: {
                "stance": self.cleaned_data[f"stance_{number}"],
                "comment": self.cleaned_data[f"comment_{number}"],
            }
            for number, item in enumerate(self.items)
        }

    def field_of(self, problem: str) -> str | None:
        """The box a reason of the service is about ("service:crear.comment" → "comment_0")."""
        if problem == "comment":
            return "comment"
        key, _dot, part = problem.rpartition(".")
        for number, item in enumerate(self.items):
            if item.key == key and part in ("stance", "comment"):
                return f"{part}_{number}"
        return None


def refusal_on_form(form: forms.Form, error: ValidationError, field_of) -> None:
    """A service's refusal shown on the form: each reason on the box `field_of` names for the
    service's key, else on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, reasons in error.error_dict.items():
        field = field_of(name)
        form.add_error(field if field in form.fields else None, reasons)
