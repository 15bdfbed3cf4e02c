from django.urls import path

from assessments import views
from assessments.models import Phase

app_name = "assessments"

urlpatterns = [
    path(
        "courses/<slug:slug>/check/before/",
        views.check,
        {"phase": Phase.PRE},
        name="check_before",
    ),
    path(
        "courses/<slug:slug>/check/after/",
        views.check,
        {"phase": Phase.POST},
        name="check_after",
    ),
]
