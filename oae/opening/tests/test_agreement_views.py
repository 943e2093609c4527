"""The agreements' pages: coordinators record and renew them through forms that say what is
wrong on the field it is about; each municipality's own people read their agreements only, and
staff who follow no path read none."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oae.opening import services
from oae.opening.models import Agreement, months_after
from oae.opening.tests.conftest import days_ago, fake_pdf, pdf, png, signed_in
from oae.testing.factories import MunicipalityFactory

NOT_ACCEPTED = (
    "carta.pdf is not a file we accept: upload a PDF, an image (PNG, JPEG) or a document "
    "(Word, Excel, ODT, ODS)."
)


def _url(name, *args) -> str:
    return reverse(f"opening:{name}", args=args)


def _form(municipality=None, upload=None, **overrides) -> dict:
    signed = overrides.pop("signed_on", days_ago(20))
    data = {
        "parties": "Xarxa OAE i Ajuntament",
        "signed_on": str(signed),  # a day, or what a browser might send
        "term_months": "48",
        "renewal_on": months_after(days_ago(20), 45).isoformat(),
        "network_obligations": "Formació",
        "municipality_obligations": "Local i personal",
        "file": upload or pdf("conveni.pdf"),
    } | {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in overrides.items()}
    if municipality is not None:
        data["municipality"] = municipality.pk
    return data


def _agreement(municipality, coordinator, signed_on=None, renews=None) -> Agreement:
    signed_on = signed_on or days_ago(100)
    return services.agreement_record(
        actor=coordinator,
        municipality=municipality,
        data={
            "parties": "Xarxa OAE i Ajuntament",
            "signed_on": signed_on,
            "term_months": 48,
            "renewal_on": months_after(signed_on, 45),
            "network_obligations": "Formació",
            "municipality_obligations": "Local",
        },
        upload=pdf("conveni.pdf"),
        renews=renews,
    )


@pytest.fixture
def coordinator_client(coordinator):
    return signed_in(coordinator)


@pytest.mark.django_db
def test_a_coordinator_records_a_signed_agreement(coordinator_client, path_a, office_a):
    assert coordinator_client.get(_url("agreement_new")).status_code == 200
    response = coordinator_client.post(_url("agreement_new"), _form(office_a.municipality))
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("agreement", agreement.public_id)
    page = coordinator_client.get(_url("agreement", agreement.public_id))
    assert page.status_code == 200
    assert b"Collaboration agreement with Sant Boi de Llobregat" in page.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"renewal_on": days_ago(25)},
            {"renewal_on": ["The renewal date must come after the signature."]},
        ),
        (
            {"renewal_on": days_ago(20)},  # the same day as the signature
            {"renewal_on": ["The renewal date must come after the signature."]},
        ),
        (
            {
                "signed_on": timezone.localdate() + datetime.timedelta(days=1),
                "renewal_on": days_ago(-400),
            },
            {"signed_on": ["An agreement is recorded once signed: the date is in the future."]},
        ),
        ({"term_months": "0"}, {"term_months": ["The term is from 1 to 120 months."]}),
        ({"term_months": "121"}, {"term_months": ["The term is from 1 to 120 months."]}),
        (
            {"upload": png("conveni.png")},
            {"file": ["conveni.png is not a PDF: upload the signed agreement as a PDF."]},
        ),
        ({"upload": fake_pdf()}, {"__all__": [NOT_ACCEPTED]}),
        ({"signed_on": "2026-02-30"}, {"signed_on": ["Enter a valid date."]}),
    ],
    ids=[
        "renewal before signature",
        "renewal on the signature's day",
        "signed in the future",
        "no term",
        "term too long",
        "an image",
        "an executable named .pdf",
        "not a day",
    ],
)
def test_an_agreement_refused_is_said_on_its_form(
    coordinator_client, path_a, office_a, overrides, errors
):
    upload = overrides.pop("upload", None)
    form = _form(office_a.municipality, upload=upload, **overrides)
    response = coordinator_client.post(_url("agreement_new"), form)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not Agreement.objects.exists()
    assert b"error-summary" in response.content


@pytest.mark.django_db
def test_an_agreement_without_its_file_is_refused_on_the_form(coordinator_client, path_a, office_a):
    form = _form(office_a.municipality)
    del form["file"]
    response = coordinator_client.post(_url("agreement_new"), form)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_renewal_starts_from_the_terms_it_renews_and_is_recorded_once(
    coordinator_client, path_a, office_a, coordinator
):
    first = _agreement(office_a.municipality, coordinator, signed_on=days_ago(1400))
    page = coordinator_client.get(_url("agreement_renew", first.public_id))
    assert page.status_code == 200
    assert page.context["form"].initial["parties"] == "Xarxa OAE i Ajuntament"
    response = coordinator_client.post(
        _url("agreement_renew", first.public_id), _form(signed_on=days_ago(5))
    )
    renewal = Agreement.objects.get(renews=first)
    assert response["Location"] == _url("agreement", renewal.public_id)
    history = coordinator_client.get(_url("agreement", first.public_id)).context["history"]
    assert history == [renewal, first]
    again = coordinator_client.post(
        _url("agreement_renew", first.public_id), _form(signed_on=days_ago(4))
    )
    assert again.status_code == 200
    assert again.context["form"].errors == {"__all__": ["That agreement has been renewed already."]}
    before = coordinator_client.post(
        _url("agreement_renew", renewal.public_id), _form(signed_on=days_ago(6))
    )
    assert before.context["form"].errors == {
        "signed_on": [f"A renewal is signed after the agreement it renews ({days_ago(5)})."]
    }
    assert Agreement.objects.count() == 2


@pytest.mark.django_db
def test_the_list_flags_an_agreement_ending_within_90_days(
    coordinator_client, path_a, office_a, coordinator
):
    services.agreement_record(
        actor=coordinator,
        municipality=office_a.municipality,
        data={
            "parties": "Xarxa OAE i Ajuntament",
            "signed_on": days_ago(700),
            "term_months": 24,
            "renewal_on": days_ago(100),
            "network_obligations": "Formació",
            "municipality_obligations": "Local",
        },
        upload=pdf(),
    )
    response = coordinator_client.get(_url("agreements"))
    (row,) = response.context["rows"]
    assert row.expiring and row.in_force
    assert b"ends within 90 days" in response.content
    board = coordinator_client.get(_url("board"))
    assert board.context["rows"][0].agreement_expiring


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "own", "other", "listed"),
    [
        ("coordinator", 200, 200, 2),
        ("auditor", 200, 200, 2),
        ("manager_a", 200, 404, 1),
        ("contact_a", 200, 404, 1),
    ],
)
def test_each_reads_their_municipalitys_agreements_only(
    people, request, path_a, path_b, office_a, office_b, coordinator, persona, own, other, listed
):
    ours = _agreement(office_a.municipality, coordinator)
    theirs = _agreement(office_b.municipality, coordinator)
    user = request.getfixturevalue(persona) if persona.startswith("contact") else people[persona]
    client = signed_in(user)
    assert client.get(_url("agreement", ours.public_id)).status_code == own
    assert client.get(_url("agreement_file", ours.public_id)).status_code == own
    assert client.get(_url("agreement", theirs.public_id)).status_code == other
    assert client.get(_url("agreement_file", theirs.public_id)).status_code == other
    assert len(client.get(_url("agreements")).context["rows"]) == listed


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_a", "readonly_a", "advisor_b"])
def test_staff_who_follow_no_path_read_no_agreement(
    people, path_a, path_b, office_a, office_b, coordinator, persona
):
    ours = _agreement(office_a.municipality, coordinator)
    theirs = _agreement(office_b.municipality, coordinator)
    client = signed_in(people[persona])
    urls = [_url("agreements")] + [
        _url(name, agreement.public_id)
        for agreement in (ours, theirs)
        for name in ("agreement", "agreement_file")
    ]
    assert {url: client.get(url).status_code for url in urls} == {url: 403 for url in urls}


@pytest.mark.django_db
def test_the_signed_pdf_downloads_under_its_name(coordinator_client, path_a, office_a, coordinator):
    agreement = _agreement(office_a.municipality, coordinator)
    response = coordinator_client.get(_url("agreement_file", agreement.public_id))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="conveni.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "auditor", "contact_a"])
def test_only_coordinators_record_or_renew_agreements(
    people, request, path_a, office_a, coordinator, persona
):
    first = _agreement(office_a.municipality, coordinator)
    user = request.getfixturevalue(persona) if persona.startswith("contact") else people[persona]
    client = signed_in(user)
    assert client.get(_url("agreement_new")).status_code == 403
    assert client.post(_url("agreement_new"), _form(office_a.municipality)).status_code == 403
    assert client.post(_url("agreement_renew", first.public_id), _form()).status_code == 403
    assert Agreement.objects.count() == 1


def _agreements_queries(client, django_assert_max_num_queries) -> tuple[int, int]:
    with django_assert_max_num_queries(20) as captured:
        response = client.get(_url("agreements"))
    return len(captured.captured_queries), len(response.context["rows"])


@pytest.mark.django_db
def test_the_agreements_lists_queries_do_not_grow_with_its_rows(
    coordinator_client, playbook_v1, coordinator, django_assert_max_num_queries
):
    def more(count):
        for _number in range(count):
            municipality = MunicipalityFactory()
            first = _agreement(municipality, coordinator, signed_on=days_ago(1500))
            _agreement(municipality, coordinator, signed_on=days_ago(10), renews=first)

    more(2)
    few, rows = _agreements_queries(coordinator_client, django_assert_max_num_queries)
    assert rows == 4
    more(6)
    many, rows = _agreements_queries(coordinator_client, django_assert_max_num_queries)
    assert (many, rows) == (few, 16)
