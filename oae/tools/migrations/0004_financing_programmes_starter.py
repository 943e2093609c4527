"""Starter financing programmes (sample data, oae/tools/data/financing_programmes.json)."""

from django.db import migrations

from oae.tools.starter import financing_programmes_load


def load(apps, schema_editor):
    financing_programmes_load(apps.get_model("tools", "FinancingProgramme"))


class Migration(migrations.Migration):
    dependencies = [("tools", "0003_financing_programme")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
