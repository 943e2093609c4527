"""Forms of the training pages: scheduling a session, enrolling, attendance, assessment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oae.training.models import MAX_CAPACITY, PLACE_MAX_LENGTH

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX_LENGTH, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    trainer = forms.CharField(label=_("Trainer"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=MAX_CAPACITY)


class EnrolForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Who"), coerce=int)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            (person.pk, f"{person.display_name} ({person.email})") for person in people
        ]
        self.people = {person.pk: person for person in people}

    def chosen(self):
        return self.people[self.cleaned_data["person"]]


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Attended"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
    )


class AssessmentForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"),
        required=False,
        choices=[("", "—"), ("yes", _("passed")), ("no", _("not passed"))],
        coerce=lambda v: v == "yes",
        empty_value=None,
    )
    score = forms.IntegerField(
        label=_("Score (of 100)"), required=False, min_value=0, max_value=100
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it revoked?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The verification page shows it with the date."),
    )


CREDENTIAL_MAX_BYTES = 64 * 1024


class CredentialCheckForm(forms.Form):
    credential = forms.CharField(
        label=_("The credential's text"),
        required=False,
        max_length=CREDENTIAL_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
    )
    file = forms.FileField(label=_("or its file (.jwt)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return ""
        if upload.size > CREDENTIAL_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large to be a credential."))
        try:
            return upload.read().decode("ascii")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("This file is not a credential (.jwt).")) from error

    def clean(self):
        data = super().clean()
        if "file" in self.errors:
            return data  # said on the file already
        pasted, chosen = (data.get("credential") or "").strip(), data.get("file")
        if not pasted and not chosen:
            raise forms.ValidationError(_("Paste the credential or choose its file."))
        if pasted and chosen:
            raise forms.ValidationError(_("Give the credential's text or its file, not both."))
        return data

    def token(self) -> str:
        return (self.cleaned_data.get("credential") or self.cleaned_data.get("file")).strip()
