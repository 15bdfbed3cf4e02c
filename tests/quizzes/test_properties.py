"""Random and malformed quiz submissions: never a 500, and an attempt graded once or not at
all — never half-saved."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from courses.services import enrollment_create
from quizzes import services
from quizzes.models import Answer, AnswerChoice, Attempt, Question
from tests.factories import UserFactory
from tests.quizzes.factories import QuestionFactory, quiz_with_questions
from tests.test_properties import nasty_text, post_safely, rows

pytestmark = pytest.mark.django_db

PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def quiz():
    """Three questions: two single-answer, one "select all that apply"."""
    quiz = quiz_with_questions(2, per_scenario=3)
    scenario = quiz.scenarios.get()
    QuestionFactory(scenario=scenario, kind=Question.Kind.MULTIPLE, choices=[True, True, False])
    return quiz


@pytest.fixture
def taker(quiz):
    learner = UserFactory()
    enrollment_create(learner=learner, course=quiz.module.course)
    client = Client()
    client.force_login(learner)
    return learner, client


def graded_or_untouched(attempt, before):
    """Either nothing changed, or the attempt is graded whole: every question answered."""
    attempt.refresh_from_db()
    after = rows(Attempt, Answer, AnswerChoice)
    if attempt.submitted_at is None:
        assert after == before
    else:
        assert attempt.score is not None
        assert attempt.passed is not None
        given = attempt.attempt_questions.count()
        assert Answer.objects.filter(attempt=attempt).count() == given
        for answer in Answer.objects.filter(attempt=attempt).prefetch_related("choices"):
            chosen = list(answer.choices.all())
            assert chosen
            assert all(choice.question_id == answer.question_id for choice in chosen)


def field_names(attempt):
    return [f"question_{pk}" for pk in attempt.attempt_questions.values_list("question", flat=True)]


@PROPERTIES
@given(data=st.data())
def test_any_form_sent_to_the_attempt_is_answered_without_crash_or_half_grading(quiz, taker, data):
    learner, client = taker
    attempt = Attempt.objects.filter(learner=learner, submitted_at__isnull=True).first()
    if attempt is None:
        attempt = Attempt.objects.filter(learner=learner).order_by("-number").first()
        if attempt is not None and attempt.passed:
            return  # passed: nothing more to take in this cycle
        attempt = services.attempt_start(learner=learner, quiz=quiz)
    names = field_names(attempt)
    every_choice = list(
        Question.objects.filter(scenario__quiz=quiz).values_list("choices", flat=True)
    )
    value = st.one_of(
        st.sampled_from(every_choice).map(str),
        st.integers(min_value=-(2**63), max_value=2**63).map(str),
        nasty_text,
    )
    form = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(names), nasty_text),
            st.one_of(value, st.lists(value, max_size=4)),
            max_size=len(names) + 2,
        )
    )
    language = data.draw(st.sampled_from(["fr", "en"]))
    before = rows(Attempt, Answer, AnswerChoice)
    response = post_safely(client, f"/{language}/quizzes/attempts/{attempt.pk}/submit/", form)
    assert response.status_code in (200, 302, 400)
    graded_or_untouched(attempt, before)


@PROPERTIES
@given(data=st.data())
def test_the_service_refuses_or_grades_any_answers_whole(quiz, data):
    learner = UserFactory()
    enrollment_create(learner=learner, course=quiz.module.course)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    questions = list(Question.objects.filter(scenario__quiz=quiz).prefetch_related("choices"))
    every_choice = [c.pk for q in questions for c in q.choices.all()]
    answers = {}
    well_formed = data.draw(st.booleans())  # half the draws answer every question plausibly
    for question in questions:
        own = [c.pk for c in question.choices.all()]
        if well_formed:
            size = 1 if question.kind == Question.Kind.SINGLE else len(own)
            answers[question.pk] = data.draw(
                st.lists(st.sampled_from(own), min_size=1, max_size=size, unique=True)
            )
            continue
        answers[question.pk] = data.draw(
            st.one_of(
                st.just(None),  # missing
                st.lists(st.sampled_from(own), max_size=3),  # its own choices, any number
                st.lists(st.sampled_from(every_choice), max_size=2),  # maybe another's
                st.lists(st.integers(min_value=-5, max_value=10**6), max_size=2),
            )
        )
    answers = {question: choices for question, choices in answers.items() if choices is not None}
    if not well_formed and data.draw(st.booleans()):
        answers[data.draw(st.integers(min_value=-5, max_value=10**6))] = [1]
    before = rows(Attempt, Answer, AnswerChoice)
    try:
        graded = services.attempt_submit(attempt=attempt, answers=answers)
    except ValidationError as error:
        graded = None
        event(f"refused: {error.code}")
    graded_or_untouched(attempt, before)
    if graded is not None:
        event("graded")
        # Graded: the score is exactly the share of questions answered with the right set.
        right = sum(
            1
            for q in questions
            if set(answers[q.pk]) == {c.pk for c in q.choices.all() if c.is_correct}
        )
        assert graded.score == right * 100 // len(questions)
