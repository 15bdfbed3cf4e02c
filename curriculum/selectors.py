"""Reads of the curriculum: a course with everything its file holds, for the export."""

from django.db.models import Prefetch, QuerySet

from assessments.models import Item, ItemChoice
from courses.models import Course, Lesson, Module
from quizzes.models import Choice, Question, Scenario


def courses_for_export(*, course_ids) -> QuerySet[Course]:
    """The courses with their former addresses, sources, modules, lessons and quizzes (their
    scenarios, questions and choices) and their knowledge check's items with their choices,
    each in its file order: ten queries for any number."""
    return (
        Course.objects.filter(pk__in=course_ids)
        .select_related("curriculum_sources")
        .prefetch_related(
            "former_slugs",
            Prefetch("modules", queryset=Module.objects.order_by("position", "pk")),
            Prefetch("modules__lessons", queryset=Lesson.objects.order_by("position", "pk")),
            "modules__quiz",
            Prefetch(
                "modules__quiz__scenarios", queryset=Scenario.objects.order_by("position", "pk")
            ),
            Prefetch(
                "modules__quiz__scenarios__questions",
                queryset=Question.objects.select_related("lesson").order_by("position", "pk"),
            ),
            Prefetch(
                "modules__quiz__scenarios__questions__choices",
                queryset=Choice.objects.order_by("position", "pk"),
            ),
            Prefetch("assessment_items", queryset=Item.objects.order_by("position", "pk")),
            Prefetch(
                "assessment_items__choices", queryset=ItemChoice.objects.order_by("position", "pk")
            ),
        )
        .order_by("slug")
    )
