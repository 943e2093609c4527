"""Inserting many rows at once: PostgreSQL's COPY where it is available (several times
faster than INSERT for imports and generated data), Django's bulk_create elsewhere."""

import os
import uuid
from operator import attrgetter

from django.db import connection
from django.db.models import FileField, JSONField
from psycopg.types.json import Jsonb


def copy_rows(model, columns: list[str], rows) -> None:
    """PostgreSQL COPY FROM STDIN of rows (sequences of values in the order of `columns`),
    streamed."""
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
        for row in rows:
            copy.write_row(row)


def _inserted_fields(model) -> list:
    """The columns an insert gives: all but the primary key (the database numbers rows)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _reader(field):
    """How to read a field's value for the database from an unsaved instance."""
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if stamped or isinstance(field, FileField):
        return lambda obj: field.pre_save(obj, add=True)  # fills the timestamp, stores the file
    if isinstance(field, JSONField):
        read = attrgetter(field.attname)
        return lambda obj: None if read(obj) is None else Jsonb(read(obj))
    return attrgetter(field.attname)


def insert_many(model, objects: list) -> None:
    """Insert unsaved instances (their primary keys stay unset on PostgreSQL)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    fields = _inserted_fields(model)
    readers = [_reader(f) for f in fields]
    copy_rows(
        model, [f.column for f in fields], ([read(obj) for read in readers] for obj in objects)
    )


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows given as column values by attribute name ("office_id"), every concrete
    field but the primary key present (the key too, if `reserve_keys` gave it): no model
    instance is built where COPY is available (imports of many thousands of rows). Elsewhere
    each row is given the key it got."""
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows])
        for row, instance in zip(rows, created, strict=True):
            row[model._meta.pk.attname] = instance.pk
        return
    fields = _inserted_fields(model)
    if rows and model._meta.pk.attname in rows[0]:
        fields = [model._meta.pk, *fields]
    names = [f.attname for f in fields]
    json_names = {f.attname for f in fields if isinstance(f, JSONField)}
    if json_names:
        rows = [{**row, **{n: Jsonb(row[n]) for n in json_names}} for row in rows]
    copy_rows(model, [f.column for f in fields], ([row[n] for n in names] for row in rows))


def reserve_keys(model, count: int) -> list[int] | None:
    """PostgreSQL: `count` primary keys taken from the table's sequence, so that rows are
    known by their keys before they are inserted (by another connection, a moment later).
    None elsewhere: `insert_rows` gives the keys there."""
    if connection.vendor != "postgresql" or not count:
        return None
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [key for (key,) in cursor.fetchall()]


def random_uuids(count: int) -> list[uuid.UUID]:
    """`count` random UUIDs (version 4, as `uuid.uuid4` makes them) from one read of the
    system's randomness. uuid4 reads it for each, letting other threads run meanwhile: in an
    import, whose writing threads are busy, each read waited for them to let go again."""
    pool = os.urandom(16 * count)
    return [uuid.UUID(bytes=pool[at : at + 16], version=4) for at in range(0, len(pool), 16)]


def row_defaults(model) -> dict:
    """A row for `insert_rows` holding each column's default (empty text, or NULL where the
    column allows it, for those without one)."""
    return {
        f.attname: f.get_default() if f.has_default() else (None if f.null else "")
        for f in _inserted_fields(model)
    }


def refresh_statistics(models) -> None:
    """After bulk loads, PostgreSQL's planner needs fresh statistics (and mass updates leave
    dead rows): without them it picks plans fit for an empty table. VACUUM cannot run inside
    a transaction (tests), where ANALYZE alone is done."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {model._meta.db_table}")


def commit_without_flush() -> None:
    """PostgreSQL: the current transaction's commit returns without waiting for its log to
    reach the disk (a moment later, in the background). For one batch of a long job whose
    end is committed as usual: that commit waits for the log of every batch before it, and
    a crash in between loses only batches of a job that did not finish (and is run again).
    Never inconsistent: a batch is either wholly there or not."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
