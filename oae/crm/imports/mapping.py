"""Proposing which column of an office's spreadsheet holds which field, so that whoever imports
only checks the mapping: from the headers (Catalan, Spanish or English, with the variants,
abbreviations and punctuation offices write), from the values when a header says nothing or
says something the values contradict, and from the mapping the office saved last time.

Pure: no database, no models. The cells are text, as `files.read_rows` gives them."""

import datetime
import functools
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy
from stdnum.es import cif, dni, nie

from oae.common.text import fold

# The fields, per kind of file, as the mapping form names them (the wording of
# rows.IMPORT_LABELS where the field is the same).
FIELDS = {
    "people": {
        "first_name": gettext_lazy("Name"),
        "last_name": gettext_lazy("Surnames"),
        "full_name": gettext_lazy("Full name"),
        "id_number": gettext_lazy("DNI, NIE or passport"),
        "email": gettext_lazy("E-mail"),
        "phone": gettext_lazy("Phone"),
        "birth_date": gettext_lazy("Date of birth"),
        "municipality": gettext_lazy("Municipality"),
        "company_legal_name": gettext_lazy("Company (legal name)"),
        "company_tax_id": gettext_lazy("Company NIF"),
        "company_relation": gettext_lazy("Role in the company"),
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
# A file can be imported when at least one of these fields has its column.
REQUIRED_ANY = {
    "people": frozenset({"first_name", "full_name"}),
    "companies": frozenset({"legal_name"}),
}

# How sure a header makes us, best first. A longer known form adds a point per word, so that
# "NIF empresa" beats "NIF" and "Nom de l'empresa" beats "Nom".
EXACT = 100  # the header is a known form ("Raó social", "Núm. DNI")
PHRASE = 80  # the header holds a known form of several words ("Data de naixement (dd/mm)")
ALL_WORDS = 70  # the header holds every word of such a form, in another order
STRONG = 60  # the header holds a word that means one field only ("dni", "cnae", "email")
VALUES = 50  # the header says nothing, the values do (e-mails, DNIs, CNAE codes…)
WEAK = 20  # a header that may mean a field when nothing better does ("Tipus")
CONFIRMED = 10  # added when the values fit the field the header names

# Words that say nothing about the field ("Núm. de DNI" is "DNI", "Nº empleados" "empleados").
FILLER_WORDS = frozenset(
    "a amb con d de del el els en i l la las les los n no num numero nro "
    "o of per por the with y".split()
)
# Known forms, as offices write them, separated by semicolons: `header_key` folds them as it
# folds headers. A form of one word counts only as the whole header, unless a strong word.
PEOPLE_HEADERS = {
    "first_name": (
        "Nom; Nombre; Name; First name; Given name; Forename; Nom de pila; Nom del client; "
        "Nombre del cliente; Nom persona; Nombre de pila"
    ),
    "last_name": (
        "Cognoms; Cognom; Apellidos; Apellido; Surname; Surnames; Last name; Family name; "
        "Primer cognom; Cognom 1; Primer apellido; Apellido 1; 1r cognom; 1er apellido"
    ),
    "full_name": (
        "Nom i cognoms; Nom complet; Cognoms i nom; Cognoms, nom; Nombre y apellidos; "
        "Nombre completo; Apellidos y nombre; Apellidos, nombre; Full name; Name and surname; "
        "Name and surnames; Surname, name; Complete name"
    ),
    "id_number": (
        "DNI; NIE; NIF; DNI/NIE; NIF/NIE; DNI/NIF; DNI/NIE/Passaport; DNI/NIE/Pasaporte; Document; "
        "Documento; Document d'identitat; Documento de identidad; Núm. document; "
        "Número de documento; Passaport; Pasaporte; Passport; ID number; Identity document; "
        "National ID"
    ),
    "email": (
        "Email; E-mail; Mail; Correu; Correo; Correu electrònic; Correu-e; Correo electrónico; "
        "Adreça electrònica; Dirección de correo; Email address; Adreça de correu"
    ),
    "phone": (
        "Telèfon; Teléfono; Tel.; Telf.; Tlf.; Tfn.; Phone; Telephone; Mòbil; Móvil; Mobile; "
        "Telèfon mòbil; Teléfono móvil; Mobile phone; Phone number; Celular; Contacte telefònic"
    ),
    "birth_date": (
        "Data de naixement; Data naixement; Data de naix.; Data naix.; Naixement; "
        "Any de naixement; Any naixement; Any naix.; Fecha de nacimiento; Fecha nacimiento; "
        "Fecha de nac.; F. nacimiento; Nacimiento; Año de nacimiento; Año nacimiento; "
        "Date of birth; Birth date; Birthdate; Year of birth; Birth year; DOB"
    ),
    "municipality": (
        "Municipi; Municipio; Població; Población; Localitat; Localidad; Ciutat; Ciudad; Town; "
        "City; Municipality; Municipi de residència; Municipio de residencia; "
        "Població de residència"
    ),
    "company_legal_name": (
        "Empresa; Raó social; Razón social; Company; Company name; Nom de l'empresa; "
        "Nombre de la empresa; Denominació social; Denominación social; Entitat; Entidad; "
        "Empresa on treballa; Employer"
    ),
    "company_tax_id": (
        "CIF; NIF empresa; CIF empresa; NIF de l'empresa; NIF de la empresa; Company NIF; "
        "Company tax ID; Company VAT"
    ),
    "company_relation": (
        "Càrrec; Cargo; Rol; Role; Relació amb l'empresa; Relación con la empresa; "
        "Càrrec a l'empresa; Cargo en la empresa; Lloc de treball; Puesto; Puesto de trabajo; "
        "Position; Job title"
    ),
}
COMPANY_HEADERS = {
    "legal_name": (
        "Raó social; Razón social; Nom; Nombre; Name; Empresa; Company; Company name; Legal name; "
        "Nom de l'empresa; Nombre de la empresa; Denominació social; Denominación social; "
        "Nom fiscal; Nombre fiscal; Entitat; Entidad"
    ),
    "trade_name": (
        "Nom comercial; Nombre comercial; Trade name; Marca; Brand; Denominació comercial; "
        "Denominación comercial; Rètol; Rótulo"
    ),
    "tax_id": (
        "NIF; CIF; NIF/CIF; CIF/NIF; NIF empresa; CIF empresa; Tax ID; VAT; VAT number; "
        "Identificació fiscal; Identificación fiscal"
    ),
    "legal_form": (
        "Forma jurídica; Forma legal; Legal form; Tipus de societat; Tipo de sociedad; "
        "Tipus d'empresa; Tipo de empresa; Personalitat jurídica; Personalidad jurídica; "
        "Company type"
    ),
    "cnae": (
        "CNAE; Codi CNAE; Código CNAE; CNAE code; Activitat (CNAE); Actividad (CNAE); CNAE-2009; "
        "Codi d'activitat; Código de actividad; Activity code"
    ),
    "start_date": (
        "Data d'inici; Data inici; Data d'inici d'activitat; Inici d'activitat; "
        "Data de constitució; Data constitució; Data d'alta de l'activitat; Fecha de inicio; "
        "Fecha inicio; Inicio de actividad; Fecha de constitución; Fecha constitución; "
        "Fecha de alta de la actividad; Start date; Date of incorporation; Incorporation date; "
        "Founded; Foundation date"
    ),
    "stage": "Estat; Estado; Fase; Stage; Status; Situació; Situación",
    "employees": (
        "Treballadors; Trabajadores; Empleats; Empleados; Employees; Plantilla; Núm. treballadors; "
        "Nombre de treballadors; Número de empleados; Staff; Headcount; Persones treballadores; "
        "Personas trabajadoras"
    ),
    "address": (
        "Adreça; Dirección; Domicili; Domicilio; Address; Domicili social; Domicilio social; "
        "Adreça fiscal; Dirección fiscal; Carrer; Calle; Street"
    ),
    "municipality": PEOPLE_HEADERS["municipality"],
}
HEADERS = {"people": PEOPLE_HEADERS, "companies": COMPANY_HEADERS}

# Words that, anywhere in a header, mean one field of the kind (separated by spaces).
STRONG_WORDS = {
    "people": {
        "last_name": "cognoms cognom apellidos apellido surname surnames",
        "id_number": "dni nie nif passaport pasaporte passport document",
        "email": "email correu correo mail",
        "phone": "telefon telefono tel telf tlf phone mobil movil",
        "birth_date": "naixement nacimiento birth",
        "municipality": "municipi municipio poblacio poblacion localitat",
        "company_legal_name": "rao razon",
        "company_tax_id": "cif",
        "company_relation": "carrec cargo",
    },
    "companies": {
        "trade_name": "comercial",
        "tax_id": "nif cif",
        "legal_form": "juridica",
        "cnae": "cnae",
        "stage": "estat estado",
        "employees": "treballadors trabajadores empleats empleados employees",
        "address": "adreca direccion domicili domicilio address",
        "municipality": "municipi municipio poblacio poblacion localitat",
    },
}
# Headers that may mean a field only when no column says it better.
WEAK_HEADERS = {
    "people": {
        "id_number": "ID",
        "company_legal_name": "Nom comercial; Nombre comercial; Trade name; Negoci",
    },
    "companies": {
        "legal_form": "Tipus; Tipo; Type",
        "cnae": "Activitat; Actividad; Activity; Sector",
        "start_date": "Data d'alta; Fecha de alta; Alta",
    },
}
# Headers of what we do not import, known so that one of their words does not pull them into
# a field ("Lloc de naixement" is not a date, "Adreça electrònica" not a company's address).
OTHER_HEADERS = {
    "people": (
        "Edat; Edad; Age; Lloc de naixement; Lugar de nacimiento; Place of birth; "
        "País de naixement; País de nacimiento; Country of birth; Nacionalitat; Nacionalidad; "
        "Nationality; Tipus de document; Tipo de documento; Document type; Adreça; Dirección; "
        "Address; Domicili; Domicilio; Codi postal; Código postal; Postcode; Telèfon de l'empresa; "
        "Teléfono de la empresa; Email de l'empresa; Correo de la empresa"
    ),
    "companies": (
        "Email; E-mail; Correu electrònic; Correo electrónico; Adreça electrònica; "
        "Dirección de correo; Dirección de correo electrónico; Telèfon; Teléfono; Phone; Web; "
        "Pàgina web; Página web; Codi postal; Código postal; Postcode; Persona de contacte; "
        "Persona de contacto; Contact person; Descripció de l'activitat; "
        "Descripción de la actividad; Activity description"
    ),
}
OTHER = ""  # the "field" of a header we know we do not import

# Words in a header that say its column holds dates (Excel serial numbers are dates only then).
DATE_WORDS = frozenset(
    "data fecha date naixement nacimiento birth naix nac dob inici inicio alta constitucio "
    "constitucion founded incorporation any ano year".split()
)

SAMPLE_ROWS = 50  # data rows looked at to guess a column from its values
FIT_SHARE = 0.8  # a column is recognised when this share of its non-blank cells fit
CONTRADICT_SHARE = 0.5  # values that fit less than this contradict their header's field
FIRST_NAME_WORDS = 2  # a first name has at most this many words ("Anna Maria")


# Headers --------------------------------------------------------------------------------------


def header_key(header: str) -> str:
    """A header folded as we compare and save it: no accents, lower case, punctuation and
    extra spaces removed ("Núm. DNI/NIE:" → "num dni nie")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(header)).split())


def _content_words(key: str) -> tuple[str, ...]:
    return tuple(word for word in key.split() if word not in FILLER_WORDS)


def _forms(text: str) -> list[tuple[str, ...]]:
    return [_content_words(header_key(form)) for form in text.split(";")]


class _Vocabulary:
    """One kind's known forms, indexed for quick scoring: whole headers (by their words),
    forms of several words, and strong words."""

    def __init__(self, kind: str):
        self.exact: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        self.phrases: list[tuple[str, tuple[str, ...]]] = []
        self.strong: dict[str, str] = {}
        for field, text in HEADERS[kind].items():
            for words in _forms(text):
                self.exact.setdefault(words, []).append((field, EXACT + len(words)))
                if len(words) > 1:
                    self.phrases.append((field, words))
        for field, text in WEAK_HEADERS[kind].items():
            for words in _forms(text):
                self.exact.setdefault(words, []).append((field, WEAK))
        for words in _forms(OTHER_HEADERS[kind]):
            self.exact.setdefault(words, []).append((OTHER, EXACT + len(words)))
        for field, text in STRONG_WORDS[kind].items():
            self.strong.update(dict.fromkeys(text.split(), field))


@functools.cache
def _vocabulary(kind: str) -> _Vocabulary:
    return _Vocabulary(kind)


def _holds_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    size = len(run)
    return any(words[start : start + size] == run for start in range(len(words) - size + 1))


@functools.lru_cache(maxsize=10_000)
def _key_scores(key: str, kind: str) -> dict[str, int]:
    vocabulary = _vocabulary(kind)
    words = _content_words(key)
    if not words:
        return {}
    scores: dict[str, int] = {}

    def offer(field: str, score: int) -> None:
        scores[field] = max(score, scores.get(field, 0))

    for field, score in vocabulary.exact.get(words, []):
        offer(field, score)
    present = set(words)
    for field, phrase in vocabulary.phrases:
        if phrase != words and present.issuperset(phrase):
            offer(field, (PHRASE if _holds_run(words, phrase) else ALL_WORDS) + len(phrase))
    for word in words:
        if word in vocabulary.strong:
            offer(vocabulary.strong[word], STRONG)
    return scores


def header_scores(header: str, kind: str) -> dict[str, int]:
    """How well a header names each field of the kind (field → score, the best the higher);
    the field "" is a header we know we do not import. Empty when it names nothing."""
    return dict(_key_scores(header_key(header), kind))


def _greedy(candidates: list[tuple[int, int, str]], taken: dict[str, int]) -> dict[str, int]:
    """Each (score, column, field), best first, given unless its field or column is taken."""
    mapping = dict(taken)
    used = set(taken.values())
    for _score, column, field in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if field in mapping or column in used:
            continue
        mapping[field] = column
        used.add(column)
    return mapping


def _header_mapping(headers: list[str], kind: str) -> dict[str, int]:
    candidates = [
        (score, column, field)
        for column, header in enumerate(headers)
        for field, score in header_scores(header, kind).items()
    ]
    return _real_fields(_greedy(candidates, {}))


def _real_fields(mapping: dict[str, int]) -> dict[str, int]:
    return {field: column for field, column in mapping.items() if field != OTHER}


def header_row(rows: list[list[str]], kind: str, *, limit: int = 30) -> int:
    """The index in `rows` of the row most likely the header: among the first `limit`, the
    one whose cells name most distinct fields (the earliest on a tie). A title, a date or a
    blank row names none; when no row names any, the first row that is not blank."""
    best_index, best_count = None, 0
    for index, row in enumerate(rows[:limit]):
        count = len(_header_mapping(row, kind))
        if count > best_count:
            best_index, best_count = index, count
    if best_index is not None:
        return best_index
    return next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)


# Values ---------------------------------------------------------------------------------------

SEPARATORS = re.compile(r"[\s.\-()/]")  # as offices write numbers: "600 12 34 56", "B-1234567-4"
DNI_SHAPE = re.compile(r"\d{8}[A-Z]")
NIE_SHAPE = re.compile(r"[XYZ]\d{7}[A-Z]")
CIF_SHAPE = re.compile(r"[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]")
SPANISH_PHONE = re.compile(r"(?:\+34|0034)?[6789]\d{8}")
INTERNATIONAL_PHONE = re.compile(r"(?:\+|00)[1-9]\d{7,14}")  # E.164: up to 15 digits
DAY_FIRST_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
EXCEL_SERIAL = re.compile(r"\d{1,5}(?:\.0+)?")
MAX_EXCEL_SERIAL = 60_000  # 2064-04-08: beyond, a number is not a date
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0, its 1900 leap-year bug included
CNAE_CODE = re.compile(r"(\d{2})\.?(\d{2})")
FIRST_YEAR_OF_BIRTH = 1900
MIN_AGE = 16


def _compact(value: str) -> str:
    return SEPARATORS.sub("", value).upper()


# The shapes first, then the check digits: a cheap refusal for most cells of other columns.
def is_person_document(value: str) -> bool:
    """A valid Spanish DNI or NIE ("12345678-Z", "x1234567l")."""
    number = _compact(value)
    if DNI_SHAPE.fullmatch(number):
        return dni.calc_check_digit(number[:-1]) == number[-1]
    if NIE_SHAPE.fullmatch(number):
        return nie.calc_check_digit(number[:-1]) == number[-1]
    return False


def is_company_tax_id(value: str) -> bool:
    """A valid company NIF in its CIF form: a letter first ("B12345674")."""
    number = _compact(value)
    # Either check character is accepted, as python-stdnum accepts it.
    return bool(CIF_SHAPE.fullmatch(number)) and number[-1] in cif.calc_check_digits(number[:-1])


def is_email(value: str) -> bool:
    """An e-mail address as Django's forms accept it."""
    if "@" not in value:
        return False
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


def is_phone(value: str) -> bool:
    """A Spanish number, with or without +34, spaces, dots or dashes; another country's when
    written with its prefix ("+44 20 7946 0958")."""
    number = SEPARATORS.sub("", value)
    return bool(SPANISH_PHONE.fullmatch(number) or INTERNATIONAL_PHONE.fullmatch(number))


def read_date(value: str, *, serial: bool = False) -> datetime.date | None:
    """A date written day/month/year or year-month-day; an Excel serial number (1 to 60000)
    only when `serial` (the header says the column holds dates). None when it is not one."""
    value = value.strip()
    if match := DAY_FIRST_DATE.fullmatch(value):
        day, month, year = match.groups()
    elif match := ISO_DATE.fullmatch(value):
        year, month, day = match.groups()
    elif serial and EXCEL_SERIAL.fullmatch(value) and 1 <= float(value) <= MAX_EXCEL_SERIAL:
        return EXCEL_EPOCH + datetime.timedelta(days=int(float(value)))
    else:
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def is_date(value: str, *, serial: bool = False) -> bool:
    """A date as `read_date` reads it."""
    return read_date(value, serial=serial) is not None


def _last_year_of_birth() -> int:
    # Our clients are of working age: a column of recent dates or years is not their births.
    return datetime.datetime.now(datetime.UTC).year - MIN_AGE


def is_birth_date(value: str, *, serial: bool = False) -> bool:
    """A date (see `read_date`) or a year alone, when a client of working age was born then."""
    value = value.strip()
    if len(value) == 4 and value.isdigit():
        year = int(value)
    else:
        born = read_date(value, serial=serial)
        if born is None:
            return False
        year = born.year
    return FIRST_YEAR_OF_BIRTH <= year <= _last_year_of_birth()


def is_cnae_code(value: str, cnae_codes: set[str] | None = None) -> bool:
    """A CNAE-2009 class written "6201" or "62.01"; one of `cnae_codes` when they are given."""
    match = CNAE_CODE.fullmatch(value.strip())
    if not match:
        return False
    code = "".join(match.groups())
    if cnae_codes is not None:
        return code in cnae_codes
    return not code.startswith("00")  # divisions run from 01 to 99


def _value_tests(
    kind: str, hints_date: bool, cnae_codes: set[str] | None
) -> dict[str, Callable[[str], bool]]:
    """What a value of each field looks like, for the fields we can recognise by their values,
    the most telling first."""
    if kind == "people":
        return {
            "email": is_email,
            "id_number": is_person_document,
            "company_tax_id": is_company_tax_id,
            "phone": is_phone,
            "birth_date": lambda v: is_birth_date(v, serial=hints_date),
        }
    return {
        "tax_id": lambda v: is_company_tax_id(v) or is_person_document(v),
        "start_date": lambda v: is_date(v, serial=hints_date),
        "cnae": lambda v: is_cnae_code(v, cnae_codes),
    }


def _share_reaches(values: list, test: Callable, share: float) -> bool:
    """Whether at least `share` of the values pass `test`; stops once they cannot."""
    allowed_misses = len(values) - share * len(values)
    misses = 0
    for value in values:
        if not test(value):
            misses += 1
            if misses > allowed_misses:
                return False
    return True


def _column_values(sample: list[list[str]], column: int) -> list[str]:
    return [
        row[column].strip()
        for row in sample[:SAMPLE_ROWS]
        if column < len(row) and row[column].strip()
    ]


def _hints_date(header: str) -> bool:
    return not DATE_WORDS.isdisjoint(header_key(header).split())


def _fitting_field(values: list[str], tests: dict[str, Callable[[str], bool]]) -> str | None:
    return next((f for f, test in tests.items() if _share_reaches(values, test, FIT_SHARE)), None)


def _column_scores(
    header: str, values: list[str], kind: str, cnae_codes: set[str] | None
) -> dict[str, int]:
    """Field → score for one column: its header's guesses, weighed against its values."""
    scores = header_scores(header, kind)
    tests = _value_tests(kind, _hints_date(header), cnae_codes)
    named = max(scores, key=scores.__getitem__, default=None)
    if not values or (named is not None and named not in tests):
        return scores  # nothing to weigh, or values cannot tell ("Nom", "Càrrec")
    if named is None:
        found = _fitting_field(values, tests)
        return {found: VALUES} if found else {}
    if _share_reaches(values, tests[named], FIT_SHARE):
        scores[named] += CONFIRMED
        return scores
    found = _fitting_field(values, tests)
    contradicted = not _share_reaches(values, tests[named], CONTRADICT_SHARE)
    if contradicted and (found or scores[named] < STRONG):
        # The values say another field ("NIF" over company CIFs in a people file is the
        # company's), or none where the header was only a guess ("Activitat" over
        # descriptions holds no CNAE code).
        del scores[named]
        if found:
            scores[found] = max(scores.get(found, 0), VALUES)
    return scores


# Proposing ------------------------------------------------------------------------------------


def propose(
    headers: list[str],
    sample: list[list[str]],
    kind: str,
    *,
    saved: dict[str, str] | None = None,
    cnae_codes: set[str] | None = None,
) -> dict[str, int]:
    """Field → column index: the office's saved field for a header it has mapped before,
    then the best-scoring guesses from headers and values (`sample`: the data rows below
    the header). Each column holds one field at most and each field one column at most."""
    width = max([len(headers), *(len(row) for row in sample[:SAMPLE_ROWS])])
    headers = list(headers) + [""] * (width - len(headers))
    taken = _saved_fields(headers, kind, saved or {})
    candidates = []
    for column, header in enumerate(headers):
        if column in taken.values():
            continue
        values = _column_values(sample, column)
        for field, score in _column_scores(header, values, kind, cnae_codes).items():
            candidates.append((score, column, field))
    mapping = _real_fields(_greedy(candidates, taken))
    if kind == "people":
        _settle_names(mapping, headers, sample)
    return mapping


def _saved_fields(headers: list[str], kind: str, saved: dict[str, str]) -> dict[str, int]:
    taken: dict[str, int] = {}
    for column, header in enumerate(headers):
        field = saved.get(header_key(header))
        if field in FIELDS[kind] and field not in taken:
            taken[field] = column
    return taken


def _settle_names(mapping: dict[str, int], headers: list[str], sample: list[list[str]]) -> None:
    """A name column and a full-name column both: both kept only when the name column holds
    first names; else the name and surnames columns are preferred (or the full name alone
    when there is no surnames column, the "name" column holding whole names)."""
    if "full_name" not in mapping or "first_name" not in mapping:
        return
    if _holds_first_names(sample, mapping["first_name"], mapping["full_name"], headers):
        return
    if "last_name" in mapping:
        del mapping["full_name"]
    else:
        del mapping["first_name"]


def _holds_first_names(sample: list[list[str]], first: int, full: int, headers: list[str]) -> bool:
    pairs = [
        (row[first].strip(), row[full].strip() if full < len(row) else "")
        for row in sample[:SAMPLE_ROWS]
        if first < len(row) and row[first].strip()
    ]
    if not pairs:
        return header_scores(headers[first], "people").get("first_name", 0) >= EXACT

    def first_name(pair: tuple[str, str]) -> bool:
        name, full_name = pair
        return len(name.split()) <= FIRST_NAME_WORDS and fold(name) != fold(full_name)

    return _share_reaches(pairs, first_name, FIT_SHARE)


def saved_columns(headers: list[str], mapping: dict[str, int]) -> dict[str, str]:
    """What to save of a mapping for the office's next import: folded header → field, for
    the columns that have a header."""
    saved = {}
    for field, column in mapping.items():
        key = header_key(headers[column]) if column < len(headers) else ""
        if key:
            saved[key] = field
    return saved


def has_required(mapping: dict[str, int], kind: str) -> bool:
    """Whether the mapping gives a column to a field the import cannot do without."""
    return not REQUIRED_ANY[kind].isdisjoint(mapping)
