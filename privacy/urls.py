from django.urls import path

from privacy import erasure_views

app_name = "privacy"

# The export, erasure and privacy pages (issue 20) add their addresses here.
urlpatterns: list = []

# Erasure
urlpatterns += [
    path("close-account/", erasure_views.close_account, name="close_account"),
    path("close-account/keep/", erasure_views.keep_account, name="keep_account"),
]
