"""Sessions by channel and financing by type and by source: each part of the figure and its
share, for an office seen in full or for the network's roles; nobody else."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from oae.cases.models import Attachment, Case, Outcome, Session
from oae.reports import periods, rollups, selectors
from oae.testing.reports import clients_served

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone())
MARCH = periods.month(2026, 3)


def _financing(case, amount: str, kind: str, source: str, verification: str = "verified"):
    evidence = Attachment.objects.create(
        case=case, file="e.pdf", original_name="e.pdf", content_type="application/pdf", size=1
    )
    Outcome.objects.create(
        case=case,
        kind="financing",
        verification=verification,
        evidence=evidence if verification == "verified" else None,
        amount=Decimal(amount),
        financing_type=kind,
        source=source,
        occurred_on=datetime.date(2026, 3, 20),
    )


@pytest.fixture
def march(people, office_a, office_b):
    clients_served(office_a, people["advisor_a"], 3, WHEN)  # three in person
    case = Case.objects.filter(office=office_a).first()
    for channel in ("phone", "phone", "email"):
        Session.objects.create(
            case=case,
            office=office_a,
            person=case.person,
            advisor=people["advisor_a"],
            started_at=WHEN,
            duration_minutes=30,
            channel=channel,
        )
    _financing(case, "30000", "loan", "ICF")
    _financing(case, "10000", "grant", "")
    _financing(case, "5000", "loan", "ICF", verification="declared")  # not verified: left out
    clients_served(office_b, people["advisor_b"], 2, WHEN)
    return case


def _lines(breakdown) -> dict:
    return {line.label: (line.value, line.share) for line in breakdown.lines}


def test_an_office_sees_its_sessions_by_channel_and_its_financing(people, office_a, march):
    channels, types, sources = selectors.breakdowns(people["manager_a"], MARCH, office_a)
    assert _lines(channels) == {
        "in person": (3, 50.0),
        "phone": (2, 33.3),
        "video call": (0, 0.0),
        "e-mail": (1, 16.7),
    }
    assert channels.total == 6
    assert _lines(types)["loan"] == (Decimal("30000.00"), 75.0)
    assert _lines(types)["grant"] == (Decimal("10000.00"), 25.0)
    assert _lines(sources) == {
        "ICF": (Decimal("30000.00"), 75.0),
        "not stated": (Decimal("10000.00"), 25.0),
    }


def test_the_network_adds_up_every_office(people, march):
    channels, _types, _sources = selectors.breakdowns(people["coordinator"], MARCH)
    assert _lines(channels)["in person"] == (5, 62.5)
    assert channels.total == 8


def test_staff_see_neither_another_office_nor_the_network(people, office_b, march):
    with pytest.raises(PermissionDenied):
        selectors.breakdowns(people["manager_a"], MARCH, office_b)
    with pytest.raises(PermissionDenied):
        selectors.breakdowns(people["manager_a"], MARCH)


def test_a_month_without_financing_has_no_shares(people, office_a, march):
    _channels, types, sources = selectors.breakdowns(
        people["manager_a"], periods.month(2026, 5), office_a
    )
    assert types.total == 0 and all(line.share is None for line in types.lines)
    assert sources.lines == []


def test_the_rollups_give_the_same_parts(people, office_a, march, monkeypatch):
    monkeypatch.setattr(rollups, "YEARS", 1)
    before = selectors.breakdowns(people["coordinator"], MARCH)
    rollups.rollups_refresh(selectors.reported_office_ids(), datetime.date(2026, 12, 7))
    assert selectors.rolled(MARCH, selectors.reported_office_ids()) is not None
    after = selectors.breakdowns(people["coordinator"], MARCH)
    assert [(b.title, _lines(b), b.total) for b in after] == [
        (b.title, _lines(b), b.total) for b in before
    ]


def test_the_largest_sources_are_named_and_the_rest_summed(people, office_a, march):
    for number in range(10):
        _financing(march, str(1000 + number), "grant", f"Fund {number}")
    _channels, _types, sources = selectors.breakdowns(people["manager_a"], MARCH, office_a)
    labels = [line.label for line in sources.lines]
    assert len(labels) == selectors.SOURCES_SHOWN
    assert labels[0] == "ICF" and labels[-1] == "other sources"
    assert sum(line.value for line in sources.lines) == sources.total


MARCH_QUERY = {"kind": "month", "year": 2026, "number": 3}


def _sign_in_english(client, user) -> None:
    user.language = "en"  # the pages below read in English
    user.save(update_fields=["language"])
    client.force_login(user)


def test_the_network_dashboard_shows_and_exports_the_breakdowns(client, people, march):
    _sign_in_english(client, people["coordinator"])
    page = client.get(reverse("reports:network"), MARCH_QUERY).content.decode()
    assert "Sessions by channel" in page and "Financing by source" in page
    response = client.get(
        reverse("reports:network"), MARCH_QUERY | {"breakdown": "channel", "format": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Sessions by channel" in text.splitlines()[0]  # what the table is, above it
    assert ",5,62.5" in text and ",2,25" in text  # five of eight sessions in person, two by phone


def test_office_staff_get_no_network_breakdown(client, people, march):
    _sign_in_english(client, people["manager_a"])
    page = client.get(reverse("reports:network"), MARCH_QUERY).content.decode()
    assert "Sessions by channel" not in page
    response = client.get(
        reverse("reports:network"), MARCH_QUERY | {"breakdown": "channel", "format": "csv"}
    )
    assert "Sessions by channel" not in response.content.decode("utf-8-sig")


def test_the_office_dashboard_shows_and_exports_its_breakdowns(client, people, march):
    _sign_in_english(client, people["manager_a"])
    page = client.get(reverse("reports:office"), MARCH_QUERY).content.decode()
    assert "Financing by type" in page
    response = client.get(
        reverse("reports:office"), MARCH_QUERY | {"breakdown": "financing_type", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_an_unknown_breakdown_is_a_clear_400(client, people, march):
    client.force_login(people["coordinator"])
    response = client.get(reverse("reports:network"), {"breakdown": "salary", "format": "csv"})
    assert response.status_code == 400
