from django.urls import path

from organizations import views

app_name = "organizations"

# The dashboard, its export and certificates.zip (/organizations/<id>/…) are supervision's:
# supervision/urls.py, included at the same prefix.

urlpatterns = [
    path("", views.organization_list, name="index"),
    path("mine/", views.my_organizations, name="mine"),
    path("sign-in/link/", views.sign_in_link, name="sign_in_link"),
    path(
        "invitations/<id:invitation_id>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<id:invitation_id>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("mine/<id:membership_id>/leave/", views.membership_leave, name="membership_leave"),
    path("<id:organization_id>/staff/", views.member_list, name="member_list"),
    path("<id:organization_id>/staff/add/", views.member_add, name="member_add"),
    path("<id:organization_id>/staff/import/", views.staff_import, name="staff_import"),
    path(
        "<id:organization_id>/staff/<id:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "<id:organization_id>/staff/<id:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<id:organization_id>/invitations/<id:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "<id:organization_id>/invitations/<id:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("<id:organization_id>/audit/", views.audit_log, name="audit_log"),
    path("<id:organization_id>/assign/", views.assign, name="assign"),
]
