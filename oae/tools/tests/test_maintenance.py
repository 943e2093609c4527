"""Coordinators maintain the questionnaire (versioned) and the financing programmes."""

import json

import pytest
from django.urls import reverse

from oae.tools.models import FinancingProgramme, Questionnaire


@pytest.mark.django_db
def test_a_questionnaire_change_is_a_draft_until_published(client_for):
    client = client_for("coordinator")
    content = Questionnaire.objects.get(code="maduresa").content
    content["questions"][0]["weight"] = 3
    bad = client.post(reverse("tools:questionnaire"), {"content": '{"dimensions": ['})
    assert "not valid JSON" in bad.content.decode()
    broken = dict(content, questions=[{"id": "x", "dimension": "none", "text": {"ca": "?"}}])
    refused = client.post(reverse("tools:questionnaire"), {"content": json.dumps(broken)})
    assert "belongs to no dimension" in refused.content.decode()
    client.post(reverse("tools:questionnaire"), {"content": json.dumps(content)})
    draft = Questionnaire.objects.get(code="maduresa", version=2)
    assert draft.published_at is None
    assert (
        client_for("anonymous").get(reverse("tools:diagnosis")).context["questionnaire"].version
        == 1
    )
    client.post(reverse("tools:questionnaire_publish"))
    assert (
        client_for("anonymous").get(reverse("tools:diagnosis")).context["questionnaire"].version
        == 2
    )
    assert client_for("auditor").post(reverse("tools:questionnaire_publish")).status_code == 403


@pytest.mark.django_db
def test_a_programme_is_saved_only_with_valid_rules(client_for):
    client = client_for("coordinator")
    data = {
        "code": "nou-ajut",
        "kind": "grant",
        "provider": "Ajuntament",
        "url": "",
        "active": "on",
        "name_ca": "Ajut nou",
        "description_ca": "Un ajut",
        "rules": '{"max_employees": 5, "colour": "red"}',
    }
    refused = client.post(reverse("tools:programme_create"), data)
    assert (
        "colour" in refused.content.decode()
        and not FinancingProgramme.objects.filter(code="nou-ajut").exists()
    )
    client.post(reverse("tools:programme_create"), data | {"rules": '{"max_employees": 5}'})
    saved = FinancingProgramme.objects.get(code="nou-ajut")
    assert saved.rules == {"max_employees": 5} and saved.name["ca"] == "Ajut nou"
