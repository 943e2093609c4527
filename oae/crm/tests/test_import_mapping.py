"""Proposing which column holds which field of an import: from headers as offices write them
(Catalan, Spanish, English), from values when a header says nothing, and from a saved mapping."""

import pytest
from stdnum.es import cif, dni, nie

from oae.crm.imports.mapping import (
    FIELDS,
    REQUIRED_ANY,
    has_required,
    header_key,
    header_row,
    header_scores,
    propose,
    saved_columns,
)

# Valid check digits, checked against python-stdnum in `test_sample_documents_are_valid`.
DNIS = ["12345678Z", "87654321X", "11111111H", "23456789D", "34567890V"]
NIES = ["X1234567L", "Y7654321G", "Z1234567R"]
CIFS = ["B12345674", "B87654323", "A08123457", "F65432106", "A58818501"]


def test_sample_documents_are_valid():
    assert all(dni.is_valid(number) for number in DNIS)
    assert all(nie.is_valid(number) for number in NIES)
    assert all(cif.is_valid(number) for number in CIFS)


def _column(values: list[str]) -> list[list[str]]:
    """A sample of one column, one value per row."""
    return [[value] for value in values]


# Headers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Núm. DNI/NIE:", "num dni nie"),
        ("  Data de naix. ", "data de naix"),
        ("E-mail", "e mail"),
        ("Relació amb l'empresa", "relacio amb l empresa"),
        ("RAÓ  SOCIAL", "rao social"),
        ("", ""),
    ],
)
def test_header_key_folds_accents_case_punctuation_and_spaces(header, key):
    assert header_key(header) == key


def test_catalan_people_headers():
    headers = [
        "Nom",
        "Cognoms",
        "DNI/NIE",
        "Data naixement",
        "Telèfon mòbil",
        "Correu electrònic",
        "Municipi de residència",
        "Empresa",
        "NIF empresa",
        "Càrrec",
    ]
    assert propose(headers, [], "people") == {
        "first_name": 0,
        "last_name": 1,
        "id_number": 2,
        "birth_date": 3,
        "phone": 4,
        "email": 5,
        "municipality": 6,
        "company_legal_name": 7,
        "company_tax_id": 8,
        "company_relation": 9,
    }


def test_spanish_people_headers():
    headers = [
        "Nombre",
        "Apellidos",
        "Núm. documento",
        "Fecha de nacimiento",
        "Tel.",
        "E-mail",
        "Población",
        "Razón social",
        "CIF",
        "Cargo",
    ]
    assert propose(headers, [], "people") == {
        "first_name": 0,
        "last_name": 1,
        "id_number": 2,
        "birth_date": 3,
        "phone": 4,
        "email": 5,
        "municipality": 6,
        "company_legal_name": 7,
        "company_tax_id": 8,
        "company_relation": 9,
    }


def test_english_people_headers():
    headers = [
        "First name",
        "Last name",
        "ID number",
        "Year of birth",
        "Mobile phone",
        "Email",
        "City",
        "Company",
        "Company NIF",
        "Role",
    ]
    assert propose(headers, [], "people") == {
        "first_name": 0,
        "last_name": 1,
        "id_number": 2,
        "birth_date": 3,
        "phone": 4,
        "email": 5,
        "municipality": 6,
        "company_legal_name": 7,
        "company_tax_id": 8,
        "company_relation": 9,
    }


def test_catalan_company_headers():
    headers = [
        "Raó social",
        "Nom comercial",
        "NIF",
        "Forma jurídica",
        "Activitat (CNAE)",
        "Data d'inici",
        "Estat",
        "Núm. treballadors",
        "Adreça",
        "Municipi",
    ]
    assert propose(headers, [], "companies") == {
        "legal_name": 0,
        "trade_name": 1,
        "tax_id": 2,
        "legal_form": 3,
        "cnae": 4,
        "start_date": 5,
        "stage": 6,
        "employees": 7,
        "address": 8,
        "municipality": 9,
    }


def test_spanish_company_headers():
    headers = [
        "Razón social",
        "Nombre comercial",
        "CIF",
        "Forma jurídica",
        "Código CNAE",
        "Fecha de constitución",
        "Estado",
        "Nº empleados",
        "Domicilio social",
        "Localidad",
    ]
    assert propose(headers, [], "companies") == {
        "legal_name": 0,
        "trade_name": 1,
        "tax_id": 2,
        "legal_form": 3,
        "cnae": 4,
        "start_date": 5,
        "stage": 6,
        "employees": 7,
        "address": 8,
        "municipality": 9,
    }


def test_english_company_headers():
    headers = [
        "Company name",
        "Trade name",
        "Tax ID",
        "Legal form",
        "CNAE code",
        "Start date",
        "Status",
        "Employees",
        "Address",
        "Town",
    ]
    assert propose(headers, [], "companies") == {
        "legal_name": 0,
        "trade_name": 1,
        "tax_id": 2,
        "legal_form": 3,
        "cnae": 4,
        "start_date": 5,
        "stage": 6,
        "employees": 7,
        "address": 8,
        "municipality": 9,
    }


def test_rao_social_in_a_companies_file_is_the_legal_name():
    assert propose(["NIF", "Raó social", "CNAE"], [], "companies") == {
        "tax_id": 0,
        "legal_name": 1,
        "cnae": 2,
    }


def test_nom_is_the_legal_name_of_a_company_but_the_first_name_of_a_person():
    assert propose(["Nom", "NIF"], [], "companies") == {"legal_name": 0, "tax_id": 1}
    assert propose(["Nom", "NIF"], [], "people") == {"first_name": 0, "id_number": 1}
    assert propose(["Name"], [], "companies") == {"legal_name": 0}
    assert propose(["Nombre"], [], "people") == {"first_name": 0}


def test_company_names_in_a_people_file_are_not_the_first_name():
    assert propose(["Nom de l'empresa", "Nom", "Cognoms"], [], "people") == {
        "company_legal_name": 0,
        "first_name": 1,
        "last_name": 2,
    }
    assert "first_name" not in propose(["Nombre comercial"], [], "people")


@pytest.mark.parametrize("header", ["Nom i cognoms", "Nombre y apellidos", "Full name"])
def test_one_column_with_the_whole_name_is_the_full_name(header):
    assert propose([header, "DNI"], [], "people") == {"full_name": 0, "id_number": 1}


def test_headers_with_punctuation_and_abbreviations():
    headers = ["Núm. DNI/NIE:", "Data de naix.", "Tel.", "Correu-e", "Cognom 1"]
    assert propose(headers, [], "people") == {
        "id_number": 0,
        "birth_date": 1,
        "phone": 2,
        "email": 3,
        "last_name": 4,
    }


def test_a_header_holding_a_known_form_among_other_words():
    scores = header_scores("Data de naixement (dd/mm/aaaa)", "people")
    assert max(scores, key=scores.__getitem__) == "birth_date"
    assert propose(["Adreça de correu del client"], [], "people") == {"email": 0}


def test_exact_forms_score_above_forms_within_a_header_above_strong_words():
    exact = header_scores("Data de naixement", "people")["birth_date"]
    within = header_scores("Data de naixement del client", "people")["birth_date"]
    strong = header_scores("Naixement client", "people")["birth_date"]
    assert exact > within > strong


@pytest.mark.parametrize("header", ["Data", "Edat", "Edad", "Age", "Lloc de naixement"])
def test_headers_that_are_not_a_date_of_birth(header):
    assert "birth_date" not in propose([header], [], "people")


def test_a_nif_that_names_the_company_is_the_companys_in_a_people_file():
    assert propose(["NIF", "NIF empresa"], [], "people") == {
        "id_number": 0,
        "company_tax_id": 1,
    }


def test_tipus_is_the_legal_form_only_when_nothing_says_it_better():
    assert propose(["Nom", "Tipus"], [], "companies") == {"legal_name": 0, "legal_form": 1}
    assert propose(["Tipus", "Forma jurídica"], [], "companies") == {
        "legal_form": 1,
    }


def test_e_mail_and_phone_headers_in_a_companies_file_are_not_its_address():
    assert propose(["Adreça electrònica", "Telèfon", "Adreça"], [], "companies") == {"address": 2}


def test_no_column_is_given_twice_nor_any_field():
    headers = ["Nom", "Nom", "DNI", "NIF", "Cognoms", "Cognom", "Nom i cognoms", "Tel.", "Mòbil"]
    mapping = propose(headers, [], "people")
    assert len(set(mapping.values())) == len(mapping)
    assert mapping["first_name"] == 0  # the first of equals
    assert mapping["id_number"] == 2
    assert mapping["last_name"] == 4
    assert mapping["phone"] == 7


# The header row ---------------------------------------------------------------------------------


def test_the_header_is_found_under_a_title_a_date_and_a_blank_row():
    rows = [
        ["Llistat de clients 2026", "", "", ""],
        ["", "Data: 03/11/2026", "", ""],
        ["", "", "", ""],
        ["", "Nom", "Cognoms", "DNI"],
        ["", "Anna", "Serra Puig", "12345678Z"],
        ["", "Joan", "Vila", "87654321X"],
    ]
    index = header_row(rows, "people")
    assert index == 3
    mapping = propose(rows[index], rows[index + 1 :], "people")
    assert mapping == {"first_name": 1, "last_name": 2, "id_number": 3}


def test_the_header_of_a_companies_file_under_its_title():
    rows = [
        ["Empreses assessorades", ""],
        ["Raó social", "NIF"],
        ["Fusteria Serra SL", "B12345674"],
    ]
    assert header_row(rows, "companies") == 1


def test_without_a_recognisable_header_the_first_row_that_is_not_blank():
    rows = [["", ""], ["Anna", "12345678Z"], ["Joan", "87654321X"]]
    assert header_row(rows, "people") == 1


def test_the_header_is_looked_for_only_within_the_limit():
    rows = [["Llistat"], ["Observacions"], ["Nom", "DNI"]]
    assert header_row(rows, "people", limit=2) == 0
    assert header_row(rows, "people") == 2


# Values -----------------------------------------------------------------------------------------


def test_a_column_without_header_of_dnis_and_nies_is_the_id_number():
    assert propose([""], _column(DNIS + NIES), "people") == {"id_number": 0}


def test_document_numbers_written_with_spaces_dashes_and_small_letters():
    assert propose(["Codi"], _column(["12345678-z", "x 1234567 l", "87.654.321-X"]), "people") == {
        "id_number": 0
    }


def test_a_column_without_header_of_company_cifs():
    assert propose([""], _column(CIFS), "people") == {"company_tax_id": 0}
    assert propose([""], _column(CIFS), "companies") == {"tax_id": 0}


def test_a_column_without_header_of_e_mails():
    emails = ["anna@example.org", "joan.vila@example.cat", "", "maria@exemple.com"]
    assert propose(["Contacte"], _column(emails), "people") == {"email": 0}


def test_a_column_without_header_of_phones():
    phones = ["600 123 456", "+34 612.345.678", "93 123 45 67", "0034 699123456"]
    assert propose([""], _column(phones), "people") == {"phone": 0}


def test_a_column_without_header_of_dates():
    dates = ["03/11/1985", "1990-02-28", "1/7/1979"]
    assert propose([""], _column(dates), "people") == {"birth_date": 0}
    assert propose([""], _column(["01/03/2020", "2019-06-15"]), "companies") == {"start_date": 0}


def test_recent_dates_are_not_a_date_of_birth():
    assert propose(["Data d'alta"], _column(["03/11/2025", "2026-01-15"]), "people") == {}


def test_excel_serial_numbers_are_dates_only_when_the_header_hints_a_date():
    serials = ["31048", "32874", "29221"]  # 1985, 1990, 1980
    assert propose(["Data"], _column(serials), "people") == {"birth_date": 0}
    assert propose(["Codi"], _column(serials), "people") == {}


def test_a_column_without_header_of_cnae_codes():
    codes = ["6201", "62.01", "4711", "56.10"]
    assert propose([""], _column(codes), "companies") == {"cnae": 0}


def test_cnae_codes_are_checked_against_the_classes_given():
    codes = ["6201", "9999", "9998"]
    assert propose([""], _column(codes), "companies", cnae_codes={"6201"}) == {}
    assert propose([""], _column(codes[:1]), "companies", cnae_codes={"6201"}) == {"cnae": 0}


def test_a_column_is_recognised_when_most_of_its_cells_fit():
    mostly = [*DNIS, "pendent"]  # 5 of 6 fit
    assert propose([""], _column(mostly), "people") == {"id_number": 0}
    half = [*DNIS[:2], "pendent", "no en té"]
    assert propose([""], _column(half), "people") == {}


def test_a_nif_header_over_company_cifs_in_a_people_file_is_the_company_nif():
    sample = [["Anna", CIFS[0]], ["Joan", CIFS[1]], ["Maria", ""], ["Pere", CIFS[2]]]
    assert propose(["Nom", "NIF"], sample, "people") == {"first_name": 0, "company_tax_id": 1}


def test_a_nif_header_over_dnis_stays_the_persons_document():
    sample = _column([*DNIS, "Z1234567R"])
    assert propose(["NIF"], sample, "people") == {"id_number": 0}


def test_values_choose_between_equal_headers():
    sample = [[CIFS[0], DNIS[0]], [CIFS[1], DNIS[1]]]
    assert propose(["NIF", "NIF"], sample, "people") == {"company_tax_id": 0, "id_number": 1}


def test_activity_descriptions_are_not_cnae_codes():
    sample = _column(["Programació informàtica", "Comerç al detall"])
    assert propose(["Activitat"], sample, "companies") == {}
    assert propose(["Activitat"], _column(["6201", "4711"]), "companies") == {"cnae": 0}


def test_a_header_names_its_column_before_another_columns_values():
    sample = [["anna@example.org", "joan@example.org"]]
    assert propose(["", "Correu"], sample, "people") == {"email": 1}


def test_the_values_of_columns_beyond_the_headers_are_read():
    sample = [["Anna", "anna@example.org"], ["Joan", "joan@example.org"]]
    assert propose(["Nom"], sample, "people") == {"first_name": 0, "email": 1}


# Names ------------------------------------------------------------------------------------------


def test_a_name_and_a_full_name_column_both_kept_when_the_name_is_a_first_name():
    sample = [["Anna", "Serra Puig", "Anna Serra Puig"], ["Joan", "Vila", "Joan Vila Roca"]]
    mapping = propose(["Nom", "Cognoms", "Nom i cognoms"], sample, "people")
    assert mapping == {"first_name": 0, "last_name": 1, "full_name": 2}


def test_a_name_column_of_whole_names_gives_way_to_the_name_and_surnames():
    sample = [["Anna Serra Puig", "Serra Puig", "Anna Serra Puig"]]
    mapping = propose(["Nom", "Cognoms", "Nom i cognoms"], sample, "people")
    assert mapping == {"first_name": 0, "last_name": 1}


def test_a_name_column_of_whole_names_without_surnames_gives_way_to_the_full_name():
    sample = [["Anna Serra Puig", "Anna Serra Puig"], ["Joan Vila Roca", "Joan Vila Roca"]]
    mapping = propose(["Nom", "Nom i cognoms"], sample, "people")
    assert mapping == {"full_name": 1}


# Saved mappings ---------------------------------------------------------------------------------


def test_a_saved_mapping_wins_over_the_guess():
    headers = ["Nom", "Identificador", "Observacions"]
    saved = {"identificador": "id_number", "observacions": "company_relation"}
    assert propose(headers, [], "people", saved=saved) == {
        "first_name": 0,
        "id_number": 1,
        "company_relation": 2,
    }


def test_a_saved_field_takes_its_column_from_a_header_guess():
    saved = {"nif": "company_tax_id"}
    assert propose(["NIF", "DNI"], [], "people", saved=saved) == {
        "company_tax_id": 0,
        "id_number": 1,
    }


def test_a_saved_field_of_another_kind_is_ignored():
    assert propose(["Raó social"], [], "people", saved={"rao social": "legal_name"}) == {
        "company_legal_name": 0
    }


def test_saved_columns_keep_the_folded_headers_that_have_one():
    headers = ["", "Núm. DNI/NIE:", "Nom"]
    assert saved_columns(headers, {"id_number": 1, "first_name": 2, "email": 0}) == {
        "num dni nie": "id_number",
        "nom": "first_name",
    }


def test_a_mapping_saved_and_proposed_again_is_the_same():
    headers = ["Persona", "Document", "Correu"]
    chosen = {"full_name": 0, "id_number": 1, "email": 2}
    saved = saved_columns(headers, chosen)
    assert propose(["Persona", "DOCUMENT", "correu "], [], "people", saved=saved) == chosen


# Fields -----------------------------------------------------------------------------------------


def test_each_kind_names_its_fields():
    assert str(FIELDS["people"]["full_name"]) == "Full name"
    assert str(FIELDS["people"]["company_tax_id"]) == "Company NIF"
    assert str(FIELDS["companies"]["cnae"]) == "CNAE-2009 class"
    assert REQUIRED_ANY["people"] <= FIELDS["people"].keys()
    assert REQUIRED_ANY["companies"] <= FIELDS["companies"].keys()


def test_a_mapping_needs_a_name():
    assert has_required({"full_name": 0}, "people")
    assert not has_required({"id_number": 0, "last_name": 1}, "people")
    assert has_required({"legal_name": 0}, "companies")
    assert not has_required({"tax_id": 0}, "companies")


# A wide sheet (its speed is the import benchmark's, `make bench`) ------------------------------


def test_sixty_columns_of_fifty_rows_are_proposed_by_their_content():
    headers = ["Nom", "Cognoms", "DNI", "Correu", "Telèfon"] + [""] * 55
    row = ["Anna", "Serra", "12345678Z", "anna@example.org", "600123456"]
    extra = ["B12345674", "03/11/1985", "+34 600 123 456", "x@example.org", "comentari"] * 11
    sample = [row + extra for _ in range(50)]
    mapping = propose(headers, sample, "people")
    assert mapping["company_tax_id"] == 5


def test_a_document_header_over_passports_stays_the_id_number():
    sample = _column(["PAA123456", "XDB654321", DNIS[0]])
    assert propose(["Núm. document"], sample, "people") == {"id_number": 0}


def test_years_under_a_year_of_birth_header():
    assert propose(["Any de naixement"], _column(["1985", "1990"]), "people") == {"birth_date": 0}


def test_a_companies_sheet_with_a_title_and_columns_without_header():
    rows = [
        ["", "Empreses acompanyades 2026", "", "", ""],
        ["", "", "", "", ""],
        ["", "Razón social", "", "Forma jurídica", ""],
        ["", "Fusteria Serra SL", "B12345674", "SL", "16.23"],
        ["", "Cuines Vila SCCL", "F65432106", "Cooperativa", "5610"],
        ["", "Anna Serra Puig", "12345678Z", "Autònoma", "62.01"],
    ]
    index = header_row(rows, "companies")
    assert index == 2
    assert propose(rows[index], rows[index + 1 :], "companies") == {
        "legal_name": 1,
        "tax_id": 2,
        "legal_form": 3,
        "cnae": 4,
    }
