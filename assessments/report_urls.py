"""The gain report's addresses for supervisors, beside the survey's (included in
config/urls.py; the learner's pages are in assessments/urls.py)."""

from django.urls import path

from assessments import report_views

app_name = "assessments_reports"

urlpatterns = [
    path(
        "organizations/<id:organization_id>/gain/",
        report_views.organization_gain,
        name="organization_gain",
    ),
    path(
        "organizations/<id:organization_id>/gain.csv",
        report_views.organization_gain_csv,
        name="organization_gain_csv",
    ),
    path(
        "organizations/<id:organization_id>/gain.xlsx",
        report_views.organization_gain_xlsx,
        name="organization_gain_xlsx",
    ),
]
