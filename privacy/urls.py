from django.urls import path

from privacy import export_views, views

app_name = "privacy"

# The export, erasure and privacy pages (issue 20) add their addresses here.
urlpatterns: list = [
    path("", views.page, name="page"),
    path("my-data/", export_views.my_data, name="my_data"),
    path("my-data/<str:token>/", export_views.export_download, name="export_download"),
]
