from django import forms
from django.conf import settings

from oae.accounts.models import User
from oae.common.input import NextField, PublicIdField


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


class OfficeSwitchForm(forms.Form):
    """One of the user's offices to act for, and the page to go back to."""

    office = PublicIdField(required=True)
    next = NextField()
