"""What an advisor reads on the case page and the day view: one id per element (each label
points to its own field), the hours spent named as such, and dates as Catalan writes them."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter = Counter()
        self.label_targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        if tag == "label" and attributes.get("for"):
            self.label_targets.append(attributes["for"])


def _ids(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


@pytest.mark.django_db
def test_the_case_page_has_no_duplicate_ids_and_each_label_has_its_field(client_for, case_a):
    page = client_for("advisor_a").get(reverse("cases:detail", args=[case_a.public_id]))
    html = page.content.decode()
    parsed = _ids(html)
    assert [name for name, count in parsed.ids.items() if count > 1] == []
    assert [target for target in parsed.label_targets if target not in parsed.ids] == []
    # The upload form's labels point to its own fields, not to the session form's; the posted
    # names stay as the views read them.
    assert {"attachment_file", "attachment_step_id", "session_file", "session_step_id"} <= set(
        parsed.label_targets
    )
    assert re.search(r'<input type="file" name="file"[^>]*id="attachment_file"', html)


@pytest.mark.django_db
def test_the_hours_spent_on_a_case_are_not_called_a_timetable(client_for, case_a):
    page = client_for("advisor_a", "ca").get(reverse("cases:detail", args=[case_a.public_id]))
    html = page.content.decode()
    assert "<dt>Hores dedicades</dt>" in html
    assert "<dt>Horari</dt>" not in html


@pytest.mark.django_db
def test_the_public_home_calls_opening_hours_a_timetable(client, office_a):
    client.cookies["django_language"] = "ca"
    assert "<dt>Horari</dt>" in client.get(reverse("home")).content.decode()


CATALAN_WEEKDAYS = ["dilluns", "dimarts", "dimecres", "dijous", "divendres", "dissabte", "diumenge"]
CATALAN_MONTHS = [
    "de gener", "de febrer", "de març", "d'abril", "de maig", "de juny",
    "de juliol", "d'agost", "de setembre", "d'octubre", "de novembre", "de desembre",
]  # fmt: skip


@pytest.mark.django_db
def test_the_day_view_says_today_s_date_as_catalan_writes_it(client_for, model):
    today = timezone.localdate()
    expected = (
        f"Avui, {CATALAN_WEEKDAYS[today.weekday()]}, {today.day} {CATALAN_MONTHS[today.month - 1]}"
    )
    html = client_for("advisor_a", "ca").get(reverse("cases:today")).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1).replace("&#x27;", "'")
    assert heading == expected


@pytest.mark.django_db
def test_the_week_names_its_days_in_lower_case(client_for, model):
    html = client_for("advisor_a", "ca").get(reverse("cases:agenda")).content.decode()
    labels = re.findall(r'<section class="card day[^"]*" aria-label="([^"]+)"', html)
    assert len(labels) == 7
    assert [label.split(",")[0] for label in labels] == CATALAN_WEEKDAYS
