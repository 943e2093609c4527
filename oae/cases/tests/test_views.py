"""Case screens through their URLs, as the personas who use them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oae.cases.models import Case, CaseState, Session
from oae.cases.services import attachment_add, session_log, task_add
from oae.cases.templatetags.cases import hours


@pytest.mark.django_db
def test_an_advisor_opens_a_case_from_the_clients_page(client_for, model, client_a, office_a):
    person, _company = client_a
    client = client_for("advisor_a")
    url = reverse("cases:open") + f"?person={person.public_id}"
    page = client.get(url)
    assert page.status_code == 200 and "Anna Serra" in page.content.decode()
    advisor_pk = page.context["form"].initial["advisor"]
    response = client.post(url, {"service": "crear", "advisor": advisor_pk})
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])
    assert case.person == person and case.office == office_a


@pytest.mark.django_db
def test_a_phone_call_is_logged_from_the_case_page(client_for, case_a):
    client = client_for("advisor_a")
    when = (timezone.localtime() - datetime.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:session_add", args=[case_a.public_id]),
        {"started_at": when, "duration_minutes": "15", "channel": "phone", "topics": "Dubte IVA"},
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.duration_minutes, session.channel, session.topics) == (15, "phone", "Dubte IVA")
    page = client.get(reverse("cases:detail", args=[case_a.public_id])).content.decode()
    assert "Dubte IVA" in page and "15 min" in page


@pytest.mark.django_db
def test_a_session_in_the_future_is_refused_with_a_message(client_for, case_a):
    client = client_for("advisor_a")
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:session_add", args=[case_a.public_id]),
        {"started_at": tomorrow, "duration_minutes": "30", "channel": "phone"},
        follow=True,
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_read_only_staff_see_the_case_but_cannot_change_it(client_for, case_a):
    client = client_for("readonly_a")
    page = client.get(reverse("cases:detail", args=[case_a.public_id]))
    assert page.status_code == 200 and "Log a session" not in page.content.decode()
    response = client.post(
        reverse("cases:close", args=[case_a.public_id]),
        {"reason": "goals_met", "version": case_a.lock_version},
    )
    assert response.status_code == 403
    case_a.refresh_from_db()
    assert case_a.state == CaseState.OPEN


@pytest.mark.django_db
def test_another_office_gets_404_for_the_case_and_its_documents(client_for, case_a, people):
    document = attachment_add(
        actor=people["advisor_a"], case=case_a, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")
    )
    client = client_for("advisor_b")
    assert client.get(reverse("cases:detail", args=[case_a.public_id])).status_code == 404
    download = reverse("cases:attachment_download", args=[document.public_id])
    assert client.get(download).status_code == 404
    own = client_for("advisor_a").get(download)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith('attachment; filename="a.pdf"')


@pytest.mark.django_db
def test_closing_and_reopening_through_the_page(client_for, case_a):
    client = client_for("advisor_a")
    client.post(
        reverse("cases:close", args=[case_a.public_id]),
        {"reason": "goals_met", "note": "", "version": case_a.lock_version},
    )
    case_a.refresh_from_db()
    assert case_a.state == CaseState.CLOSED
    page = client.get(reverse("cases:detail", args=[case_a.public_id])).content.decode()
    assert "Log a session" not in page and "Reopen the case" in page
    stale = client.post(
        reverse("cases:reopen", args=[case_a.public_id]),
        {"reason": "Torna", "version": case_a.lock_version - 1},
        follow=True,
    )
    assert "changed this meanwhile" in stale.content.decode()
    client.post(
        reverse("cases:reopen", args=[case_a.public_id]),
        {"reason": "Torna", "version": case_a.lock_version},
    )
    case_a.refresh_from_db()
    assert case_a.state == CaseState.REOPENED


@pytest.mark.django_db
def test_the_day_view_fits_in_a_fixed_number_of_queries(
    client_for, case_a, people, django_assert_max_num_queries
):
    for n in range(5):
        task_add(
            actor=people["advisor_a"],
            case=case_a,
            title=f"Tasca {n}",
            due_on=timezone.localdate(),
            assignee=people["advisor_a"],
        )
    client = client_for("advisor_a")
    with django_assert_max_num_queries(14):
        page = client.get(reverse("cases:today"))
    assert "Tasca 4" in page.content.decode()


@pytest.mark.django_db
def test_the_case_page_query_count_does_not_grow_with_its_content(
    client_for, case_a, people, django_assert_max_num_queries
):
    for n in range(6):
        session_log(
            actor=people["advisor_a"],
            case=case_a,
            started_at=timezone.now() - datetime.timedelta(days=n + 1),
            duration_minutes=30,
            channel="phone",
            topics=f"Tema {n}",
        )
    client = client_for("advisor_a")
    with django_assert_max_num_queries(26):
        page = client.get(reverse("cases:detail", args=[case_a.public_id]))
    assert "Tema 5" in page.content.decode()


@pytest.mark.django_db
def test_the_case_list_filters_by_state_and_overdue(client_for, case_a):
    client = client_for("advisor_a")
    listed = client.get(reverse("cases:list"))
    assert [c.pk for c in listed.context["page"].object_list] == [case_a.pk]
    closed = client.get(reverse("cases:list"), {"state": "closed"})
    assert list(closed.context["page"].object_list) == []
    overdue = client.get(reverse("cases:list"), {"overdue": "1", "from": "2000-01-01"})
    assert list(overdue.context["page"].object_list) == []
    assert client.get(reverse("cases:list"), {"from": "not-a-date"}).status_code == 400


def test_minutes_read_as_hours():
    assert [hours(45), hours(60), hours(200), hours(None)] == [
        "45 min",
        "1 h",
        "3 h 20 min",
        "0 min",
    ]
