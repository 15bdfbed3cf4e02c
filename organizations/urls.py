from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="index"),
    path("<id:organization_id>/", views.dashboard, name="dashboard"),
    path("<id:organization_id>/export/", views.dashboard_export, name="export"),
    path("<id:organization_id>/staff/", views.member_list, name="member_list"),
    path("<id:organization_id>/staff/add/", views.member_add, name="member_add"),
    path("<id:organization_id>/staff/import/", views.staff_import, name="staff_import"),
    path("<id:organization_id>/assign/", views.assign, name="assign"),
]
