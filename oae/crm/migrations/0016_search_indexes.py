"""Indexes for searching people at a million records. The list's order index now holds
every column its filters read, so a page's keys come from the index alone. The office
foreign key is served by crm_person_office_idx; an index on the sharing flag only led
PostgreSQL to build bitmaps of half the table to combine with a search's few matches (and
every import paid to keep both up to date)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0015_name_words"),
        ("network", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="crm_person_shared_idx",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="crm_person_order_idx",
        ),
        migrations.AlterField(
            model_name="person",
            name="office",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="network.office",
                verbose_name="registering office",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["last_name", "first_name", "id"],
                include=(
                    "search_text",
                    "office",
                    "shares_with_network",
                    "merged_into",
                    "anonymised_at",
                ),
                name="crm_person_order_cover",
            ),
        ),
    ]
