from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (e-mail)"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[])
    office = forms.ChoiceField(label=_("Office"), required=False, choices=[])
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions=(), offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [(a, a) for a in actions]
        self.fields["office"].choices = [("", _("All offices"))] + [
            (str(o.public_id), str(o)) for o in offices
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned
