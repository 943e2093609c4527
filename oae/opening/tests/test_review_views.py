"""The yearly review's pages: coordinators open a review (its scorecard kept), record the
meeting, agree actions and mark them done; the network's roles and the office's manager read
it, the municipality's contacts do not (a scorecard shows an office's small counts in full:
no link on their path's page, 404 on the review and its evidence); every refusal a message
or a form error."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from oae.opening import services
from oae.opening.models import Evidence, Review, ReviewAction
from oae.opening.tests.conftest import STAFF_A, days_ago, pdf, signed_in
from oae.testing.factories import MunicipalityFactory

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


def _url(name, *args) -> str:
    return reverse(f"opening:{name}", args=args)


def _post(client, url, data=None):
    """A POST whose messages are its own (the client drops those of earlier requests)."""
    client.cookies.pop("messages", None)
    return client.post(url, data or {})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def coordinator_client(coordinator):
    return signed_in(coordinator)


@pytest.fixture
def review_a(path_a, coordinator):
    return services.review_open(actor=coordinator, path=path_a, year=LAST_YEAR)


@pytest.mark.django_db
def test_a_coordinator_opens_last_years_review_with_its_scorecard(coordinator_client, path_a):
    response = _post(coordinator_client, _url("review_open", path_a.public_id), {"year": LAST_YEAR})
    review = Review.objects.get()
    assert response["Location"] == _url("review", review.public_id)
    assert _messages(response) == [f"The review of {LAST_YEAR} is open."]
    assert review.scorecard["year"] == LAST_YEAR
    assert review.scorecard["staff"] == STAFF_A
    page = coordinator_client.get(_url("review", review.public_id))
    assert page.status_code == 200
    assert [r["code"] for r in page.context["scorecard_rows"]][0] == "people_served"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "message"),
    [
        (THIS_YEAR + 1, "A year not yet started cannot be reviewed."),
        (2100, "A year not yet started cannot be reviewed."),
        (2101, "Ensure this value is less than or equal to 2100."),
        (1999, "Ensure this value is greater than or equal to 2000."),
        ("dos mil", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_a_review_for_a_year_that_cannot_be_reviewed_is_refused_in_a_message(
    coordinator_client, path_a, year, message
):
    response = _post(coordinator_client, _url("review_open", path_a.public_id), {"year": year})
    assert response.status_code == 302
    assert response["Location"] == _url("path", path_a.public_id)
    assert _messages(response) == [message]
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_second_review_of_a_year_is_refused_in_a_message(coordinator_client, review_a, path_a):
    response = _post(coordinator_client, _url("review_open", path_a.public_id), {"year": LAST_YEAR})
    assert _messages(response) == [f"The review of {LAST_YEAR} is already open."]
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_a_path_without_an_office_gets_no_review(coordinator_client, playbook_v1, coordinator):
    path = services.path_start(actor=coordinator, municipality=MunicipalityFactory())
    response = _post(coordinator_client, _url("review_open", path.public_id), {"year": LAST_YEAR})
    assert _messages(response) == ["A yearly review is for an office: this path has none yet."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("coordinator", 200, 200),
        ("auditor", 200, 200),
        ("manager_a", 200, 404),
        ("contact_a", 404, 404),
        ("contact_b", 404, 404),
        ("advisor_a", 403, 403),
        ("readonly_a", 403, 403),
        ("citizen", 403, 403),
    ],
)
def test_who_reads_a_review(people, request, review_a, path_b, coordinator, persona, own, other):
    theirs = services.review_open(actor=coordinator, path=path_b, year=LAST_YEAR)
    user = request.getfixturevalue(persona) if persona.startswith("contact") else people[persona]
    client = signed_in(user)
    assert client.get(_url("review", review_a.public_id)).status_code == own
    assert client.get(_url("review", theirs.public_id)).status_code == other


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "shown"), [("manager_a", True), ("contact_a", False)])
def test_the_paths_page_lists_the_reviews_to_those_who_read_them(
    people, request, review_a, path_a, persona, shown
):
    user = request.getfixturevalue(persona) if persona.startswith("contact") else people[persona]
    response = signed_in(user).get(_url("path", path_a.public_id))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["can_read_reviews"] is shown
    assert ("Yearly reviews" in content) is shown
    assert (_url("review", review_a.public_id) in content) is shown


def _review_asks_for_a_document(path, coordinator) -> str:
    """Version 2 of the playbook adds a document to the yearly review; the path moves to it."""
    draft = services.playbook_draft()
    key = services.draft_item_save(
        actor=coordinator,
        expected_version=draft.lock_version,
        stage_key="",
        item_key=None,
        data={
            "title": {"ca": "Memòria anual", "es": "Memoria anual", "en": "Annual report"},
            "why": {"ca": "", "es": "", "en": ""},
            "owner": "municipality",
            "target_days": 30,
            "evidence": "document",
            "fact": "",
        },
    )
    newer = services.playbook_publish(actor=coordinator, changelog="Memòria a la revisió")
    services.path_move_version(actor=coordinator, path=path, version=newer)
    return key


@pytest.mark.django_db
def test_a_contact_downloads_their_paths_evidence_but_not_its_reviews(
    coordinator, people, request, path_a
):
    key = _review_asks_for_a_document(path_a, coordinator)
    path_a.refresh_from_db()
    review = services.review_open(actor=coordinator, path=path_a, year=LAST_YEAR)
    reviews = services.evidence_add(
        actor=coordinator, path=path_a, review=review, item_key=key, upload=pdf("memoria.pdf")
    )
    own = services.evidence_add(
        actor=coordinator, path=path_a, item_key="letter_of_interest", upload=pdf()
    )
    contact = signed_in(request.getfixturevalue("contact_a"))
    assert contact.get(_url("evidence_download", own.public_id)).status_code == 200
    assert contact.get(_url("evidence_download", reviews.public_id)).status_code == 404
    manager = signed_in(people["manager_a"])
    assert manager.get(_url("evidence_download", reviews.public_id)).status_code == 200


@pytest.mark.django_db
def test_readers_see_no_coordinator_form(people, review_a):
    response = signed_in(people["manager_a"]).get(_url("review", review_a.public_id))
    content = response.content.decode()
    assert not response.context["can_edit"]
    assert _url("review_meeting", review_a.public_id) not in content
    assert _url("review_evidence_add", review_a.public_id) not in content


@pytest.mark.django_db
def test_the_meeting_refused_is_said_on_its_field(coordinator_client, review_a):
    url = _url("review_meeting", review_a.public_id)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"met_on": tomorrow.isoformat(), "attendees": "Regidoria", "findings": "Bé"}
    response = _post(coordinator_client, url, data)
    assert response.status_code == 200
    assert response.context["meeting_form"].errors == {
        "met_on": ["Record a meeting once it has taken place."]
    }
    response = _post(coordinator_client, url, data | {"met_on": f"{LAST_YEAR - 1}-12-31"})
    assert response.context["meeting_form"].errors == {
        "met_on": [f"The review of {LAST_YEAR} is held in {LAST_YEAR} or later."]
    }
    response = _post(coordinator_client, url, data | {"met_on": ""})
    assert response.context["meeting_form"].errors == {"met_on": ["This field is required."]}
    review_a.refresh_from_db()
    assert review_a.met_on is None  # the page showed the review as stored
    response = _post(coordinator_client, url, data | {"met_on": days_ago(1).isoformat()})
    assert response.status_code == 302, response.context["meeting_form"].errors
    assert response["Location"] == _url("review", review_a.public_id)
    review_a.refresh_from_db()
    assert review_a.met_on == days_ago(1)


@pytest.mark.django_db
def test_actions_are_agreed_tracked_and_refused_on_the_form(coordinator_client, review_a, people):
    url = _url("review_action_add", review_a.public_id)
    data = {"title": "Difusió", "owner": "Oficina", "due_on": days_ago(1).isoformat()}
    response = _post(coordinator_client, url, data)
    assert response.status_code == 200
    assert response.context["action_form"].errors == {
        "due_on": ["An agreed action is due today or later."]
    }
    response = _post(coordinator_client, url, data | {"title": ""})
    assert "title" in response.context["action_form"].errors
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = _post(coordinator_client, url, data | {"due_on": due.isoformat()})
    assert response["Location"] == _url("review", review_a.public_id)
    action = ReviewAction.objects.get()
    done_url = _url("review_action_done", action.public_id)
    assert signed_in(people["manager_a"]).post(done_url, {"done": "on"}).status_code == 403
    _post(coordinator_client, done_url, {"done": "on"})
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    _post(coordinator_client, done_url, {})
    action.refresh_from_db()
    assert action.done_on is None


@pytest.mark.django_db
def test_the_reviews_evidence_comes_from_coordinators(
    coordinator_client, review_a, request, people
):
    url = _url("review_evidence_add", review_a.public_id)
    response = _post(coordinator_client, url, {"item": "scorecard_read", "note": ""})
    assert _messages(response) == ["This item is completed by a note: write what was done."]
    response = _post(coordinator_client, url, {"item": "meeting_held", "note": "Fet"})
    assert _messages(response) == [
        "This item completes itself when a yearly review meeting is recorded."
    ]
    response = _post(coordinator_client, url, {"item": "scorecard_read", "note": "Llegit"})
    assert _messages(response) == ["Evidence added: the item is done."]
    assert Evidence.objects.get().review == review_a
    contact = signed_in(request.getfixturevalue("contact_a"))
    assert contact.post(url, {"item": "scorecard_read", "note": "x"}).status_code == 403
    assert signed_in(people["manager_a"]).post(url, {"item": "x"}).status_code == 403
