"""Small abstract bases shared by every domain's models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """Optimistic locking: a save must name the version it read (see common.concurrency)."""

    lock_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
