"""Who sees which tool result, through the URLs: an office's staff see the results their
office holds, a citizen the ones in their account; anyone else gets the same 404 as for a
missing result, the probe audited. Where an advisor's result is filed, and the flags the
result pages show."""

import uuid

import pytest
from django.urls import reverse

from oae.cases.services import case_open
from oae.catalogue import services as catalogue
from oae.crm import services as crm_services
from oae.crm.models import ConsentEvent, LawfulBasis, Person, Purpose
from oae.network.models import OfficeRole
from oae.privacy.models import AuditEvent
from oae.testing.catalogue import build_small_model
from oae.testing.crm import client_with_company
from oae.testing.factories import MembershipFactory, UserFactory
from oae.tools import results
from oae.tools.models import Questionnaire, ToolResult

CANVAS = {"title": "Forn de pa Serra", "value": "Pa de massa mare cada matí"}


@pytest.fixture
def person_a(office_a):
    person, _company = client_with_company(office_a)
    return person


@pytest.fixture
def result_a(people, person_a):
    """A canvas advisor A kept with a client of office A."""
    return results.keep(actor=people["advisor_a"], tool="canvas", data=CANVAS, person=person_a)


@pytest.fixture
def sent_to_a(people, office_a):
    """A canvas the citizen sent to office A, not filed with anyone yet."""
    kept = results.keep_mine(user=people["citizen"], tool="canvas", data=CANVAS)
    return results.send_to_office(user=people["citizen"], result=kept, office=office_a, message="")


def _run_the_small_model(office) -> None:
    """The office runs the small network model (services "crear" and "financar")."""
    build_small_model()
    version = catalogue.network_publish(actor=None, changelog="v1")
    catalogue.office_catalogue_adopt(actor=None, office=office, version=version)


def _probes(public_id) -> int:
    return AuditEvent.objects.filter(action="access.denied", target_id=str(public_id)).count()


# Office staff ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_advisor_of_other_office_gets_404_for_a_result_and_the_probe_is_audited(
    client_for, result_a
):
    other = client_for("advisor_b")
    page = other.get(reverse("tools:result", args=[result_a.public_id]))
    document = other.get(reverse("tools:result_document", args=[result_a.public_id, "pdf"]))
    assert (page.status_code, document.status_code) == (404, 404)
    assert _probes(result_a.public_id) == 2
    own = client_for("advisor_a").get(reverse("tools:result", args=[result_a.public_id]))
    assert own.status_code == 200


@pytest.mark.django_db
def test_a_missing_result_gets_the_same_404_and_no_probe(client_for, people):
    missing = uuid.uuid4()
    response = client_for("advisor_a").get(reverse("tools:result", args=[missing]))
    assert response.status_code == 404
    assert _probes(missing) == 0


@pytest.mark.django_db
def test_a_citizens_unsent_result_is_no_offices(client_for, people):
    kept = results.keep_mine(user=people["citizen"], tool="canvas", data=CANVAS)
    response = client_for("advisor_a").get(reverse("tools:result", args=[kept.public_id]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_advisor_of_other_office_cannot_file_a_result_sent_to_office_a(
    client_for, sent_to_a, person_a
):
    response = client_for("advisor_b").post(
        reverse("tools:link", args=[sent_to_a.public_id]), {"person": person_a.public_id}
    )
    assert response.status_code == 404
    assert ToolResult.objects.get(pk=sent_to_a.pk).person is None


@pytest.mark.django_db
def test_filing_with_a_malformed_person_id_is_a_400(client_for, sent_to_a):
    response = client_for("advisor_a").post(
        reverse("tools:link", args=[sent_to_a.public_id]), {"person": "not-an-id"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_read_only_staff_see_a_sent_result_but_are_not_offered_to_file_it(
    client_for, sent_to_a, people
):
    page = client_for("readonly_a").get(reverse("tools:result", args=[sent_to_a.public_id]))
    body = page.content.decode()
    assert page.status_code == 200 and "Sent by a citizen" in body
    assert reverse("tools:link", args=[sent_to_a.public_id]) not in body
    assert "register the person" not in body
    advisor = client_for("advisor_a").get(reverse("tools:result", args=[sent_to_a.public_id]))
    assert "register the person" in advisor.content.decode()


@pytest.mark.django_db
def test_the_results_received_list_shows_only_the_users_offices(client_for, sent_to_a):
    url = reverse("tools:received")
    assert "Forn de pa Serra" in client_for("advisor_a").get(url).content.decode()
    assert "Forn de pa Serra" not in client_for("advisor_b").get(url).content.decode()


# Citizens --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_citizen_gets_404_for_a_kept_result_and_the_probe_is_audited(client_for, people):
    kept = results.keep_mine(user=people["citizen"], tool="canvas", data=CANVAS)
    stranger = client_for("anonymous")
    stranger.force_login(UserFactory(email="stranger@example.org"))
    urls = [
        reverse("tools:mine_detail", args=[kept.public_id]),
        reverse("tools:mine_document", args=[kept.public_id, "pdf"]),
    ]
    assert [stranger.get(url).status_code for url in urls] == [404, 404]
    deleted = stranger.post(reverse("tools:mine_delete", args=[kept.public_id]))
    assert deleted.status_code == 404 and ToolResult.objects.filter(pk=kept.pk).exists()
    assert _probes(kept.public_id) == 3
    assert "Forn de pa Serra" not in stranger.get(reverse("tools:mine")).content.decode()


@pytest.mark.django_db
def test_a_sent_result_offers_neither_sending_nor_deleting(client_for, sent_to_a):
    page = client_for("citizen").get(reverse("tools:mine_detail", args=[sent_to_a.public_id]))
    body = page.content.decode()
    assert "Sent to OAE Alfa" in body
    assert "Send it to an office" not in body and "Delete this result" not in body


@pytest.mark.django_db
def test_keeping_and_deleting_a_result_of_ones_own_is_audited(people):
    kept = results.keep_mine(user=people["citizen"], tool="canvas", data=CANVAS)
    results.delete_mine(user=people["citizen"], result=kept)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"tools.result.keep", "tools.result.delete"} <= actions


# Where an advisor's result is filed ---------------------------------------------------------


def _save_canvas_for(client, person) -> ToolResult:
    client.get(reverse("tools:index") + f"?person={person.public_id}")
    client.post(reverse("tools:canvas"), CANVAS)
    client.post(reverse("tools:save", args=["canvas"]))
    return ToolResult.objects.get(tool="canvas")


def _share(person):
    crm_services.consent_record(
        actor=None,
        office=person.office,
        person=person,
        purpose=Purpose.NETWORK_SHARING,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis=LawfulBasis.CONSENT,
        notice_version="2026-01",
    )


@pytest.mark.django_db
def test_a_result_for_a_shared_client_is_filed_in_the_savers_office(client_for, person_a, office_b):
    """An advisor of office B keeps a result with office A's shared client: office B holds it,
    and office A's record of the client is not written into."""
    _share(person_a)
    client = client_for("advisor_b")
    result = _save_canvas_for(client, person_a)
    assert (result.office, result.person) == (office_b, person_a)
    assert client.get(reverse("tools:result", args=[result.public_id])).status_code == 200


@pytest.mark.django_db
def test_no_result_is_kept_for_a_client_the_acting_office_may_not_serve(
    client_for, people, person_a, office_b
):
    """An advisor of offices A and B, acting for B, cannot keep a result with a client of A
    who does not share with the network: it is refused with a message, nothing is kept."""
    MembershipFactory(office=office_b, user=people["advisor_a"], role=OfficeRole.ADVISOR)
    client = client_for("advisor_a")
    client.post(reverse("accounts:office_switch"), {"office": str(office_b.public_id)})
    client.get(reverse("tools:index") + f"?person={person_a.public_id}")
    client.post(reverse("tools:canvas"), CANVAS)
    response = client.post(reverse("tools:save", args=["canvas"]), follow=True)
    assert response.status_code == 200
    assert "cannot keep results for this client" in response.content.decode()
    assert not ToolResult.objects.exists()


@pytest.mark.django_db
def test_a_result_with_a_case_is_filed_in_the_cases_office(client_for, people, office_a):
    _run_the_small_model(office_a)
    person, _company = client_with_company(office_a)
    advisor = people["advisor_a"]
    case = case_open(
        actor=advisor, office=office_a, service_code="crear", advisor=advisor, person=person
    )
    client = client_for("advisor_a")
    client.get(reverse("tools:index") + f"?case={case.public_id}")
    client.post(reverse("tools:canvas"), CANVAS)
    client.post(reverse("tools:save", args=["canvas"]))
    result = ToolResult.objects.get(tool="canvas")
    assert (result.office, result.case, result.person) == (office_a, case, person)


@pytest.mark.django_db
def test_a_malformed_client_in_the_tools_link_is_a_400_and_is_not_kept(client_for):
    client = client_for("advisor_a")
    response = client.get(reverse("tools:index") + "?person=not-an-id")
    assert response.status_code == 400
    assert client.get(reverse("tools:index")).status_code == 200


# The person page's section ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_person_page_shows_a_result_to_its_office_and_not_to_another(
    client_for, result_a, person_a
):
    Person.objects.filter(pk=person_a.pk).update(shares_with_network=True)
    url = reverse("crm:person_detail", args=[person_a.public_id])
    link = reverse("tools:result", args=[result_a.public_id])
    own = client_for("advisor_a").get(url).content.decode()
    assert "Tool results" in own and link in own
    other = client_for("advisor_b").get(url)
    assert other.status_code == 200  # the person is shared with the network...
    assert link not in other.content.decode()  # ...but not office A's results


# The self-diagnosis's recommended services --------------------------------------------------


@pytest.mark.django_db
def test_the_diagnosis_refuses_a_malformed_office(client):
    questionnaire = Questionnaire.objects.get(code="maduresa", version=1)
    client.post(
        reverse("tools:diagnosis"),
        {f"q-{q['id']}": "0" for q in questionnaire.content["questions"]},
    )
    response = client.get(reverse("tools:diagnosis_result") + "?office=not-an-id")
    assert response.status_code == 400
    nowhere = "?office=00000000-0000-0000-0000-000000000000"  # no such office: none shown
    assert client.get(reverse("tools:diagnosis_result") + nowhere).status_code == 200


@pytest.mark.django_db
def test_the_diagnosis_shows_the_services_of_the_office_the_advisor_acts_for(client_for, office_a):
    _run_the_small_model(office_a)
    questions = Questionnaire.objects.get(code="maduresa", version=1).content["questions"]
    answers = {f"q-{q['id']}": ("0" if q["dimension"] == "legal" else "3") for q in questions}
    advisor, citizen = client_for("advisor_a"), client_for("citizen")
    for client in (advisor, citizen):
        client.post(reverse("tools:diagnosis"), answers)
    page = advisor.get(reverse("tools:diagnosis_result"))
    assert page.context["office"] == office_a and "Crear una empresa" in page.content.decode()
    assert citizen.get(reverse("tools:diagnosis_result")).context["office"] is None


# The coordinators' pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_programme_is_a_404(client_for):
    client = client_for("coordinator")
    url = reverse("tools:programme_edit", args=["no-such-programme"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_legal_forms_page_shows_the_latest_guide_for_a_year_it_has_not(client_for):
    response = client_for("coordinator").get(reverse("tools:legal_forms"), {"year": "1999"})
    assert response.status_code == 200
    assert response.context["shown"].year == 2026


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["not-a-year", "123456789012", "²"])
def test_the_legal_forms_page_refuses_a_year_that_is_not_one(client_for, year):
    response = client_for("coordinator").get(reverse("tools:legal_forms"), {"year": year})
    assert response.status_code == 400


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_received_list_reads_a_fixed_number_of_queries(
    client_for, people, office_a, django_assert_max_num_queries
):
    for number in range(5):
        kept = results.keep_mine(
            user=people["citizen"], tool="canvas", data=CANVAS | {"title": f"Idea {number}"}
        )
        results.send_to_office(user=people["citizen"], result=kept, office=office_a, message="")
    client = client_for("advisor_a")
    with django_assert_max_num_queries(5):  # the rows, and the audit row of their read
        body = client.get(reverse("tools:received")).content.decode()
    assert all(f"Idea {number}" in body for number in range(5))


@pytest.mark.django_db
def test_my_results_list_reads_a_fixed_number_of_queries(
    client_for, people, office_a, django_assert_max_num_queries
):
    for number in range(5):
        kept = results.keep_mine(
            user=people["citizen"], tool="canvas", data=CANVAS | {"title": f"Idea {number}"}
        )
        results.send_to_office(user=people["citizen"], result=kept, office=office_a, message="")
    client = client_for("citizen")
    # The session, the user, the results; the navigation asks whether they follow an opening
    # path as a council officer (`scoping.follows_a_path`).
    with django_assert_max_num_queries(5):
        body = client.get(reverse("tools:mine")).content.decode()
    assert all(f"Idea {number}" in body for number in range(5))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("tools:parameters", 5),
        ("tools:programmes", 5),
        ("tools:questionnaire", 6),
        ("tools:legal_forms", 6),
    ],
)
def test_the_coordinators_lists_read_a_fixed_number_of_queries(
    client_for, name, queries, django_assert_max_num_queries
):
    """Each page lists the starter data the migrations load (two years, every programme)."""
    client = client_for("coordinator")
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(name))
    assert response.status_code == 200
