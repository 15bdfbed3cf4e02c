from django.contrib import admin
from django.utils.translation import pgettext_lazy

from accounts.admin_titles import NamedTitlesMixin
from supervision.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """A record of what was sent: read-only."""

    change_title = pgettext_lazy("admin title, masculine noun", "Change the reminder sent")
    view_title = pgettext_lazy("admin title, masculine noun", "View the reminder sent")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected reminders sent"
    )

    list_display = ("user", "sent_on", "kind", "course")
    list_filter = ("kind", "sent_on")
    list_select_related = ("user", "course")
    search_fields = ("user__full_name", "user__email")
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
