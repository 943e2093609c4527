"""The audit trail: who did what, when, to which record, from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Append-only. Actor and target are also kept as text so the row outlives them.

    Actor and office are not constrained by the database: the row outlives them (Django
    empties the key when one is deleted), and a constraint would check and lock the user's
    and the office's rows at every event (an import records one per person)."""

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=80)
    # The foreign keys, the action and the record type are served by the indexes below.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    target_type = models.CharField(_("record type"), max_length=80, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    target_label = models.CharField(_("record"), max_length=300, blank=True)
    office = models.ForeignKey(
        "network.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        indexes = [
            # An action's code, or its domain's ("network.office."): one index for both.
            models.Index(
                fields=["action"], name="privacy_audit_action", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["actor", "-occurred_at"], name="privacy_audit_actor_idx"),
            models.Index(fields=["office", "-occurred_at"], name="privacy_audit_office_idx"),
            models.Index(fields=["target_type", "target_id"], name="privacy_audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
