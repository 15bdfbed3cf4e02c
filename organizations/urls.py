from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="index"),
    path("mine/", views.my_organizations, name="mine"),
    path(
        "invitations/<int:invitation_id>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("mine/<int:membership_id>/leave/", views.membership_leave, name="membership_leave"),
    path("<int:organization_id>/", views.dashboard, name="dashboard"),
    path("<int:organization_id>/export/", views.dashboard_export, name="export"),
    path(
        "<int:organization_id>/certificates.zip",
        views.dashboard_certificates_zip,
        name="certificates_zip",
    ),
    path("<int:organization_id>/staff/", views.member_list, name="member_list"),
    path("<int:organization_id>/staff/add/", views.member_add, name="member_add"),
    path("<int:organization_id>/staff/import/", views.staff_import, name="staff_import"),
    path(
        "<int:organization_id>/staff/<int:membership_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "<int:organization_id>/staff/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<int:organization_id>/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "<int:organization_id>/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("<int:organization_id>/audit/", views.audit_log, name="audit_log"),
    path("<int:organization_id>/assign/", views.assign, name="assign"),
]
