"""The privacy page: what Repère collects, why, who sees it, how long it is kept."""

from django.conf import settings
from django.shortcuts import render

from privacy import selectors


def page(request):
    contacts = selectors.privacy_contacts_for(user=request.user)
    retention = {
        name: getattr(settings, f"REPERE_{name.upper()}")
        for name in (
            "retention_audit_days",
            "retention_email_log_days",
            "retention_reminder_log_days",
            "retention_invitation_days",
            "retention_open_attempt_days",
            "retention_never_activated_days",
            "erasure_grace_days",
            "data_export_expiry_hours",
        )
    }
    return render(request, "privacy/page.html", {"contacts": contacts, "retention": retention})
