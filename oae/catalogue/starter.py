"""The starter network model written by us (data/starter_model.json): loaded into the draft
and published as v1 when nothing has been published yet. Safe to run again."""

import json
from pathlib import Path

from django.db import transaction

from oae.catalogue import services
from oae.catalogue.models import Category, DraftItem, NetworkVersion
from oae.catalogue.schema import Kind

STARTER_FILE = Path(__file__).resolve().parent / "data" / "starter_model.json"


def starter_data() -> dict:
    with open(STARTER_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    for item in data["items"]:
        Kind(item["kind"])  # unknown kinds fail loudly
    return data


@transaction.atomic
def starter_model_load(*, actor=None) -> dict[str, int]:
    data = starter_data()
    for category in data["categories"]:
        Category.objects.update_or_create(
            key=category["key"],
            defaults={k: category[k] for k in ("name_ca", "name_es", "name_en", "position")},
        )
    created = 0
    for item in data["items"]:
        if not DraftItem.objects.filter(kind=item["kind"], code=item["code"]).exists():
            services.draft_item_create(
                actor=actor, kind=Kind(item["kind"]), code=item["code"], content=item["content"]
            )
            created += 1
    published = 0
    if not NetworkVersion.objects.exists():
        services.network_publish(
            actor=actor,
            changelog="Model inicial de la xarxa: serveis, "
            "tràmits, procés d'atenció en cinc passos i guies.",
        )
        published = 1
    return {"categories": len(data["categories"]), "created": created, "published": published}
