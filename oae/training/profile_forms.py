"""Forms of the job profiles: the network's wording (each field in Catalan, Spanish and
English), an office's wording beside the network's, and settling a conflict. The rules (what is
required, what is kept) are the services' in oae/training/profiles.py; these only read."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from oae.common.concurrency import VersionedForm, VersionField
from oae.training.models import PROFILE_FIELDS
from oae.training.profiles import FIELD_LABELS, LANGUAGES

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _text_field(label, rows: int, **kwargs) -> forms.CharField:
    # Not required here: the service says what is missing, once, in the same words as the API.
    # No length here either: the browser sends each line break as two characters, so a text
    # the service keeps (at most TEXT_MAX_LENGTH once its lines end in one) would be refused
    # in other words; and a box that cuts a pasted text short loses what was typed. The
    # service refuses a text too long with its reason, and the box keeps it to shorten.
    return forms.CharField(
        label=label,
        required=False,
        strip=False,  # the service cleans the text: lines stay as they were typed
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _rows(field: str) -> int:
    return 4 if field == "mission" else 8


class JobProfileForm(VersionedForm, forms.Form):
    """The network's wording: a box per field and language (`mission_ca`, `mission_es`…)."""

    version_required = True
    lock_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in PROFILE_FIELDS:
            for language in LANGUAGES:
                self.fields[f"{field}_{language}"] = _text_field(
                    format_lazy("{} ({})", FIELD_LABELS[field], LANGUAGE_NAMES[language]),
                    _rows(field),
                )

    @staticmethod
    def initial_for(profile) -> dict:
        initial = {"lock_version": profile.lock_version}
        for field in PROFILE_FIELDS:
            for language in LANGUAGES:
                initial[f"{field}_{language}"] = (getattr(profile, field) or {}).get(language, "")
        return initial

    def field_groups(self) -> list[tuple[str, list]]:
        """(the field's label, its boxes by language), for the page's fieldsets."""
        return [
            (FIELD_LABELS[field], [self[f"{field}_{language}"] for language in LANGUAGES])
            for field in PROFILE_FIELDS
        ]

    def profile_data(self) -> dict:
        return {
            field: {language: self.cleaned_data[f"{field}_{language}"] for language in LANGUAGES}
            for field in PROFILE_FIELDS
        }


class OfficeProfileForm(VersionedForm, forms.Form):
    """An office's wording of each field; left as the network's (or emptied) it follows the
    network's wording."""

    version_required = True
    lock_version = VersionField()
    mission = _text_field(FIELD_LABELS["mission"], 6)
    tasks = _text_field(FIELD_LABELS["tasks"], 10, help_text=_("One task a line."))
    requirements = _text_field(
        FIELD_LABELS["requirements"], 10, help_text=_("One requirement a line.")
    )

    def overrides(self) -> dict:
        return {field: self.cleaned_data[field] for field in PROFILE_FIELDS}


class SettleForm(forms.Form):
    field = forms.ChoiceField(choices=[(field, FIELD_LABELS[field]) for field in PROFILE_FIELDS])
    wording = forms.ChoiceField(
        choices=[("office", _("Keep my office's wording")), ("network", _("Use the network's"))]
    )
