"""Job profiles for recruiting: the network's wording of each job (its mission, tasks and
requirements, in Catalan, Spanish and English; its competences are the job's requirements in
the framework), each office's adaptation of it and the PDF an office attaches to its
recruitment call.

An office rewords a field as it adapts a catalogue item: an empty box, or the network's own
text, keeps the network's wording; each reworded field remembers the network's wording it was
written against, so when the network later changes that field the office sees a conflict and
settles it — keeping its wording or taking the network's. Coordinators edit the network's
wording; an office's managers adapt their office's; its staff read and download it."""

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from oae.common.concurrency import save_with_version
from oae.network.models import JobRole, Office
from oae.privacy.services import audit_record
from oae.scoping import OFFICE_ROLE_ACTIONS, Action, active_memberships, can, scoped_or_404
from oae.training.models import (
    MAX_LEVEL,
    PROFILE_FIELDS,
    JobProfile,
    OfficeJobProfile,
    RoleRequirement,
)
from oae.training.services import framework_data

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # ca, es, en: the fallback order
TEXT_MAX_LENGTH = 4000
LIST_FIELDS = frozenset({"tasks", "requirements"})  # one item a line
FIELD_LABELS = {
    "mission": gettext_lazy("Mission"),
    "tasks": gettext_lazy("Tasks"),
    "requirements": gettext_lazy("Requirements"),
}


# Rules ------------------------------------------------------------------------------------


def clean_text(value) -> str:
    """A text as it is kept: lines ended by "\\n", no spaces at their ends, none around it."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def in_language(value, language: str) -> str:
    """The network's text in `language`, else the first it has of Catalan, Spanish, English."""
    texts = value if isinstance(value, dict) else {}
    for candidate in (language, *LANGUAGES):
        text = texts.get(candidate)
        if isinstance(text, str) and text.strip():
            return text
    return ""


def is_network_wording(text: str, value) -> bool:
    """Whether `text` says what the network's wording says in one of its languages (line
    endings and spaces at the ends of lines aside): such a text is not the office's own."""
    cleaned = clean_text(text)
    texts = value.values() if isinstance(value, dict) else ()
    return any(cleaned == clean_text(network) for network in texts if network)


def effective_text(profile: JobProfile, overrides: dict, field: str, language: str) -> str:
    """What the office's version says of `field`: its own wording, else the network's."""
    return overrides.get(field) or in_language(getattr(profile, field), language)


def conflicts(profile: JobProfile, adaptation: OfficeJobProfile | None) -> list[str]:
    """The fields the office reworded whose network wording changed since it wrote its own."""
    if adaptation is None:
        return []
    return [
        field
        for field in PROFILE_FIELDS
        if field in adaptation.overrides
        and adaptation.based_on.get(field) != getattr(profile, field)
    ]


def items(text: str) -> list[str]:
    """The lines of a list field (tasks, requirements), each an item; a leading dash or bullet
    dropped (lists are often pasted that way)."""
    found = (line.strip().lstrip("-•*·").strip() for line in (text or "").splitlines())
    return [item for item in found if item]


def job_title(role: str) -> str:
    return str(JobRole(role).label)


# Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    """A field of a profile as a page or the PDF shows it."""

    name: str
    label: str
    text: str  # what it says: the office's wording, else the network's in the language
    network: str  # the network's wording in the language
    own: str = ""  # the office's wording ("" when it keeps the network's)
    conflict: bool = False
    network_before: str = ""  # with a conflict: the network's wording the office's answered

    @property
    def is_list(self) -> bool:
        return self.name in LIST_FIELDS

    @property
    def items(self) -> list[str]:
        return items(self.text)

    @property
    def network_items(self) -> list[str]:
        return items(self.network)


@dataclass(frozen=True)
class ProfileView:
    profile: JobProfile
    title: str
    fields: list[FieldView]
    adaptation: OfficeJobProfile | None = None

    @property
    def role(self) -> str:
        return self.profile.role

    @property
    def conflicts(self) -> list[FieldView]:
        return [field for field in self.fields if field.conflict]

    @property
    def reworded(self) -> list[FieldView]:
        return [field for field in self.fields if field.own]


def _order(profile: JobProfile) -> int:
    return list(JobRole.values).index(profile.role)


def network_view(profile: JobProfile, language: str) -> ProfileView:
    fields = [
        FieldView(name, str(FIELD_LABELS[name]), text, text)
        for name in PROFILE_FIELDS
        for text in [in_language(getattr(profile, name), language)]
    ]
    return ProfileView(profile, job_title(profile.role), fields)


def network_profiles(language: str) -> list[ProfileView]:
    """The network's profiles, one a job, in the jobs' order (manager, advisor, front desk)."""
    return [
        network_view(profile, language) for profile in sorted(JobProfile.objects.all(), key=_order)
    ]


def get_profile_or_404(role: str) -> JobProfile:
    profile = JobProfile.objects.filter(role=role).first()
    if profile is None:
        raise Http404("No such job profile")
    return profile


def adaptation_of(office: Office, profile: JobProfile) -> OfficeJobProfile:
    """The office's adaptation, or an empty one not yet saved: version 1, the version the
    first adaptation is written against."""
    found = OfficeJobProfile.objects.filter(office=office, profile=profile).first()
    if found is None:
        return OfficeJobProfile(office=office, profile=profile)
    found.office, found.profile = office, profile  # as the caller read them (the town too)
    return found


def current_language() -> str:
    """The request's language, as the profiles are written in (ca, es or en)."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in LANGUAGES else LANGUAGES[0]


def office_view(adaptation: OfficeJobProfile, language: str) -> ProfileView:
    """The office's version of the profile: its wording where it reworded, the network's
    elsewhere; the conflicts with the network's wording then and now."""
    profile = adaptation.profile
    conflicting = conflicts(profile, adaptation)
    fields = []
    for name in PROFILE_FIELDS:
        network = in_language(getattr(profile, name), language)
        own = adaptation.overrides.get(name, "")
        before = adaptation.based_on.get(name) if name in conflicting else None
        fields.append(
            FieldView(
                name,
                str(FIELD_LABELS[name]),
                own or network,
                network,
                own,
                name in conflicting,
                in_language(before, language) if before else "",
            )
        )
    return ProfileView(profile, job_title(profile.role), fields, adaptation)


@dataclass(frozen=True)
class CompetenceNeed:
    code: str
    name: str
    level: int
    level_name: str


def competences_of(profile: JobProfile, language: str) -> list[CompetenceNeed]:
    """The competences the job requires, with the level, named in the language."""
    levels = {row["number"]: row["name"] for row in framework_data()["levels"]}
    requirements = RoleRequirement.objects.filter(role=profile.role).select_related("competence")
    return [
        CompetenceNeed(
            r.competence.code,
            in_language(r.competence.name, language),
            r.level,
            in_language(levels.get(r.level), language),
        )
        for r in requirements
    ]


@dataclass(frozen=True)
class OfficeRow:
    office: Office
    reworded: list[str]  # the labels of the fields it reworded
    conflicts: int
    may_adapt: bool


def office_rows(user, profile: JobProfile) -> list[OfficeRow]:
    """The offices whose version of the profile the user may open, by name: what each
    reworded and how many conflicts it has to settle."""
    offices = list(offices_for_profiles(user).order_by("name"))
    adaptations = {
        adaptation.office_id: adaptation
        for adaptation in OfficeJobProfile.objects.filter(
            profile=profile, office_id__in=[office.pk for office in offices]
        )
    }
    rows = []
    for office in offices:
        adaptation = adaptations.get(office.pk)
        overrides = adaptation.overrides if adaptation else {}
        rows.append(
            OfficeRow(
                office,
                [str(FIELD_LABELS[name]) for name in PROFILE_FIELDS if name in overrides],
                len(conflicts(profile, adaptation)),
                may_adapt(user, office),
            )
        )
    return rows


# Who may ----------------------------------------------------------------------------------


def may_edit_network_wording(user) -> bool:
    return can(user, Action.MANAGE_TRAINING)


def offices_for_profiles(user) -> QuerySet[Office]:
    """The offices whose version of the profiles the user reads and downloads: every member
    of an office's staff their office's; coordinators every office's."""
    offices = Office.objects.select_related("municipality")
    if may_edit_network_wording(user):
        return offices
    return offices.filter(pk__in=[membership.office_id for membership in active_memberships(user)])


def get_office_or_404(user, public_id) -> Office:
    """The same 404 for an office that does not exist and one that is not the user's."""
    return scoped_or_404(user, offices_for_profiles(user), public_id)


def may_adapt(user, office: Office) -> bool:
    """The office's own managers (they manage its staff) adapt its profiles. Not the network's
    roles: they write the network's wording, and a recruitment call is the office's."""
    return any(
        membership.office_id == office.pk
        and Action.MANAGE_STAFF in OFFICE_ROLE_ACTIONS.get(membership.role, frozenset())
        for membership in active_memberships(user)
    )


# Writes -----------------------------------------------------------------------------------


@transaction.atomic
def job_profile_update(
    *, actor, profile: JobProfile, data: dict, expected_version: int | None
) -> JobProfile:
    """The network's wording of a job: `data` maps each field to its text by language, and
    every field is written in every language (offices read it in theirs). Refused with
    `EditConflict` when someone saved the profile after `expected_version` was read."""
    problems: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for field in PROFILE_FIELDS:
        given = data.get(field) if isinstance(data.get(field), dict) else {}
        values[field] = {language: clean_text(given.get(language)) for language in LANGUAGES}
        for language, text in values[field].items():
            if not text:
                problems[f"{field}_{language}"] = _(
                    "Write it in each of the three languages: offices read it in theirs."
                )
            elif len(text) > TEXT_MAX_LENGTH:
                problems[f"{field}_{language}"] = _(
                    "At most %(max)s characters: keep it to what a recruitment call needs."
                ) % {"max": TEXT_MAX_LENGTH}
    if problems:
        raise ValidationError(problems)
    changed = [field for field in PROFILE_FIELDS if values[field] != getattr(profile, field)]
    for field in PROFILE_FIELDS:
        setattr(profile, field, values[field])
    save_with_version(profile, expected_version=expected_version, fields=list(PROFILE_FIELDS))
    audit_record(
        action="training.job_profile.update",
        actor=actor,
        target=profile,
        details={"role": profile.role, "changed": changed},
    )
    return profile


@transaction.atomic
def office_profile_adapt(
    *,
    actor,
    office: Office,
    profile: JobProfile,
    overrides: dict,
    expected_version: int | None,
) -> OfficeJobProfile:
    """The office's wording of some fields (field → text). An empty text, or one that says
    what the network's says, keeps the network's wording. A field reworded now is written
    against the network's wording of today; one whose wording stays keeps what it was written
    against (a conflict is settled on purpose, not by saving again)."""
    unknown = sorted(set(overrides) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError(
            _("A job profile has no such field: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    wanted, problems = {}, {}
    for field in PROFILE_FIELDS:
        text = clean_text(overrides.get(field))
        if len(text) > TEXT_MAX_LENGTH:
            problems[field] = _(
                "At most %(max)s characters: keep it to what a recruitment call needs."
            ) % {"max": TEXT_MAX_LENGTH}
        elif text and not is_network_wording(text, getattr(profile, field)):
            wanted[field] = text
    if problems:
        raise ValidationError(problems)
    # An office without an adaptation has an empty one at version 1 (what its form was shown).
    adaptation, _created = OfficeJobProfile.objects.get_or_create(office=office, profile=profile)
    based_on = {
        field: adaptation.based_on[field]
        if adaptation.overrides.get(field) == text and field in adaptation.based_on
        else getattr(profile, field)
        for field, text in wanted.items()
    }
    changed = [
        field for field in PROFILE_FIELDS if adaptation.overrides.get(field) != wanted.get(field)
    ]
    adaptation.overrides, adaptation.based_on = wanted, based_on
    save_with_version(
        adaptation, expected_version=expected_version, fields=["overrides", "based_on"]
    )
    audit_record(
        action="training.office_profile.adapt",
        actor=actor,
        target=adaptation,
        office=office,
        details={"role": profile.role, "changed": changed},
    )
    return adaptation


@transaction.atomic
def office_profile_settle(
    *,
    actor,
    adaptation: OfficeJobProfile,
    use_network_wording: bool,
    fields: Collection[str] | None = None,
) -> list[str]:
    """Settle the conflicts of an office's adaptation (or only those of `fields`): keep the
    office's wording, now written against the network's current one, or take the network's
    (the office's wording of those fields dropped). The fields settled."""
    if adaptation.pk is None:
        raise ValidationError(_("Your office has not reworded this profile: nothing to settle."))
    adaptation = (
        OfficeJobProfile.objects.select_for_update()
        .select_related("profile", "office")
        .get(pk=adaptation.pk)
    )
    profile = adaptation.profile
    settled = [
        field for field in conflicts(profile, adaptation) if fields is None or field in fields
    ]
    if not settled:
        raise ValidationError(
            _(
                "Nothing to settle: the network has not changed what you reworded since you "
                "wrote it."
            )
        )
    overrides, based_on = dict(adaptation.overrides), dict(adaptation.based_on)
    for field in settled:
        if use_network_wording:
            overrides.pop(field, None)
            based_on.pop(field, None)
        else:
            based_on[field] = getattr(profile, field)
    adaptation.overrides, adaptation.based_on = overrides, based_on
    save_with_version(
        adaptation, expected_version=adaptation.lock_version, fields=["overrides", "based_on"]
    )
    audit_record(
        action="training.office_profile.settle",
        actor=actor,
        target=adaptation,
        office=adaptation.office,
        details={
            "role": profile.role,
            "fields": settled,
            "wording": "network" if use_network_wording else "office",
        },
    )
    return settled


# The PDF ----------------------------------------------------------------------------------


def profile_pdf(*, adaptation: OfficeJobProfile, language: str) -> bytes:
    """The office's version of the profile for its recruitment call, in `language`: the
    office and its town, the job, its mission, tasks, competences (with their levels) and
    requirements, and the day it was made. A tagged PDF (readable by screen readers)."""
    with translation.override(language):
        context = {
            "LANGUAGE_CODE": language,
            "office": adaptation.office,
            "version": office_view(adaptation, language),
            "competences": competences_of(adaptation.profile, language),
            "max_level": MAX_LEVEL,
            "today": timezone.localdate(),
        }
        html = render_to_string("training/profile_pdf.html", context)
    return HTML(string=html).write_pdf(pdf_tags=True)


def _file_words(text: str) -> str:
    # "tècnic/a" → "tecnic-a", "d'oficina" → "d-oficina": a slash or an apostrophe ends a
    # word, it is not a letter to drop ("doficina")
    for mark in "/'’":
        text = text.replace(mark, " ")
    return slugify(text)


def pdf_file_name(adaptation: OfficeJobProfile, language: str) -> str:
    with translation.override(language):
        title = job_title(adaptation.profile.role)
    return f"{_file_words(title)}-{_file_words(adaptation.office.name)}.pdf"
