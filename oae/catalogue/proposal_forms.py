"""Forms of the proposals to the model: the item's fields as they would read (the draft
editor's schema form), the reason, evidence, comments, supports, the network's decision, the
merge of a proposal into the draft, and the list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oae.catalogue.forms import SchemaForm
from oae.catalogue.models import CODE_MAX_LENGTH, ProposalState
from oae.catalogue.proposals import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from oae.catalogue.schema import Kind, fields_of
from oae.common.input import PageField, QueryForm, SearchField


class OfficeChoiceMixin:
    """Whom the user speaks for: the only office, or a choice among theirs."""

    def add_office_field(self, offices) -> None:
        self.offices = {office.pk: office for office in offices}
        self.fields["office"] = forms.TypedChoiceField(
            label=_("On behalf of"),
            coerce=int,
            choices=[(office.pk, office.name) for office in offices],
            initial=offices[0].pk if offices else None,
        )
        if len(offices) == 1:
            self.fields["office"].widget = forms.HiddenInput()

    def chosen_office(self):
        return self.offices[self.cleaned_data["office"]]


class ProposalForm(OfficeChoiceMixin, SchemaForm):
    """The fields of the item as the office would have them read, and why."""

    reason = forms.CharField(
        label=_("Why should the network change it?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your clients or your office have seen; other offices read it."),
    )

    def __init__(
        self, *args, kind: Kind, content: dict, offices=None, new_item: bool = False, **kwargs
    ):
        super().__init__(
            *args, schema_fields=fields_of(kind, network_only=True), content=content, **kwargs
        )
        if new_item:
            self.fields["code"] = forms.SlugField(
                label=_("Code"),
                max_length=CODE_MAX_LENGTH,
                help_text=_("Letters, digits and hyphens, e.g. relleu-generacional."),
            )
            self.order_fields(["code"])
        if offices is not None:
            self.add_office_field(offices)
        self.order_fields(["office", *([] if not new_item else ["code"])])


class EvidenceForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=500)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, image (PNG, JPEG) or document (Word, Excel, ODT, ODS); 10 MB at most."),
    )

    def clean(self):
        data = super().clean()
        if not (data.get("note") or data.get("url") or data.get("file")):
            raise forms.ValidationError(_("Add a note, a link or a file."))
        return data


class CommentForm(OfficeChoiceMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text; Markdown for **bold**, *italics*, lists and links."),
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_office_field(offices)
        self.order_fields(["office", "body"])


class SupportForm(OfficeChoiceMixin, forms.Form):
    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_office_field(offices)


DECISION_CHOICES = [
    (ProposalState.UNDER_REVIEW, ProposalState.UNDER_REVIEW.label),
    (ProposalState.ACCEPTED, ProposalState.ACCEPTED.label),
    (ProposalState.ACCEPTED_WITH_CHANGES, ProposalState.ACCEPTED_WITH_CHANGES.label),
    (ProposalState.DECLINED, ProposalState.DECLINED.label),
    (ProposalState.OPEN, _("open again")),
]


class DecisionForm(forms.Form):
    state = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    note = forms.CharField(
        label=_("The network's reason"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to decline, or to accept with changes; the offices read it."),
    )


class MergeForm(forms.Form):
    """For each conflict, keep the draft's text (ticked) or take the proposal's."""

    def __init__(self, *args, conflicts, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for field in conflicts:
            self.fields[f"keep__{field.name}"] = forms.TypedChoiceField(
                label=labels.get(field.name, field.name),
                choices=[("proposal", _("the proposal's text")), ("draft", _("the draft's text"))],
                initial="proposal",
                widget=forms.RadioSelect,
            )

    def keep_draft(self) -> set[str]:
        return {
            name.removeprefix("keep__")
            for name, value in self.cleaned_data.items()
            if value == "draft"
        }


class ProposalListQueryForm(QueryForm):
    state = forms.ChoiceField(
        required=False,
        initial="live",
        choices=[("", ""), ("live", "live"), *ProposalState.choices],
    )
    kind = forms.ChoiceField(
        required=False, choices=[("", ""), *((k.value, k.value) for k in Kind)]
    )
    search = SearchField(max_length=100)
    page = PageField()
