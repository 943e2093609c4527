"""The starter self-diagnosis questionnaire (oae/tools/data/diagnosis_starter.json), v1."""

from django.db import migrations

from oae.tools.starter import questionnaire_load


def load(apps, schema_editor):
    questionnaire_load(apps.get_model("tools", "Questionnaire"))


class Migration(migrations.Migration):
    dependencies = [("tools", "0005_questionnaire")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
