"""PostgreSQL only: trigram indexes so that searching the joint database stays fast at a
million people (LIKE '%word%' and word similarity use them). Needs the pg_trgm extension,
which this migration creates when the database user may (in production, ask the DBA to run
CREATE EXTENSION pg_trgm once if not)."""

from django.db import migrations

INDEXES = [
    ("crm_person_search_trgm", "crm_person"),
    ("crm_company_search_trgm", "crm_company"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("crm", "0004_person_merged_into_personmerge")]

    operations = [migrations.RunPython(create, drop)]
