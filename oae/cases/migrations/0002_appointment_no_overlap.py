"""PostgreSQL only: the database itself refuses two booked appointments of one advisor that
overlap (an exclusion constraint, needs btree_gist), so that two simultaneous bookings can
never both succeed. Other databases rely on the row lock taken by cases.services."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE cases_appointment ADD CONSTRAINT cases_appointment_no_overlap "
        "EXCLUDE USING gist (advisor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        "WHERE (status = 'booked')"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE cases_appointment DROP CONSTRAINT IF EXISTS cases_appointment_no_overlap"
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
