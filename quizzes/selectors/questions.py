"""Reads about questions for the admin (the checks of a scenario's questions)."""

from django.db.models import Count, Q

from quizzes.models import Question


def question_choice_counts(*, question_ids) -> dict[int, dict]:
    """{question id: {"n": its choices, "correct": its correct choices}}, one query."""
    return {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=list(question_ids))
        .annotate(n=Count("choices"), correct=Count("choices", filter=Q(choices__is_correct=True)))
        .values("pk", "n", "correct")
    }
