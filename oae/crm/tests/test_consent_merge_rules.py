"""The consent ledger and the merge of two records, pinned rule by rule: the latest event
wins, who may record, every refusal's wording; which fields a merge takes, every relation it
moves and an undo that gives both records back exactly."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from oae.crm import services
from oae.crm.models import (
    ConsentEvent,
    DataRequest,
    LawfulBasis,
    NameWord,
    Person,
    PersonCompany,
    PersonMerge,
    Purpose,
)
from oae.privacy.models import AuditEvent
from oae.testing.factories import MunicipalityFactory

GIVEN, WITHDRAWN = ConsentEvent.Action.GIVEN, ConsentEvent.Action.WITHDRAWN


def _person(office, **data):
    return services.person_create(
        actor=None,
        office=office,
        confirm_probable=True,
        data={"first_name": "Rosa", "last_name": "Pons", "language": "ca"} | data,
    )


def _consent(person, office, purpose, action, *, actor=None, notice="2026-01", basis="consent"):
    return services.consent_record(
        actor=actor,
        office=office,
        person=person,
        purpose=purpose,
        action=action,
        lawful_basis=basis,
        notice_version=notice,
    )


# Consent ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_latest_event_of_each_purpose_wins(office_a):
    rosa = _person(office_a)
    first = _consent(rosa, office_a, Purpose.COMMUNICATIONS, GIVEN)
    second = _consent(rosa, office_a, Purpose.COMMUNICATIONS, WITHDRAWN)
    sharing = _consent(rosa, office_a, Purpose.NETWORK_SHARING, GIVEN)
    assert services.consent_state(rosa) == {
        Purpose.COMMUNICATIONS: second,
        Purpose.NETWORK_SHARING: sharing,
    }
    third = _consent(rosa, office_a, Purpose.COMMUNICATIONS, GIVEN)
    assert services.consent_state(rosa)[Purpose.COMMUNICATIONS] == third
    assert first.pk < second.pk < third.pk


@pytest.mark.django_db
def test_events_at_the_same_moment_are_ordered_by_when_they_were_added(office_a):
    rosa = _person(office_a)
    first = _consent(rosa, office_a, Purpose.SERVICE, GIVEN)
    second = _consent(rosa, office_a, Purpose.SERVICE, WITHDRAWN)
    ConsentEvent.objects.filter(pk=second.pk).update(occurred_at=first.occurred_at)
    assert services.consent_state(rosa)[Purpose.SERVICE].pk == second.pk
    earlier = first.occurred_at - datetime.timedelta(hours=1)
    ConsentEvent.objects.filter(pk=second.pk).update(occurred_at=earlier)
    assert services.consent_state(rosa)[Purpose.SERVICE].pk == first.pk


@pytest.mark.django_db
def test_a_person_without_events_has_no_consent(office_a):
    assert services.consent_state(_person(office_a)) == {}


@pytest.mark.django_db
def test_withdrawing_sharing_stops_it_and_giving_it_again_restarts_it(office_a):
    rosa = _person(office_a)
    _consent(rosa, office_a, Purpose.NETWORK_SHARING, GIVEN)
    assert Person.objects.get(pk=rosa.pk).shares_with_network is True
    _consent(rosa, office_a, Purpose.NETWORK_SHARING, WITHDRAWN)
    assert Person.objects.get(pk=rosa.pk).shares_with_network is False
    assert rosa.shares_with_network is False
    _consent(rosa, office_a, Purpose.NETWORK_SHARING, GIVEN)
    assert Person.objects.get(pk=rosa.pk).shares_with_network is True


@pytest.mark.django_db
def test_consent_to_other_purposes_does_not_share_the_record(office_a):
    rosa = _person(office_a)
    for purpose in (Purpose.SERVICE, Purpose.COMMUNICATIONS, Purpose.REFERRAL):
        _consent(rosa, office_a, purpose, GIVEN)
    assert Person.objects.get(pk=rosa.pk).shares_with_network is False


@pytest.mark.django_db
def test_an_event_keeps_what_was_recorded_and_is_audited(people, office_a):
    rosa = _person(office_a)
    advisor = people["advisor_a"]
    event = _consent(
        rosa,
        office_a,
        Purpose.COMMUNICATIONS,
        WITHDRAWN,
        actor=advisor,
        notice="  2026-02 ",
        basis=LawfulBasis.LEGITIMATE_INTEREST,
    )
    event = ConsentEvent.objects.get(pk=event.pk)
    assert (
        event.person_id,
        event.purpose,
        event.action,
        event.lawful_basis,
        event.notice_version,
        event.recorded_by,
        event.office,
    ) == (
        rosa.pk,
        "communications",
        "withdrawn",
        "legitimate_interest",
        "2026-02",
        advisor,
        office_a,
    )
    audit = AuditEvent.objects.get(action="crm.consent.withdrawn")
    assert (audit.actor, audit.target_id, audit.office) == (advisor, str(rosa.public_id), office_a)
    assert audit.details == {
        "purpose": "communications",
        "basis": "legitimate_interest",
        "notice": "2026-02",
    }
    _consent(rosa, office_a, Purpose.SERVICE, GIVEN)
    assert AuditEvent.objects.filter(action="crm.consent.given").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("purpose", "action"),
    [("marketing", "given"), ("service", "maybe"), ("", "given"), ("service", "")],
)
def test_an_unknown_purpose_or_action_is_refused(office_a, purpose, action):
    rosa = _person(office_a)
    with pytest.raises(ValidationError) as refused:
        _consent(rosa, office_a, purpose, action)
    assert refused.value.messages == ["Choose a purpose and whether it is given or withdrawn."]
    assert not ConsentEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("notice", ["", "   "])
def test_an_event_names_the_notice_shown(office_a, notice):
    rosa = _person(office_a)
    with pytest.raises(ValidationError) as refused:
        _consent(rosa, office_a, Purpose.SERVICE, GIVEN, notice=notice)
    assert refused.value.message_dict == {"notice_version": ["Say which privacy notice was shown."]}
    assert not ConsentEvent.objects.exists()


@pytest.mark.django_db
def test_only_the_registering_office_records_consents(office_a, office_b):
    rosa = _person(office_a)
    assert services.consent_may_record(office=office_a, person=rosa) is True
    assert services.consent_may_record(office=office_b, person=rosa) is False
    assert services.consent_may_record(office=None, person=rosa) is False
    for office in (office_b, None):
        with pytest.raises(ValidationError) as refused:
            _consent(rosa, office, Purpose.SERVICE, GIVEN)
        assert refused.value.messages == [
            "Only OAE Alfa, which registered this person, records their consents."
        ]
    assert not ConsentEvent.objects.exists()
    assert _consent(rosa, office_a, Purpose.SERVICE, GIVEN).office == office_a


@pytest.mark.django_db
def test_the_referring_office_records_the_consent_to_be_referred(people, office_a, office_b):
    rosa = _person(office_a)
    advisor = people["advisor_b"]
    event = services.referral_consent_record(
        actor=advisor, office=office_b, person=rosa, notice_version=" ref-1 "
    )
    event = ConsentEvent.objects.get(pk=event.pk)
    assert (
        event.person_id,
        event.purpose,
        event.action,
        event.lawful_basis,
        event.notice_version,
        event.recorded_by,
        event.office,
    ) == (rosa.pk, "referral", "given", "consent", "ref-1", advisor, office_b)
    assert AuditEvent.objects.get(action="crm.consent.given").details == {
        "purpose": "referral",
        "basis": "consent",
        "notice": "ref-1",
    }
    with pytest.raises(ValidationError) as refused:
        services.referral_consent_record(
            actor=advisor, office=office_b, person=rosa, notice_version=" "
        )
    assert refused.value.message_dict == {"notice_version": ["Say which privacy notice was shown."]}


# Merge --------------------------------------------------------------------------------------


@pytest.fixture
def towns(db):
    return MunicipalityFactory(name="Gavà"), MunicipalityFactory(name="Viladecans")


@pytest.fixture
def two(office_a, towns):
    survivor = _person(
        office_a,
        first_name="Anna",
        last_name="Serra",
        email="anna@example.org",
        birth_year=1990,
        gender="female",
        municipality=towns[0],
        employment="employed",
    )
    absorbed = _person(
        office_a,
        first_name="Ana",
        last_name="Serra Puig",
        email="ana.serra@example.org",
        id_type="dni",
        id_number="12345678Z",
        phone="612345678",
        birth_date=datetime.date(1991, 3, 4),
        municipality=towns[1],
        employment="unemployed",
        language="es",
    )
    return survivor, absorbed


def _values(person):
    return services._person_values(Person.objects.get(pk=person.pk))


@pytest.mark.django_db
def test_a_record_is_not_merged_with_itself(two):
    survivor, _ = two
    with pytest.raises(ValidationError) as refused:
        services.person_merge(actor=None, survivor=survivor, absorbed=survivor, take=set())
    assert refused.value.messages == ["Choose two different records."]
    assert not PersonMerge.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("merged", ["survivor", "absorbed"])
def test_a_record_already_merged_is_not_merged_again(office_a, two, merged):
    survivor, absorbed = two
    third = _person(office_a, first_name="Tercera", email="t@example.org")
    services.person_merge(
        actor=None,
        survivor=third,
        absorbed=survivor if merged == "survivor" else absorbed,
        take=set(),
    )
    survivor, absorbed = (Person.objects.get(pk=p.pk) for p in two)
    with pytest.raises(ValidationError) as refused:
        services.person_merge(actor=None, survivor=survivor, absorbed=absorbed, take=set())
    assert refused.value.messages == ["One of these records has already been merged."]
    assert PersonMerge.objects.count() == 1


@pytest.mark.django_db
def test_a_merge_takes_only_the_fields_chosen_with_their_companions(two, towns):
    survivor, absorbed = two
    before = _values(survivor)
    services.person_merge(
        actor=None, survivor=survivor, absorbed=absorbed, take={"id_number", "birth_date", "phone"}
    )
    after = _values(survivor)
    assert after == before | {
        "id_type": "dni",
        "id_number": "12345678Z",
        "phone": "+34 612 34 56 78",
        "birth_date": "1991-03-04",
        "birth_year": 1991,
    }
    kept = Person.objects.get(pk=survivor.pk)
    assert (kept.first_name, kept.municipality, kept.language) == ("Anna", towns[0], "ca")
    assert "12345678z" in kept.search_text.lower()
    gone = Person.objects.get(pk=absorbed.pk)
    assert (gone.id_type, gone.id_number, gone.merged_into) == ("", "", kept)
    assert (gone.first_name, gone.phone) == ("Ana", "+34 612 34 56 78")


@pytest.mark.django_db
def test_a_merge_takes_the_name_and_the_residence_when_chosen(two, towns):
    survivor, absorbed = two
    services.person_merge(
        actor=None,
        survivor=survivor,
        absorbed=absorbed,
        take={"first_name", "last_name", "municipality"},
    )
    kept = Person.objects.get(pk=survivor.pk)
    assert (kept.first_name, kept.last_name, kept.municipality, kept.other_municipality) == (
        "Ana",
        "Serra Puig",
        towns[1],
        None,
    )
    assert (kept.id_number, kept.phone, kept.birth_year) == ("", "", 1990)
    assert "puig" in kept.search_text
    assert NameWord.objects.filter(word="puig").exists()


@pytest.mark.django_db
def test_the_fields_taken_come_in_groups_of_one_choice():
    taken = services._taken_from_other
    assert taken({"id_number"}) == {"id_number", "id_type"}
    assert taken({"id_type"}) == {"id_number", "id_type"}
    assert taken({"birth_year"}) == {"birth_year", "birth_date"}
    assert taken({"birth_date"}) == {"birth_year", "birth_date"}
    assert taken({"other_municipality"}) == {"municipality_id", "other_municipality_id"}
    assert taken({"phone", "email"}) == {"phone", "email"}
    assert taken({"merged_into", "shares_with_network", "nonsense"}) == set()
    assert taken(set()) == set()


@pytest.mark.django_db
def test_a_snapshot_keeps_columns_and_iso_dates(two, towns):
    survivor, absorbed = two
    values = services._person_values(absorbed)
    assert set(values) == {
        "first_name",
        "last_name",
        "id_type",
        "id_number",
        "email",
        "phone",
        "birth_date",
        "birth_year",
        "gender",
        "municipality_id",
        "other_municipality_id",
        "employment",
        "heard_from",
        "language",
    }
    assert (values["birth_date"], values["municipality_id"]) == ("1991-03-04", towns[1].pk)
    assert services._person_values(survivor)["birth_date"] is None


def test_an_old_snapshot_is_restored_with_the_fields_it_lacked():
    assert services._restored({"first_name": "Anna"}) == {
        "birth_date": None,
        "other_municipality_id": None,
        "first_name": "Anna",
    }
    assert services._restored({"birth_date": "1991-03-04", "other_municipality_id": 7}) == {
        "birth_date": "1991-03-04",
        "other_municipality_id": 7,
    }


@pytest.mark.django_db
def test_a_merge_moves_every_relation_and_keeps_the_list(people, office_a, two):
    survivor, absorbed = two
    consent = _consent(absorbed, office_a, Purpose.NETWORK_SHARING, GIVEN)
    request = DataRequest.objects.create(
        kind="access", person=absorbed, person_ref=str(absorbed.public_id), office=office_a
    )
    own = services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={"legal_name": "Serra SL", "legal_form": "limited", "stage": "active", "employees": 1},
    )
    shared = services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={"legal_name": "Puig SCP", "legal_form": "limited", "stage": "active", "employees": 2},
    )
    moved = services.person_link_company(
        actor=None, person=absorbed, company=own, relation="founder"
    )
    services.person_link_company(actor=None, person=absorbed, company=shared, relation="partner")
    services.person_link_company(actor=None, person=survivor, company=shared, relation="partner")
    manager = people["manager_a"]
    merge = services.person_merge(
        actor=manager, survivor=survivor, absorbed=absorbed, take={"phone", "email"}
    )
    assert merge.moved == {
        "consents": [consent.pk],
        "requests": [request.pk],
        "links": [moved.pk],
        "links_dropped": [[shared.pk, "partner"]],
    }
    assert ConsentEvent.objects.get().person_id == survivor.pk
    assert DataRequest.objects.get().person_id == survivor.pk
    assert set(PersonCompany.objects.values_list("person_id", "company_id", "relation")) == {
        (survivor.pk, own.pk, "founder"),
        (survivor.pk, shared.pk, "partner"),
    }
    # The absorbed record's sharing went with its events.
    assert Person.objects.get(pk=survivor.pk).shares_with_network is True
    assert Person.objects.get(pk=absorbed.pk).shares_with_network is False
    merge = PersonMerge.objects.get()
    assert (merge.survivor, merge.absorbed, merge.merged_by) == (survivor, absorbed, manager)
    assert merge.absorbed_before["id_number"] == "12345678Z"
    assert merge.survivor_before["email"] == "anna@example.org"
    audit = AuditEvent.objects.get(action="crm.person.merge")
    assert (audit.actor, audit.target_id, audit.office) == (
        manager,
        str(survivor.public_id),
        office_a,
    )
    assert audit.details == {"absorbed": str(absorbed.public_id), "fields": ["email", "phone"]}


@pytest.mark.django_db
def test_undo_restores_both_records_and_their_relations_exactly(people, office_a, two):
    survivor, absorbed = two
    _consent(absorbed, office_a, Purpose.NETWORK_SHARING, GIVEN)
    _consent(survivor, office_a, Purpose.SERVICE, GIVEN)
    DataRequest.objects.create(
        kind="access", person=absorbed, person_ref=str(absorbed.public_id), office=office_a
    )
    shared = services.company_save(
        actor=None,
        office=office_a,
        company=None,
        data={"legal_name": "Puig SCP", "legal_form": "limited", "stage": "active", "employees": 2},
    )
    services.person_link_company(actor=None, person=absorbed, company=shared, relation="partner")
    services.person_link_company(actor=None, person=survivor, company=shared, relation="partner")
    before = {p.pk: _values(p) for p in two}
    fields = {p.pk: Person.objects.get(pk=p.pk).search_text for p in two}
    merge = services.person_merge(
        actor=None,
        survivor=survivor,
        absorbed=absorbed,
        take={"first_name", "id_number", "birth_date", "municipality", "phone"},
    )
    manager = people["manager_a"]
    services.person_merge_undo(actor=manager, merge=merge)
    for person in two:
        restored = Person.objects.get(pk=person.pk)
        assert _values(restored) == before[person.pk]
        assert restored.search_text == fields[person.pk]
        assert restored.merged_into is None
    assert Person.objects.get(pk=absorbed.pk).birth_date == datetime.date(1991, 3, 4)
    assert Person.objects.get(pk=absorbed.pk).shares_with_network is True
    assert Person.objects.get(pk=survivor.pk).shares_with_network is False
    assert set(ConsentEvent.objects.values_list("person_id", "purpose")) == {
        (absorbed.pk, "network_sharing"),
        (survivor.pk, "service"),
    }
    assert DataRequest.objects.get().person_id == absorbed.pk
    assert set(PersonCompany.objects.values_list("person_id", "company_id")) == {
        (survivor.pk, shared.pk),
        (absorbed.pk, shared.pk),
    }
    merge.refresh_from_db()
    assert merge.undone_by == manager
    assert merge.undone_at is not None
    audit = AuditEvent.objects.get(action="crm.person.merge_undo")
    assert (audit.actor, audit.target_id, audit.office) == (
        manager,
        str(survivor.public_id),
        office_a,
    )
    assert audit.details == {"absorbed": str(absorbed.public_id)}
    with pytest.raises(ValidationError) as refused:
        services.person_merge_undo(actor=manager, merge=merge)
    assert refused.value.messages == ["This merge has already been undone."]


@pytest.mark.django_db
def test_a_merge_is_undone_after_the_later_merge_of_its_survivor(office_a, two):
    survivor, absorbed = two
    first = services.person_merge(actor=None, survivor=survivor, absorbed=absorbed, take=set())
    third = _person(office_a, first_name="Tercera", email="t@example.org")
    survivor = Person.objects.get(pk=survivor.pk)
    later = services.person_merge(actor=None, survivor=third, absorbed=survivor, take=set())
    with pytest.raises(ValidationError) as refused:
        services.person_merge_undo(actor=None, merge=first)
    assert refused.value.messages == ["Undo the later merge of this record first."]
    assert PersonMerge.objects.get(pk=first.pk).undone_at is None
    services.person_merge_undo(actor=None, merge=later)
    services.person_merge_undo(actor=None, merge=first)
    assert not Person.objects.filter(merged_into__isnull=False).exists()
