"""The error summary every form shows at its top when it comes back with errors: each message
links to its field, and the summary takes the focus (static/js/forms.js, autofocus)."""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

register = template.Library()


def _form_errors(form: BaseForm) -> list[tuple[str, str]]:
    errors = [("", str(message)) for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            anchor = "" if field.is_hidden else field.id_for_label
            label = str(field.label or "")
            errors.append((anchor, f"{label}: {message}" if label else str(message)))
    return errors


def form_errors(*forms) -> list[tuple[str, str]]:
    """(the id of the field to link to or "", the message) for each error of `forms`: forms,
    formsets, or lists and dicts of them; unbound forms have none."""
    errors: list[tuple[str, str]] = []
    for form in forms:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            if form.is_bound:
                errors += [("", str(message)) for message in form.non_form_errors()]
                errors += form_errors(*form.forms)
        elif isinstance(form, BaseForm):
            if form.is_bound:
                errors += _form_errors(form)
        elif isinstance(form, dict):
            errors += form_errors(*form.values())
        elif isinstance(form, list | tuple):
            errors += form_errors(*form)
    return errors


@register.inclusion_tag("common/_error_summary.html")
def error_summary(*forms):
    """`{% error_summary form formset %}` at the top of a form: nothing when all is well."""
    return {"errors": form_errors(*forms)}
