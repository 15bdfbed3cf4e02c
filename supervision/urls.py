from django.urls import path

from supervision import views

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
]
