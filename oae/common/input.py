"""Reading what a request sends: the query string and the body go through a form, and one rule
says what happens when a value cannot be read. A value that does not parse (not an id, not a
number, a day outside the calendar the application keeps) raises `BadInput`, which
`BadInputMiddleware` answers with a 400 page naming the parameter. Views never call `int()`,
`UUID()` or parse a date themselves; path parameters are typed by the URL converters
(`oae/common/converters.py`), so a malformed id never reaches a view at all.
"""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# The days the application deals in. A day outside them is a typing slip (year 1, 9999): a
# week or a period computed from it could leave Python's calendar, and no session, task or
# appointment happens then.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(2100, 12, 31)
# No list has this many pages: a larger number is not a page (and would not fit an SQL offset).
MAX_PAGE = 1_000_000


class BadInput(Exception):  # noqa: N818 - the name says what the request sent
    """A query string or body that cannot be read; `errors` maps each parameter to its
    reasons (a form's `errors`)."""

    def __init__(self, errors):
        super().__init__(f"Malformed input: {', '.join(errors) or 'the request'}")
        self.errors = errors


def parsed(form_class: type[forms.Form], data, **kwargs) -> dict:
    """The form's cleaned data, or `BadInput` with its errors. For what a user does not type
    (a query string, a hidden field, a button's value): a form people fill in is shown again
    with its errors instead."""
    form = form_class(data, **kwargs)
    if not form.is_valid():
        raise BadInput(form.errors)
    return form.cleaned_data


class QueryForm(forms.Form):
    """The parameters of a query string, each optional: a missing one reads as its field's
    `initial` (a list's default filter, say), or empty."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        missing = {
            name: field.initial
            for name, field in self.fields.items()
            if field.initial is not None and name not in self.data
        }
        if self.is_bound and missing:
            self.data = self.data.copy()
            self.data.update(missing)

    @classmethod
    def parse(cls, query, **kwargs) -> dict:
        return parsed(cls, query, **kwargs)


class DayField(forms.DateField):
    """A day in ISO form (2026-03-02), between `EARLIEST_DAY` and `LATEST_DAY`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)
        self.validators += [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)]


class _RawCheckbox(forms.CheckboxInput):
    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.BooleanField):
    """A yes sent as "1" (a ticked box's or a button's value); anything else, or nothing, is
    no. (Django's `BooleanField` reads any other text, "0" too, as yes.)"""

    widget = _RawCheckbox

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> bool:
        return value in ("1", "on", "true", True)


class PageField(forms.IntegerField):
    """A page number of a list: 1 or more."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_PAGE, **kwargs)


class RecordIdField(forms.IntegerField):
    """A record's number (a user's, say, in a list of advisors): it fits the database's key."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


class SearchField(forms.CharField):
    """Words typed in a search box: cut to `max_length` rather than refused (a long search is
    not an error), NUL refused."""

    def __init__(self, *, max_length: int = 100, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.cut_to = max_length

    def to_python(self, value):
        return super().to_python(value)[: self.cut_to]


class PublicIdField(forms.UUIDField):
    """A record's public id; empty reads as None. A well-formed id of nothing the user may
    see is for the domain's `get_*_or_404` to answer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ListQueryForm(QueryForm):
    """A list's page, and the format of its download (CSV unless Excel is asked for)."""

    page = PageField()
    format = forms.ChoiceField(
        required=False, choices=[("", ""), ("csv", "CSV"), ("xlsx", "Excel")]
    )


class NextField(forms.CharField):
    """Where to go back to after a form: a path of this site, or empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=2000, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not (
            value.startswith("/")
            and url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False)
        ):
            return ""  # somewhere else: the view's own default, as if none was given
        return value


def _has_nul(request) -> bool:
    """PostgreSQL refuses NUL in text, and no one types it: a path or query string holding
    one is refused before any view or library (allauth's keys, say) reads it."""
    return "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "")


def bad_input_response(request, errors=None):
    """The 400 page: what could not be read, parameter by parameter."""
    context = {"errors": errors or {}, "message": _("The page was sent a value it cannot read.")}
    return render(request, "common/bad_input.html", context, status=400)


class BadInputMiddleware:
    """The one place where input that cannot be read becomes a 400 page: `BadInput` raised by
    a view (its forms), and a NUL anywhere in the path or query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return bad_input_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput):
            return bad_input_response(request, exception.errors)
        return None
