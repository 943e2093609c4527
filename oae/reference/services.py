"""Loading the reference data shipped in oae/reference/data (see SOURCES.md there)."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from oae.network.services import municipality_upsert_reference
from oae.reference.models import CnaeActivity

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
