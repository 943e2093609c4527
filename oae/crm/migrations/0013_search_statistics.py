"""PostgreSQL only: finer statistics of the search text (1,000 sampled values instead of 100),
so the planner estimates how many people contain a word closely enough to pick the text index
for rare words and the alphabetical index for common ones. Takes effect at the next ANALYZE
(autovacuum, or the bulk loaders' refresh_statistics)."""

from django.db import migrations


def raise_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in ("crm_person", "crm_company"):
            schema_editor.execute(
                f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS 1000"
            )


def reset_target(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in ("crm_person", "crm_company"):
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_text SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("crm", "0012_consent_referral_purpose")]

    operations = [migrations.RunPython(raise_target, reset_target)]
