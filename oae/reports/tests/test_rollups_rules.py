"""The rollups' rules on worked examples, each small enough to check by hand: which periods are
kept on a given day, which stored rollup may stand for a period (same offices, untouched or
young enough), how a stored figure is read back and for which cuts, and what a refresh computes
again. Deterministic and fast: the property test in test_rollups.py checks the same equality
over random writes."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from oae.cases.models import Attachment, Case, Outcome, Session
from oae.crm.models import Person
from oae.reports import periods, rollups
from oae.reports.kpis import ALL, Cut, Figure, Kpi
from oae.reports.models import FigureRollup, RollupPeriod, TouchedDays
from oae.reports.periods import Period

D = datetime.date
JANUARY, FEBRUARY, MARCH = (periods.month(2026, n) for n in (1, 2, 3))


def _months(year: int, last: int = 12) -> list[Period]:
    return [periods.month(year, n) for n in range(1, last + 1)]


def _quarters(year: int, last: int = 4) -> list[Period]:
    return [periods.quarter(year, n) for n in range(1, last + 1)]


def _whole_year(year: int) -> list[Period]:
    return [*_months(year), *_quarters(year), periods.year(year)]


# The periods kept -------------------------------------------------------------------------


def test_the_periods_kept_are_those_begun_in_this_year_and_the_two_before():
    # 15 May 2026: 2024 and 2025 whole (12 months, 4 quarters, the year: 17 each), 2026's
    # months January to May (5), its quarters begun (Q1, and Q2 from 1 April: 2) and the year;
    # then the year to date and the same days of 2025: 17 + 17 + 8 + 2 = 44.
    kept = rollups.rolled_periods(D(2026, 5, 15))
    assert kept == [
        *_whole_year(2024),
        *_whole_year(2025),
        *_months(2026, 5),
        *_quarters(2026, 2),
        periods.year(2026),
        Period(D(2026, 1, 1), D(2026, 5, 15)),
        Period(D(2025, 1, 1), D(2025, 5, 15)),
    ]
    assert len(kept) == 44


def test_a_month_and_its_quarter_are_kept_from_their_first_day():
    # 1 April: April and the second quarter have begun.
    kept = rollups.rolled_periods(D(2026, 4, 1))
    assert periods.month(2026, 4) in kept and periods.quarter(2026, 2) in kept
    assert periods.month(2026, 5) not in kept and periods.quarter(2026, 3) not in kept
    # 31 March: neither yet; the year to date is then the first quarter, kept once.
    kept = rollups.rolled_periods(D(2026, 3, 31))
    assert periods.month(2026, 4) not in kept and periods.quarter(2026, 2) not in kept
    # 17 + 17 + (3 months, Q1, the year) = 39; the year to date (1 January – 31 March) is Q1
    # and the same days of 2025 are 2025's Q1: no period twice.
    assert len(kept) == 39 == len(set(kept))
    assert kept[-5:] == [*_months(2026, 3), periods.quarter(2026, 1), periods.year(2026)]


def test_on_new_year_s_eve_the_year_to_date_is_the_year():
    kept = rollups.rolled_periods(D(2026, 12, 31))
    assert kept == [*_whole_year(2024), *_whole_year(2025), *_whole_year(2026)]


def test_fewer_years_keep_fewer_periods(monkeypatch):
    monkeypatch.setattr(rollups, "YEARS", 1)
    # 10 March 2026: January to March, Q1, 2026, the year to date and 2025's same days.
    assert rollups.rolled_periods(D(2026, 3, 10)) == [
        JANUARY,
        FEBRUARY,
        MARCH,
        periods.quarter(2026, 1),
        periods.year(2026),
        Period(D(2026, 1, 1), D(2026, 3, 10)),
        Period(D(2025, 1, 1), D(2025, 3, 10)),
    ]


# The name of a set of offices -------------------------------------------------------------


def test_a_set_of_offices_has_one_name_whatever_its_order():
    key = rollups.offices_key(frozenset({3, 1, 2}))
    assert key == rollups.offices_key(frozenset({2, 3, 1}))
    assert len(key) == 64 and int(key, 16) >= 0  # fits RollupPeriod.offices_key
    # The ids are kept apart: {1, 23} is not {12, 3}, and one office is not none.
    assert rollups.offices_key(frozenset({1, 23})) != rollups.offices_key(frozenset({12, 3}))
    assert rollups.offices_key(frozenset({1})) != rollups.offices_key(frozenset())
    assert rollups.offices_key(frozenset({1, 2})) != key


# Reading a stored rollup ------------------------------------------------------------------

NOW = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def _rollup(period: Period, offices: frozenset[int], computed_at=NOW, figures=()):
    row = RollupPeriod.objects.create(
        start=period.start,
        end=period.end,
        offices_key=rollups.offices_key(offices),
        computed_at=computed_at,
    )
    for kpi, office, part, value, people in figures:
        FigureRollup.objects.create(
            period=row, kpi=kpi, office=office, part=part, value=value, people=people
        )
    return row


@pytest.fixture
def offices(office_a, office_b):
    TouchedDays.objects.all().delete()  # what creating the offices' data noted
    return frozenset({office_a.pk, office_b.pk})


@pytest.mark.django_db
def test_a_stored_figure_reads_back_as_the_figure_computes_it(office_a, office_b, offices):
    _rollup(
        FEBRUARY,
        offices,
        figures=[
            ("a_figure_since_retired", office_a, "", Decimal(9), 9),  # not a figure any more
            ("sessions", office_a, "", Decimal("3.0000"), 2),
            ("sessions", office_b, "", Decimal("1.0000"), 1),
            ("sessions", None, "", Decimal("4.0000"), 3),
            ("sessions", office_a, "channel:phone", Decimal("2.0000"), 1),
            ("sessions", office_a, "channel:in_person", Decimal("1.0000"), 1),
            ("advice_hours", office_a, "", Decimal("1.5000"), 2),
            ("financing", office_a, "", Decimal("1000.2500"), 1),
            ("financing", office_a, "financing_source:", Decimal("1000.2500"), 1),
            ("financing", office_a, "financing_source:ICF: línia Emprèn", Decimal(500), 1),
            ("satisfaction_mean", office_b, "", None, 0),
        ],
    )
    found = rollups.stored([FEBRUARY], offices, now=NOW)[FEBRUARY]
    assert (found.computed_at, found.touched) == (NOW, False)
    assert found.by_office == {
        "sessions": {office_a.pk: Figure(3, 2), office_b.pk: Figure(1, 1)},
        "advice_hours": {office_a.pk: Figure(1.5, 2)},
        "financing": {office_a.pk: Figure(Decimal("1000.25"), 1)},
        "satisfaction_mean": {office_b.pk: Figure(None, 0)},
    }
    assert found.totals == {"sessions": {ALL: Figure(4, 3)}}
    assert found.parts == {
        ("sessions", "channel"): {
            (office_a.pk, "phone"): Figure(2, 1),
            (office_a.pk, "in_person"): Figure(1, 1),
        },
        # A financing without a source is the part "" (not stated); a source's own colon
        # stays in its name.
        ("financing", "financing_source"): {
            (office_a.pk, ""): Figure(Decimal("1000.25"), 1),
            (office_a.pk, "ICF: línia Emprèn"): Figure(Decimal("500.00"), 1),
        },
    }
    # Each in the type its figure computes: counts whole, amounts in cents, hours a float.
    assert type(found.by_office["sessions"][office_a.pk].value) is int
    assert type(found.totals["sessions"][ALL].value) is int
    assert str(found.by_office["financing"][office_a.pk].value) == "1000.25"
    assert type(found.by_office["advice_hours"][office_a.pk].value) is float


@pytest.mark.django_db
def test_a_rollup_stands_only_for_its_own_period_and_offices(office_a, offices):
    _rollup(FEBRUARY, offices, figures=[("sessions", None, "", Decimal(4), 3)])
    # The year to date on 28 February starts like February but ends elsewhere.
    _rollup(Period(D(2026, 1, 1), D(2026, 2, 28)), offices)
    assert set(rollups.stored([FEBRUARY, MARCH], offices, now=NOW)) == {FEBRUARY}
    assert rollups.stored([periods.quarter(2026, 1)], offices, now=NOW) == {}
    assert rollups.stored([], offices, now=NOW) == {}  # nothing asked: nothing read
    # Computed for both offices: it does not stand for office A alone (its totals differ).
    assert rollups.stored([FEBRUARY], frozenset({office_a.pk}), now=NOW) == {}
    # Read per office only, any set of offices will do, but not its totals.
    alone = rollups.stored([FEBRUARY], None, now=NOW)[FEBRUARY]
    assert alone.totals is None and alone.by_office == {}


@pytest.mark.django_db
def test_rollups_are_read_in_a_few_queries_whatever_the_periods(offices, django_assert_num_queries):
    for period in (JANUARY, FEBRUARY, MARCH):
        _rollup(period, offices, figures=[("sessions", None, "", Decimal(4), 3)])
    # The periods, the touches, the figures: three queries for three periods.
    with django_assert_num_queries(3):
        assert len(rollups.stored([JANUARY, FEBRUARY, MARCH], offices, now=NOW)) == 3
    # None rolled up (April to June): the periods alone, no touches to read.
    with django_assert_num_queries(1):
        assert rollups.stored(_months(2026, 6)[3:], offices, now=NOW) == {}


@pytest.mark.django_db
@override_settings(REPORTS_ROLLUPS=False)
def test_without_rollups_every_period_is_read_raw(offices):
    _rollup(FEBRUARY, offices)
    assert rollups.stored([FEBRUARY], offices, now=NOW) == {}


@pytest.mark.django_db
@override_settings(REPORTS_ROLLUP_MAX_AGE=15)
def test_a_touched_rollup_stands_while_it_is_young(offices):
    _rollup(JANUARY, offices, computed_at=NOW - 16 * MINUTE)
    _rollup(FEBRUARY, offices, computed_at=NOW - 15 * MINUTE)
    _rollup(MARCH, offices, computed_at=NOW - 60 * MINUTE)
    # A write touched 15 January to 1 February: January and February (from its first day).
    TouchedDays.objects.create(first=D(2026, 1, 15), last=D(2026, 2, 1))
    found = rollups.stored([JANUARY, FEBRUARY, MARCH], offices, now=NOW)
    # January: touched, computed 16 minutes ago, more than the 15 allowed: read raw.
    # February: touched, but exactly 15 minutes old: read "as of" when it was computed.
    # March: untouched, however old.
    assert set(found) == {FEBRUARY, MARCH}
    assert found[FEBRUARY].touched and found[FEBRUARY].computed_at == NOW - 15 * MINUTE
    assert not found[MARCH].touched


@pytest.mark.django_db
@override_settings(REPORTS_ROLLUP_MAX_AGE=0)
@pytest.mark.parametrize(
    ("first", "last", "touched"),
    [
        (D(2026, 1, 1), D(2026, 1, 31), []),  # January only
        (D(2026, 1, 1), D(2026, 2, 1), ["February"]),  # to February's first day
        (D(2026, 2, 28), D(2026, 3, 5), ["February", "March"]),  # from February's last day
        (D(2026, 3, 1), None, ["March"]),  # every day from 1 March
        (D(2025, 6, 1), None, ["February", "March"]),  # every day from last June
        (D(2026, 4, 1), None, []),  # after both
    ],
)
def test_a_rollup_is_touched_by_a_write_on_any_of_its_days(offices, first, last, touched):
    rows = {"February": FEBRUARY, "March": MARCH}
    for period in rows.values():
        _rollup(period, offices, computed_at=NOW - MINUTE)
    TouchedDays.objects.create(first=first, last=last)
    found = rollups.stored(list(rows.values()), offices, now=NOW)
    # No age allowed: a touched period is read raw, an untouched one from its rollup.
    assert sorted(name for name, period in rows.items() if period not in found) == touched


# Which cuts a rollup answers --------------------------------------------------------------

A, B = 1, 2
FOUND = rollups.Stored(
    computed_at=NOW,
    touched=False,
    by_office={"sessions": {A: Figure(5, 4), B: Figure(3, 3)}},
    totals={"sessions": {ALL: Figure(8, 7)}},
    parts={("sessions", "channel"): {(A, "phone"): Figure(2, 2), (B, "phone"): Figure(3, 3)}},
)


def _kpi(code: str) -> Kpi:
    """A figure whose raw computation only says what it was asked (no database)."""
    return Kpi(code, code, "", "sessions", "", True, lambda cut, by: {"raw": (cut, by)})


def _read(by, found=FOUND, code="sessions", **cut) -> dict:
    return rollups.figures_for(_kpi(code), Cut(FEBRUARY, **cut), by, found)


def _raw(by, **cut) -> dict:
    """What the figure computed from the raw tables gives, for the same cut."""
    return {"raw": (Cut(FEBRUARY, **cut), by)}


def test_a_rollup_answers_by_office_for_the_offices_asked():
    assert _read("office") == {A: Figure(5, 4), B: Figure(3, 3)}
    assert _read("office", offices=frozenset({B})) == {B: Figure(3, 3)}
    assert _read("office", offices=frozenset()) == {}
    assert _read("office", code="cases_opened") == {}  # not in the rollup: none


def test_a_rollup_answers_the_parts_it_keeps_per_office():
    assert _read(("office", "channel")) == {(A, "phone"): Figure(2, 2), (B, "phone"): Figure(3, 3)}
    assert _read(("office", "channel"), offices=frozenset({A})) == {(A, "phone"): Figure(2, 2)}
    # Parts it does not keep are read raw: sessions have no financing type, and cases no
    # channel; nor is a single group a part.
    assert _read(("office", "financing_type")) == _raw(("office", "financing_type"))
    assert _read(("office", "channel"), code="cases_opened") == _raw(("office", "channel"))
    assert _read(("office",)) == _raw(("office",))


def test_a_rollup_answers_the_total_of_its_offices():
    assert _read(None) == {ALL: Figure(8, 7)}
    assert _read(None, code="cases_opened") == {}
    # Read per office only (totals None): the total is read raw.
    per_office = rollups.Stored(NOW, False, FOUND.by_office, None, FOUND.parts)
    assert _read(None, found=per_office) == _raw(None)


@pytest.mark.parametrize(
    "cut",
    [{"municipality": 8}, {"service": "crear"}, {"advisor": 3}],
)
def test_cuts_by_municipality_service_or_advisor_are_read_raw(cut):
    assert _read("office", **cut) == _raw("office", **cut)
    assert _read(None, **cut) == _raw(None, **cut)


def test_without_a_rollup_the_figure_is_read_raw():
    assert _read("office", found=None) == _raw("office")
    assert _read("municipality") == _raw("municipality")  # not a cut it keeps


# Refreshing -------------------------------------------------------------------------------

TODAY = D(2026, 3, 10)
ZONE = timezone.get_current_timezone()


def _activity(people, office_a, office_b) -> None:
    """February 2026: office A sees two clients in person (45 minutes each, on the 10th) and
    one of them gets a 1,000.25 € loan with no source named; office B sees one on the phone
    (30 minutes, on the 20th)."""
    for office, advisor, channel, minutes, day, count in (
        (office_a, people["advisor_a"], "in_person", 45, 10, 2),
        (office_b, people["advisor_b"], "phone", 30, 20, 1),
    ):
        when = datetime.datetime(2026, 2, day, 10, tzinfo=ZONE)
        for number in range(count):
            person = Person.objects.create(office=office, first_name=f"{office.name} {number}")
            case = Case.objects.create(
                reference=f"R-{office.pk}-{number}",
                office=office,
                person=person,
                service_code="crear",
                service_name="crear",
                assigned_to=advisor,
                opened_at=when,
            )
            Session.objects.create(
                case=case,
                office=office,
                person=person,
                advisor=advisor,
                started_at=when,
                duration_minutes=minutes,
                channel=channel,
            )
    case = Case.objects.filter(office=office_a).first()
    evidence = Attachment.objects.create(
        case=case, file="e.pdf", original_name="e.pdf", content_type="application/pdf", size=1
    )
    Outcome.objects.create(
        case=case,
        kind="financing",
        verification="verified",
        evidence=evidence,
        amount=Decimal("1000.25"),
        financing_type="loan",
        occurred_on=D(2026, 2, 20),
    )


@pytest.fixture
def one_year(monkeypatch):
    """This year's periods only: on 10 March 2026, January to March, Q1, the year and the
    years to date of 2026 and 2025 (7)."""
    monkeypatch.setattr(rollups, "YEARS", 1)


@pytest.mark.django_db
def test_a_refresh_keeps_each_figure_per_office_in_parts_and_in_total(
    one_year, people, office_a, office_b
):
    _activity(people, office_a, office_b)
    both = frozenset({office_a.pk, office_b.pk})
    before = timezone.now()
    assert rollups.rollups_refresh(both, TODAY) == 7  # nothing was kept: every period
    after = timezone.now()
    found = rollups.stored([FEBRUARY], both)[FEBRUARY]
    assert before <= found.computed_at <= after and not found.touched
    a, b = office_a.pk, office_b.pk
    sessions = "sessions"
    assert found.by_office[sessions] == {a: Figure(2, 2), b: Figure(1, 1)}
    assert found.totals[sessions] == {ALL: Figure(3, 3)}
    # Hours: 2 × 45 = 90 minutes = 1.5 hours in A, 30 minutes = 0.5 in B; 2 hours in all.
    assert found.by_office["advice_hours"] == {a: Figure(1.5, 2), b: Figure(0.5, 1)}
    assert found.totals["advice_hours"] == {ALL: Figure(2.0, 3)}
    assert found.parts[(sessions, "channel")] == {
        (a, "in_person"): Figure(2, 2),
        (b, "phone"): Figure(1, 1),
    }
    assert found.by_office["financing"] == {a: Figure(Decimal("1000.25"), 1)}
    assert found.parts[("financing", "financing_type")] == {
        (a, "loan"): Figure(Decimal("1000.25"), 1)
    }
    assert found.parts[("financing", "financing_source")] == {
        (a, ""): Figure(Decimal("1000.25"), 1)
    }
    # March has no sessions: counted as 0 in total, and no office has any.
    march = rollups.stored([MARCH], both)[MARCH]
    assert march.by_office.get(sessions, {}) == {} and march.totals[sessions] == {ALL: Figure(0, 0)}
    # The offices' key is the set's: the totals are of both offices.
    assert set(RollupPeriod.objects.values_list("offices_key", flat=True)) == {
        rollups.offices_key(both)
    }


@pytest.mark.django_db
def test_a_refresh_computes_again_only_what_is_missing_touched_or_of_other_offices(
    one_year, people, office_a, office_b
):
    _activity(people, office_a, office_b)
    both = frozenset({office_a.pk, office_b.pk})
    assert rollups.rollups_refresh(both, TODAY) == 7
    assert not TouchedDays.objects.exists()  # the writes' touches are dealt with
    assert rollups.rollups_refresh(both, TODAY) == 0  # nothing new
    # 31 January: January, Q1, the year and the year to date (not February, nor 2025).
    TouchedDays.objects.create(first=D(2026, 1, 31), last=D(2026, 1, 31))
    assert rollups.rollups_refresh(both, TODAY) == 4
    assert not TouchedDays.objects.exists()
    # Every day from 1 February: February, March, Q1, the year, the year to date.
    TouchedDays.objects.create(first=D(2026, 2, 1), last=None)
    assert rollups.rollups_refresh(both, TODAY) == 5
    # From 11 March, after today: March, Q1 and the year, but not the year to date.
    TouchedDays.objects.create(first=D(2026, 3, 11), last=None)
    assert rollups.rollups_refresh(both, TODAY) == 3
    # Office A alone: every period again, with A's totals.
    alone = frozenset({office_a.pk})
    assert rollups.rollups_refresh(alone, TODAY) == 7
    assert rollups.stored([FEBRUARY], alone)[FEBRUARY].totals["sessions"] == {ALL: Figure(2, 2)}
    assert rollups.stored([FEBRUARY], both) == {}


@pytest.mark.django_db
def test_a_refresh_drops_the_periods_no_longer_kept(one_year, office_a):
    offices = frozenset({office_a.pk})
    assert rollups.rollups_refresh(offices, TODAY) == 7
    # 1 April: April, Q2 and the new years to date are computed; January to March, Q1 and
    # the year are kept; the years to date of 10 March are dropped: 7 − 2 + 4 = 9 rows.
    assert rollups.rollups_refresh(offices, D(2026, 4, 1)) == 4
    kept = {Period(row.start, row.end) for row in RollupPeriod.objects.all()}
    assert kept == set(rollups.rolled_periods(D(2026, 4, 1)))
    assert len(kept) == 9
    assert Period(D(2026, 1, 1), TODAY) not in kept
    # Their figures went with them; every kept period has its own.
    assert FigureRollup.objects.exclude(period__in=RollupPeriod.objects.all()).count() == 0
    assert all(row.figures.exists() for row in RollupPeriod.objects.all())
