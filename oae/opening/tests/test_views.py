"""The opening pages as each role opens them: only those who follow paths (coordinators,
auditors, office managers, the councils' contacts) reach any of them, the rest of the staff
get 403; the board (coordinators see every path, with filters; someone with one path goes
straight to it), a path's page, evidence brought by the municipality's contacts (another
town's get 404, the office's manager 403), items sent back with their reason, the
coordinators' writes, the calendar address made only when asked for; every refusal a message
or a form error, never a server error; the board's queries do not grow with the number of
paths."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oae.network.models import Membership
from oae.opening import contacts, reminders, services
from oae.opening.models import Contact, DueDateFeed, Evidence, ItemState, Path
from oae.opening.tests.conftest import days_ago, fake_pdf, pdf, signed_in
from oae.testing.factories import MunicipalityFactory, OfficeFactory

NOT_ACCEPTED = (
    "carta.pdf is not a file we accept: upload a PDF, an image (PNG, JPEG) or a document "
    "(Word, Excel, ODT, ODS)."
)


def _messages(response) -> list[str]:
    """The messages the request left (each request's own: the tests follow no redirect, so
    the ones of a request before are read and dropped here)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def _post(client, url, data=None):
    """A POST whose messages are its own: the client drops those left by earlier requests."""
    client.cookies.pop("messages", None)
    return client.post(url, data or {})


def _url(name, *args) -> str:
    return reverse(f"opening:{name}", args=args)


def _done(path, key) -> bool:
    return ItemState.objects.filter(
        path=path, item_key=key, review=None, done_at__isnull=False
    ).exists()


@pytest.fixture
def as_(people, request):
    """A client signed in as a persona or a municipality's contact (`contact_a`, `contact_b`:
    their paths start when asked for); anonymous: none."""

    def make(persona: str) -> Client:
        user = request.getfixturevalue(persona) if persona.startswith("contact_") else None
        user = user or people[persona]
        if user is None:
            client = Client()
            client.cookies["django_language"] = "en"
            return client
        return signed_in(user)

    return make


# The board ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinators_see_every_path_with_what_needs_attention_first(as_, path_a, path_b):
    Path.objects.filter(pk=path_b.pk).update(stage_since=days_ago(40))  # its items overdue
    response = as_("coordinator").get(_url("board"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.path for r in rows] == [path_b, path_a]
    assert rows[0].reasons == ["overdue"] and rows[1].reasons == []
    assert response.context["can_edit"]
    assert _url("path_start").encode() in response.content


@pytest.mark.django_db
def test_the_board_filters_by_stage_attention_and_town(as_, path_a, path_b, coordinator):
    services.evidence_add(actor=coordinator, path=path_b, item_key="first_meeting", note="Fet")
    services.evidence_add(
        actor=coordinator, path=path_b, item_key="letter_of_interest", upload=pdf()
    )
    contacts.contact_invite(actor=coordinator, path=path_b, email="ajuntament@badalona.example")
    Path.objects.filter(pk=path_a.pk).update(stage_since=days_ago(40))
    client = as_("coordinator")

    def shown(**query):
        return [r.path for r in client.get(_url("board"), query).context["rows"]]

    assert shown(stage="diagnosis") == [path_b]
    assert shown(stage="interest") == [path_a]
    assert shown(attention="on") == [path_a]
    assert shown(q="badal") == [path_b]
    assert shown(q="sant boi") == [path_a]
    assert shown(q="girona") == []
    response = client.get(_url("board"), {"q": "girona"})
    assert b"No path matches these filters." in response.content
    counts = {key: count for key, _name, count in response.context["counts"]}
    assert (counts["interest"], counts["diagnosis"], counts["agreement"]) == (1, 1, 0)


@pytest.mark.django_db
def test_auditors_read_the_board_without_starting_anything(as_, path_a, path_b):
    response = as_("auditor").get(_url("board"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 2
    assert not response.context["can_edit"]
    assert _url("path_start").encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "contact_a"])
def test_someone_with_one_path_goes_straight_to_it(as_, path_a, path_b, persona):
    response = as_(persona).get(_url("board"))
    assert response.status_code == 302
    assert response["Location"] == _url("path", path_a.public_id)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["advisor_a", "readonly_a", "advisor_b"])
def test_staff_who_follow_no_path_are_refused_every_opening_page(
    as_, path_a, path_b, coordinator, persona
):
    """Office staff other than managers do not follow paths: every opening page, their own
    office's path included, is refused, and the navigation offers no link to it."""
    evidence = services.evidence_add(
        actor=coordinator, path=path_a, item_key="letter_of_interest", upload=pdf()
    )
    client = as_(persona)
    pages = [
        _url("board"),
        _url("path", path_a.public_id),
        _url("path", path_b.public_id),
        _url("evidence_download", evidence.public_id),
        _url("agreements"),
        _url("playbook"),
        _url("playbook_version", 1),
    ]
    assert {url: client.get(url).status_code for url in pages} == {url: 403 for url in pages}
    refused = _post(client, _url("evidence_add", path_a.public_id), {"item": "first_meeting"})
    assert refused.status_code == 403
    assert client.post(_url("feed_renew")).status_code == 403
    assert Evidence.objects.count() == 1 and not DueDateFeed.objects.exists()
    overview = client.get(reverse("network:overview"))
    assert overview.status_code == 200
    assert _url("board") not in overview.content.decode()


@pytest.mark.django_db
def test_citizens_are_refused_and_visitors_sent_to_sign_in(as_, path_a):
    assert as_("citizen").get(_url("board")).status_code == 403
    response = as_("anonymous").get(_url("board"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _more_paths(count, coordinator):
    for _number in range(count):
        municipality = MunicipalityFactory()
        office = OfficeFactory(municipality=municipality)
        path = services.path_start(
            actor=coordinator, municipality=municipality, office=office, started_on=days_ago(60)
        )
        services.evidence_add(actor=coordinator, path=path, item_key="first_meeting", note="Fet")
        services.agreement_record(
            actor=coordinator,
            municipality=municipality,
            data={
                "parties": "Xarxa i ajuntament",
                "signed_on": days_ago(700),
                "term_months": 24,
                "renewal_on": days_ago(100),
                "network_obligations": "Formació",
                "municipality_obligations": "Local",
            },
            upload=pdf(),
        )


def _board_queries(client, django_assert_max_num_queries, ceiling):
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(_url("board"))
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["rows"])


@pytest.mark.django_db
def test_the_boards_queries_do_not_grow_with_the_number_of_paths(
    as_, path_a, coordinator, django_assert_max_num_queries
):
    client = as_("coordinator")
    _more_paths(3, coordinator)
    few, rows = _board_queries(client, django_assert_max_num_queries, 25)
    assert rows == 4
    _more_paths(9, coordinator)
    many, rows = _board_queries(client, django_assert_max_num_queries, 25)
    assert rows == 13
    assert many == few


# A path's page -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("coordinator", 200, 200),
        ("auditor", 200, 200),
        ("manager_a", 200, 404),
        ("contact_a", 200, 404),
        ("contact_b", 404, 200),
        ("advisor_a", 403, 403),
        ("readonly_a", 403, 403),
        ("advisor_b", 403, 403),
        ("citizen", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_who_opens_a_path(as_, path_a, path_b, persona, own, other):
    client = as_(persona)
    assert client.get(_url("path", path_a.public_id)).status_code == own
    assert client.get(_url("path", path_b.public_id)).status_code == other


@pytest.mark.django_db
def test_a_contact_sees_their_path_with_the_evidence_forms_and_no_coordinator_forms(as_, path_a):
    response = as_("contact_a").get(_url("path", path_a.public_id))
    content = response.content.decode()
    assert response.context["can_add_evidence"] and not response.context["can_edit"]
    assert _url("evidence_add", path_a.public_id) in content
    assert _url("contact_invite", path_a.public_id) not in content
    assert _url("item_reopen", path_a.public_id) not in content
    assert "Completes itself when a municipal contact is invited." not in content  # done


@pytest.mark.django_db
def test_a_manager_reads_the_path_without_bringing_evidence(as_, path_a):
    response = as_("manager_a").get(_url("path", path_a.public_id))
    assert not response.context["can_add_evidence"]
    assert _url("evidence_add", path_a.public_id) not in response.content.decode()


@pytest.mark.django_db
def test_the_path_shows_an_item_a_fact_no_longer_completes(as_, path_a, people, office_a):
    Membership.objects.filter(user=people["advisor_a"], office=office_a).update(is_active=False)
    response = as_("coordinator").get(_url("path", path_a.public_id))  # the page looks again
    assert not _done(path_a, "staff_in_place")
    today = timezone.localdate()
    assert f"Open again since {today:%m/%d/%Y}: it is no longer true." in response.content.decode()


# Evidence ----------------------------------------------------------------------------------


def _evidence(client, path, item, **data):
    return _post(client, _url("evidence_add", path.public_id), {"item": item, **data})


@pytest.mark.django_db
def test_a_contact_brings_a_document_for_their_municipality(as_, path_a, contact_a):
    response = _evidence(as_("contact_a"), path_a, "letter_of_interest", file=pdf())
    assert response.status_code == 302
    assert response["Location"] == _url("path", path_a.public_id)
    assert _messages(response) == ["Evidence added: the item is done."]
    evidence = Evidence.objects.get()
    assert evidence.added_by == contact_a and _done(path_a, "letter_of_interest")
    download = as_("manager_a").get(_url("evidence_download", evidence.public_id))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert as_("contact_b").get(_url("evidence_download", evidence.public_id)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("contact_b", 404), ("manager_a", 403)])
def test_evidence_from_another_towns_contact_or_the_manager_is_refused(
    as_, path_a, persona, status
):
    response = _evidence(as_(persona), path_a, "first_meeting", note="Fet")
    assert response.status_code == status
    assert not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("item", "data", "message"),
    [
        (
            "letter_of_interest",
            {"note": "Adjunta"},
            "This item is completed by a document: choose the file to upload.",
        ),
        ("letter_of_interest", {"file": fake_pdf()}, NOT_ACCEPTED),
        (
            "contact_named",
            {"note": "Ja en tenim"},
            "This item completes itself when a municipal contact is invited.",
        ),
        (
            "council_approval",
            {"url": ""},
            "This item is completed by a link: give its address (https://…).",
        ),
        ("council_approval", {"url": "not a link at all"}, "Enter a valid URL."),
        ("first_meeting", {"note": ""}, "This item is completed by a note: write what was done."),
        ("no_such_item", {"note": "x"}, "That item is not in this path's playbook."),
    ],
)
def test_evidence_refused_is_said_in_a_message(as_, path_a, item, data, message):
    response = _evidence(as_("contact_a"), path_a, item, **data)
    assert response.status_code == 302
    assert _messages(response) == [message]
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_coordinators_send_an_item_back_with_a_reason(as_, path_a, coordinator):
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    client = as_("coordinator")
    response = _post(client, _url("item_reopen", path_a.public_id), {"item": "first_meeting"})
    assert _messages(response) == ["Say why the item is open again: its owner reads it."]
    assert _done(path_a, "first_meeting")
    response = _post(
        client,
        _url("item_reopen", path_a.public_id),
        {"item": "first_meeting", "reason": "Falta l'acta"},
    )
    assert _messages(response) == ["The item is open again."]
    assert not _done(path_a, "first_meeting")
    response = _post(
        client,
        _url("item_reopen", path_a.public_id),
        {"item": "first_meeting", "reason": "Un altre cop"},
    )
    assert _messages(response) == ["That item is not done."]
    refused = as_("contact_a").post(
        _url("item_reopen", path_a.public_id), {"item": "first_meeting", "reason": "x"}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_an_item_sent_back_shows_why_to_its_owner_until_new_evidence(as_, path_a, coordinator):
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    _post(
        as_("coordinator"),
        _url("item_reopen", path_a.public_id),
        {"item": "first_meeting", "reason": "Sense acta signada"},
    )
    sent_back = f"Sent back on {timezone.localdate():%m/%d/%Y}: Sense acta signada"
    contact = as_("contact_a")
    assert sent_back in contact.get(_url("path", path_a.public_id)).content.decode()
    _evidence(contact, path_a, "first_meeting", note="Acta signada adjunta")
    assert _done(path_a, "first_meeting")
    page = contact.get(_url("path", path_a.public_id)).content.decode()
    assert "Sent back on" not in page
    assert "Sense acta signada" not in page


# Starting a path, its office, its version, its contacts --------------------------------------


@pytest.mark.django_db
def test_coordinators_start_a_municipality_and_refusals_show_on_the_form(
    as_, playbook_v1, office_a
):
    client = as_("coordinator")
    assert client.get(_url("path_start")).status_code == 200
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"municipality": office_a.municipality.pk, "started_on": tomorrow.isoformat()}
    response = _post(client, _url("path_start"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": ["A path cannot start in the future."]}
    response = _post(client, _url("path_start"), data | {"started_on": "2026-02-30"})
    assert response.status_code == 200 and "started_on" in response.context["form"].errors
    response = _post(client, _url("path_start"), data | {"started_on": days_ago(3).isoformat()})
    path = Path.objects.get()
    assert response["Location"] == _url("path", path.public_id)
    assert _messages(response) == ["Sant Boi de Llobregat's opening path has started."]
    again = client.post(_url("path_start"), data | {"started_on": days_ago(3).isoformat()})
    assert "municipality" in again.context["form"].errors  # no longer among the choices
    assert as_("manager_a").get(_url("path_start")).status_code == 403
    assert as_("auditor").post(_url("path_start"), data).status_code == 403


@pytest.mark.django_db
def test_the_paths_office_is_chosen_among_the_municipalitys(as_, path_a, office_b, office_a):
    client = as_("coordinator")
    response = _post(client, _url("path_office", path_a.public_id), {"office": office_b.pk})
    assert _messages(response) == ["Choose one of the municipality's offices."]
    response = _post(client, _url("path_office", path_a.public_id), {"office": ""})
    assert _messages(response) == ["The path's office has been saved."]
    path_a.refresh_from_db()
    assert path_a.office is None
    assert (
        as_("manager_a")
        .post(_url("path_office", path_a.public_id), {"office": office_a.pk})
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_a_path_on_the_latest_version_is_not_moved(as_, path_a):
    response = _post(as_("coordinator"), _url("path_move", path_a.public_id))
    assert _messages(response) == ["A path only moves to a newer version of the playbook."]


@pytest.mark.django_db
def test_coordinators_invite_a_contact_once_and_toggle_their_access(
    as_, path_a, django_capture_on_commit_callbacks
):
    client = as_("coordinator")
    response = _post(client, _url("contact_invite", path_a.public_id), {"email": "not-an-email"})
    assert _messages(response) == ["Give the contact's e-mail address."]
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client, _url("contact_invite", path_a.public_id), {"email": "regidoria@santboi.example"}
        )
    assert _messages(response) == ["Invitation sent to regidoria@santboi.example."]
    assert [m.to for m in mail.outbox] == [["regidoria@santboi.example"]]
    response = _post(
        client, _url("contact_invite", path_a.public_id), {"email": "regidoria@santboi.example"}
    )
    assert _messages(response) == ["regidoria@santboi.example already follows this path."]
    contact = Contact.objects.get(user__email="regidoria@santboi.example")
    assert as_("manager_a").post(_url("contact_toggle", contact.public_id)).status_code == 403
    client.post(_url("contact_toggle", contact.public_id))
    contact.refresh_from_db()
    assert not contact.is_active


@pytest.mark.django_db
def test_a_removed_contact_no_longer_opens_the_path(as_, path_a, contact_a, coordinator):
    client = as_("contact_a")
    assert client.get(_url("path", path_a.public_id)).status_code == 200
    as_("coordinator").post(_url("contact_toggle", Contact.objects.get(user=contact_a).public_id))
    assert client.get(_url("path", path_a.public_id)).status_code == 403
    assert client.get(_url("board")).status_code == 403


@pytest.mark.django_db
def test_after_signing_in_a_contact_lands_on_the_opening_board(as_, path_a):
    response = as_("contact_a").get(reverse("accounts:after_login"))
    assert response["Location"] == _url("board")


@pytest.mark.django_db
def test_evidence_without_a_file_has_nothing_to_download(as_, path_a, coordinator):
    note = services.evidence_add(
        actor=coordinator, path=path_a, item_key="first_meeting", note="Fet"
    )
    assert as_("coordinator").get(_url("evidence_download", note.public_id)).status_code == 404


# The calendar address ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "contact_a"])
def test_the_calendar_address_is_made_when_asked_for_then_renewed(
    as_, people, request, path_a, persona
):
    """Pages only offer the address: the button makes it, and later a new one that revokes
    the old; no page view writes a token."""
    user = request.getfixturevalue(persona) if persona.startswith("contact_") else people[persona]
    client = as_(persona)
    client.get(_url("board"))
    page = client.get(_url("path", path_a.public_id))
    assert page.context["feed_url"] == ""
    assert "Create my calendar address" in page.content.decode()
    assert reminders.existing_feed_token(user) == "" and not DueDateFeed.objects.exists()

    response = _post(client, _url("feed_renew"))
    assert response["Location"] == _url("board")
    assert _messages(response) == ["Your calendar address is ready: add it to your calendar app."]
    first = reminders.existing_feed_token(user)
    assert first
    page = client.get(_url("path", path_a.public_id))
    assert page.context["feed_url"] == "http://testserver" + _url("feed", first)
    assert "Create a new address (the old one stops working)" in page.content.decode()
    assert reminders.existing_feed_token(user) == first  # shown, not renewed

    response = _post(client, _url("feed_renew"))
    assert _messages(response) == ["New calendar address created; the old one no longer works."]
    renewed = reminders.existing_feed_token(user)
    assert renewed not in ("", first)
    assert Client().get(_url("feed", first)).status_code == 404
    assert Client().get(_url("feed", renewed)).status_code == 200
    assert DueDateFeed.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager_a", "auditor"])
def test_readers_who_own_no_item_are_offered_no_calendar(as_, path_a, persona):
    client = as_(persona)
    page = client.get(_url("path", path_a.public_id))
    assert page.status_code == 200
    assert page.context["feed_url"] is None
    assert _url("feed_renew") not in page.content.decode()
    assert client.post(_url("feed_renew")).status_code == 403
    assert not DueDateFeed.objects.exists()
