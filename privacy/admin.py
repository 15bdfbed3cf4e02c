from django.contrib import admin

from privacy.models import DataExport, DataExportEvent


class DataExportEventInline(admin.TabularInline):
    model = DataExportEvent
    fields = ("occurred_at", "kind", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    """Who asked for a copy of their data and what became of it: read only (the copy
    itself is never shown here)."""

    list_display = ("user", "state", "requested_at", "ready_at", "downloaded_at", "size")
    list_filter = ("state",)
    search_fields = ("user__email",)
    fields = ("user", "state", "size", "requested_at", "ready_at", "expires_at", "downloaded_at")
    readonly_fields = fields
    list_select_related = ("user",)
    inlines = [DataExportEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
