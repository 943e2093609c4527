"""The sample legal-form guide of 2026 (oae/tools/data/legal_forms_2026.json)."""

from django.db import migrations

from oae.tools.starter import legal_forms_load


def load(apps, schema_editor):
    legal_forms_load(apps.get_model("tools", "LegalFormGuide"))


class Migration(migrations.Migration):
    dependencies = [("tools", "0007_legal_form_guide")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
