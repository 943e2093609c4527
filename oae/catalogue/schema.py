"""What each kind of item in the network model holds: its fields, which are translated,
required, references to other items, and which an office may override.

Items are versioned documents (JSON content), so one schema drives the edit forms, publishing
validation, version differences, office overrides and the public pages alike.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

LANGUAGES = ("ca", "es", "en")
REQUIRED_LANGUAGE = "ca"


class Kind(StrEnum):
    SERVICE = "service"
    PROCEDURE = "procedure"
    PROCESS = "process"
    GUIDE = "guide"


KIND_LABELS = {
    Kind.SERVICE: _("service"),
    Kind.PROCEDURE: _("procedure"),
    Kind.PROCESS: _("process"),
    Kind.GUIDE: _("methodology guide"),
}
KIND_PLURALS = {
    Kind.SERVICE: _("Services"),
    Kind.PROCEDURE: _("Procedures"),
    Kind.PROCESS: _("Processes"),
    Kind.GUIDE: _("Methodology guides"),
}


class FieldType(StrEnum):
    TEXT = "text"  # one plain string
    I18N = "i18n"  # {"ca": ..., "es": ..., "en": ...}
    I18N_MARKDOWN = "i18n_markdown"  # translated Markdown, rendered safely
    I18N_LINES = "i18n_lines"  # translated list: one entry per line
    CHOICES = "choices"  # list of values from `choices`
    CATEGORY = "category"  # key of a Category
    REF = "ref"  # code of one item of `ref_kind`
    REFS = "refs"  # codes of items of `ref_kind`
    RESOURCES = "resources"  # codes of resource-library files
    URLS = "urls"  # list of links, one per line
    NUMBER = "number"  # whole number
    STEPS = "steps"  # process steps (see STEP_FIELDS)


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    type: FieldType
    required: bool = False
    ref_kind: Kind | None = None
    choices: tuple[tuple[str, object], ...] = ()
    overridable: bool = False  # an office may replace the network's value
    local_only: bool = False  # only offices fill it (practical details)
    help_text: object = ""

    @property
    def translated(self) -> bool:
        return self.type in (FieldType.I18N, FieldType.I18N_MARKDOWN, FieldType.I18N_LINES)


CHANNELS = (
    ("in_person", _("in person")),
    ("phone", _("phone")),
    ("video", _("video call")),
    ("online", _("online")),
)
STEP_ROLES = (
    ("advisor", _("advisor")),
    ("manager", _("office manager")),
    ("citizen", _("the client")),
)

_PRACTICAL = (
    Field("contact", _("Contact"), FieldType.I18N, overridable=True, local_only=True),
    Field(
        "schedule",
        _("When"),
        FieldType.I18N,
        overridable=True,
        local_only=True,
        help_text=_("Days and hours this service is offered at the office."),
    ),
    Field(
        "capacity",
        _("Capacity"),
        FieldType.I18N,
        overridable=True,
        local_only=True,
        help_text=_("For example: 12 places per workshop, 4 new clients a week."),
    ),
    Field(
        "local_notes", _("Local notes"), FieldType.I18N_MARKDOWN, overridable=True, local_only=True
    ),
)

SCHEMAS: dict[Kind, tuple[Field, ...]] = {
    Kind.SERVICE: (
        Field("name", _("Name"), FieldType.I18N, required=True, overridable=True),
        Field("summary", _("Summary"), FieldType.I18N, required=True, overridable=True),
        Field("description", _("Description"), FieldType.I18N_MARKDOWN, overridable=True),
        Field("category", _("Category"), FieldType.CATEGORY, required=True),
        Field("audience", _("Who it is for"), FieldType.I18N, overridable=True),
        Field("channels", _("Channels"), FieldType.CHOICES, choices=CHANNELS, overridable=True),
        Field("duration", _("Expected duration"), FieldType.I18N, overridable=True),
        Field("process", _("Process it follows"), FieldType.REF, ref_kind=Kind.PROCESS),
        Field("guides", _("Methodology guides"), FieldType.REFS, ref_kind=Kind.GUIDE),
        Field("resources", _("Resources"), FieldType.RESOURCES),
        Field("outcomes", _("Outcomes it aims for"), FieldType.I18N_LINES, overridable=True),
        *_PRACTICAL,
    ),
    Kind.PROCEDURE: (
        Field("name", _("Name"), FieldType.I18N, required=True, overridable=True),
        Field("summary", _("Summary"), FieldType.I18N, required=True, overridable=True),
        Field("steps", _("Steps"), FieldType.I18N_LINES, overridable=True),
        Field("handled_by", _("Who handles it"), FieldType.I18N, overridable=True),
        Field("documents", _("Documents"), FieldType.I18N_LINES, overridable=True),
        Field("typical_cost", _("Typical cost"), FieldType.I18N, overridable=True),
        Field("typical_time", _("Typical time"), FieldType.I18N, overridable=True),
        Field("links", _("Links"), FieldType.URLS, overridable=True),
    ),
    Kind.PROCESS: (
        Field("name", _("Name"), FieldType.I18N, required=True),
        Field("summary", _("Summary"), FieldType.I18N, required=True),
        Field("steps", _("Steps"), FieldType.STEPS, required=True),
    ),
    Kind.GUIDE: (
        Field("title", _("Title"), FieldType.I18N, required=True),
        Field("summary", _("Summary"), FieldType.I18N),
        Field("body", _("Text"), FieldType.I18N_MARKDOWN, required=True),
        Field("tags", _("Tags"), FieldType.TEXT, help_text=_("Comma-separated.")),
        Field("resources", _("Resources"), FieldType.RESOURCES),
    ),
}

# A process step, as stored inside a process's "steps" list. `id` never changes once
# published, so cases can point at a step across versions.
STEP_FIELDS: tuple[Field, ...] = (
    Field("name", _("Step"), FieldType.I18N, required=True),
    Field("checklist", _("Checklist"), FieldType.I18N_LINES),
    Field("documents", _("Required documents"), FieldType.I18N_LINES),
    Field("role", _("Done by"), FieldType.CHOICES, choices=STEP_ROLES),
    Field("target_days", _("Target time (days)"), FieldType.NUMBER),
    Field("guides", _("Guides"), FieldType.REFS, ref_kind=Kind.GUIDE),
    Field("resources", _("Resources"), FieldType.RESOURCES),
)

TITLE_FIELD = {
    Kind.SERVICE: "name",
    Kind.PROCEDURE: "name",
    Kind.PROCESS: "name",
    Kind.GUIDE: "title",
}


def fields_of(kind: Kind, *, network_only: bool = False) -> tuple[Field, ...]:
    fields = SCHEMAS[kind]
    return tuple(f for f in fields if not f.local_only) if network_only else fields


def field_of(kind: Kind, name: str) -> Field:
    return next(f for f in SCHEMAS[kind] if f.name == name)


def overridable_fields(kind: Kind) -> tuple[Field, ...]:
    return tuple(f for f in SCHEMAS[kind] if f.overridable)


@dataclass
class Problem:
    """One thing to fix before publishing, said so a coordinator can act on it."""

    kind: Kind
    code: str
    message: str
    field: str = ""
