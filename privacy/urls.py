from django.urls import path

from privacy import erasure_views, export_views, views

app_name = "privacy"

urlpatterns: list = [
    path("", views.page, name="page"),
    path("my-data/", export_views.my_data, name="my_data"),
    path("my-data/<str:token>/", export_views.export_download, name="export_download"),
    path("close-account/", erasure_views.close_account, name="close_account"),
    path("close-account/keep/", erasure_views.keep_account, name="keep_account"),
]
