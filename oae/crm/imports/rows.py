"""One row of a spreadsheet read into a person's or a company's data, or rejected with a
reason that names the field as the mapping form names it. No database is written here."""

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oae.common.text import fold
from oae.crm.matching import name_key
from oae.crm.models import LegalForm, Person, Stage
from oae.crm.services import company_clean, person_clean
from oae.crm.validators import guess_document_type
from oae.network.models import Municipality
from oae.reference.models import CnaeActivity

MAX_CELL_CHARS = 500

# How each importable field is named to whoever imports (the mapping form, a row's reasons).
IMPORT_LABELS = {
    "people": {
        "first_name": gettext_lazy("Name"),
        "last_name": gettext_lazy("Surnames"),
        "id_number": gettext_lazy("DNI, NIE or passport"),
        "email": gettext_lazy("E-mail"),
        "phone": gettext_lazy("Phone"),
        "birth_year": gettext_lazy("Year of birth"),
        "municipality": gettext_lazy("Municipality"),
    },
    "companies": {
        "legal_name": gettext_lazy("Legal name"),
        "trade_name": gettext_lazy("Trade name"),
        "tax_id": gettext_lazy("NIF"),
        "legal_form": gettext_lazy("Legal form"),
        "cnae": gettext_lazy("CNAE-2009 class"),
        "start_date": gettext_lazy("Start date"),
        "stage": gettext_lazy("Stage"),
        "employees": gettext_lazy("Employees"),
        "address": gettext_lazy("Address"),
        "municipality": gettext_lazy("Municipality"),
    },
}


class Rejected(Exception):
    """A row the import leaves out; the message says why, for whoever fixes the file."""


# A batch of rows ------------------------------------------------------------------------------


@dataclass
class ReadBatch:
    """A batch of rows once read: each row's data, or why it is rejected (by offset)."""

    size: int
    cleaned: list[tuple[int, dict]]
    outcomes: dict[int, tuple[str, str]]

    def lines(self, first_line: int) -> list[dict]:
        """Each row's outcome and note, numbered as the spreadsheet numbers its lines."""
        return [
            {"line": first_line + offset, "outcome": outcome, "note": note}
            for offset, (outcome, note) in sorted(self.outcomes.items())
        ]


def import_batch_read(rows: list[list[str]], clean) -> ReadBatch:
    """Each row through `clean` (a row's cells to its data, or Rejected): no database."""
    batch = ReadBatch(size=len(rows), cleaned=[], outcomes={})
    for offset, row in enumerate(rows):
        try:
            batch.cleaned.append((offset, clean(row)))
        except Rejected as rejected:
            batch.outcomes[offset] = ("rejected", str(rejected))
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
    """A field as the mapping form names it (people's and companies' fields differ but for
    the municipality, named alike)."""
    return str(IMPORT_LABELS["people"].get(field) or IMPORT_LABELS["companies"][field])


def municipality_lookup() -> dict:
    """The network's municipalities by folded name and by INE code, as cells name them."""
    towns = {}
    for municipality in Municipality.objects.all():
        towns[fold(municipality.name)] = municipality
        towns[municipality.ine_code] = municipality
    return towns


def _municipality(town: str, towns: dict):
    municipality = towns.get(fold(town).strip())
    if municipality is None:
        raise Rejected(
            _("the municipality “%(value)s” is not one of the network's") % {"value": town}
        )
    return municipality


def rejection_reasons(error: ValidationError) -> str:
    """Each field's problems, the field named as the person's form names it."""
    return "; ".join(
        f"{Person._meta.get_field(name).verbose_name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


# People ---------------------------------------------------------------------------------------


def _person_data(row: list[str], mapping: dict, towns: dict) -> dict:
    get = functools.partial(cell, row, mapping)
    data = {
        "first_name": get("first_name"),
        "last_name": get("last_name"),
        "id_number": get("id_number"),
        "email": get("email"),
        "phone": get("phone"),
        "language": "ca",
    }
    data["id_type"] = guess_document_type(data["id_number"])
    if not data["first_name"]:
        raise Rejected(_("the name is empty"))
    year = get("birth_year")
    if year:
        if not year.isdigit() or not 1900 <= int(year) <= 2030:
            raise Rejected(_("the year of birth “%(value)s” is not a year") % {"value": year})
        data["birth_year"] = int(year)
    town = get("municipality")
    if town:
        data["municipality"] = _municipality(town, towns)
    if not (data["id_number"] or data["email"] or data["phone"]):
        raise Rejected(
            _("it has no document, e-mail or phone, so a second import could not recognise it")
        )
    return data


def row_to_person(row: list[str], mapping: dict, towns: dict) -> dict:
    """A row's person, normalised as a registration normalises it (document, phone, e-mail),
    with the name key that finds people of similar names; or Rejected."""
    data = _person_data(row, mapping, towns)
    try:
        data = person_clean(data)
    except ValidationError as error:
        raise Rejected(rejection_reasons(error)) from error
    # What finds the people of similar names, once for each of the checks that need it.
    data["name_key"] = name_key(data["first_name"], data.get("last_name"), data.get("birth_year"))
    return data


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


def _choice(text: str, words: dict, choices, unknown: str) -> str:
    """A choice as offices write it: one of `words` (abbreviations, other languages) or a
    choice's own label; `unknown` is the rejection, with the value as written."""
    plain = _plain(text)
    value = words.get(plain) or _choice_words(choices).get(plain)
    if value is None:
        raise Rejected(unknown % {"value": text})
    return value


def _legal_form(text: str) -> str:
    if not text:
        return LegalForm.OTHER
    return _choice(
        text, LEGAL_FORM_WORDS, LegalForm, _("the legal form “%(value)s” is not one we know")
    )


def _stage(text: str) -> str:
    if not text:
        return Stage.ACTIVE
    return _choice(text, STAGE_WORDS, Stage, _("the stage “%(value)s” is not one we know"))


def _start_date(text: str) -> datetime.date | None:
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise Rejected(_("the start date “%(value)s” is not a date (day/month/year)") % {"value": text})


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


def row_to_company(row: list[str], mapping: dict, towns: dict, activities: dict) -> dict:
    """A row's company, its words read as offices write them and its NIF normalised; or
    Rejected. `activities` is `cnae_classes()`."""
    get = functools.partial(cell, row, mapping)
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
        raise Rejected(_("the legal name is empty"))
    code = get("cnae").replace(".", "").replace(" ", "")
    if code:
        data["cnae"] = activities.get(code)
        if data["cnae"] is None:
            raise Rejected(_("“%(value)s” is not a CNAE-2009 class") % {"value": get("cnae")})
    town = get("municipality")
    if town:
        data["municipality"] = _municipality(town, towns)
    try:
        return company_clean(data)
    except ValidationError as error:
        raise Rejected(" ".join(error.messages)) from error
