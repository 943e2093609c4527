"""Optimistic locking so that two people editing one record never overwrite each other."""

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Somebody else saved the record after it was read."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record while you were editing it. "
                "Reload the page to see their changes, then apply yours again."
            )
        )


def save_with_version(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """Write `fields` only if the row still has `expected_version`; bump the version."""
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.fields):
        instance.updated_at = model._meta.get_field("updated_at").pre_save(instance, add=False)
        values["updated_at"] = instance.updated_at
    updated = model.objects.filter(pk=instance.pk, lock_version=expected_version).update(
        lock_version=F("lock_version") + 1, **values
    )
    if updated == 0:
        raise EditConflict()
    instance.lock_version = expected_version + 1
