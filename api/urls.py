"""The REST API, under /api/ (no language prefix: Accept-Language chooses the language of
errors and course titles)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider import views as oauth_views

from api import docs, views

app_name = "api"

urlpatterns = [
    # Only the token endpoint of django-oauth-toolkit: clients use the client credentials
    # grant; there is no authorization page for people.
    path("oauth/token/", oauth_views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/organization/", views.OrganizationView.as_view(), name="organization"),
    path("v1/members/", views.MemberList.as_view(), name="members"),
    path("v1/members/<id:member_id>/", views.MemberDetail.as_view(), name="member"),
    path("v1/assignments/", views.AssignmentList.as_view(), name="assignments"),
    path(
        "v1/assignments/<id:assignment_id>/",
        views.AssignmentDetail.as_view(),
        name="assignment",
    ),
    path("v1/progress/", views.ProgressList.as_view(), name="progress_list"),
    path("v1/progress/<id:assignment_id>/", views.ProgressDetail.as_view(), name="progress"),
    path("v1/certificates/", views.CertificateList.as_view(), name="certificates"),
]
