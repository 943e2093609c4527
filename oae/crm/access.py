"""Who may see and change which people, companies and merges: the joint database's scoping,
built on oae.scoping. Every helper filters in the query itself, and gives the same 404 for a
record that is missing and one that is not the user's (the probe audited)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from oae.crm.models import Company, Person, PersonMerge
from oae.scoping import Action, audit_hidden_probe, office_ids_for, scoped_or_404


def people_for(user, action: Action = Action.VIEW_PEOPLE) -> QuerySet[Person]:
    """People the user may see: those registered by the user's offices, and, for reading,
    those of other offices whose latest network-sharing consent event says "given" (the
    `shares_with_network` flag, kept in step with the ledger by crm.services). Records merged
    into another are never among them."""
    allowed = office_ids_for(user, action) or set()
    people = Person.objects.filter(merged_into__isnull=True)
    if action != Action.VIEW_PEOPLE:
        return people.filter(office_id__in=allowed)
    if not allowed:
        return people.none()
    return people.filter(Q(office_id__in=allowed) | Q(shares_with_network=True))


def person_visible(user, person_field: str = "person", action: Action = Action.VIEW_PEOPLE):
    """A condition on rows that point at a person (`person_field`): true where the user may
    `action` that person. The database answers it row by row (a correlated subquery), so no
    list of the people someone may see is ever read into Python."""
    return Exists(people_for(user, action).filter(pk=OuterRef(person_field)))


def companies_for(user, action: Action = Action.VIEW_PEOPLE) -> QuerySet[Company]:
    """Companies are business data: every office that serves clients may read them all;
    only the registering office changes them."""
    allowed = office_ids_for(user, action) or set()
    if not allowed:
        return Company.objects.none()
    if action == Action.VIEW_PEOPLE:
        return Company.objects.all()
    return Company.objects.filter(office_id__in=allowed)


def get_person_or_404(user, public_id, action: Action = Action.VIEW_PEOPLE) -> Person:
    """The person if the user may `action` them, with their office and where they live."""
    people = people_for(user, action).select_related("office", "municipality", "other_municipality")
    return scoped_or_404(user, people, public_id)


def get_company_or_404(user, public_id, action: Action = Action.VIEW_PEOPLE) -> Company:
    """The company if the user may `action` it, with what its page shows beside it."""
    companies = companies_for(user, action).select_related("office", "municipality", "cnae")
    return scoped_or_404(user, companies, public_id)


def get_merge_or_404(user, public_id) -> PersonMerge:
    """A merge whose kept record the user may see, with both records and the kept one's office.
    A merge of someone else's record is recorded as a probe at that record."""
    merge = (
        PersonMerge.objects.select_related("survivor__office", "absorbed")
        .filter(person_visible(user, "survivor_id"), public_id=public_id)
        .first()
    )
    if merge is None:
        hidden = PersonMerge.objects.filter(public_id=public_id)
        survivor_id = hidden.values_list("survivor__public_id", flat=True).first()
        if survivor_id is not None:
            audit_hidden_probe(user, Person, survivor_id)
        raise Http404("No such merge")
    return merge


def office_may_serve(office, person: Person) -> bool:
    """Whether `office` may act on the person's record (keep a result with them, open a case
    for them): it registered them, or they share their data with the network."""
    return office is not None and (person.office_id == office.pk or person.shares_with_network)


# What a person's record says, by what it is for: who they are, and how to reach them.
IDENTITY_FIELDS = frozenset({"first_name", "last_name"})
CONTACT_FIELDS = frozenset({"email", "phone", "id_type", "id_number"})


def person_fields_for(user, person: Person) -> frozenset[str]:
    """Which of the person's fields the user may see where a record of their office (a case)
    shows the person as its client. Whoever may read the person (`people_for`: the
    registering office, other offices while the person shares with the network) sees every
    field. An office that opened a case while the person shared keeps, once the sharing is
    withdrawn, what the case needs to go on (the case, its sessions, the client's name) and
    no longer sees how to reach them nor their document."""
    if people_for(user).filter(pk=person.pk).exists():
        return frozenset(field.name for field in Person._meta.concrete_fields)
    return IDENTITY_FIELDS
