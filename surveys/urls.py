from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("courses/<slug:slug>/survey/", views.survey_submit, name="survey_submit"),
    path(
        "organizations/<id:organization_id>/survey/",
        views.organization_survey,
        name="organization_survey",
    ),
]
