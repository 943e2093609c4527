"""Reads of the joint database, always through the scoping module."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from oae.catalogue.search import fold
from oae.crm.models import Person
from oae.privacy.models import AuditEvent
from oae.scoping import Action, companies_for, people_for


@dataclass(frozen=True)
class PeopleFilters:
    search: str = ""
    municipality: str = ""  # INE code
    office: str = ""  # registering office's public id
    mine_only: bool = False


def _words(query: str) -> Q:
    condition = Q()
    for word in fold(query).split()[:8]:
        condition &= Q(search_text__contains=word.replace(" ", ""))
    return condition


TYPO_MIN = 4  # letters a word needs before typos in it are tolerated


def _close_words(query: str) -> Q:
    """PostgreSQL: each word of four letters or more close to a word of the text (pg_trgm's
    word-similarity operator, served by the trigram index of migration 0005), so "Marinez"
    finds "Martínez"; shorter words must be found as typed (a typo in "Via" or "Pla" could be
    almost any name, and looking for it would read the whole table)."""
    condition = Q()
    for word in fold(query).split()[:4]:
        if len(word) >= TYPO_MIN:
            condition &= Q(search_text__trigram_word_similar=word)
        else:
            condition &= Q(search_text__contains=word)
    return condition


def _identifier(query: str) -> Q | None:
    """A whole e-mail, identity document or phone number: one equality on its own index,
    instead of a text search (what an advisor types most when a client is in front of them)."""
    from oae.crm.validators import guess_document_type, normalise_id_document
    from oae.network.validators import normalise_phone

    text = query.strip()
    if " " not in text and "@" in text:
        return Q(email=text.lower())
    document_type = guess_document_type(text)
    if document_type in ("dni", "nie"):
        try:
            return Q(id_type=document_type, id_number=normalise_id_document(document_type, text))
        except ValidationError:
            pass
    if sum(c.isdigit() for c in text) >= 9 and not any(c.isalpha() for c in text):
        try:
            return Q(phone=normalise_phone(text))
        except ValidationError:
            return None
    return None


def people_search(*, user, filters: PeopleFilters) -> QuerySet[Person]:
    """Name, document, e-mail or phone, ignoring accents and case; every word must match.
    A whole e-mail, document or phone is looked up directly. On PostgreSQL, a search that
    finds nothing is retried tolerating small typos."""
    people = people_for(user, Action.VIEW_PEOPLE).filter(anonymised_at__isnull=True)
    people = people.select_related("office", "municipality")
    if filters.search:
        people = _searched(people, filters.search)
    if filters.municipality:
        people = people.filter(municipality__ine_code=filters.municipality)
    if filters.office:
        people = people.filter(office__public_id=filters.office)
    if filters.mine_only:
        people = people.filter(office__memberships__user=user, office__memberships__is_active=True)
    return people.order_by(*_order(filters.search))


def _order(search: str) -> list:
    """Alphabetical. Two or more words rarely match together, but PostgreSQL's planner
    multiplies each word's frequency, expects many matches and would walk the whole
    alphabetical index for a page of them; ordered by expressions no index has, it takes the
    text index's few matches and sorts them instead."""
    if sum(len(word) >= 3 for word in fold(search).split()) >= 2:
        return [Lower("last_name"), Lower("first_name"), "pk"]
    return ["last_name", "first_name", "pk"]


def _searched(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Typos are tolerated in names, not in identifiers: a document, e-mail or phone that is
    not found is not "corrected" into someone else's."""
    identifier = _identifier(query)
    if identifier is not None:
        found = people.filter(identifier)
        return found if found.exists() else people.filter(_words(query))
    exact = people.filter(_words(query))
    long_words = any(len(word) >= TYPO_MIN for word in fold(query).split())
    if connection.vendor == "postgresql" and long_words and not exact.exists():
        return people.filter(_close_words(query))
    return exact


@dataclass(frozen=True)
class CompanyFilters:
    search: str = ""
    stage: str = ""
    legal_form: str = ""
    cnae_section: str = ""  # a CNAE-2009 section letter, A to U
    office: str = ""  # registering office's public id


def companies_search(*, user, filters: CompanyFilters) -> QuerySet:
    companies = companies_for(user, Action.VIEW_PEOPLE).select_related(
        "municipality", "cnae", "office"
    )
    if filters.search:
        companies = companies.filter(_words(filters.search))
    if filters.stage:
        companies = companies.filter(stage=filters.stage)
    if filters.legal_form:
        companies = companies.filter(legal_form=filters.legal_form)
    if filters.cnae_section:
        # A class's parents: group, division, section.
        companies = companies.filter(cnae__parent__parent__parent__code=filters.cnae_section)
    if filters.office:
        companies = companies.filter(office__public_id=filters.office)
    return companies.order_by("legal_name", "pk")


def person_history(person: Person) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        target_type="crm.person", target_id=str(person.public_id)
    ).order_by("-occurred_at")[:50]


def people_for_ids(user) -> QuerySet:
    """Primary keys of the people the user may see (to filter related lists)."""
    return people_for(user, Action.VIEW_PEOPLE).values_list("pk", flat=True)


def merge_candidates(*, user, person: Person) -> list[Person]:
    """Probable duplicates of `person` that the user may merge into it."""
    from oae.crm.services import person_duplicates

    mergeable = set(people_for(user, Action.MERGE_PEOPLE).values_list("pk", flat=True))
    if person.pk not in mergeable:
        return []
    values = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "birth_year": person.birth_year,
    }
    found = person_duplicates(values, exclude=person)
    return [p for p in found.probable if p.pk in mergeable and p.merged_into_id is None]
