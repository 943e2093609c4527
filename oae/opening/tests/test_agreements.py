"""Collaboration agreements: recorded once signed, with the signed PDF (checked by what it
is), dates in order, audited under the office of the municipality's path; renewals that keep
the history; those ending within 90 days flagged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oae.opening import selectors, services
from oae.opening.models import Agreement, months_after
from oae.opening.tests.conftest import days_ago, fake_pdf, pdf, png
from oae.privacy.models import AuditEvent

NOT_ACCEPTED = (
    "carta.pdf is not a file we accept: upload a PDF, an image (PNG, JPEG) or a document "
    "(Word, Excel, ODT, ODS)."
)


def _data(signed_on=None, **overrides) -> dict:
    signed_on = signed_on or days_ago(30)
    return {
        "parties": "Xarxa OAE i Ajuntament de Sant Boi de Llobregat",
        "signed_on": signed_on,
        "term_months": 48,
        "renewal_on": months_after(signed_on, 45),
        "network_obligations": "Formació de l'equip i model de serveis.",
        "municipality_obligations": "Local, personal i pressupost.",
    } | overrides


def _record(coordinator, municipality, upload=None, renews=None, **overrides) -> Agreement:
    return services.agreement_record(
        actor=coordinator,
        municipality=municipality,
        data=_data(**overrides),
        upload=upload or pdf("conveni.pdf"),
        renews=renews,
    )


@pytest.fixture
def municipality_a(office_a):
    return office_a.municipality


@pytest.mark.django_db
def test_a_signed_agreement_is_recorded_with_its_pdf_and_audited(municipality_a, coordinator):
    agreement = _record(coordinator, municipality_a)
    assert agreement.original_name == "conveni.pdf"
    assert agreement.file.read().startswith(b"%PDF")
    assert agreement.recorded_by == coordinator and agreement.renews is None
    assert agreement.ends_on == months_after(days_ago(30), 48)
    event = AuditEvent.objects.get(action="opening.agreement.record")
    assert event.actor == coordinator
    assert event.details == {"municipality": "08200", "signed_on": str(days_ago(30))}
    assert event.office is None  # no path yet, so no office to file it under


@pytest.mark.django_db
def test_an_agreement_and_its_renewal_are_audited_under_the_office_of_the_path(
    path_a, office_a, office_b, coordinator
):
    first = _record(coordinator, office_a.municipality, signed_on=days_ago(400))
    _record(coordinator, office_a.municipality, renews=first, signed_on=days_ago(10))
    # Office B's municipality has an office but no path: nothing to file it under yet.
    _record(coordinator, office_b.municipality)
    events = AuditEvent.objects.filter(action__startswith="opening.agreement").order_by("pk")
    assert list(events.values_list("action", "office")) == [
        ("opening.agreement.record", office_a.pk),
        ("opening.agreement.renew", office_a.pk),
        ("opening.agreement.record", None),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("renewal_days", [0, -1, -365])
def test_a_renewal_date_not_after_the_signature_is_refused(
    municipality_a, coordinator, renewal_days
):
    signed = days_ago(30)
    with pytest.raises(ValidationError) as error:
        _record(
            coordinator,
            municipality_a,
            signed_on=signed,
            renewal_on=signed + datetime.timedelta(days=renewal_days),
        )
    assert error.value.message_dict == {
        "renewal_on": ["The renewal date must come after the signature."]
    }
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_an_agreement_signed_in_the_future_is_refused(municipality_a, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _record(coordinator, municipality_a, signed_on=tomorrow)
    assert error.value.message_dict == {
        "signed_on": ["An agreement is recorded once signed: the date is in the future."]
    }


@pytest.mark.django_db
def test_an_agreement_signed_today_is_accepted(municipality_a, coordinator):
    assert _record(coordinator, municipality_a, signed_on=timezone.localdate()).pk


@pytest.mark.django_db
@pytest.mark.parametrize(("months", "accepted"), [(0, False), (1, True), (120, True), (121, False)])
def test_the_term_is_from_1_to_120_months(municipality_a, coordinator, months, accepted):
    signed = days_ago(30)
    record = lambda: _record(  # noqa: E731
        coordinator,
        municipality_a,
        signed_on=signed,
        term_months=months,
        renewal_on=signed + datetime.timedelta(days=1),
    )
    if accepted:
        assert record().term_months == months
    else:
        with pytest.raises(ValidationError) as error:
            record()
        assert error.value.message_dict == {"term_months": ["The term is from 1 to 120 months."]}


@pytest.mark.django_db
def test_an_agreement_that_is_not_a_pdf_is_refused(municipality_a, coordinator):
    with pytest.raises(ValidationError) as error:
        _record(coordinator, municipality_a, upload=png("conveni.png"))
    assert error.value.message_dict == {
        "file": ["conveni.png is not a PDF: upload the signed agreement as a PDF."]
    }
    with pytest.raises(ValidationError) as error:
        _record(coordinator, municipality_a, upload=fake_pdf())  # an executable named .pdf
    assert error.value.messages == [NOT_ACCEPTED]
    with pytest.raises(ValidationError) as error:
        services.agreement_record(
            actor=coordinator, municipality=municipality_a, data=_data(), upload=None
        )
    assert error.value.message_dict == {"file": ["Upload the signed agreement as a PDF."]}
    assert not Agreement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="opening.agreement").exists()


# Renewals ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_renewal_names_the_agreement_it_renews_and_the_history_stays(municipality_a, coordinator):
    first = _record(coordinator, municipality_a, signed_on=days_ago(4 * 365))
    renewal = _record(coordinator, municipality_a, renews=first, signed_on=days_ago(10))
    assert renewal.renews == first and first.renewed_by == renewal
    assert selectors.agreement_history(first) == [renewal, first]
    assert selectors.agreement_history(renewal) == [renewal, first]
    assert selectors.latest_agreements([municipality_a.pk]) == {municipality_a.pk: renewal}
    assert AuditEvent.objects.filter(action="opening.agreement.renew").count() == 1


@pytest.mark.django_db
def test_an_agreement_is_renewed_once(municipality_a, coordinator):
    first = _record(coordinator, municipality_a, signed_on=days_ago(400))
    _record(coordinator, municipality_a, renews=first, signed_on=days_ago(10))
    with pytest.raises(ValidationError) as error:
        _record(coordinator, municipality_a, renews=first, signed_on=days_ago(5))
    assert error.value.messages == ["That agreement has been renewed already."]
    assert Agreement.objects.count() == 2


@pytest.mark.django_db
def test_another_municipalitys_agreement_is_not_renewed_here(municipality_a, office_b, coordinator):
    theirs = _record(coordinator, office_b.municipality)
    with pytest.raises(ValidationError) as error:
        _record(coordinator, municipality_a, renews=theirs)
    assert error.value.messages == ["That agreement is another municipality's."]


@pytest.mark.django_db
def test_a_renewal_is_signed_after_what_it_renews(municipality_a, coordinator):
    first = _record(coordinator, municipality_a, signed_on=days_ago(100))
    with pytest.raises(ValidationError) as error:
        _record(coordinator, municipality_a, renews=first, signed_on=days_ago(101))
    assert error.value.message_dict == {
        "signed_on": [f"A renewal is signed after the agreement it renews ({days_ago(100)})."]
    }


# Expiry ------------------------------------------------------------------------------------


def _unsaved(signed_on, term_months=12, renewal_on=None) -> Agreement:
    return Agreement(
        signed_on=signed_on,
        term_months=term_months,
        renewal_on=renewal_on or months_after(signed_on, term_months),
    )


@pytest.mark.parametrize(
    ("days_to_end", "flagged"), [(-1, False), (0, False), (1, True), (90, True), (91, False)]
)
def test_an_agreement_ending_within_90_days_is_flagged(days_to_end, flagged):
    today = datetime.date(2026, 6, 15)
    ends = today + datetime.timedelta(days=days_to_end)
    agreement = _unsaved(
        signed_on=datetime.date(ends.year - 4, ends.month, ends.day), term_months=48
    )
    assert agreement.ends_on == ends
    assert selectors.expiring(agreement, today) is flagged


def test_a_renewal_to_decide_within_90_days_is_flagged_though_it_ends_later():
    today = datetime.date(2026, 6, 15)
    agreement = _unsaved(
        datetime.date(2024, 1, 1), term_months=48, renewal_on=today + datetime.timedelta(days=30)
    )
    assert selectors.expiring(agreement, today)
    assert not selectors.expiring(None, today)


def test_a_term_ends_on_the_same_day_or_the_months_last():
    assert months_after(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert months_after(datetime.date(2023, 1, 31), 1) == datetime.date(2023, 2, 28)
    assert months_after(datetime.date(2024, 11, 15), 2) == datetime.date(2025, 1, 15)
    assert months_after(datetime.date(2024, 3, 10), 48) == datetime.date(2028, 3, 10)


@pytest.mark.django_db
def test_the_list_puts_those_ending_soonest_first_and_renewed_ones_last(
    municipality_a, office_b, coordinator
):
    old = _record(coordinator, municipality_a, signed_on=days_ago(3 * 365), term_months=36)
    renewal = _record(coordinator, municipality_a, renews=old, signed_on=days_ago(10))
    ending = _record(coordinator, office_b.municipality, signed_on=days_ago(700), term_months=24)
    rows = selectors.agreement_rows([old, renewal, ending])
    assert [r.agreement for r in rows] == [ending, renewal, old]
    flags = {r.agreement.pk: (r.in_force, r.expiring, r.renewed) for r in rows}
    assert flags[ending.pk] == (True, True, False)
    assert flags[renewal.pk] == (True, False, False)
    assert flags[old.pk][1:] == (False, True)  # renewed: history, never flagged


@pytest.mark.django_db
def test_the_board_flags_a_municipality_whose_agreement_ends_soon(path_a, coordinator):
    _record(coordinator, path_a.municipality, signed_on=days_ago(700), term_months=24)
    (row,) = selectors.board_rows([path_a])
    assert row.agreement_expiring and "expiring" in row.reasons
