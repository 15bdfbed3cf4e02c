"""Previews for administrators: a lesson as a learner reads it, drafts included, without
enrolling. Nothing is written: these views only read, and the page has no form that posts
to a learner's address (see `courses/lesson_preview.html`)."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from courses import selectors
from courses.decorators import preview_permission_required
from courses.models import Lesson


@require_GET
@preview_permission_required(Lesson)
def lesson_preview(request, slug, lesson_id):
    outline = selectors.lesson_preview_outline(slug=slug, lesson_id=lesson_id)
    context = {
        "course": outline.course,
        "outline": outline,
        "admin_url": reverse("admin:courses_lesson_change", args=[lesson_id]),
        **outline.place(),
    }
    return render(request, "courses/lesson_preview.html", context)
