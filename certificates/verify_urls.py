"""The public verification pages, under /<lang>/verify/ (no login)."""

from django.urls import path

from certificates import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_form, name="form"),
    path("<str:code>.json", views.verify_detail_json, name="detail_json"),
    path("<str:code>/", views.verify_detail, name="detail"),
]
