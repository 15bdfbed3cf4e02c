"""Which scenarios a learner gets: decided here, and only here."""

from django.db.models import Q, QuerySet

from accounts.workplaces import Workplace
from organizations.selectors import workplace_from_organization
from quizzes.models import Question, Quiz, Scenario, Setting

# --- which scenarios a learner gets -------------------------------------------------------


def learner_workplace(user) -> str:
    """The kind of workplace whose scenarios the learner gets: the ONE place that decides.

    Their organization's kind when they belong to one, else what they chose on their profile.
    """
    return workplace_from_organization(user) or user.workplace or Workplace.OTHER


def settings_for_workplace(workplace: str) -> list[str]:
    """Scenario settings given to a learner of this workplace: their own, and `any`.

    A workplace without scenarios of its own (`other`) gets only the `any` ones.
    """
    if workplace in Setting.values and workplace != Setting.ANY:
        return [workplace, Setting.ANY]
    return [Setting.ANY]


def questions_for(*, quiz: Quiz, workplace: str, attempt_number: int = 1) -> QuerySet[Question]:
    """The questions a learner of this workplace is given, in the order they are asked.

    One situation of their own workplace, taken in turn from one attempt to the next (so a
    second attempt meets a different situation, not the same questions again), and every
    `any` situation. A workplace without situations of its own gets the `any` ones only.
    """
    own = [setting for setting in settings_for_workplace(workplace) if setting != Setting.ANY]
    scenario_ids = list(
        Scenario.objects.filter(quiz=quiz, setting__in=own)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    chosen = [scenario_ids[(attempt_number - 1) % len(scenario_ids)]] if scenario_ids else []
    return Question.objects.filter(
        Q(scenario_id__in=chosen) | Q(scenario__setting=Setting.ANY), scenario__quiz=quiz
    ).order_by("scenario__position", "scenario_id", "position", "pk")
