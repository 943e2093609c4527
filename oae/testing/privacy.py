"""Looking for a person's values everywhere the platform keeps data: every column of every
table of the database (a full dump, on SQLite and PostgreSQL alike) and every file of the
media storage (names and contents, inside zipped documents such as XLSX too). Erasure tests
use it to prove that nothing of the person is left."""

import io
import json
import zipfile
from collections.abc import Iterable, Iterator

from django.core.files.storage import default_storage
from django.db import connection

from oae.common.text import fold


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict | list):  # PostgreSQL hands JSON columns over decoded
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else str(value)


def database_rows() -> Iterator[tuple[str, str]]:
    """(table, the row's values as text) for every row of every table of the database."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                yield table, " | ".join(_as_text(value) for value in row)


def _file_texts(name: str, data: bytes) -> Iterator[str]:
    yield name
    yield data.decode("utf-8", errors="replace")
    yield data.decode("latin-1")
    if data[:2] == b"PK":  # XLSX, DOCX, ODS…: zipped XML
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    yield archive.read(member).decode("utf-8", errors="replace")
        except zipfile.BadZipFile:
            pass


def storage_files(storage=default_storage, path: str = "") -> Iterator[tuple[str, bytes]]:
    """(name, content) of every file in the storage, walking every folder."""
    folders, files = storage.listdir(path)
    for folder in folders:
        yield from storage_files(storage, f"{path}/{folder}" if path else folder)
    for file in files:
        name = f"{path}/{file}" if path else file
        with storage.open(name, "rb") as handle:
            yield name, handle.read()


def _variants(value: str) -> set[str]:
    """The value as the database may hold it: as written, folded (search texts), and escaped
    as JSON writes non-ASCII letters."""
    return {
        variant.lower()
        for variant in (value, fold(value), json.dumps(value)[1:-1])
        if variant.strip()
    }


def personal_value_hits(values: Iterable[str], storage=default_storage) -> list[str]:
    """Where any of the values is still found, case and accents aside: "value in table" or
    "value in file name", with the context around the hit. Empty when nothing is left."""
    wanted = {value: _variants(value) for value in values}
    hits = []

    def look(place: str, text: str) -> None:
        readings = (text.lower(), fold(text))
        for value, variants in wanted.items():
            found = next(
                (
                    (reading, reading.find(v))
                    for v in variants
                    for reading in readings
                    if v in reading
                ),
                None,
            )
            if found:
                reading, at = found
                hits.append(f"{value!r} in {place}: …{reading[max(at - 60, 0) : at + 60]}…")

    for table, text in database_rows():
        look(f"table {table}", text)
    for name, data in storage_files(storage):
        for text in _file_texts(name, data):
            look(f"file {name}", text)
    return hits
