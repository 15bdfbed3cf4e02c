"""What machines fetch to verify credentials, under /credentials/ (no language prefix)."""

from django.urls import path

from certificates import views

app_name = "credentials"

urlpatterns = [
    path("issuer.json", views.issuer_profile, name="issuer"),
    path("jwks.json", views.published_keys, name="jwks"),
    path("status/<id:number>.jwt", views.status_list, name="status_list"),
]
