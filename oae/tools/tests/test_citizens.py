"""Citizens keep tools' results in their account and send one to an office; the office files
it with the client's record."""

import pytest
from django.urls import reverse

from oae.crm import services as crm
from oae.privacy.models import AuditEvent
from oae.tools.models import ToolResult

CANVAS = {"title": "Taller de bicis", "value": "Reparació el mateix dia"}


def _kept(client) -> ToolResult:
    client.post(reverse("tools:canvas"), CANVAS)
    response = client.post(reverse("tools:keep_mine", args=["canvas"]))
    result = ToolResult.objects.get(tool="canvas")
    assert response["Location"] == reverse("tools:mine_detail", args=[result.public_id])
    return result


@pytest.mark.django_db
def test_without_an_account_the_result_page_invites_to_create_one(client):
    client.cookies["django_language"] = "en"
    client.post(reverse("tools:canvas"), CANVAS)
    page = client.get(reverse("tools:canvas")).content.decode()
    assert "create an account" in page and "/accounts/signup/?next=/eines/model-de-negoci/" in page
    response = client.post(reverse("tools:keep_mine", args=["canvas"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ToolResult.objects.exists()


@pytest.mark.django_db
def test_a_citizen_keeps_a_result_only_they_see_and_can_delete_it(client_for, people):
    client = client_for("citizen")
    result = _kept(client)
    assert (result.owner, result.office, result.person) == (people["citizen"], None, None)
    listing = client.get(reverse("tools:mine")).content.decode()
    assert "Taller de bicis" in listing
    detail = client.get(reverse("tools:mine_detail", args=[result.public_id])).content.decode()
    assert "Reparació el mateix dia" in detail and "Send it to an office" in detail
    pdf = client.get(reverse("tools:mine_document", args=[result.public_id, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    other = client_for("advisor_a").get(reverse("tools:mine_detail", args=[result.public_id]))
    assert other.status_code == 404
    client.post(reverse("tools:mine_delete", args=[result.public_id]))
    assert not ToolResult.objects.exists()
    assert "Nothing kept yet" in client.get(reverse("tools:mine")).content.decode()


@pytest.mark.django_db
def test_sending_needs_the_citizens_agreement_and_happens_once(client_for, office_a):
    client = client_for("citizen")
    result = _kept(client)
    url = reverse("tools:mine_detail", args=[result.public_id])
    refused = client.post(url, {"office": office_a.pk, "message": "Hola"})
    assert "This field is required" in refused.content.decode()
    assert ToolResult.objects.get().sent_at is None
    client.post(url, {"office": office_a.pk, "message": "Em podeu ajudar?", "agree": "on"})
    sent = ToolResult.objects.get()
    assert (sent.office, sent.message) == (office_a, "Em podeu ajudar?") and sent.sent_at
    assert AuditEvent.objects.filter(action="tools.result.send").exists()
    assert "Sent to OAE Alfa" in client.get(url).content.decode()
    client.post(reverse("tools:mine_delete", args=[result.public_id]))
    assert ToolResult.objects.exists()  # a sent result stays with the office


@pytest.mark.django_db
def test_the_office_files_a_sent_result_with_the_client(client_for, office_a, people):
    citizen = client_for("citizen")
    result = _kept(citizen)
    citizen.post(
        reverse("tools:mine_detail", args=[result.public_id]),
        {"office": office_a.pk, "agree": "on"},
    )
    advisor = client_for("advisor_a")
    inbox = advisor.get(reverse("tools:received")).content.decode()
    assert "Taller de bicis" in inbox and "citizen@example.org" in inbox
    other = client_for("advisor_b").get(reverse("tools:received")).content.decode()
    assert "Taller de bicis" not in other
    page = advisor.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert "register the person" in page  # nobody with that e-mail yet

    person = crm.person_create(
        actor=people["advisor_a"],
        office=office_a,
        data={"first_name": "Clara", "last_name": "Puig", "email": "citizen@example.org"},
    )
    page = advisor.get(reverse("tools:result", args=[result.public_id])).content.decode()
    assert str(person.public_id) in page
    advisor.post(reverse("tools:link", args=[result.public_id]), {"person": person.public_id})
    assert ToolResult.objects.get().person == person
    assert "Taller de bicis" not in advisor.get(reverse("tools:received")).content.decode()
    record = advisor.get(reverse("crm:person_detail", args=[person.public_id])).content.decode()
    assert reverse("tools:result", args=[result.public_id]) in record
    again = advisor.post(
        reverse("tools:link", args=[result.public_id]), {"person": person.public_id}, follow=True
    )
    assert "not filed yet can be linked" in again.content.decode()
