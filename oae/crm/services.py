"""Every write to the joint database: people, companies, their links and consents."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oae.common.concurrency import save_with_version
from oae.common.text import fold
from oae.crm.matching import name_key, similar_names
from oae.crm.models import (
    Company,
    ConsentEvent,
    DataRequest,
    LawfulBasis,
    Person,
    PersonCompany,
    PersonMerge,
    Purpose,
)
from oae.crm.namewords import name_words_add, name_words_replace, words_of
from oae.crm.validators import (
    normalise_id_document,
    normalise_tax_id,
    validate_birth_date,
    validate_birth_year,
)
from oae.network.validators import normalise_phone
from oae.privacy.services import audit_record, changes_between, model_snapshot

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "id_type",
    "id_number",
    "email",
    "phone",
    "birth_date",
    "birth_year",
    "gender",
    "municipality",
    "other_municipality",
    "employment",
    "heard_from",
    "language",
]
COMPANY_FIELDS = [
    "legal_name",
    "trade_name",
    "tax_id",
    "legal_form",
    "cnae",
    "start_date",
    "stage",
    "employees",
    "address",
    "municipality",
]


def person_clean(data: dict) -> dict:
    """Normalise identity document, phone and e-mail; check the birth and the residence;
    errors name the field and the reason."""
    data = dict(data)
    errors = {}
    number = data.get("id_number") or ""
    try:
        data["id_number"] = normalise_id_document(data.get("id_type", ""), number)
    except ValidationError as error:
        errors["id_number"] = error
    # A number without its type is refused, not dropped (without a type it normalises to "").
    if number.strip() and not data.get("id_type"):
        errors["id_type"] = ValidationError(_("Say which kind of document this number is."))
    try:
        data["phone"] = normalise_phone(data["phone"]) if data.get("phone") else ""
    except ValidationError as error:
        errors["phone"] = error
    data["email"] = (data.get("email") or "").strip().lower()
    errors |= _birth_problems(data)
    errors |= _residence_problems(data)
    if errors:
        raise ValidationError(errors)
    return data


def _birth_problems(data: dict) -> dict:
    """Check the date and year of birth; the year follows the date when one is given (a
    year alone stays allowed: many know no more). Sets the year in `data`."""
    today = timezone.localdate()
    born = data.get("birth_date")
    try:
        validate_birth_date(born, today=today)
    except ValidationError as error:
        return {"birth_date": error}
    if born and data.get("birth_year") not in (None, born.year):
        message = _(
            "The year of birth (%(year)s) is not the year of the date of birth (%(date)s): "
            "correct one of them, or leave the year empty."
        ) % {"year": data["birth_year"], "date": born.strftime("%d/%m/%Y")}
        return {"birth_year": ValidationError(message, code="date_mismatch")}
    if born:
        data["birth_year"] = born.year
    try:
        validate_birth_year(data.get("birth_year"), this_year=today.year)
    except ValidationError as error:
        return {"birth_year": error}
    return {}


def _residence_problems(data: dict) -> dict:
    """A person lives in one place: a network town (`municipality`, which offices' areas and
    reports read) or a town elsewhere in Spain (`other_municipality`). A network town given
    as a town of Spain is stored as the network's; the one given clears the other in
    `data`."""
    town, elsewhere = data.get("municipality"), data.get("other_municipality")
    if elsewhere is not None and elsewhere.network_municipality_id is not None:
        if town is not None and town.pk != elsewhere.network_municipality_id:
            return {"other_municipality": _residence_twice()}
        town, elsewhere = elsewhere.network_municipality, None
    elif town is not None and elsewhere is not None:
        return {"other_municipality": _residence_twice()}
    if town is not None or elsewhere is not None:  # the one given replaces the other
        data["municipality"], data["other_municipality"] = town, elsewhere
    return {}


def _residence_twice() -> ValidationError:
    return ValidationError(
        _(
            "A person lives in one municipality: choose it among the network's or write it "
            "outside the network, not both."
        ),
        code="two_residences",
    )


def person_derive(person: Person) -> None:
    """Set the fields computed from the others: the search text and the name key."""
    for name, value in person_derived(person).items():
        setattr(person, name, value)


def person_derived(person) -> dict:
    """The search text and the name key of a person (or of anything with a person's name,
    document, e-mail, phone and year of birth as attributes)."""
    return {
        "search_text": person_search_text(person),
        "name_key": name_key(person.first_name, person.last_name, person.birth_year),
    }


def person_search_text(person) -> str:
    digits = "".join(filter(str.isdigit, person.phone))
    # Folded part by part: names repeat (their folding is cached), identifiers are plain ASCII.
    parts = [person.first_name, person.last_name, person.id_number, person.email]
    return " ".join([*map(fold, parts), digits, digits[-9:]])


DERIVED_FIELDS = ["search_text", "name_key"]


# Duplicates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicates:
    certain: list[Person]
    probable: list[Person]

    def __bool__(self) -> bool:
        return bool(self.certain or self.probable)


def probable_duplicates_of(person: Person) -> list[Person]:
    """Records that may be the same as a registered person: a similar name with the same
    e-mail, phone or year of birth (their documents differ, or the person would be one)."""
    values = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "birth_year": person.birth_year,
    }
    return person_duplicates(values, exclude=person).probable


def person_duplicates(data: dict, *, exclude: Person | None = None) -> Duplicates:
    """Across the whole network: same document (certain), or a similar name with the same
    e-mail, phone or year of birth (probable). Callers show only what the user may see."""
    people = Person.objects.exclude(pk=exclude.pk) if exclude else Person.objects.all()
    certain = (
        list(people.filter(id_type=data.get("id_type"), id_number=data["id_number"]))
        if data.get("id_number")
        else []
    )
    clues = Q()
    for field in ("email", "phone"):
        if data.get(field):
            clues |= Q(**{field: data[field]})
    if data.get("birth_year") and data.get("last_name"):
        # Same year and names starting alike: an indexed lookup, then names compared.
        clues |= Q(
            name_key=name_key(data.get("first_name", ""), data["last_name"], data["birth_year"])
        )
    name = f"{data.get('first_name', '')} {data.get('last_name', '')}"
    candidates = people.filter(clues).exclude(pk__in=[c.pk for c in certain])[:50] if clues else []
    probable = [p for p in candidates if similar_names(name, p.full_name)]
    return Duplicates(certain=certain, probable=probable)


class PossibleDuplicates(Exception):
    def __init__(self, duplicates: Duplicates):
        super().__init__(_("This person may already be registered."))
        self.duplicates = duplicates


# People -----------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor, office, data: dict, confirm_probable: bool = False) -> Person:
    """Register a person for `office`. Refused if the document is already registered; held
    back with PossibleDuplicates when probable ones exist, unless confirmed."""
    data = person_clean(data)
    duplicates = person_duplicates(data)
    if duplicates.certain:
        raise ValidationError(
            {
                "id_number": _(
                    "This document is already registered in the network. Search for it instead of "
                    "creating it again."
                )
            }
        )
    if duplicates.probable and not confirm_probable:
        raise PossibleDuplicates(duplicates)
    person = Person(
        office=office, created_by=actor, **{k: data.get(k) for k in PERSON_FIELDS if k in data}
    )
    person.full_clean(exclude=DERIVED_FIELDS)
    person_derive(person)
    try:
        person.save()
    except IntegrityError as error:  # a concurrent registration of the same document
        raise ValidationError({"id_number": _("This document is already registered.")}) from error
    name_words_add(words_of(person))
    audit_record(action="crm.person.create", actor=actor, target=person, office=office)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict, expected_version: int) -> Person:
    data = person_clean(data)
    duplicates = person_duplicates(data, exclude=person)
    if duplicates.certain:
        raise ValidationError(
            {"id_number": _("Another person in the network already has this document.")}
        )
    saved = Person.objects.get(pk=person.pk)
    before = model_snapshot(saved, PERSON_FIELDS)
    for name in PERSON_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    person.full_clean(exclude=DERIVED_FIELDS)
    person_derive(person)
    save_with_version(
        person, expected_version=expected_version, fields=[*PERSON_FIELDS, *DERIVED_FIELDS]
    )
    name_words_replace(words_of(saved), words_of(person))
    changes = changes_between(before, model_snapshot(person, PERSON_FIELDS))
    # Field names only: the audit trail must not copy personal values.
    audit_record(
        action="crm.person.update",
        actor=actor,
        target=person,
        office=person.office,
        details={"fields": sorted(changes)},
    )
    return person


def person_read_logged(*, actor, person: Person) -> None:
    """Who read which person's record, and when."""
    audit_record(action="crm.person.read", actor=actor, target=person, office=person.office)


def people_export_logged(*, actor, count: int, search: str) -> None:
    audit_record(
        action="crm.people.export", actor=actor, details={"count": count, "search": bool(search)}
    )


# Consent ledger ------------------------------------------------------------------------------


def person_refresh_sharing(person: Person) -> None:
    """Keep `shares_with_network` equal to what the person's latest sharing event says."""
    latest = (
        person.consent_events.filter(purpose=Purpose.NETWORK_SHARING)
        .order_by("-occurred_at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    shares = latest == ConsentEvent.Action.GIVEN
    if person.shares_with_network != shares:
        person.shares_with_network = shares
        Person.objects.filter(pk=person.pk).update(shares_with_network=shares)


def consent_state(person: Person) -> dict[str, ConsentEvent]:
    """The latest event per purpose."""
    state: dict[str, ConsentEvent] = {}
    for event in person.consent_events.order_by("-occurred_at", "-id"):
        state.setdefault(event.purpose, event)
    return state


@transaction.atomic
def consent_record(
    *,
    actor,
    office,
    person: Person,
    purpose: str,
    action: str,
    lawful_basis: str,
    notice_version: str,
) -> ConsentEvent:
    """Append a consent or a withdrawal; it takes effect at once. Only the office holding
    the relationship with the person, the one that registered them, records their consents:
    another office that sees a shared client cannot give or withdraw for them (a client's
    consent to be referred goes with the referral: `referral_consent_record`)."""
    if not consent_may_record(office=office, person=person):
        raise ValidationError(
            _("Only %(office)s, which registered this person, records their consents.")
            % {"office": person.office.name}
        )
    return _consent_append(
        actor=actor,
        office=office,
        person=person,
        purpose=purpose,
        action=action,
        lawful_basis=lawful_basis,
        notice_version=notice_version,
    )


def consent_may_record(*, office, person: Person) -> bool:
    """Whether `office` records the person's consents: it registered them."""
    return office is not None and office.pk == person.office_id


def referral_consent_record(*, actor, office, person: Person, notice_version: str) -> ConsentEvent:
    """The client's consent to be referred, given to the office that serves them on a case
    and refers them (the referral's service has checked that case is the office's)."""
    return _consent_append(
        actor=actor,
        office=office,
        person=person,
        purpose=Purpose.REFERRAL,
        action=ConsentEvent.Action.GIVEN,
        lawful_basis=LawfulBasis.CONSENT,
        notice_version=notice_version,
    )


def _consent_append(
    *, actor, office, person: Person, purpose, action, lawful_basis, notice_version
) -> ConsentEvent:
    if purpose not in Purpose.values or action not in ConsentEvent.Action.values:
        raise ValidationError(_("Choose a purpose and whether it is given or withdrawn."))
    if not notice_version.strip():
        raise ValidationError({"notice_version": _("Say which privacy notice was shown.")})
    event = ConsentEvent.objects.create(
        person=person,
        purpose=purpose,
        action=action,
        lawful_basis=lawful_basis,
        notice_version=notice_version.strip(),
        recorded_by=actor,
        office=office,
    )
    if purpose == Purpose.NETWORK_SHARING:
        person_refresh_sharing(person)
    audit_record(
        action=f"crm.consent.{action}",
        actor=actor,
        target=person,
        office=office,
        details={"purpose": purpose, "basis": lawful_basis, "notice": event.notice_version},
    )
    return event


# Companies ----------------------------------------------------------------------------------


def company_clean(data: dict) -> dict:
    data = dict(data)
    try:
        data["tax_id"] = normalise_tax_id(data.get("tax_id", ""))
    except ValidationError as error:
        raise ValidationError({"tax_id": error}) from error
    return data


def company_search_text(company: Company) -> str:
    return fold(" ".join([company.legal_name, company.trade_name, company.tax_id]))


@transaction.atomic
def company_save(
    *, actor, office, company: Company | None, data: dict, expected_version: int | None = None
) -> Company:
    data = company_clean(data)
    others = Company.objects.exclude(pk=company.pk) if company else Company.objects.all()
    if data["tax_id"] and others.filter(tax_id=data["tax_id"]).exists():
        raise ValidationError({"tax_id": _("A company with this NIF is already registered.")})
    creating = company is None
    company = company or Company(office=office, created_by=actor)
    for name in COMPANY_FIELDS:
        if name in data:
            setattr(company, name, data[name])
    company.full_clean(exclude=["search_text"])
    company.search_text = company_search_text(company)
    if creating:
        company.save()
    else:
        save_with_version(
            company,
            expected_version=expected_version,
            fields=[*COMPANY_FIELDS, "search_text"],
        )
    audit_record(
        action="crm.company." + ("create" if creating else "update"),
        actor=actor,
        target=company,
        office=company.office,
    )
    return company


@transaction.atomic
def person_link_company(*, actor, person: Person, company: Company, relation: str) -> PersonCompany:
    link, created = PersonCompany.objects.get_or_create(
        person=person, company=company, relation=relation
    )
    if created:
        audit_record(
            action="crm.person.link_company",
            actor=actor,
            target=person,
            office=person.office,
            details={"company": str(company.public_id), "relation": relation},
        )
    return link


# Merging duplicates --------------------------------------------------------------------------


# Fields a merge takes from the same record, the first one naming the choice: a document
# with its type, a year of birth with the date (the year is the date's), a residence in the
# network with one outside it (a person lives in one place).
MERGED_TOGETHER = [
    ("id_number", "id_type"),
    ("birth_year", "birth_date"),
    ("municipality", "other_municipality"),
]


def _person_values(person: Person) -> dict:
    """The fields a merge may change, as stored in its JSON snapshot: related records by
    key ("municipality_id"), the date of birth as ISO text."""
    values = {}
    for name in PERSON_FIELDS:
        field = Person._meta.get_field(name)
        values[field.attname] = getattr(person, field.attname)
    if person.birth_date is not None:
        values["birth_date"] = person.birth_date.isoformat()
    return values


def _restored(snapshot: dict) -> dict:
    """A record's values as a merge's snapshot kept them (one taken before a field existed
    had nothing in it)."""
    return {"birth_date": None, "other_municipality_id": None} | snapshot


def _apply_values(person: Person, values: dict) -> None:
    for name, value in values.items():
        setattr(person, name, value)
    if isinstance(person.birth_date, str):  # from a snapshot
        person.birth_date = datetime.date.fromisoformat(person.birth_date)
    person_derive(person)


def _saved_fields() -> list[str]:
    return [*PERSON_FIELDS, *DERIVED_FIELDS, "updated_at"]


def _taken_from_other(take: set[str]) -> set[str]:
    """The column names (`_person_values` keys) a merge takes for the fields chosen."""
    fields = set(take)
    for group in MERGED_TOGETHER:
        if fields & set(group):
            fields |= set(group)
    return {Person._meta.get_field(name).attname for name in fields if name in PERSON_FIELDS}


@transaction.atomic
def person_merge(*, actor, survivor: Person, absorbed: Person, take: set[str]):
    """Keep `survivor`, taking the fields named in `take` from `absorbed`; move every
    relation of `absorbed` to the survivor and keep what is needed to undo it."""
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Choose two different records."))
    if survivor.merged_into_id or absorbed.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    survivor_before, absorbed_before = _person_values(survivor), _person_values(absorbed)
    taken = _taken_from_other(take)
    chosen = {name: value for name, value in absorbed_before.items() if name in taken}
    # Free the absorbed record's document first: documents are unique in the network.
    absorbed.id_type, absorbed.id_number, absorbed.merged_into = "", "", survivor
    absorbed.save(update_fields=["id_type", "id_number", "merged_into", "updated_at"])
    names_before = words_of(survivor)
    _apply_values(survivor, chosen)
    survivor.save(update_fields=_saved_fields())
    name_words_replace(names_before, words_of(survivor))
    moved = {
        "consents": list(absorbed.consent_events.values_list("pk", flat=True)),
        "requests": list(DataRequest.objects.filter(person=absorbed).values_list("pk", flat=True)),
        "links": [],
        "links_dropped": [],
    }
    absorbed.consent_events.update(person=survivor)
    DataRequest.objects.filter(person=absorbed).update(person=survivor)
    for link in absorbed.company_links.all():
        if survivor.company_links.filter(company=link.company_id, relation=link.relation).exists():
            moved["links_dropped"].append([link.company_id, link.relation])
            link.delete()
        else:
            moved["links"].append(link.pk)
    PersonCompany.objects.filter(pk__in=moved["links"]).update(person=survivor)
    person_refresh_sharing(survivor)
    person_refresh_sharing(absorbed)
    merge = PersonMerge.objects.create(
        survivor=survivor,
        absorbed=absorbed,
        survivor_before=survivor_before,
        absorbed_before=absorbed_before,
        moved=moved,
        merged_by=actor,
    )
    audit_record(
        action="crm.person.merge",
        actor=actor,
        target=survivor,
        office=survivor.office,
        details={"absorbed": str(absorbed.public_id), "fields": sorted(take)},
    )
    return merge


@transaction.atomic
def person_merge_undo(*, actor, merge) -> None:
    """Put both records back as they were before the merge, relations included."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    survivor, absorbed = merge.survivor, merge.absorbed
    if survivor.merged_into_id:
        raise ValidationError(_("Undo the later merge of this record first."))
    names_before = words_of(survivor) | words_of(absorbed)
    _apply_values(survivor, _restored(merge.survivor_before))
    survivor.save(update_fields=_saved_fields())
    _apply_values(absorbed, _restored(merge.absorbed_before))
    absorbed.merged_into = None
    absorbed.save(update_fields=[*_saved_fields(), "merged_into"])
    name_words_replace(names_before, words_of(survivor) | words_of(absorbed))
    absorbed_id = absorbed.pk
    ConsentEvent.objects.filter(pk__in=merge.moved["consents"]).update(person_id=absorbed_id)
    DataRequest.objects.filter(pk__in=merge.moved["requests"]).update(person_id=absorbed_id)
    PersonCompany.objects.filter(pk__in=merge.moved["links"]).update(person_id=absorbed_id)
    for company_id, relation in merge.moved["links_dropped"]:
        PersonCompany.objects.get_or_create(
            person_id=absorbed_id, company_id=company_id, relation=relation
        )
    person_refresh_sharing(survivor)
    person_refresh_sharing(absorbed)
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    audit_record(
        action="crm.person.merge_undo",
        actor=actor,
        target=survivor,
        office=survivor.office,
        details={"absorbed": str(absorbed.public_id)},
    )


def companies_export_logged(*, actor, count: int, search: str) -> None:
    """Who downloaded the companies list, how many rows and whether it was searched."""
    audit_record(
        action="crm.companies.export", actor=actor, details={"count": count, "search": bool(search)}
    )
