"""Reads about questions for the admin (the checks of a scenario's questions)."""

from django.db.models import Count, Q, QuerySet

from courses.models import Lesson
from quizzes.models import Question, Quiz


def question_choice_counts(*, question_ids) -> dict[int, dict]:
    """{question id: {"n": its choices, "correct": its correct choices}}, one query."""
    return {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=list(question_ids))
        .annotate(n=Count("choices"), correct=Count("choices", filter=Q(choices__is_correct=True)))
        .values("pk", "n", "correct")
    }


def course_id_of_quiz(*, quiz_id: int | None) -> int | None:
    """The course a quiz belongs to (through its module), one query; None without a quiz."""
    if quiz_id is None:
        return None
    return Quiz.objects.filter(pk=quiz_id).values_list("module__course_id", flat=True).first()


def lessons_of_course(*, course_id: int) -> QuerySet[Lesson]:
    """The lessons a question of this course may point to, with what their labels name."""
    return Lesson.objects.filter(module__course_id=course_id).select_related("module__course")
