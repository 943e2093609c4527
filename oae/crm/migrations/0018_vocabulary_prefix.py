"""An index for the vocabulary words that begin with what a search typed (crm/namewords.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0017_autovacuum_people"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="nameword",
            index=models.Index(
                fields=["word"], name="crm_nameword_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
