"""Forms sent back with errors open with one summary (common/_error_summary.html) that links to
each field and takes the focus, without inline script (the CSP allows only 'self')."""

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse

from oae.common.templatetags.form_errors import form_errors


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Something is off.")


_Rows = forms.formset_factory(_Form, extra=0)


def _summary(html: str) -> str:
    found = re.search(r'<div class="error-summary"([^>]*)>(.*?)</div>', html, re.S)
    assert found, "no error summary"
    return found.group(1) + found.group(2)


def test_errors_link_to_their_fields_and_others_are_listed_without_a_link():
    form = _Form(data={"version": "x"})
    errors = form_errors(form)
    assert ("", "Something is off.") in errors
    assert ("id_name", "Name: This field is required.") in errors
    # A hidden field has nowhere to go: listed, not linked.
    assert any(anchor == "" and "whole number" in text for anchor, text in errors)


def test_formsets_lists_and_unbound_forms():
    rows = _Rows(data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-version": "1"})
    anchors = [anchor for anchor, _text in form_errors(rows, None, _Form(), {"a": [_Form()]})]
    assert "id_form-0-name" in anchors
    assert form_errors(_Form(), None, {"x": _Form()}) == []


@pytest.mark.django_db
def test_a_form_sent_back_opens_with_a_focused_summary_and_no_inline_script(client):
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("tools:viability"),
        {"title": "", "year": "2026", "investments-TOTAL_FORMS": "1"},
    )
    html = response.content.decode()
    summary = _summary(html)
    assert 'tabindex="-1"' in summary and "autofocus" in summary and 'role="alert"' in summary
    assert 'href="#id_title"' in summary
    assert re.search(r"There are \d+ problems to fix", summary)
    # Focus moves through a static file, never an inline script.
    assert '<script src="/static/js/forms.js" defer></script>' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    script = Path(finders.find("js/forms.js")).read_text(encoding="utf-8")
    assert "[data-error-summary]" in script and ".focus(" in script


@pytest.mark.django_db
def test_an_unanswered_self_diagnosis_lists_each_question_linked_to_its_answers(client):
    client.cookies["django_language"] = "en"
    html = client.post(reverse("tools:diagnosis"), {"q-strategy-1": "3"}).content.decode()
    summary = _summary(html)
    assert summary.count("<li>") == 23
    assert 'href="#q-strategy-2-0"' in summary and 'id="q-strategy-2-0"' in html
    # One alert for the page, not one per question.
    assert html.count('role="alert"') == 1
