"""Forms of the opening pages: the board's filters, starting a path, evidence, agreements,
yearly reviews, municipal contacts and the playbook's draft."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oae.catalogue.content import text
from oae.common.concurrency import VersionedForm, VersionField
from oae.common.input import FlagField, QueryForm, SearchField
from oae.network.models import Municipality, Office
from oae.opening import facts, playbook
from oae.opening.models import NOTE_MAX_LENGTH, URL_MAX_LENGTH, Agreement, Review, ReviewAction

FIRST_YEAR, LAST_YEAR = 2000, 2100
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoardQueryForm(QueryForm):
    """The board's filters: a stage, only what needs attention, a town's name."""

    stage = forms.CharField(required=False, max_length=40)
    attention = FlagField(label=_("Only what needs attention"))
    q = SearchField(label=_("Municipality"))


class PathStartForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.filter(opening_path__isnull=True).order_by("name"),
    )
    started_on = forms.DateField(label=_("First contact on"), widget=DATE_INPUT)


class PathOfficeForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"), required=False, queryset=Office.objects.none()
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(municipality=municipality).order_by(
            "name"
        )


class EvidenceForm(forms.Form):
    item = forms.CharField(max_length=40, widget=forms.HiddenInput)
    file = forms.FileField(label=_("Document"), required=False)
    url = forms.URLField(
        label=pgettext_lazy("evidence", "Link"),
        required=False,
        max_length=URL_MAX_LENGTH,
        assume_scheme="https",
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    item = forms.CharField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why it is open again"), max_length=300)


class AgreementForm(forms.ModelForm):
    file = forms.FileField(label=_("The signed agreement (PDF)"))
    term_months = forms.IntegerField(
        label=_("term (months)"),
        min_value=1,
        max_value=120,
        error_messages={
            "min_value": _("The term is from 1 to 120 months."),
            "max_value": _("The term is from 1 to 120 months."),
        },
    )

    class Meta:
        model = Agreement
        fields = [
            "parties",
            "signed_on",
            "term_months",
            "renewal_on",
            "network_obligations",
            "municipality_obligations",
        ]
        widgets = {
            "signed_on": DATE_INPUT,
            "renewal_on": DATE_INPUT,
            "parties": forms.Textarea(attrs={"rows": 2}),
            "network_obligations": forms.Textarea(attrs={"rows": 4}),
            "municipality_obligations": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        """Dates out of order are said on the renewal's field (the service says it too)."""
        cleaned = super().clean()
        signed, renewal = cleaned.get("signed_on"), cleaned.get("renewal_on")
        if signed and renewal and renewal <= signed:
            self.add_error("renewal_on", _("The renewal date must come after the signature."))
        return cleaned

    def agreement_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NewAgreementForm(AgreementForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name")
    )

    field_order = ["municipality"]


class ReviewOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year reviewed"), min_value=FIRST_YEAR, max_value=LAST_YEAR)


class ReviewMeetingForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["met_on", "attendees", "findings"]
        widgets = {
            "met_on": DATE_INPUT,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_on"].required = True


class ReviewActionForm(forms.ModelForm):
    class Meta:
        model = ReviewAction
        fields = ["title", "owner", "due_on"]
        widgets = {"due_on": DATE_INPUT}


class ActionDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class ContactInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)


# The playbook's draft ---------------------------------------------------------------------

LANGUAGE_NAMES = {"ca": _("Catalan"), "es": _("Spanish"), "en": _("English")}


def _translated_fields(form, name: str, label, *, required_ca: bool, widget=None) -> None:
    for language in playbook.LANGUAGES:
        form.fields[f"{name}_{language}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[language]})",
            required=required_ca and language == "ca",
            max_length=300,
            widget=widget,
        )


def _translated(cleaned: dict, name: str) -> dict:
    return {
        language: cleaned.get(f"{name}_{language}", "").strip() for language in playbook.LANGUAGES
    }


class DraftForm(VersionedForm, forms.Form):
    lock_version = VersionField()


class PlaybookItemForm(DraftForm):
    """An item of the draft: its words in three languages, who does it, its target and the
    evidence that completes it."""

    stage = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    item = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    owner = forms.ChoiceField(label=_("Who does it"), choices=list(playbook.OWNERS.items()))
    target_days = forms.IntegerField(
        label=_("Target (days from the stage's start)"),
        min_value=1,
        max_value=playbook.MAX_TARGET_DAYS,
    )
    evidence = forms.ChoiceField(
        label=_("Completed by"), choices=list(playbook.EVIDENCE_KINDS.items())
    )
    fact = forms.ChoiceField(label=_("The fact (for an item completed by a fact)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translated_fields(self, "title", _("Title"), required_ca=True)
        _translated_fields(
            self, "why", _("Why"), required_ca=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["fact"].choices = [("", "—")] + [
            (code, fact.label) for code, fact in facts.FACTS.items()
        ]
        self.order_fields(
            [
                "title_ca",
                "title_es",
                "title_en",
                "why_ca",
                "why_es",
                "why_en",
                "owner",
                "target_days",
                "evidence",
                "fact",
            ]
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("evidence") == "fact" and not cleaned.get("fact"):
            self.add_error("fact", _("Choose the fact that completes the item."))
        if cleaned.get("evidence") not in (None, "fact"):
            cleaned["fact"] = ""
        return cleaned

    def item_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": _translated(data, "title"),
            "why": _translated(data, "why"),
            "owner": data["owner"],
            "target_days": data["target_days"],
            "evidence": data["evidence"],
            "fact": data["fact"],
        }

    @staticmethod
    def initial_for(item: dict) -> dict:
        initial = {name: item[name] for name in ("owner", "target_days", "evidence", "fact")}
        for name in ("title", "why"):
            for language in playbook.LANGUAGES:
                initial[f"{name}_{language}"] = item.get(name, {}).get(language, "")
        return initial


class StageForm(DraftForm):
    stage = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _translated_fields(self, "name", _("Stage"), required_ca=True)

    def name(self) -> dict:
        return _translated(self.cleaned_data, "name")


class RemoveItemForm(DraftForm):
    item = forms.CharField(max_length=40)
    confirm = forms.BooleanField(label=_("Yes, remove it from the draft"))


class StallForm(DraftForm):
    stall_days = forms.IntegerField(
        label=_("A path is stalled after this many days without new evidence"),
        min_value=1,
        max_value=playbook.MAX_STALL_DAYS,
    )


class PublishForm(forms.Form):
    changelog = forms.CharField(
        label=_("What changed (offices and municipalities read it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def stage_choices(content: dict) -> list[tuple[str, str]]:
    return [(s["key"], text(s["name"])) for s in playbook.stages(content)]
