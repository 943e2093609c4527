"""Loading the reference data shipped in oae/reference/data (see SOURCES.md there)."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from oae.network.models import Municipality
from oae.network.services import municipality_upsert_reference
from oae.reference.models import CnaeActivity, SpanishMunicipality
from oae.reference.municipalities import SPANISH_FILE

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    total: int = 0
    changed: int = 0


def _rows(filename: str) -> list[dict]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def municipalities_load() -> LoadResult:
    result = LoadResult()
    for row in _rows("amb_municipalities.csv"):
        data = {
            "ine_code": row["ine_code"],
            "name": row["name"],
            "comarca": row["comarca"],
            "population": int(row["population"]),
            "population_year": int(row["population_year"]),
            "latitude": Decimal(row["latitude"]),
            "longitude": Decimal(row["longitude"]),
        }
        result.total += 1
        result.changed += municipality_upsert_reference(row=data)
    return result


@transaction.atomic
def cnae_load() -> LoadResult:
    """Upsert every code; parents come before children in the file."""
    result = LoadResult()
    existing = {a.code: a for a in CnaeActivity.objects.all()}
    for row in _rows("cnae2009.csv"):
        result.total += 1
        parent = existing.get(row["parent"]) if row["parent"] else None
        values = {
            "level": row["level"],
            "parent": parent,
            "title_ca": row["title_ca"],
            "title_es": row["title_es"],
        }
        activity = existing.get(row["code"])
        if activity is None:
            activity = CnaeActivity.objects.create(code=row["code"], **values)
            existing[activity.code] = activity
            result.changed += 1
        elif any(getattr(activity, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(activity, key, value)
            activity.save()
            result.changed += 1
    return result


SPANISH_FIELDS = ["name", "province_code", "province", "network_municipality_id"]


@transaction.atomic
def spanish_municipalities_load() -> LoadResult:
    """Upsert every municipality of Spain in bulk (8,131 rows: one query per batch, not per
    row), linking each network town to its network record by INE code. Run after
    `municipalities_load`, so the network towns exist. A municipality gone from the file is
    kept: people may live there."""
    result = LoadResult()
    network = dict(Municipality.objects.values_list("ine_code", "pk"))
    existing = {m.ine_code: m for m in SpanishMunicipality.objects.all()}
    created, changed = [], []
    for row in _rows(SPANISH_FILE):
        result.total += 1
        values = {
            "name": row["name"],
            "province_code": row["province_code"],
            "province": row["province"],
            "network_municipality_id": network.get(row["ine_code"]),
        }
        municipality = existing.get(row["ine_code"])
        if municipality is None:
            created.append(SpanishMunicipality(ine_code=row["ine_code"], **values))
        elif any(getattr(municipality, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(municipality, key, value)
            changed.append(municipality)
    SpanishMunicipality.objects.bulk_create(created, batch_size=1000)
    SpanishMunicipality.objects.bulk_update(changed, SPANISH_FIELDS, batch_size=1000)
    result.changed = len(created) + len(changed)
    return result
