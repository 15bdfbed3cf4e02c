from django.urls import path

from quizzes import preview, views

app_name = "quizzes"

urlpatterns = [
    path(
        "courses/<slug:slug>/modules/<id:module_id>/quiz/",
        views.quiz_detail,
        name="quiz_detail",
    ),
    path(
        "courses/<slug:slug>/modules/<id:module_id>/quiz/start/",
        views.quiz_start,
        name="quiz_start",
    ),
    path("quizzes/attempts/<id:attempt_id>/", views.attempt_detail, name="attempt_detail"),
    path(
        "quizzes/attempts/<id:attempt_id>/submit/",
        views.attempt_submit,
        name="attempt_submit",
    ),
    path(
        "quizzes/attempts/<id:attempt_id>/result/",
        views.attempt_result,
        name="attempt_result",
    ),
    path(
        "preview/courses/<slug:slug>/modules/<id:module_id>/quiz/",
        preview.quiz_preview,
        name="quiz_preview",
    ),
]
