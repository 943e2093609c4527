"""Deciding and writing a batch of companies: recognised by NIF or, without one, by legal name
and municipality; new ones inserted together, changed ones saved as a form saves them, each
row given its outcome."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oae.common.bulk import insert_many
from oae.common.text import fold
from oae.crm.imports.rows import ReadBatch, Rejected
from oae.crm.models import Company, Person, PersonCompany
from oae.crm.services import COMPANY_FIELDS, company_save, company_search_text
from oae.privacy.services import audit_record_many, audit_record_rows


def _name_key(data: dict) -> tuple:
    municipality = data.get("municipality")
    return fold(data["legal_name"]).strip(), municipality.pk if municipality else None


def _known(rows: list[dict]) -> tuple[dict, dict]:
    """Companies the batch may match: by NIF, and by legal name and municipality."""
    tax_ids = {r["tax_id"] for r in rows if r["tax_id"]}
    names = {r["legal_name"] for r in rows if not r["tax_id"]}
    companies = Company.objects.select_related("office")
    by_tax_id = {c.tax_id: c for c in companies.filter(tax_id__in=tax_ids)}
    by_name = {}
    if names:
        for company in companies.filter(legal_name__in=names):
            by_name[(fold(company.legal_name).strip(), company.municipality_id)] = company
    return by_tax_id, by_name


def _new_company(data: dict, office, actor) -> Company:
    company = Company(office=office, created_by=actor, **{k: data[k] for k in COMPANY_FIELDS})
    try:
        company.clean_fields(exclude=["office", "created_by", "cnae", "municipality"])
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error
    company.search_text = company_search_text(company)
    return company


# Values a row gives when its cell is empty: not something the file says.
DEFAULTS = {"employees": 0, "legal_form": "other", "stage": "active"}


def _differences(existing: Company, data: dict) -> tuple[dict, dict]:
    """Blanks a row fills, and conflicts (a value the company has, the row gives otherwise)."""
    blanks, conflicts = {}, {}
    for name in COMPANY_FIELDS:
        value = data.get(name)
        if value in (None, "") or DEFAULTS.get(name) == value:
            continue
        current = getattr(existing, name)
        if current in (None, "") or DEFAULTS.get(name) == current:
            blanks[name] = value
        elif current != value:
            conflicts[name] = value
    return blanks, conflicts


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _label(name: str) -> str:
    return str(Company._meta.get_field(name).verbose_name)


def _update(actor, existing: Company, data: dict, job, warn) -> list[list[str]]:
    """Fill the company's blanks, and change its values only when the file wins (each
    conflict else a warning); the changes as [field, old, new]."""
    blanks, conflicts = _differences(existing, data)
    if conflicts and not job.overwrite:
        for name, value in conflicts.items():
            warn(
                _(
                    "%(field)s: the file says “%(new)s” but “%(old)s” is registered, which was "
                    "kept (choose “the file wins” to replace it)"
                )
                % {
                    "field": _label(name),
                    "new": _shown(value),
                    "old": _shown(getattr(existing, name)),
                }
            )
        conflicts = {}
    changes = blanks | conflicts
    if not changes:
        return []
    lines = [[_label(k), _shown(getattr(existing, k)), _shown(v)] for k, v in changes.items()]
    current = {name: getattr(existing, name) for name in COMPANY_FIELDS}
    try:
        with transaction.atomic():
            company_save(
                actor=actor,
                office=existing.office,
                company=existing,
                data=current | changes,
                expected_version=existing.lock_version,
            )
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error
    return lines


def import_company_batch(batch: ReadBatch, _looked_up: None, *, job) -> tuple[list[dict], None]:
    """Outcomes of one batch of rows read by `rows.row_to_company`, written at once (inside the
    caller's transaction): nothing is left to write."""
    actor, office = job.created_by, job.office
    by_tax_id, by_name = _known([data for _offset, data in batch.cleaned])
    created = []
    for offset, data in batch.cleaned:
        try:
            warn = partial(batch.warn, offset)
            outcome, changes = _decide(data, by_tax_id, by_name, created, job, warn)
            batch.outcomes[offset] = outcome
            if changes:
                batch.changes[offset] = changes
        except Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
    insert_many(Company, created)
    audit_record_many(action="crm.company.create", actor=actor, targets=created, office=office)
    return batch.lines(), None


def _decide(data, by_tax_id: dict, by_name: dict, created: list, job, warn):
    """The row's outcome (outcome, note) and its changes to a registered company."""
    office = job.office
    existing = by_tax_id.get(data["tax_id"]) if data["tax_id"] else by_name.get(_name_key(data))
    if existing is None:
        company = _new_company(data, office, job.created_by)
        created.append(company)
        if data["tax_id"]:
            by_tax_id[data["tax_id"]] = company
        else:
            by_name[_name_key(data)] = company
        return ("created", ""), []
    if existing.pk is None:  # created by an earlier row of this batch
        return ("unchanged", ""), []
    if existing.office_id != office.pk:
        # Companies are business data every office reads; only their office changes them.
        return ("unchanged", _("registered by %(office)s") % {"office": existing.office}), []
    changes = _update(job.created_by, existing, data, job, warn)
    return ("updated" if changes else "unchanged", ""), changes


# The companies on people's rows -----------------------------------------------------------------


def _link_company(link: dict, office, actor) -> Company:
    """A company a person's row names and the network does not hold yet: its legal name and
    NIF, registered by the importing office (the rest is filled in later, or by a companies
    import)."""
    data = dict.fromkeys(COMPANY_FIELDS, "") | {
        "legal_name": link["legal_name"],
        "tax_id": link["tax_id"],
        "legal_form": "other",
        "stage": "active",
        "employees": 0,
        "cnae": None,
        "start_date": None,
        "municipality": None,
    }
    return _new_company(data, office, actor)


def link_companies(links: list[tuple[object, dict]], *, actor, office) -> None:
    """Link each person to the company their row names (by NIF, else by legal name), in the
    role it gives; a company the network does not hold is created. Links already there are
    left alone; new ones are audited."""
    if not links:
        return
    found = _found_companies([company for _person, company in links])
    created = {}
    for _person, link in links:
        key = _link_key(link)
        if key not in found and key not in created:
            try:
                created[key] = _link_company(link, office, actor)
            except Rejected:
                continue  # the person stays imported; the company is for a later import
    Company.objects.bulk_create(created.values())
    audit_record_many(
        action="crm.company.create", actor=actor, targets=list(created.values()), office=office
    )
    found |= created
    wanted = {
        (person.pk, found[_link_key(link)].pk, link["relation"])
        for person, link in links
        if _link_key(link) in found
    }
    _links_insert(wanted, actor, office)


def _link_key(link: dict) -> str:
    return link["tax_id"] or fold(link["legal_name"]).strip()


def _found_companies(links: list[dict]) -> dict:
    tax_ids = {link["tax_id"] for link in links if link["tax_id"]}
    names = {link["legal_name"] for link in links if not link["tax_id"]}
    found = {c.tax_id: c for c in Company.objects.filter(tax_id__in=tax_ids)}
    for company in Company.objects.filter(legal_name__in=names, tax_id=""):
        found.setdefault(fold(company.legal_name).strip(), company)
    return found


def _links_insert(wanted: set[tuple[int, int, str]], actor, office) -> None:
    people = {person for person, _company, _relation in wanted}
    there = set(
        PersonCompany.objects.filter(person_id__in=people).values_list(
            "person_id", "company_id", "relation"
        )
    )
    new = [
        PersonCompany(person_id=person, company_id=company, relation=relation)
        for person, company, relation in sorted(wanted - there)
    ]
    PersonCompany.objects.bulk_create(new)
    labels = dict(
        Person.objects.filter(pk__in={link.person_id for link in new}).values_list(
            "pk", "public_id"
        )
    )
    audit_record_rows(
        action="crm.person.link_company",
        actor=actor,
        office=office,
        target_type=Person._meta.label_lower,
        targets=[(str(labels[link.person_id]), "") for link in new],
    )
