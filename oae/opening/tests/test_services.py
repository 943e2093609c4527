"""A municipality's path: started once on the latest playbook, its items completed by the
evidence each asks for (documents checked by what they are), sent back by coordinators with
a reason kept until new evidence; the stage moving on as items are done, the path saved only
when something changed; stalled and overdue; every change audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from oae.network.models import Membership
from oae.opening import contacts, selectors, services
from oae.opening.models import Evidence, ItemState, Path, PlaybookVersion
from oae.opening.tests.conftest import STARTED_DAYS_AGO, days_ago, fake_pdf, pdf, png
from oae.privacy.models import AuditEvent
from oae.testing.factories import MunicipalityFactory, OfficeFactory

NOT_ACCEPTED = (
    "carta.pdf is not a file we accept: upload a PDF, an image (PNG, JPEG) or a document "
    "(Word, Excel, ODT, ODS)."
)


def _state(path, key, review=None) -> ItemState | None:
    return ItemState.objects.filter(path=path, item_key=key, review=review).first()


def _done(path, key) -> bool:
    state = _state(path, key)
    return state is not None and state.done_at is not None


def _views(path) -> dict:
    path.refresh_from_db()
    page = selectors.path_page(path)
    return {view.item.key: view for stage in page.stages for view in stage.items}


def _quiet(path, days: int) -> Path:
    """The path as if its last evidence came `days` ago, at local noon (clear of midnight and
    of the clock changes a plain `now() - days` would straddle)."""
    noon = datetime.datetime.combine(days_ago(days), datetime.time(12))
    Path.objects.filter(pk=path.pk).update(last_evidence_at=timezone.make_aware(noon))
    path.refresh_from_db()
    return path


# Starting a path ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_path_starts_on_the_latest_playbook_at_its_first_stage(path_a, office_a, coordinator):
    assert path_a.version.number == 1
    assert (path_a.stage_key, path_a.stage_since) == ("interest", days_ago(STARTED_DAYS_AGO))
    assert path_a.started_on == days_ago(STARTED_DAYS_AGO)
    event = AuditEvent.objects.get(action="opening.path.start")
    assert (event.actor, event.office, event.details) == (coordinator, office_a, {"version": 1})


@pytest.mark.django_db
def test_a_path_starts_today_unless_told(playbook_v1, coordinator):
    path = services.path_start(actor=coordinator, municipality=MunicipalityFactory())
    assert path.started_on == timezone.localdate() and path.office is None


@pytest.mark.django_db
def test_a_municipality_has_one_path(path_a, office_a, coordinator):
    with pytest.raises(ValidationError) as error:
        services.path_start(actor=coordinator, municipality=office_a.municipality)
    assert error.value.messages == ["Sant Boi de Llobregat already has an opening path."]
    assert Path.objects.count() == 1


@pytest.mark.django_db
def test_a_path_does_not_start_in_the_future(playbook_v1, office_a, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.path_start(
            actor=coordinator, municipality=office_a.municipality, started_on=tomorrow
        )
    assert error.value.messages == ["A path cannot start in the future."]
    assert not Path.objects.exists()


@pytest.mark.django_db
def test_an_office_of_another_municipality_is_refused(playbook_v1, office_a, office_b, coordinator):
    with pytest.raises(ValidationError) as error:
        services.path_start(actor=coordinator, municipality=office_a.municipality, office=office_b)
    assert error.value.messages == ["The office is in another municipality."]
    assert not Path.objects.exists()
    assert not AuditEvent.objects.filter(action="opening.path.start").exists()


@pytest.mark.django_db
def test_no_path_starts_before_a_playbook_is_published(office_a, coordinator):
    with pytest.raises(ValidationError) as error:
        services.path_start(actor=coordinator, municipality=office_a.municipality)
    assert error.value.messages == ["The network has not published a playbook yet."]


@pytest.mark.django_db
def test_the_office_is_recorded_later_and_only_the_municipalitys(playbook_v1, coordinator):
    municipality = MunicipalityFactory()
    path = services.path_start(actor=coordinator, municipality=municipality)
    assert not _done(path, "office_recorded")
    with pytest.raises(ValidationError, match="The office is in another municipality."):
        services.path_set_office(actor=coordinator, path=path, office=OfficeFactory())
    office = OfficeFactory(municipality=municipality)
    services.path_set_office(actor=coordinator, path=path, office=office)
    path.refresh_from_db()
    assert path.office == office
    assert _done(path, "office_recorded") and _state(path, "office_recorded").by_fact
    assert AuditEvent.objects.filter(action="opening.path.office", office=office).exists()


@pytest.mark.django_db
def test_a_path_moves_only_to_a_newer_version_keeping_what_is_done(path_a, coordinator):
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    with pytest.raises(ValidationError, match="only moves to a newer version"):
        services.path_move_version(actor=coordinator, path=path_a, version=path_a.version)
    draft = services.playbook_draft()
    services.draft_item_remove(
        actor=coordinator, expected_version=draft.lock_version, item_key="needs_workshop"
    )
    newer = services.playbook_publish(actor=coordinator, changelog="Sense taller")
    services.path_move_version(actor=coordinator, path=path_a, version=newer)
    path_a.refresh_from_db()
    assert path_a.version == newer
    assert _done(path_a, "first_meeting")
    assert "needs_workshop" not in _views(path_a)
    assert AuditEvent.objects.get(action="opening.path.move").details == {"from": 1, "to": 2}
    assert PlaybookVersion.objects.count() == 2


# Evidence ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_completes_its_item_and_keeps_the_name_only_in_the_database(
    path_a, contact_a, office_a
):
    evidence = services.evidence_add(
        actor=contact_a, path=path_a, item_key="letter_of_interest", upload=pdf("carta.pdf")
    )
    assert (evidence.kind, evidence.content_type, evidence.original_name) == (
        "document",
        "application/pdf",
        "carta.pdf",
    )
    assert evidence.file.name.startswith(f"opening/{path_a.municipality_id}/")
    assert "carta" not in evidence.file.name
    state = _state(path_a, "letter_of_interest")
    assert state.done_at is not None and state.evidence == evidence and not state.by_fact
    path_a.refresh_from_db()
    assert path_a.last_evidence_at is not None
    event = AuditEvent.objects.get(action="opening.evidence.add")
    assert (event.actor, event.office, event.details) == (
        contact_a,
        office_a,
        {"item": "letter_of_interest", "kind": "document"},
    )


@pytest.mark.django_db
def test_an_image_is_a_document_too(path_a, contact_a):
    evidence = services.evidence_add(
        actor=contact_a, path=path_a, item_key="letter_of_interest", upload=png()
    )
    assert evidence.content_type == "image/png"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "upload",
    [
        fake_pdf(),  # an executable renamed
        fake_pdf(b"Benvolguts, us escrivim per..."),  # text renamed
        fake_pdf(b""),
    ],
    ids=["executable", "text", "empty"],
)
def test_a_document_that_is_not_what_its_name_says_is_refused(path_a, contact_a, upload):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            actor=contact_a, path=path_a, item_key="letter_of_interest", upload=upload
        )
    assert error.value.messages == [NOT_ACCEPTED]
    assert not Evidence.objects.exists()
    assert not _done(path_a, "letter_of_interest")
    assert not AuditEvent.objects.filter(action="opening.evidence.add").exists()


@pytest.mark.django_db
def test_a_document_over_10_mb_is_refused(path_a, contact_a):
    big = SimpleUploadedFile("carta.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="carta.pdf is larger than 10 MB."):
        services.evidence_add(
            actor=contact_a, path=path_a, item_key="letter_of_interest", upload=big
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("item", "given", "message"),
    [
        (
            "letter_of_interest",
            {"note": "La carta arriba demà"},
            "This item is completed by a document: choose the file to upload.",
        ),
        (
            "council_approval",
            {"url": "  ", "note": "Aprovat"},
            "This item is completed by a link: give its address (https://…).",
        ),
        (
            "first_meeting",
            {"note": " \n ", "upload": None},
            "This item is completed by a note: write what was done.",
        ),
    ],
)
def test_completing_an_item_without_its_evidence_is_refused(
    path_a, coordinator, item, given, message
):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=coordinator, path=path_a, item_key=item, **given)
    assert error.value.messages == [message]
    assert not _done(path_a, item)


@pytest.mark.django_db
def test_a_link_completes_its_item(path_a, coordinator):
    evidence = services.evidence_add(
        actor=coordinator,
        path=path_a,
        item_key="council_approval",
        url=" https://seu.example/ple/acord ",
        note="Ple de març",
    )
    assert (evidence.kind, evidence.url, evidence.note) == (
        "link",
        "https://seu.example/ple/acord",
        "Ple de març",
    )
    assert _done(path_a, "council_approval")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "no és una adreça", "ftp//x"])
def test_a_link_that_is_not_an_address_is_refused(path_a, coordinator, url):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=coordinator, path=path_a, item_key="council_approval", url=url)
    assert error.value.message_dict == {"url": ["Enter a valid URL."]}
    assert not _done(path_a, "council_approval")


@pytest.mark.django_db
def test_a_note_completes_its_item(path_a, coordinator):
    evidence = services.evidence_add(
        actor=coordinator, path=path_a, item_key="first_meeting", note="  Reunió amb l'alcaldia "
    )
    assert (evidence.kind, evidence.note, evidence.file.name) == (
        "note",
        "Reunió amb l'alcaldia",
        "",
    )
    assert _done(path_a, "first_meeting")


@pytest.mark.django_db
def test_an_item_completed_by_a_fact_refuses_evidence_and_says_when_it_completes(
    path_a, coordinator
):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(
            actor=coordinator, path=path_a, item_key="contact_named", note="Ja en tenim"
        )
    assert error.value.messages == [
        "This item completes itself when a municipal contact is invited."
    ]
    assert not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["no_such_item", "scorecard_read"])
def test_an_item_not_in_the_paths_playbook_is_refused(path_a, coordinator, key):
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=coordinator, path=path_a, item_key=key, note="x")
    assert error.value.messages == ["That item is not in this path's playbook."]


@pytest.mark.django_db
def test_newer_evidence_replaces_the_older_which_stays_in_the_history(path_a, coordinator):
    first = services.evidence_add(
        actor=coordinator, path=path_a, item_key="first_meeting", note="Primera"
    )
    second = services.evidence_add(
        actor=coordinator, path=path_a, item_key="first_meeting", note="Segona"
    )
    assert _state(path_a, "first_meeting").evidence == second
    assert [e.note for e in _views(path_a)["first_meeting"].history] == ["Segona", "Primera"]
    assert Evidence.objects.filter(pk=first.pk).exists()


# The stage moves on ------------------------------------------------------------------------


def _finish_interest(path, coordinator, contact_email="ajuntament@santboi.example"):
    services.evidence_add(actor=coordinator, path=path, item_key="first_meeting", note="Fet")
    services.evidence_add(actor=coordinator, path=path, item_key="letter_of_interest", upload=pdf())
    contacts.contact_invite(actor=coordinator, path=path, email=contact_email)


@pytest.mark.django_db
def test_a_path_moves_to_the_next_stage_once_every_item_is_done(path_a, coordinator):
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    services.evidence_add(
        actor=coordinator, path=path_a, item_key="letter_of_interest", upload=pdf()
    )
    path_a.refresh_from_db()
    assert path_a.stage_key == "interest"  # the contact is not invited yet
    contacts.contact_invite(actor=coordinator, path=path_a, email="ajuntament@santboi.example")
    path_a.refresh_from_db()
    assert (path_a.stage_key, path_a.stage_since) == ("diagnosis", timezone.localdate())
    views = _views(path_a)
    # The new stage's items are due counted from today; later stages have no dates yet.
    assert views["business_census"].due_on == timezone.localdate() + datetime.timedelta(days=45)
    assert views["agreement_draft"].due_on is None
    assert views["first_meeting"].due_on is None


@pytest.mark.django_db
def test_items_of_a_later_stage_may_be_done_early_without_moving_the_stage(path_a, coordinator):
    services.evidence_add(actor=coordinator, path=path_a, item_key="premises", upload=pdf())
    path_a.refresh_from_db()
    assert _done(path_a, "premises") and path_a.stage_key == "interest"


@pytest.mark.django_db
def test_an_item_sent_back_opens_again_with_its_evidence_kept(path_a, coordinator, office_a):
    _finish_interest(path_a, coordinator)
    evidence = Evidence.objects.get(item_key="first_meeting")
    services.item_reopen(
        actor=coordinator, path=path_a, item_key="first_meeting", reason=" Falta l'acta "
    )
    path_a.refresh_from_db()
    assert not _done(path_a, "first_meeting")
    assert path_a.stage_key == "interest"  # back to the stage with an open item
    assert _views(path_a)["first_meeting"].history == [evidence]
    event = AuditEvent.objects.get(action="opening.item.reopen")
    assert (event.actor, event.office, event.details) == (
        coordinator,
        office_a,
        {"item": "first_meeting", "reason": "Falta l'acta"},
    )


@pytest.mark.django_db
def test_an_item_sent_back_keeps_why_and_when_until_new_evidence(path_a, coordinator, contact_a):
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    before = timezone.now()
    services.item_reopen(
        actor=coordinator, path=path_a, item_key="first_meeting", reason=" Falta l'acta "
    )
    state = _state(path_a, "first_meeting")
    assert (state.done_at, state.evidence, state.reopen_reason) == (None, None, "Falta l'acta")
    assert before <= state.reopened_at <= timezone.now()
    view = _views(path_a)["first_meeting"]
    assert view.sent_back and not view.done
    services.evidence_add(actor=contact_a, path=path_a, item_key="first_meeting", note="Acta")
    state.refresh_from_db()
    assert state.done_at is not None
    assert (state.reopen_reason, state.reopened_at) == ("", None)
    assert not _views(path_a)["first_meeting"].sent_back


@pytest.mark.django_db
def test_a_long_reason_is_kept_to_its_300_characters(path_a, coordinator):
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    services.item_reopen(actor=coordinator, path=path_a, item_key="first_meeting", reason="x" * 301)
    assert _state(path_a, "first_meeting").reopen_reason == "x" * 300


@pytest.mark.django_db
def test_sending_back_needs_a_reason_an_item_done_and_not_a_fact(path_a, coordinator):
    with pytest.raises(ValidationError, match="That item is not done."):
        services.item_reopen(actor=coordinator, path=path_a, item_key="first_meeting", reason="x")
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    with pytest.raises(ValidationError, match="Say why the item is open again"):
        services.item_reopen(actor=coordinator, path=path_a, item_key="first_meeting", reason=" ")
    with pytest.raises(ValidationError, match="completes itself when"):
        services.item_reopen(
            actor=coordinator, path=path_a, item_key="staff_in_place", reason="No hi són"
        )
    assert _done(path_a, "first_meeting") and _done(path_a, "staff_in_place")


# Refreshing a path ------------------------------------------------------------------------


def _saved_at(path) -> datetime.datetime:
    return Path.objects.values_list("updated_at", flat=True).get(pk=path.pk)


@pytest.mark.django_db
def test_a_refresh_with_nothing_new_leaves_the_path_unsaved(path_a):
    saved = _saved_at(path_a)
    assert services.path_refresh(path_a) == 0
    assert _saved_at(path_a) == saved


@pytest.mark.django_db
def test_a_refresh_saves_the_path_when_a_fact_changes_or_the_stage_moves(
    path_a, coordinator, people, office_a
):
    saved = _saved_at(path_a)
    Membership.objects.filter(user=people["advisor_a"], office=office_a).update(is_active=False)
    assert services.path_refresh(path_a) == 1  # staff in place no longer holds
    path_a.refresh_from_db()
    assert path_a.updated_at > saved
    assert path_a.last_evidence_at == _state(path_a, "staff_in_place").undone_at
    # The stage moving on with no fact changing is saved too.
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    services.evidence_add(
        actor=coordinator, path=path_a, item_key="letter_of_interest", upload=pdf()
    )
    Path.objects.filter(pk=path_a.pk).update(stage_key="diagnosis", stage_since=days_ago(5))
    saved = _saved_at(path_a)
    assert services.path_refresh(path_a) == 0
    path_a.refresh_from_db()
    assert (path_a.stage_key, path_a.stage_since) == ("interest", timezone.localdate())
    assert path_a.updated_at > saved


# Stalled and overdue -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_path_is_stalled_after_the_playbooks_days_without_new_evidence(path_a):
    today = timezone.localdate()
    assert path_a.version.content["stall_days"] == 45
    assert not selectors.is_stalled(_quiet(path_a, 45), today)
    assert selectors.is_stalled(_quiet(path_a, 46), today)


@pytest.mark.django_db
def test_new_evidence_ends_the_stall(path_a, coordinator):
    _quiet(path_a, 90)
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    path_a.refresh_from_db()
    assert not selectors.is_stalled(path_a, timezone.localdate())


@pytest.mark.django_db
def test_a_path_without_evidence_counts_from_its_start(playbook_v1, coordinator):
    path = services.path_start(
        actor=coordinator, municipality=MunicipalityFactory(), started_on=days_ago(46)
    )
    path.refresh_from_db()
    assert path.last_evidence_at is None  # no office: no fact holds
    assert selectors.is_stalled(path, timezone.localdate())
    assert not selectors.is_stalled(path, days_ago(1))


@pytest.mark.django_db
def test_a_complete_path_is_never_stalled(path_a):
    Path.objects.filter(pk=path_a.pk).update(complete=True)
    assert not selectors.is_stalled(_quiet(path_a, 400), timezone.localdate())


@pytest.mark.django_db
def test_items_of_the_current_stage_are_overdue_after_their_target(path_a):
    Path.objects.filter(pk=path_a.pk).update(stage_since=days_ago(15))
    views = _views(path_a)
    today = timezone.localdate()
    assert views["first_meeting"].due_on == today  # 15 days: due today, not overdue yet
    assert not views["first_meeting"].overdue(today)
    assert views["first_meeting"].overdue(today + datetime.timedelta(days=1))
    assert not views["letter_of_interest"].overdue(today)
    assert selectors.path_page(path_a).overdue == 0
    Path.objects.filter(pk=path_a.pk).update(stage_since=days_ago(31))
    assert selectors.path_page(Path.objects.get(pk=path_a.pk)).overdue == 3


@pytest.mark.django_db
def test_a_done_item_is_never_overdue(path_a, coordinator):
    Path.objects.filter(pk=path_a.pk).update(stage_since=days_ago(100))
    services.evidence_add(actor=coordinator, path=path_a, item_key="first_meeting", note="Fet")
    assert not _views(path_a)["first_meeting"].overdue(timezone.localdate())
