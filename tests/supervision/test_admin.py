from django.urls import reverse


def test_reminder_log_is_read_only(admin_client):
    assert admin_client.get(reverse("admin:supervision_reminderlog_add")).status_code == 403
    url = reverse("admin:supervision_reminderlog_changelist")
    assert admin_client.get(url).status_code == 200
