"""One row of a spreadsheet read into a person's or a company's data, or rejected with a
reason that names the field as the mapping form names it. No database is written here."""

import datetime
import functools
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from oae.common.text import fold
from oae.crm.imports.mapping import DAY_FIRST_DATE, FIELDS, ISO_DATE
from oae.crm.imports.mapping import read_date as date_or_none
from oae.crm.matching import name_key
from oae.crm.models import LegalForm, Person, Relation, Stage
from oae.crm.services import company_clean, person_clean
from oae.crm.validators import guess_document_type, normalise_tax_id
from oae.network.models import Municipality
from oae.reference.models import CnaeActivity, SpanishMunicipality
from oae.reference.municipalities import find_municipality

MAX_CELL_CHARS = 500


class Rejected(Exception):
    """A row the import leaves out; the message says why, for whoever fixes the file."""


# A batch of rows ------------------------------------------------------------------------------


@dataclass
class ReadBatch:
    """A batch of rows once read: each row's number in the file, its cells, its data or why
    it is rejected, and what was left out of it with a warning (all by offset)."""

    numbers: list[int]
    cells: list[list[str]]
    cleaned: list[tuple[int, dict]] = field(default_factory=list)
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)
    warnings: dict[int, list[str]] = field(default_factory=dict)
    changes: dict[int, list[list[str]]] = field(default_factory=dict)  # [field, old, new]
    similar: dict[int, str] = field(default_factory=dict)  # the public id of whom it resembles

    @property
    def size(self) -> int:
        return len(self.numbers)

    def warn(self, offset: int, message: str) -> None:
        self.warnings.setdefault(offset, []).append(message)

    def lines(self) -> list[dict]:
        """Each row's outcome and note, numbered as the file numbers its rows; a rejected or
        warned row keeps its cells, so that the office can fix it and import it again."""
        lines = []
        for offset, (outcome, note) in sorted(self.outcomes.items()):
            line = {"line": self.numbers[offset], "outcome": outcome, "note": note}
            if self.warnings.get(offset):
                line["warnings"] = self.warnings[offset]
            if offset in self.changes:
                line["changes"] = self.changes[offset]
            if offset in self.similar:
                line["similar"] = self.similar[offset]
            if outcome == "rejected" or "warnings" in line:
                # As the file held them, but for null characters no database keeps in text.
                line["cells"] = [cell.replace("\x00", "") for cell in self.cells[offset]]
            lines.append(line)
        return lines


def import_batch_read(rows: list[tuple[int, list[str]]], clean) -> ReadBatch:
    """Each (row number, cells) through `clean` (cells to data and warnings, or Rejected):
    no database."""
    batch = ReadBatch(numbers=[number for number, _cells in rows], cells=[c for _n, c in rows])
    for offset, cells in enumerate(batch.cells):
        try:
            data, warnings = clean(cells)
        except Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
            continue
        batch.cleaned.append((offset, data))
        if warnings:
            batch.warnings[offset] = warnings
    return batch


# Cells ------------------------------------------------------------------------------------------


def cell(row: list[str], mapping: dict, field: str) -> str:
    """The text of the row's column mapped to `field` ("" when none is, or the row is short).
    A cell too long or holding a null character rejects its row."""
    index = mapping.get(field)
    value = row[index] if index is not None and index < len(row) else ""
    if len(value) > MAX_CELL_CHARS:
        raise Rejected(
            _("the “%(field)s” cell is longer than %(max)s characters")
            % {"field": cell_label(field), "max": MAX_CELL_CHARS}
        )
    if "\x00" in value:  # a damaged file: no database takes it as text
        raise Rejected(
            _("the “%(field)s” cell holds a null character") % {"field": cell_label(field)}
        )
    return value


def cell_label(field: str) -> str:
    """A field as the mapping form names it."""
    return str(FIELDS["people"].get(field) or FIELDS["companies"][field])


def rejection_reasons(error: ValidationError) -> str:
    """Each field's problems, the field named as the person's form names it."""
    return "; ".join(
        f"{Person._meta.get_field(name).verbose_name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


# Places ----------------------------------------------------------------------------------------


class Places:
    """The municipalities a file's cells name: a person may live anywhere in Spain (the
    network's towns recognised as such), a company is registered in the network's. Each
    place is read from the database once per import."""

    def __init__(self):
        self.network = {m.ine_code: m for m in Municipality.objects.all()}
        self.spain: dict[str, SpanishMunicipality] = {}

    def residence(self, text: str, warnings: list[str]) -> dict:
        """The person's fields for the town `text` names; one we cannot tell is left out
        with a warning that says why."""
        if not text:
            return {}
        found = find_municipality(text)
        if not found.found:
            warnings.append(_place_problem(text, found))
            return {}
        code = found.municipality.ine_code
        if code in self.network:
            return {"municipality": self.network[code]}
        if code not in self.spain:
            self.spain[code] = SpanishMunicipality.objects.get(ine_code=code)
        return {"other_municipality": self.spain[code]}

    def network_town(self, text: str, warnings: list[str]):
        """The network's municipality `text` names, or None with a warning."""
        if not text:
            return None
        found = find_municipality(text)
        if not found.found:
            warnings.append(_place_problem(text, found))
            return None
        town = self.network.get(found.municipality.ine_code)
        if town is None:
            warnings.append(
                _("“%(value)s” is not one of the network's municipalities: left out")
                % {"value": text}
            )
        return town


def _place_problem(text: str, found) -> str:
    if found.candidates:
        return _(
            "there is more than one “%(value)s” (%(options)s): write the province too; left out"
        ) % {"value": text, "options": ", ".join(c.label for c in found.candidates)}
    return _("“%(value)s” is not a Spanish municipality we know: left out") % {"value": text}


# Dates, as offices write them: 31/12/1980, 1980-12-31, or an Excel serial number --------------


class NotADate(Exception):
    """A cell that is no date at all (as opposed to a date that does not exist)."""


def read_date(text: str) -> datetime.date:
    """A date as offices write it (day first, or year-month-day), or an Excel serial number
    (a column mapped to a date holds dates). Raises Rejected for a date that does not exist
    (31/02/1980), NotADate for anything else (a year alone included)."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        raise NotADate(text)
    found = date_or_none(text, serial=True)
    if found is not None:
        return found
    if DAY_FIRST_DATE.fullmatch(text) or ISO_DATE.fullmatch(text):
        raise Rejected(_("the date “%(value)s” does not exist") % {"value": text})
    raise NotADate(text)


def _birth(text: str) -> dict:
    """A date of birth, or a year alone, as the person's fields (the year derived)."""
    if not text:
        return {}
    if text.isdigit() and len(text) == 4:
        return {"birth_year": int(text)}
    try:
        born = read_date(text)
    except NotADate:
        raise Rejected(
            _("the date of birth “%(value)s” is not a date (day/month/year) nor a year")
            % {"value": text}
        ) from None
    return {"birth_date": born, "birth_year": born.year}


# People ---------------------------------------------------------------------------------------


def _names(get) -> tuple[str, str]:
    """The name and surnames, from their own columns or from one "full name" column
    ("Surnames, Name", or the name first and the surnames after)."""
    first, last = get("first_name"), get("last_name")
    full = get("full_name")
    if first or not full:
        return first, last
    if "," in full:
        surnames, _comma, name = full.partition(",")
        return name.strip(), surnames.strip()
    name, _space, surnames = full.partition(" ")
    return name, surnames.strip()


def _email(data: dict, warnings: list[str]) -> None:
    """An e-mail that does not validate is left out with a warning: the person is still
    imported (by their other identifiers)."""
    data["email"] = data["email"].strip().lower()
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            warnings.append(
                _("the e-mail “%(value)s” is not a valid address: left out")
                % {"value": data["email"]}
            )
            data["email"] = ""


def _cleaned(data: dict, warnings: list[str]) -> dict:
    """The person normalised as a registration normalises them; a phone that is not one is
    left out with a warning (normalised once: parsing phones is an import's dearest step)."""
    try:
        return person_clean(data)
    except ValidationError as error:
        if "phone" not in error.message_dict:
            raise Rejected(rejection_reasons(error)) from error
    warnings.append(
        _("the phone “%(value)s” is not a valid number: left out") % {"value": data["phone"]}
    )
    try:
        return person_clean(data | {"phone": ""})
    except ValidationError as error:
        raise Rejected(rejection_reasons(error)) from error


# A person's role in a company as offices write it (ca, es, en), beyond the roles' labels.
RELATION_WORDS = {
    "fundador": Relation.FOUNDER,
    "fundadora": Relation.FOUNDER,
    "titular": Relation.FOUNDER,
    "autonom": Relation.FOUNDER,
    "autonoma": Relation.FOUNDER,
    "autonomo": Relation.FOUNDER,
    "promotor": Relation.FOUNDER,
    "promotora": Relation.FOUNDER,
    "owner": Relation.FOUNDER,
    "soci": Relation.PARTNER,
    "socia": Relation.PARTNER,
    "socio": Relation.PARTNER,
    "administrador": Relation.PARTNER,
    "administradora": Relation.PARTNER,
    "treballador": Relation.EMPLOYEE,
    "treballadora": Relation.EMPLOYEE,
    "trabajador": Relation.EMPLOYEE,
    "trabajadora": Relation.EMPLOYEE,
    "empleat": Relation.EMPLOYEE,
    "empleada": Relation.EMPLOYEE,
    "empleado": Relation.EMPLOYEE,
    "contacte": Relation.CONTACT,
    "contacto": Relation.CONTACT,
}


def _company_link(get, warnings: list[str]) -> dict | None:
    """The company a person's row names (legal name and NIF) and their role in it; a NIF
    that is not one leaves the link out with a warning, not the person."""
    legal_name, tax_id = get("company_legal_name"), get("company_tax_id")
    if not (legal_name or tax_id):
        return None
    try:
        tax_id = normalise_tax_id(tax_id)
    except ValidationError:
        warnings.append(
            _("the company NIF “%(value)s” is not valid: the company was left out")
            % {"value": tax_id}
        )
        return None
    relation = _choice(
        get("company_relation"),
        RELATION_WORDS,
        Relation,
        Relation.CONTACT,
        _("the role “%(value)s” is not one we know: taken as contact"),
        warnings,
    )
    return {"legal_name": legal_name or tax_id, "tax_id": tax_id, "relation": relation}


def _person_data(row: list[str], mapping: dict, places) -> tuple[dict, list[str]]:
    get = functools.partial(cell, row, mapping)
    first_name, last_name = _names(get)
    data = {
        "first_name": first_name,
        "last_name": last_name,
        "id_number": get("id_number"),
        "email": get("email"),
        "phone": get("phone"),
        "language": "ca",
    }
    if not data["first_name"]:
        raise Rejected(_("the name is empty"))
    data["id_type"] = guess_document_type(data["id_number"])
    data |= _birth(get("birth_date"))
    warnings: list[str] = []
    _email(data, warnings)
    data |= places.residence(get("municipality"), warnings)
    company = _company_link(get, warnings)
    if company:
        data["company"] = company
    return data, warnings


def row_to_person(row: list[str], mapping: dict, places) -> tuple[dict, list[str]]:
    """A row's person, normalised as a registration normalises it (document, phone, e-mail),
    with the name key that finds people of similar names, and what was left out of it with
    a warning; or Rejected. `places` is `Places()`."""
    data, warnings = _person_data(row, mapping, places)
    data = _cleaned(data, warnings)
    if not (data["id_number"] or data["email"] or data["phone"]):
        reason = _("it has no document, e-mail or phone, so a second import could not recognise it")
        raise Rejected("; ".join([reason, *warnings]))
    # What finds the people of similar names, once for each of the checks that need it.
    data["name_key"] = name_key(data["first_name"], data.get("last_name"), data.get("birth_year"))
    return data, warnings


# Companies, as offices write them (legal forms as "SL" or "cooperativa", CNAE as "62.01", dates
# as 31/12/2024) ----------------------------------------------------------------------------------

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


def _choice(text: str, words: dict, choices, default: str, unknown: str, warnings: list) -> str:
    """A choice as offices write it: one of `words` (abbreviations, other languages) or a
    choice's own label. A word we do not know is left out with the warning `unknown`."""
    if not text:
        return default
    plain = _plain(text)
    value = words.get(plain) or _choice_words(choices).get(plain)
    if value is None:
        warnings.append(unknown % {"value": text})
        return default
    return value


def _start_date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return read_date(text)
    except NotADate:
        raise Rejected(
            _("the start date “%(value)s” is not a date (day/month/year)") % {"value": text}
        ) from None


def _employees(text: str) -> int:
    if not text:
        return 0
    number = text.split(".")[0] if text.endswith(".0") else text  # Excel writes 3 as 3.0
    if not number.isdigit():
        raise Rejected(
            _("the number of employees “%(value)s” is not a whole number") % {"value": text}
        )
    return int(number)


def cnae_classes() -> dict:
    """The CNAE-2009 classes by code ("6201"), as a row's activity is looked up."""
    return {a.code: a for a in CnaeActivity.objects.filter(level="class")}


def _activity(text: str, activities: dict, warnings: list):
    code = text.replace(".", "").replace(" ", "")
    if not code:
        return None
    activity = activities.get(code)
    if activity is None:
        warnings.append(_("“%(value)s” is not a CNAE-2009 class: left out") % {"value": text})
    return activity


def row_to_company(row: list[str], mapping: dict, places, activities: dict):
    """A row's company, its words read as offices write them and its NIF normalised, and
    what was left out of it with a warning; or Rejected (no legal name, a NIF that is not
    one, an impossible date). `activities` is `cnae_classes()`, `places` is `Places()`."""
    get = functools.partial(cell, row, mapping)
    warnings: list[str] = []
    data = {
        "legal_name": get("legal_name"),
        "trade_name": get("trade_name"),
        "tax_id": get("tax_id"),
        "legal_form": _choice(
            get("legal_form"),
            LEGAL_FORM_WORDS,
            LegalForm,
            LegalForm.OTHER,
            _("the legal form “%(value)s” is not one we know: left out"),
            warnings,
        ),
        "stage": _choice(
            get("stage"),
            STAGE_WORDS,
            Stage,
            Stage.ACTIVE,
            _("the stage “%(value)s” is not one we know: taken as active"),
            warnings,
        ),
        "start_date": _start_date(get("start_date")),
        "employees": _employees(get("employees")),
        "address": get("address"),
        "cnae": _activity(get("cnae"), activities, warnings),
        "municipality": places.network_town(get("municipality"), warnings),
    }
    if not data["legal_name"]:
        raise Rejected(_("the legal name is empty"))
    try:
        return company_clean(data), warnings
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error
