from django.contrib import admin

from oae.privacy.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only. Records are shown by type and id, never by their
    label, which may name a client (the audit trail page shows labels to those who may read
    the record: privacy.selectors.audit_rows)."""

    list_display = ["occurred_at", "actor_label", "action", "target_type", "target_id", "office"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "target_id"]
    exclude = ["target_label"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
