"""Factories for every model of the quizzes app."""

import factory
from django.utils import timezone

from quizzes.models import (
    Answer,
    AnswerChoice,
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    Quiz,
    Scenario,
    Setting,
)
from tests.factories import LessonFactory, ModuleFactory, ProgressFactory, UserFactory


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    module = factory.SubFactory(ModuleFactory)
    pass_mark = 80
    max_attempts = None
    shuffle_choices = False


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"scenario-{n}")
    position = factory.Sequence(lambda n: n)
    setting = Setting.ANY
    title_fr = factory.Sequence(lambda n: f"Situation {n}")
    title_en = factory.Sequence(lambda n: f"Situation {n} (en)")
    situation_fr = "Une résidente revient tard avec un nouveau téléphone."
    situation_en = "A resident comes back late with a new phone."


class QuestionFactory(factory.django.DjangoModelFactory):
    """`QuestionFactory()` has three choices, the first one correct;
    `QuestionFactory(kind="multiple", choices=[True, False, True])` says which are."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    scenario = factory.SubFactory(ScenarioFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.SINGLE
    text_fr = factory.Sequence(lambda n: f"Question {n} ?")
    text_en = factory.Sequence(lambda n: f"Question {n}?")
    lesson = factory.LazyAttribute(lambda q: LessonFactory(module=q.scenario.quiz.module))

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        if not create:
            return
        for position, is_correct in enumerate(
            [True, False, False] if extracted is None else extracted
        ):
            ChoiceFactory(question=self, position=position, is_correct=is_correct)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, choices=[])
    key = factory.Sequence(lambda n: f"choice-{n}")
    position = factory.Sequence(lambda n: n)
    text_fr = factory.Sequence(lambda n: f"Choix {n}")
    text_en = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False
    feedback_fr = factory.Sequence(lambda n: f"Rétroaction {n}.")
    feedback_en = factory.Sequence(lambda n: f"Feedback {n}.")


class AttemptFactory(ProgressFactory):
    """An attempt in progress; `AttemptFactory(questions=[q1, q2])` gives those questions."""

    class Meta:
        model = Attempt
        skip_postgeneration_save = True

    learner = factory.SubFactory(UserFactory)
    quiz = factory.SubFactory(QuizFactory)
    cycle = 1
    number = 1

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for position, question in enumerate(extracted):
            AttemptQuestionFactory(attempt=self, question=question, position=position)


class SubmittedAttemptFactory(AttemptFactory):
    submitted_at = factory.LazyFunction(timezone.now)
    score = 100
    passed = True


class AttemptQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttemptQuestion

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    attempt = factory.SubFactory(SubmittedAttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    is_correct = True


class AnswerChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerChoice

    answer = factory.SubFactory(AnswerFactory)
    choice = factory.LazyAttribute(lambda ac: ac.answer.question.choices.first())


def quiz_with_questions(
    count: int, *, module=None, kind=Question.Kind.SINGLE, per_scenario=3, **quiz
):
    """A quiz of `count` questions (three choices each, the first correct; for
    "multiple", the first two), in `any` scenarios of up to `per_scenario` questions."""
    quiz = QuizFactory(module=module or ModuleFactory(), **quiz)
    lesson = LessonFactory(module=quiz.module)
    scenario = None
    for index in range(count):
        if index % per_scenario == 0:
            scenario = ScenarioFactory(quiz=quiz, position=index)
        QuestionFactory(
            scenario=scenario,
            position=index,
            kind=kind,
            lesson=lesson,
            choices=[True, kind == Question.Kind.MULTIPLE, False],
        )
    return quiz


def answers_for(attempt, *, right=True) -> dict[int, list[int]]:
    """{question id: [choice ids]}: the right answers to every question of the attempt,
    or (right=False) the first wrong choice of each."""
    answers = {}
    for question in Question.objects.filter(attempt_questions__attempt=attempt).prefetch_related(
        "choices"
    ):
        choices = list(question.choices.all())
        if right:
            answers[question.pk] = [c.pk for c in choices if c.is_correct]
        else:
            answers[question.pk] = [next(c.pk for c in choices if not c.is_correct)]
    return answers
