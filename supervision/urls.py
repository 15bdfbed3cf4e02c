from django.urls import path

from supervision import person_views, views

# Included at the same prefix as organizations.urls (/organizations/), so the addresses
# supervisors know did not change when these pages moved out of the organizations app.
app_name = "supervision"

urlpatterns = [
    path("<id:organization_id>/", views.dashboard, name="dashboard"),
    path("<id:organization_id>/export/", views.dashboard_export, name="export"),
    path("<id:organization_id>/export.xlsx", views.dashboard_export_xlsx, name="export_xlsx"),
    path(
        "<id:organization_id>/certificates.zip",
        views.dashboard_certificates_zip,
        name="certificates_zip",
    ),
    path("<id:organization_id>/people/<id:user_id>/", person_views.person, name="person"),
    path(
        "<id:organization_id>/people/<id:user_id>/courses/<id:assignment_id>/due-date/",
        person_views.person_due_date,
        name="person_due_date",
    ),
    path(
        "<id:organization_id>/people/<id:user_id>/courses/<id:assignment_id>/unassign/",
        person_views.person_unassign,
        name="person_unassign",
    ),
    path(
        "<id:organization_id>/people/<id:user_id>/courses/<id:assignment_id>/remind/",
        person_views.person_remind,
        name="person_remind",
    ),
    path(
        "<id:organization_id>/people/<id:user_id>/invitation/resend/",
        person_views.person_invitation_resend,
        name="person_invitation_resend",
    ),
    path(
        "<id:organization_id>/people/invitations/<id:invitation_id>/",
        person_views.invitation,
        name="invitation",
    ),
]
