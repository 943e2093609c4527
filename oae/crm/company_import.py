"""One batch of a companies import: rows read into company data as offices write them (legal
forms as "SL" or "cooperativa", CNAE as "62.01", dates as 31/12/2024), recognised by NIF or,
without one, by legal name and municipality, and each row given its outcome."""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from oae.catalogue.search import fold
from oae.common.bulk import insert_many
from oae.crm.models import Company, LegalForm, Stage
from oae.crm.services import (
    COMPANY_FIELDS,
    ReadBatch,
    _cell,
    _company_search_text,
    _Rejected,
    company_clean,
    company_save,
)
from oae.privacy.services import audit_record_many
from oae.reference.models import CnaeActivity

# What offices write for a legal form, beyond its name in Catalan, Spanish or English.
LEGAL_FORM_WORDS = {
    "autonom": LegalForm.SELF_EMPLOYED,
    "autonoma": LegalForm.SELF_EMPLOYED,
    "autonomo": LegalForm.SELF_EMPLOYED,
    "empresari individual": LegalForm.SELF_EMPLOYED,
    "scp": LegalForm.CIVIL_PARTNERSHIP,
    "sc": LegalForm.CIVIL_PARTNERSHIP,
    "cb": LegalForm.COMMUNITY_OF_PROPERTY,
    "sl": LegalForm.LIMITED,
    "slu": LegalForm.LIMITED,
    "sa": LegalForm.PUBLIC_LIMITED,
    "sau": LegalForm.PUBLIC_LIMITED,
    "sccl": LegalForm.COOPERATIVE,
    "coop": LegalForm.COOPERATIVE,
    "cooperativa": LegalForm.COOPERATIVE,
    "sll": LegalForm.LABOUR,
    "sal": LegalForm.LABOUR,
    "associacio": LegalForm.ASSOCIATION,
    "asociacion": LegalForm.ASSOCIATION,
    "fundacio": LegalForm.ASSOCIATION,
    "fundacion": LegalForm.ASSOCIATION,
}
# Stages as offices write them of a company (feminine in Catalan and Spanish).
STAGE_WORDS = {
    "activa": Stage.ACTIVE,
    "tancada": Stage.CLOSED,
    "cerrada": Stage.CLOSED,
    "baixa": Stage.CLOSED,
    "baja": Stage.CLOSED,
    "en constitucio": Stage.IN_CREATION,
    "en constitucion": Stage.IN_CREATION,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S")


@functools.cache
def _choice_words(choices_class) -> dict[str, str]:
    """Each choice's value and its label in every language, folded, without punctuation."""
    words = {}
    for language in ("ca", "es", "en"):
        with translation.override(language):
            for value, label in choices_class.choices:
                words[_plain(str(label))] = value
                words[_plain(value)] = value
    return words


def _plain(text: str) -> str:
    return " ".join(fold(text).replace(".", "").replace("_", " ").split())


def _legal_form(text: str) -> str:
    if not text:
        return LegalForm.OTHER
    plain = _plain(text)
    value = LEGAL_FORM_WORDS.get(plain) or _choice_words(LegalForm).get(plain)
    if value is None:
        raise _Rejected(_("the legal form “%(value)s” is not one we know") % {"value": text})
    return value


def _stage(text: str) -> str:
    if not text:
        return Stage.ACTIVE
    plain = _plain(text)
    value = STAGE_WORDS.get(plain) or _choice_words(Stage).get(plain)
    if value is None:
        raise _Rejected(_("the stage “%(value)s” is not one we know") % {"value": text})
    return value


def _start_date(text: str) -> datetime.date | None:
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise _Rejected(
        _("the start date “%(value)s” is not a date (day/month/year)") % {"value": text}
    )


def _employees(text: str) -> int:
    if not text:
        return 0
    number = text.split(".")[0] if text.endswith(".0") else text  # Excel writes 3 as 3.0
    if not number.isdigit():
        raise _Rejected(
            _("the number of employees “%(value)s” is not a whole number") % {"value": text}
        )
    return int(number)


def row_to_company(row: list[str], mapping: dict, towns: dict, activities: dict) -> dict:
    get = lambda field: _cell(row, mapping, field)  # noqa: E731
    data = {
        "legal_name": get("legal_name"),
        "trade_name": get("trade_name"),
        "tax_id": get("tax_id"),
        "legal_form": _legal_form(get("legal_form")),
        "stage": _stage(get("stage")),
        "start_date": _start_date(get("start_date")),
        "employees": _employees(get("employees")),
        "address": get("address"),
        "cnae": None,
        "municipality": None,
    }
    if not data["legal_name"]:
        raise _Rejected(_("the legal name is empty"))
    code = get("cnae").replace(".", "").replace(" ", "")
    if code:
        data["cnae"] = activities.get(code)
        if data["cnae"] is None:
            raise _Rejected(_("“%(value)s” is not a CNAE-2009 class") % {"value": get("cnae")})
    town = get("municipality")
    if town:
        data["municipality"] = towns.get(fold(town).strip())
        if data["municipality"] is None:
            raise _Rejected(
                _("the municipality “%(value)s” is not one of the network's") % {"value": town}
            )
    try:
        return company_clean(data)
    except ValidationError as error:
        raise _Rejected(" ".join(error.messages)) from error


def cnae_classes() -> dict:
    return {a.code: a for a in CnaeActivity.objects.filter(level="class")}


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
        raise _Rejected(" ".join(error.messages)) from error
    company.search_text = _company_search_text(company)
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
        raise _Rejected(" ".join(error.messages)) from error
    return ", ".join(sorted(changes))


def import_company_batch(
    batch: ReadBatch, _looked_up: None, *, first_line: int, job
) -> tuple[list[dict], None]:
    """Outcomes of one batch of rows read by `row_to_company`, written at once (inside the
    caller's transaction): nothing is left to write."""
    actor, office = job.created_by, job.office
    by_tax_id, by_name = _known([data for _offset, data in batch.cleaned])
    created = []
    for offset, data in batch.cleaned:
        try:
            batch.outcomes[offset] = _decide(data, by_tax_id, by_name, created, actor, office)
        except _Rejected as rejected:
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
