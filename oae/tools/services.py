"""Writes of the advisory tools' data that coordinators maintain."""

from django.db import transaction
from django.db.models import F

from oae.privacy.services import audit_record
from oae.tools.models import FiscalParameters


@transaction.atomic
def parameters_save(*, actor, row: FiscalParameters) -> FiscalParameters:
    """Save a year's values; a new version each time, so saved plans keep the values they used
    (they store them) and people can see which version a plan was computed with."""
    creating = row.pk is None
    row.updated_by = actor
    row.full_clean()
    row.save()
    if not creating:
        FiscalParameters.objects.filter(pk=row.pk).update(version=F("version") + 1)
        row.refresh_from_db(fields=["version"])
    audit_record(
        action="tools.parameters.save",
        actor=actor,
        target=None,
        details={"year": row.year, "version": row.version},
    )
    return row
