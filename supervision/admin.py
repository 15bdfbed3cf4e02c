from django.contrib import admin

from supervision.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """A record of what was sent: read-only."""

    list_display = ("user", "sent_on", "kind", "course")
    list_filter = ("kind", "sent_on")
    list_select_related = ("user", "course")
    search_fields = ("user__full_name", "user__email")
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
