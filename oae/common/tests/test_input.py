"""Reading input (oae/common/input.py): the fields of query strings either read a value or refuse
it with a reason, whatever is sent; a view's `BadInput` and a NUL in the address are a 400 page
that says which parameter could not be read."""

import datetime
import uuid

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from oae.common.input import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_PAGE,
    DayField,
    FlagField,
    NextField,
    PageField,
    PublicIdField,
    QueryForm,
    RecordIdField,
    SearchField,
)

# Each field, and what a value it reads always is.
FIELDS = {
    DayField: lambda day: day is None or EARLIEST_DAY <= day <= LATEST_DAY,
    FlagField: lambda flag: flag in (True, False),
    NextField: lambda path: path == "" or (path.startswith("/") and not path.startswith("//")),
    PageField: lambda number: number is None or 1 <= number <= MAX_PAGE,
    PublicIdField: lambda public_id: public_id is None or isinstance(public_id, uuid.UUID),
    RecordIdField: lambda number: number is None or 1 <= number < 2**63,
    SearchField: lambda words: isinstance(words, str) and len(words) <= 100 and "\x00" not in words,
}
# Text a person, a script or a fuzzer may send: any Unicode, digits of every script, numbers
# of any size, dates at and beyond the calendar's ends.
ANY_TEXT = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(alphabet="0123456789²³¹٣۴߄०", max_size=30),
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "1e400", "NaN", "\x00"]),
)


@given(value=ANY_TEXT, field=st.sampled_from(sorted(FIELDS, key=lambda f: f.__name__)))
def test_a_query_field_reads_any_text_into_its_kind_of_value_or_refuses_it(value, field):
    try:
        read = field().clean(value)
    except ValidationError as refusal:
        assert refusal.messages  # a reason the 400 page shows
        return
    assert FIELDS[field](read), read


@given(value=ANY_TEXT)
def test_a_week_or_a_period_can_be_computed_from_any_day_read(value):
    try:
        day = DayField().clean(value)
    except ValidationError:
        return
    if day is not None:
        week = day - datetime.timedelta(days=day.weekday())
        assert week - datetime.timedelta(days=7) < day < week + datetime.timedelta(days=14)


def test_page_numbers_stop_at_the_largest_page():
    assert PageField().clean(str(MAX_PAGE)) == MAX_PAGE
    for value in (str(MAX_PAGE + 1), "0", "²", "9" * 25):
        with pytest.raises(ValidationError):
            PageField().clean(value)


@pytest.mark.parametrize(
    ("sent", "read"), [("1", True), ("on", True), ("0", False), ("", False), (None, False)]
)
def test_a_flag_is_yes_only_when_sent_as_one(sent, read):
    class Flags(forms.Form):
        flag = FlagField()

    form = Flags({} if sent is None else {"flag": sent})
    assert form.is_valid() and form.cleaned_data["flag"] is read


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        ("/staff/cases/today/", "/staff/cases/today/"),
        ("x", ""),
        ("https://elsewhere.example/", ""),
        ("//elsewhere.example/", ""),
        ("/\\elsewhere.example/", ""),
    ],
)
def test_next_is_a_path_of_this_site_or_nothing(sent, read):
    assert NextField().clean(sent) == read


def test_a_missing_query_parameter_reads_as_its_initial_value():
    class Listing(QueryForm):
        state = forms.CharField(required=False, initial="active")
        search = SearchField(max_length=5)

    assert Listing.parse({}) == {"state": "active", "search": ""}
    assert Listing.parse({"state": "", "search": "  a long search  "}) == {
        "state": "",
        "search": "a lon",
    }


@pytest.mark.django_db
def test_a_parameter_that_does_not_read_is_a_400_page_that_names_it(client_for):
    response = client_for("advisor_a").get("/staff/agenda/", {"week": "9999-12-31"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The page was sent a value it cannot read." in page and "<code>week</code>" in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/people/%00/", "/eines/?q=%00", "/accounts/login/%00"])
def test_a_nul_anywhere_in_the_address_is_a_400(client, url):
    assert client.get(url).status_code == 400
