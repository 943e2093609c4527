"""PostgreSQL: vacuum the people table after 2 % of new rows (instead of the default 20 %),
so that after an import the list's index-only reads and the text index's pending entries
(crm/selectors.py) are soon back to their fast state, at a million people as at a thousand."""

from django.db import migrations

TABLES = ["crm_person", "privacy_auditevent"]
SETTINGS = ["autovacuum_vacuum_insert_scale_factor", "autovacuum_analyze_scale_factor"]


def _alter(schema_editor, change: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} {change}")


def tune(apps, schema_editor):
    _alter(schema_editor, "SET (" + ", ".join(f"{name} = 0.02" for name in SETTINGS) + ")")


def untune(apps, schema_editor):
    _alter(schema_editor, "RESET (" + ", ".join(SETTINGS) + ")")


class Migration(migrations.Migration):
    dependencies = [("crm", "0016_search_indexes"), ("privacy", "0002_fewer_indexes")]

    operations = [migrations.RunPython(tune, untune)]
