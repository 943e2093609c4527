"""Example client and company lists for the demo, made the way offices save them: a CSV from
Spanish Excel (Windows-1252, `;`, a title above the header, a notes column with line breaks),
an Excel workbook with titles, an empty first column and a second sheet, and a LibreOffice
sheet of companies. Each holds what a real list holds: good rows, a phone that is not one, a
client from outside the network, an impossible date, a wrong DNI letter, a repeated client, a
registered demo client with another e-mail. `manage.py example_spreadsheets` writes them where
the import page offers them."""

import csv
import datetime
import io

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook
from stdnum.es import cif

_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(number: int) -> str:
    return f"{number:08d}{_LETTERS[number % 23]}"


def company_nif(base: str) -> str:
    """A valid company NIF (CIF form) from its letter and seven digits."""
    return base + cif.calc_check_digits(base)[0]


PEOPLE_HEADER = [
    "Nom",
    "Cognoms",
    "DNI/NIE",
    "Data naixement",
    "Telèfon",
    "Correu electrònic",
    "Població",
    "Empresa",
    "NIF empresa",
    "Càrrec",
    "Observacions",
]
SANT_BOI_CLIENTS = [
    [
        "Núria",
        "Solé Vidal",
        dni(41203377),
        "14/03/1985",
        "612 34 56 78",
        "nuria.sole@example.org",
        "Sant Boi de Llobregat",
        "Forn Solé SL",
        company_nif("B6612345"),
        "Sòcia",
        'Vol obrir un segon obertura; "urgent"\nTrucar dimarts',
    ],
    [
        "Àngel",
        "Muñoz Pérez",
        dni(39876541),
        "02/11/1979",
        "6123",
        "angel.munoz@example.org",
        "Sant Boi",
        "",
        "",
        "",
        "El telèfon no és complet",
    ],
    [
        "Laia",
        "Roca Ferrer",
        "",
        "1992",
        "699 11 22 33",
        "laia.roca@example.org",
        "Lleida",
        "",
        "",
        "",
        "Viu a Lleida, treballa aquí",
    ],
    [
        "Oriol",
        "Pujol Serra",
        dni(44556677),
        "31/02/1980",
        "",
        "oriol.pujol@example.org",
        "Sant Boi de Llobregat",
        "",
        "",
        "",
        "Data impossible",
    ],
    [
        "Marc",
        "Vidal Mas",
        "44556678A",
        "",
        "633 44 55 66",
        "marc.vidal@example.org",
        "Castellar",
        "",
        "",
        "",
        "Lletra del DNI errada; poble ambigu",
    ],
    [
        "Marta",
        "Vila Rovira",
        dni(47100231),
        "17/04/1988",
        "",
        "marta.vila.nou@example.org",
        "Sant Boi de Llobregat",
        "",
        "",
        "",
        "Ja registrada: un altre correu",
    ],
    [
        "Núria",
        "Solé Vidal",
        dni(41203377),
        "14/03/1985",
        "612 34 56 78",
        "nuria.sole@example.org",
        "Sant Boi de Llobregat",
        "",
        "",
        "",
        "Repetida",
    ],
    ["Pere", "Casas", "", "", "", "", "Sant Boi de Llobregat", "", "", "", "Sense contacte"],
]
BADALONA_HEADER = [
    "Nombre",
    "Apellidos",
    "NIF",
    "Fecha de nacimiento",
    "Teléfono",
    "Email",
    "Municipio",
]
BADALONA_CLIENTS = [
    [
        "Carmen",
        "López García",
        dni(52114477),
        datetime.date(1990, 5, 9),
        934567812,
        "carmen.lopez@example.org",
        "Badalona",
    ],
    [
        "Ahmed",
        "Benali",
        "X1234567L",
        datetime.date(1984, 1, 23),
        655443322,
        "ahmed.benali@example.org",
        "Santa Coloma de Gramenet",
    ],
    ["Rosa", "Martín Soler", dni(36998877), 32874, "no en té", "rosa.martin@example.org", "Madrid"],
    ["Jorge", "Iglesias", "", "", 677889900, "jorge@@example", "Badalona"],
]
COMPANY_HEADER = [
    "Raó social",
    "Nom comercial",
    "NIF",
    "Forma jurídica",
    "CNAE",
    "Data d'alta",
    "Treballadors",
    "Municipi",
]
COMPANIES = [
    [
        "Forn Solé SL",
        "Forn Solé",
        company_nif("B6612345"),
        "SL",
        "10.71",
        "15/03/2021",
        "3",
        "Sant Boi de Llobregat",
    ],
    [
        "Cooperativa Verda SCCL",
        "",
        company_nif("F0812345"),
        "cooperativa",
        "0113",
        "",
        "5",
        "Sant Boi de Llobregat",
    ],
    ["Taller Mas", "", dni(44332211), "autònom", "4520", "2019-06-01", "1", "Sant Boi"],
    ["Disseny Nou SL", "", "B12345678", "SL", "7410", "", "", "Sant Boi de Llobregat"],
    ["Estudi Llum", "", "", "societat imaginària", "9999", "", "", "Sant Boi de Llobregat"],
]


def sant_boi_csv() -> bytes:
    """As Catalan Excel saves "CSV (separat per punt i coma)": Windows-1252, CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Llistat de clients OAE Sant Boi"])
    writer.writerow(["Data: 03/11/2026"])
    writer.writerow([])
    writer.writerow(PEOPLE_HEADER)
    writer.writerows(SANT_BOI_CLIENTS)
    return buffer.getvalue().encode("cp1252")


def badalona_xlsx() -> bytes:
    """A workbook with a title, an empty first column, real dates (one an Excel serial
    number), phones as numbers, and a second sheet of people who left."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Clientes 2026"
    sheet["B1"] = "Listado de personas usuarias - OAE Badalona"
    sheet["B2"] = "Actualizado: 03/11/2026"
    for row, values in enumerate([BADALONA_HEADER, *BADALONA_CLIENTS], start=4):
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
    gone = workbook.create_sheet("Bajas")
    gone.append(BADALONA_HEADER)
    gone.append(
        [
            "Luis",
            "Navarro",
            dni(30111222),
            datetime.date(1970, 7, 7),
            611223344,
            "luis.navarro@example.org",
            "Badalona",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def companies_ods() -> bytes:
    """A LibreOffice sheet of companies, with a title row."""
    document = OpenDocumentSpreadsheet()
    table = Table(name="Empreses")
    for values in [["Empreses ateses 2026"], [], COMPANY_HEADER, *COMPANIES]:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


EXAMPLES = {
    "clients-sant-boi.csv": sant_boi_csv,
    "clientes-badalona.xlsx": badalona_xlsx,
    "empreses.ods": companies_ods,
}
