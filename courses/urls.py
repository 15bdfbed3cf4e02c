from django.urls import path

from courses import preview, views

app_name = "courses"

urlpatterns = [
    path("learning/", views.my_learning, name="my_learning"),
    path("quick-exit/", views.quick_exit_help, name="quick_exit_help"),
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<slug:slug>/", views.course_detail, name="course_detail"),
    path(
        "courses/<slug:slug>/completed/",
        views.course_completed,
        name="course_completed",
    ),
    path(
        "courses/<slug:slug>/enroll/",
        views.course_enroll,
        name="course_enroll",
    ),
    path(
        "courses/<slug:slug>/lessons/<id:lesson_id>/",
        views.lesson_detail,
        name="lesson_detail",
    ),
    path(
        "courses/<slug:slug>/lessons/<id:lesson_id>/done/",
        views.lesson_mark_done,
        name="lesson_mark_done",
    ),
    path(
        "preview/courses/<slug:slug>/lessons/<id:lesson_id>/",
        preview.lesson_preview,
        name="lesson_preview",
    ),
]
