"""Deciding and writing a batch of companies: recognised by NIF or, without one, by legal name
and municipality; new ones inserted together, changed ones saved as a form saves them, each
row given its outcome."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oae.common.bulk import insert_many
from oae.common.text import fold
from oae.crm.imports.rows import ReadBatch, Rejected
from oae.crm.models import Company
from oae.crm.services import COMPANY_FIELDS, company_save, company_search_text
from oae.privacy.services import audit_record_many


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


def _update(actor, existing: Company, data: dict) -> str:
    changes = {
        k: v
        for k, v in data.items()
        if k in COMPANY_FIELDS and v not in (None, "") and getattr(existing, k) != v
    }
    # Defaults filled in for empty cells are not changes.
    changes = {k: v for k, v in changes.items() if not (k == "employees" and v == 0)}
    if not changes:
        return ""
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
    return ", ".join(sorted(changes))


def import_company_batch(
    batch: ReadBatch, _looked_up: None, *, first_line: int, job
) -> tuple[list[dict], None]:
    """Outcomes of one batch of rows read by `rows.row_to_company`, written at once (inside the
    caller's transaction): nothing is left to write."""
    actor, office = job.created_by, job.office
    by_tax_id, by_name = _known([data for _offset, data in batch.cleaned])
    created = []
    for offset, data in batch.cleaned:
        try:
            batch.outcomes[offset] = _decide(data, by_tax_id, by_name, created, actor, office)
        except Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
    insert_many(Company, created)
    audit_record_many(action="crm.company.create", actor=actor, targets=created, office=office)
    return batch.lines(first_line), None


def _decide(data, by_tax_id: dict, by_name: dict, created: list, actor, office):
    existing = by_tax_id.get(data["tax_id"]) if data["tax_id"] else by_name.get(_name_key(data))
    if existing is None:
        company = _new_company(data, office, actor)
        created.append(company)
        if data["tax_id"]:
            by_tax_id[data["tax_id"]] = company
        else:
            by_name[_name_key(data)] = company
        return "created", ""
    if existing.pk is None:  # created by an earlier row of this batch
        return "unchanged", ""
    if existing.office_id != office.pk:
        # Companies are business data every office reads; only their office changes them.
        return "unchanged", _("registered by %(office)s") % {"office": existing.office}
    note = _update(actor, existing, data)
    return ("updated", note) if note else ("unchanged", "")
