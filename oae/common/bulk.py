"""Inserting many rows at once: PostgreSQL's COPY where it is available (several times
faster than INSERT for imports and generated data), Django's bulk_create elsewhere."""

from django.db import connection
from django.db.models import JSONField
from psycopg.types.json import Jsonb


def copy_rows(model, columns: list[str], rows) -> None:
    """PostgreSQL COPY FROM STDIN of dicts keyed by column name, streamed."""
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
        for row in rows:
            copy.write_row([row[c] for c in columns])


def insert_many(model, objects: list) -> None:
    """Insert unsaved instances (their primary keys stay unset on PostgreSQL)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]

    def value(field, obj):
        raw = field.pre_save(obj, add=True)  # fills auto_now(_add) timestamps
        return Jsonb(raw) if isinstance(field, JSONField) and raw is not None else raw

    copy_rows(
        model,
        [f.column for f in fields],
        ({f.column: value(f, obj) for f in fields} for obj in objects),
    )


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
