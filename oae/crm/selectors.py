"""Reads of the joint database for the screens, always scoped through crm.access."""

import functools
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from operator import attrgetter, methodcaller

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from oae.common.exports import Column
from oae.common.pagination import LookaheadPage, lookahead_page
from oae.common.text import fold_words
from oae.crm import services
from oae.crm.access import companies_for, people_for, person_visible
from oae.crm.models import Company, Person, PersonCompany
from oae.crm.namewords import corrections, ending_a_word, people_with, people_within
from oae.crm.sections import person_sections
from oae.crm.validators import guess_document_type, normalise_id_document
from oae.network.validators import normalise_phone
from oae.privacy.models import AuditEvent
from oae.scoping import Action, can


def _uuid_or_blank(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


@dataclass(frozen=True)
class PeopleFilters:
    search: str = ""
    municipality: str = ""  # INE code
    office: str = ""  # registering office's public id
    mine_only: bool = False

    @classmethod
    def from_query(cls, query) -> "PeopleFilters":
        """The filters of a query string, cut to their lengths; a malformed office is none."""
        return cls(
            search=query.get("search", "").strip()[:100],
            municipality=query.get("municipality", "")[:5],
            office=_uuid_or_blank(query.get("office", "")),
            mine_only=query.get("mine") == "1",
        )


def _all_of(groups: list[list[str]]) -> Q:
    """Every group has a word in the text: the first as typed (also inside a longer word, as
    a name is typed; none if empty), or one of the others (corrections) as the end of a word
    ("garcia" in "garcia" or "mariagarcia", not in "garcias")."""
    condition = Q()
    for typed, *corrected in groups:
        either = Q(search_text__contains=typed) if typed else Q(pk__in=[])
        for word in corrected:
            either |= ending_a_word(word)
        condition &= either
    return condition


def _words(query: str) -> Q:
    return _all_of([[word] for word in fold_words(query)[:8]])


TYPO_MIN = 4  # letters a word needs before typos in it are tolerated
RARE = 2_000  # records: fewer matches are read and sorted, more are met along the name order
NAME_ORDER = ["last_name", "first_name", "pk"]


def _corrected(words: list[str], begins) -> list[list[str]]:
    """PostgreSQL: each word of four letters or more that begins no name in the network (a
    typo's mark), as typed or as one of the name words closest to it (crm/namewords.py), so
    "Marinez" finds "Martínez"; other words must be found as typed (a typo in "Via" or "Pla"
    could be almost any name). A single word is not looked for as typed again: it has just
    been, in vain."""
    groups = [[w, *corrections(w)] if _mistyped(w, begins) else [w] for w in words[:4]]
    if len(groups) == 1 and len(groups[0]) > 1:
        groups[0][0] = ""
    return groups


def _mistyped(word: str, begins) -> bool:
    """`begins`: how many records have a name word beginning with a word (`people_with`)."""
    return len(word) >= TYPO_MIN and not begins(word)


def _name_like(word: str) -> bool:
    """Not one or two letters, nor part of an e-mail, document or phone."""
    return len(word) >= 3 and not any(c.isdigit() or c in "@._-" for c in word)


def _identifier(query: str) -> Q | None:
    """A whole e-mail, identity document or phone number: one equality on its own index,
    instead of a text search (what an advisor types most when a client is in front of them)."""
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
    finds nothing is retried tolerating small typos. Alphabetical."""
    return _people_and_plan(user, filters)[0]


# How PostgreSQL should read a search's people (see `_plan`); None: as its planner likes.
WALK, FETCH = "walk", "fetch"
PLAN_SETTINGS = {
    WALK: ["enable_seqscan", "enable_bitmapscan", "max_parallel_workers_per_gather"],
    FETCH: ["enable_seqscan", "enable_indexscan"],
}
ORDERS = {WALK: NAME_ORDER, FETCH: [Lower("last_name"), Lower("first_name"), "pk"]}


def _people_and_plan(user, filters: PeopleFilters) -> tuple[QuerySet[Person], str | None]:
    people = people_for(user, Action.VIEW_PEOPLE).filter(anonymised_at__isnull=True)
    people = people.select_related("office", "municipality", "other_municipality")
    if filters.municipality:
        people = people.filter(municipality__ine_code=filters.municipality)
    if filters.office:
        people = people.filter(office__public_id=filters.office)
    if filters.mine_only:
        people = people.filter(office__memberships__user=user, office__memberships__is_active=True)
    if filters.search:
        return _searched(people, filters.search)
    return people.order_by(*NAME_ORDER), WALK


def _people_by_key(keys: list[int]) -> dict[int, Person]:
    """The people list's rows, once `_people_and_plan` has found (and scoped) their keys."""
    return Person.objects.select_related("office", "municipality", "other_municipality").in_bulk(
        keys
    )


def _searched(people: QuerySet[Person], query: str) -> tuple[QuerySet[Person], str | None]:
    """Typos are tolerated in names, not in identifiers: a document, e-mail or phone that is
    not found is not "corrected" into someone else's."""
    identifier = _identifier(query)
    if identifier is not None:
        found = people.filter(identifier)
        found = found if found.exists() else people.filter(_words(query))
        return found.order_by(*NAME_ORDER), None
    words = fold_words(query)[:8]
    begins = functools.cache(people_with)  # each word's holders asked once per search
    exact, plan = _matching(people, [[w] for w in words], begins)
    long_words = any(len(word) >= TYPO_MIN for word in words)
    if connection.vendor == "postgresql" and long_words and not _finds_any(exact, plan):
        return _matching(people, _corrected(words, begins), begins)
    return exact, plan


def _matching(people: QuerySet[Person], groups: list[list[str]], begins):
    plan = _plan(groups, begins)
    return people.filter(_all_of(groups)).order_by(*ORDERS[plan]), plan


def _plan(groups: list[list[str]], begins) -> str:
    """Alphabetical, read one of two ways. When the matches are few (two or more words, or a
    rare name word), PostgreSQL should FETCH them through the text index and sort them; when
    they are many, WALK the alphabetical index (crm_person_order_cover) until a page is full.
    Its planner cannot tell: it multiplies words' frequencies, and it assumes matches are
    spread evenly along the alphabet, while a surname's holders stand together. The
    vocabulary's counts (crm/namewords.py) say which is right, and `_read_as` tells it."""
    several = sum(any(len(word) >= 3 for word in group) for group in groups) >= 2
    if several or any(_rare(group, begins) for group in groups):
        return FETCH
    return WALK


def _rare(group: list[str], begins) -> bool:
    """Few records have this name word (or its corrections), at the start of a word of their
    name or, for the few that pass that test, anywhere inside one. A word that is not
    `_name_like` is taken as common. (A word is corrected only when it begins no name: its
    holders and its corrections' add up.)"""
    typed, *corrected = group
    if typed and not _name_like(typed):
        return False
    holders = begins(typed) if typed else 0
    if holders + (people_with("", corrected) if corrected else 0) > RARE:
        return False
    return not typed or people_within(typed) <= RARE


def _finds_any(people: QuerySet[Person], plan: str | None) -> bool:
    """Whether the search finds someone. Asked as exists() asks (unordered, one row),
    PostgreSQL bets on meeting a match early in the table, and reads all of it when there is
    none, which is what a typo gives: rare words are looked up in the text index."""
    with _read_as(plan):
        return bool(list(people.order_by().values_list("pk", flat=True)[:1]))


@contextmanager
def _read_as(plan: str | None):
    """PostgreSQL reads the people as the plan says (common words: walking the name order,
    with no bitmap of their thousands of matches and no scan of the table; rare words: through
    the text index). Left to itself, its planner often picks the other (see `_plan`)."""
    if connection.vendor != "postgresql" or plan is None:
        yield
        return
    settings = PLAN_SETTINGS[plan]
    with connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET {name} = 0" for name in settings))
        try:
            yield
        finally:
            # After a database error inside a transaction, its rollback undoes the settings.
            with suppress(DatabaseError):
                cursor.execute("; ".join(f"RESET {name}" for name in settings))


def people_page(*, user, filters: PeopleFilters, number, per_page: int) -> LookaheadPage:
    """A page of the people list: its keys found as `_read_as` says, from the
    covering order index where it can (crm_person_order_cover), then its rows by key."""
    people, plan = _people_and_plan(user, filters)
    with _read_as(plan):
        return lookahead_page(people, number, per_page, rows_by_key=_people_by_key)


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


def merge_candidates(*, user, person: Person) -> list[Person]:
    """Probable duplicates of `person` that the user may merge into it (none unless the user
    may merge `person` itself), with their offices. Which of them the user may merge is asked
    of the database among these few, never by listing everyone the user may merge."""
    if person.merged_into_id is not None or not can(user, Action.MERGE_PEOPLE, person.office):
        return []
    found = services.probable_duplicates_of(person)
    mergeable = people_for(user, Action.MERGE_PEOPLE).filter(pk__in=[p.pk for p in found])
    by_key = mergeable.select_related("office").in_bulk()
    return [by_key[p.pk] for p in found if p.pk in by_key]


def people_visible_among(*, user, people: list[Person]) -> set[int]:
    """The keys of those of `people` (a few, such as possible duplicates) the user may see."""
    keys = [person.pk for person in people]
    return set(people_for(user).filter(pk__in=keys).values_list("pk", flat=True))


def company_person_links(*, user, company: Company) -> QuerySet[PersonCompany]:
    """The company's links to people the user may see, with the person: someone registered by
    another office who does not share with the network is not listed."""
    return company.person_links.filter(person_visible(user)).select_related("person")


def can_register_for(user, acting_office) -> bool:
    """Whether the user may register people, companies and consents for the office they act
    for (what the lists' buttons and the consent form offer; the views ask the same)."""
    return acting_office is not None and can(user, Action.EDIT_PEOPLE, acting_office)


def person_page(*, user, person: Person, acting_office) -> dict:
    """What the person page shows to `user`, read in a fixed number of queries, with the flags
    its template tests: can_edit, can_merge, can_record_consent (for the acting office, which
    the consent is recorded for), and the sections higher domains registered (crm.sections)."""
    return {
        "person": person,
        "can_edit": can(user, Action.EDIT_PEOPLE, person.office),
        "can_merge": can(user, Action.MERGE_PEOPLE, person.office),
        "can_record_consent": can_register_for(user, acting_office)
        and services.consent_may_record(office=acting_office, person=person),
        "consents": person.consent_events.select_related("recorded_by", "office"),
        "consent_state": services.consent_state(person),
        "links": person.company_links.select_related("company"),
        "history": person_history(person),
        "candidates": merge_candidates(user=user, person=person),
        "merges": person.merges.select_related("absorbed", "merged_by"),
        "sections": person_sections(user, person),
    }


# One choice per group of fields a merge takes together (services.MERGED_TOGETHER), named
# by the group's first field.
_TAKEN_ALONG = {name for group in services.MERGED_TOGETHER for name in group[1:]}
MERGE_FIELDS = [name for name in services.PERSON_FIELDS if name not in _TAKEN_ALONG]
_MERGE_LABELS = {"birth_year": _("date or year of birth")}


def _shown(person: Person, name: str):
    """A field's value as a person reads it (a choice's label, not its code; the date of
    birth when known, else the year; the residence in the network or outside it)."""
    if name == "birth_year" and person.birth_date:
        return date_format(person.birth_date, "j/n/Y")
    if name == "municipality":
        return person.residence
    display = getattr(person, f"get_{name}_display", None)
    return display() if display else getattr(person, name)


def merge_comparison(survivor: Person, absorbed: Person) -> list[tuple]:
    """For each field a merge may take from the other record: its name, its label and the
    two records' values as shown."""
    return [
        (
            name,
            _MERGE_LABELS.get(name) or Person._meta.get_field(name).verbose_name,
            _shown(survivor, name),
            _shown(absorbed, name),
        )
        for name in MERGE_FIELDS
    ]


def _municipality_name(record) -> str:
    return record.municipality.name if record.municipality else ""


def _residence_name(person: Person) -> str:
    """The network town, or the town elsewhere with its province ("Lleida (Lleida)")."""
    return str(person.residence or "")


PEOPLE_COLUMNS = (
    Column(_("Name"), attrgetter("first_name")),
    Column(_("Surnames"), attrgetter("last_name")),
    Column(_("Document"), attrgetter("id_number")),
    Column(_("E-mail"), attrgetter("email")),
    Column(_("Phone"), attrgetter("phone")),
    Column(_("Year of birth"), attrgetter("birth_year")),
    Column(_("Date of birth"), attrgetter("birth_date")),
    Column(_("Municipality"), _residence_name),
    Column(_("Registered by"), attrgetter("office.name")),
)

COMPANY_COLUMNS = (
    Column(_("Legal name"), attrgetter("legal_name")),
    Column(_("Trade name"), attrgetter("trade_name")),
    Column(_("NIF"), attrgetter("tax_id")),
    Column(_("Legal form"), methodcaller("get_legal_form_display")),
    Column(_("Stage"), methodcaller("get_stage_display")),
    Column(_("Activity (CNAE)"), lambda company: company.cnae.code if company.cnae else ""),
    Column(_("Employees"), attrgetter("employees")),
    Column(_("Municipality"), _municipality_name),
    Column(_("Registered by"), attrgetter("office.name")),
)
