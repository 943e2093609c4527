"""Starter fiscal parameters (see oae/tools/starter.py); only missing years are added."""

from django.db import migrations

from oae.tools.starter import fiscal_parameters_load


def load(apps, schema_editor):
    fiscal_parameters_load(apps.get_model("tools", "FiscalParameters"))


class Migration(migrations.Migration):
    dependencies = [("tools", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
