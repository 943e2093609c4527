"""Pages that list people's data write their read to the audit trail: who, for which office,
how many rows and which filters, never what was typed in a search."""

import pytest
from django.urls import reverse

from oae.privacy.models import AuditEvent
from oae.testing.crm import client_with_company


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "action"),
    [
        (reverse("crm:people"), "crm.people.list_read"),
        (reverse("cases:list"), "cases.case.list_read"),
        (reverse("cases:today"), "cases.day.read"),
        (reverse("cases:agenda"), "cases.agenda.week_read"),
        (reverse("cases:referrals"), "cases.referral.inbox_read"),
        (reverse("tools:received"), "tools.result.received_read"),
    ],
)
def test_a_list_of_peoples_data_is_audited_as_read(client_for, people, office_a, url, action):
    response = client_for("advisor_a").get(url)
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=action)
    assert (event.actor, event.office) == (people["advisor_a"], office_a)


@pytest.mark.django_db
def test_a_searched_list_records_which_filters_not_what_was_typed(client_for):
    client_for("advisor_a").get(reverse("crm:people"), {"search": "Rovira"})
    event = AuditEvent.objects.get(action="crm.people.list_read")
    assert event.details == {"filters": ["search"], "shown": 0}
    assert "Rovira" not in str(event.details) and "Rovira" not in event.target_label


@pytest.mark.django_db
def test_a_company_page_audits_the_people_it_lists(client_for, office_a):
    _person, company = client_with_company(office_a)
    client_for("advisor_a").get(reverse("crm:company_detail", args=[company.public_id]))
    assert AuditEvent.objects.get(action="crm.company.people_read").details["shown"] == 1
