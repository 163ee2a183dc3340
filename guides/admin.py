from django.contrib import admin

from guides.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Curators read the audit log; nobody adds, changes or deletes entries."""

    list_display = ["at", "actor", "action", "caller_id", "fields"]
    list_filter = ["action", "at"]
    search_fields = ["actor__username", "=caller_id"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
