"""Forms built from the item schemas: draft items, process steps, office overrides, local
items, municipal variants, publishing, resources."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from oae.catalogue import selectors
from oae.catalogue.models import CODE_MAX_LENGTH, Category, DraftItem, Resource
from oae.catalogue.schema import (
    LANGUAGES,
    REQUIRED_LANGUAGE,
    STEP_FIELDS,
    Field,
    FieldType,
    Kind,
    fields_of,
    overridable_fields,
)
from oae.common.concurrency import VersionedForm, VersionField
from oae.common.input import FlagField, QueryForm, RecordIdField, SearchField

LANGUAGE_NAMES = {"ca": _("Catalan"), "es": _("Spanish"), "en": _("English")}
_SHORT = {"name", "title", "typical_cost", "typical_time", "duration", "handled_by"}


def _form_fields(field: Field, *, required_ca: bool) -> dict[str, forms.Field]:
    """Django form fields for one schema field (translated fields give one per language)."""
    if field.translated:
        widget = (
            forms.TextInput
            if field.name in _SHORT and field.type == FieldType.I18N
            else forms.Textarea(attrs={"rows": 6 if field.type != FieldType.I18N else 2})
        )
        help_text = (
            _("One per line.")
            if field.type == FieldType.I18N_LINES
            else (
                _("Markdown: **bold**, *italics*, lists with -, links [text](https://…).")
                if field.type == FieldType.I18N_MARKDOWN
                else field.help_text
            )
        )
        return {
            f"{field.name}__{lang}": forms.CharField(
                label=format_lazy("{} ({})", field.label, LANGUAGE_NAMES[lang]),
                required=required_ca and field.required and lang == REQUIRED_LANGUAGE,
                widget=widget,
                help_text=help_text if lang == REQUIRED_LANGUAGE else "",
            )
            for lang in LANGUAGES
        }
    common = {
        "label": field.label,
        "required": required_ca and field.required,
        "help_text": field.help_text,
    }
    if field.type == FieldType.TEXT:
        return {field.name: forms.CharField(max_length=300, **common)}
    if field.type == FieldType.NUMBER:
        return {field.name: forms.IntegerField(min_value=0, max_value=3650, **common)}
    if field.type == FieldType.URLS:
        return {
            field.name: forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                **common | {"help_text": _("One link per line.")},
            )
        }
    if field.type == FieldType.CHOICES:
        return {
            field.name: forms.MultipleChoiceField(
                choices=field.choices, widget=forms.CheckboxSelectMultiple, **common
            )
        }
    if field.type == FieldType.CATEGORY:
        choices = [("", "—")] + [(c.key, str(c)) for c in selectors.categories()]
        return {field.name: forms.ChoiceField(choices=choices, **common)}
    if field.type == FieldType.REF:
        return {
            field.name: forms.ChoiceField(
                choices=[("", "—")] + selectors.draft_reference_choices(field.ref_kind),
                **common,
            )
        }
    if field.type == FieldType.REFS:
        return {
            field.name: forms.MultipleChoiceField(
                choices=selectors.draft_reference_choices(field.ref_kind),
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        }
    if field.type == FieldType.RESOURCES:
        choices = selectors.resource_choices()
        return {
            field.name: forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        }
    return {}


def _initial(field: Field, value) -> dict:
    if field.translated:
        value = value or {}
        return {
            f"{field.name}__{lang}": (
                "\n".join(value.get(lang) or [])
                if field.type == FieldType.I18N_LINES
                else value.get(lang, "")
            )
            for lang in LANGUAGES
        }
    if field.type == FieldType.URLS:
        return {field.name: "\n".join(value or [])}
    return {field.name: value}


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


def _value(field: Field, cleaned: dict):
    if field.translated:
        raw = {lang: cleaned.get(f"{field.name}__{lang}", "") or "" for lang in LANGUAGES}
        if field.type == FieldType.I18N_LINES:
            return {lang: _lines(text) for lang, text in raw.items()}
        return {lang: text.strip() for lang, text in raw.items()}
    value = cleaned.get(field.name)
    if field.type == FieldType.URLS:
        return _lines(value)
    if field.type in (FieldType.CHOICES, FieldType.REFS, FieldType.RESOURCES):
        return list(value or [])
    return value if value not in (None, "") else ("" if field.type != FieldType.NUMBER else None)


class SchemaForm(VersionedForm, forms.Form):
    """A form for a list of schema fields; `content()` gives the JSON to store. Given the
    version it edits (`initial["lock_version"]`), a POST must send it back."""

    lock_version = VersionField()

    def __init__(
        self,
        *args,
        schema_fields: tuple[Field, ...],
        content: dict | None = None,
        required_ca: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.schema_fields = schema_fields
        for field in schema_fields:
            self.fields.update(_form_fields(field, required_ca=required_ca))
            self.initial.update(_initial(field, (content or {}).get(field.name)))
        if self.initial.get("lock_version") is not None:
            self.require_version(self.initial["lock_version"])

    def clean(self):
        cleaned = super().clean()
        validate = URLValidator(schemes=["http", "https"])
        for field in self.schema_fields:
            if field.type == FieldType.URLS:
                for link in _lines(cleaned.get(field.name, "")):
                    try:
                        validate(link)
                    except ValidationError:
                        self.add_error(
                            field.name,
                            _("“%(link)s” is not a web address (https://…).") % {"link": link},
                        )
        return cleaned

    def content(self) -> dict:
        return {field.name: _value(field, self.cleaned_data) for field in self.schema_fields}

    def field_groups(self):
        """(schema field, [bound fields]) pairs, for templates that group languages."""
        for field in self.schema_fields:
            names = [n for n in self.fields if n == field.name or n.startswith(field.name + "__")]
            yield field, [self[n] for n in names]


class DraftItemForm(SchemaForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_(
            "Stable identifier: letters, digits and hyphens, e.g. creacio-empresa. "
            "It cannot change once published."
        ),
    )

    def __init__(self, *args, kind: Kind, item: DraftItem | None = None, **kwargs):
        super().__init__(
            *args,
            schema_fields=fields_of(kind, network_only=True),
            content=item.content if item else None,
            **kwargs,
        )
        self.order_fields(["code"])
        if item is not None:
            self.fields["code"].disabled = True
            self.initial["code"] = item.code
            self.require_version(item.lock_version)


class StepForm(SchemaForm):
    id = forms.SlugField(
        label=_("Step identifier"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("Never changes once published; cases point at it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("schema_fields", STEP_FIELDS)
        super().__init__(*args, **kwargs)
        self.order_fields(["id"])
        del self.fields["lock_version"]

    def content(self) -> dict:
        return {"id": self.cleaned_data["id"], **super().content()}


class BaseStepFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and self.initial and index < len(self.initial):
            kwargs["content"] = self.initial[index]
        return kwargs

    def clean(self):
        ids = [
            f.cleaned_data.get("id")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if len(ids) != len(set(ids)):
            raise ValidationError(_("Two steps have the same identifier."))

    def steps(self) -> list[dict]:
        return [
            f.content()
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


# A process longer than this is a mistake; more forms are refused before any is built.
MAX_STEPS = 50
StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=MAX_STEPS,
    absolute_max=MAX_STEPS,
)


class OverrideForm(SchemaForm):
    """The office's own wording and practical details; an empty box keeps the network's,
    which is shown under each box."""

    def __init__(self, *args, kind: Kind, overrides: dict, network: dict, **kwargs):
        super().__init__(
            *args,
            schema_fields=overridable_fields(kind),
            content=overrides,
            required_ca=False,
            **kwargs,
        )
        for field in self.schema_fields:
            for name in self.fields:
                if name == field.name or name.startswith(field.name + "__"):
                    self.fields[name].help_text = _network_hint(field, name, network)


def _network_hint(field: Field, form_name: str, network: dict) -> str:
    value = network.get(field.name)
    if field.translated:
        value = (value or {}).get(form_name.rsplit("__", 1)[-1])
    if field.type == FieldType.CHOICES:
        labels = dict(field.choices)
        value = [str(labels.get(v, v)) for v in value or []]
    if isinstance(value, list):
        value = "; ".join(value)
    if not value:
        return str(_("The network leaves this empty.")) if not field.local_only else ""
    value = value if len(value) <= 240 else value[:240] + "…"
    return format_lazy("{} {}", _("Network:"), value)


class LocalItemForm(SchemaForm):
    code = forms.SlugField(label=_("Code"), max_length=CODE_MAX_LENGTH)

    def __init__(
        self, *args, kind: Kind, content: dict | None = None, editing: bool = False, **kwargs
    ):
        fields = tuple(
            f
            for f in fields_of(kind)
            if f.type not in (FieldType.REF, FieldType.REFS, FieldType.RESOURCES)
        )
        super().__init__(*args, schema_fields=fields, content=content, **kwargs)
        self.order_fields(["code"])
        if editing:
            self.fields["code"].disabled = True


class PublishForm(forms.Form):
    changelog = forms.CharField(
        label=_("Changelog"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What changed in this version, for the offices that will take it up."),
    )


class VariantForm(VersionedForm, forms.Form):
    lock_version = VersionField()
    local_form_url = forms.URLField(
        label=_("Local form (link)"), required=False, assume_scheme="https"
    )

    TRANSLATED = (
        ("where", _("Where")),
        ("local_fee", _("Local fee")),
        ("local_time", _("Local time")),
        ("notes", _("Notes")),
    )

    def __init__(self, *args, variant=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.TRANSLATED:
            for lang in LANGUAGES:
                self.fields[f"{name}__{lang}"] = forms.CharField(
                    label=format_lazy("{} ({})", label, LANGUAGE_NAMES[lang]),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                if variant is not None:
                    self.initial[f"{name}__{lang}"] = getattr(variant, name).get(lang, "")
        if variant is not None:
            self.initial["local_form_url"] = variant.local_form_url
            self.require_version(variant.lock_version)

    def variant_data(self) -> dict:
        data = {
            name: {lang: self.cleaned_data[f"{name}__{lang}"].strip() for lang in LANGUAGES}
            for name, _label in self.TRANSLATED
        }
        data["local_form_url"] = self.cleaned_data["local_form_url"]
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["key", "name_ca", "name_es", "name_en", "position"]


class ResourceForm(forms.ModelForm):
    file = forms.FileField(label=_("File"), required=False)
    note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    class Meta:
        model = Resource
        fields = ["code", "title", "description", "tags"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


# Query strings, and what a page posts that nobody types (read with `oae.common.input`) --------


class CatalogueSearchForm(QueryForm):
    search = SearchField(max_length=100)


class ModelHomeQueryForm(CatalogueSearchForm):
    kind = forms.ChoiceField(
        required=False, choices=[("", ""), *((k.value, k.value) for k in Kind)]
    )


class PublicSearchForm(QueryForm):
    q = SearchField(max_length=100)


class PreviewQueryForm(QueryForm):
    lang = forms.ChoiceField(
        required=False, choices=[("", ""), *((lang, lang) for lang in LANGUAGES)]
    )


class CompareQueryForm(QueryForm):
    """The two published versions compared, by number (the latest when none)."""

    to = forms.IntegerField(required=False, min_value=1, max_value=10**9)


# "from" is a Python keyword: the field is declared by its name.
CompareQueryForm.base_fields["from"] = forms.IntegerField(
    required=False, min_value=1, max_value=10**9
)


class ArchiveForm(forms.Form):
    archive = FlagField()


class RevisionForm(forms.Form):
    revision = RecordIdField(required=True)


class ToggleForm(forms.Form):
    enabled = FlagField()


class ItemKeysField(forms.Field):
    """Items named "kind:code" (the ticked boxes of one name); others are left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[tuple[str, str]]:
        return [tuple(key.split(":", 1)) for key in value or [] if ":" in key]


class TakeUpForm(forms.Form):
    """Which updates an office takes up (every one, or those ticked), and whether the network's
    new wording replaces the office's own."""

    all = FlagField()
    item = ItemKeysField(required=False)
    use_network_wording = FlagField()
