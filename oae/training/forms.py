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
