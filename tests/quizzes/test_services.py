import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.workplaces import Workplace
from courses import hooks
from courses.services import enrollment_restart, lesson_mark_done
from quizzes import services
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptQuestion, Question, Setting
from tests.factories import EnrollmentFactory, LessonFactory, ModuleFactory, UserFactory
from tests.quizzes.factories import (
    QuestionFactory,
    QuizFactory,
    ScenarioFactory,
    answers_for,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def enrolled(quiz, learner=None):
    learner = learner or UserFactory()
    return EnrollmentFactory(learner=learner, course=quiz.module.course)


def start(quiz, learner=None):
    enrollment = enrolled(quiz, learner)
    return services.attempt_start(learner=enrollment.learner, quiz=quiz)


def assert_nothing_saved(attempt):
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert attempt.score is None
    assert attempt.passed is None
    assert not Answer.objects.filter(attempt=attempt).exists()
    assert not AnswerChoice.objects.filter(answer__attempt=attempt).exists()


def choice_ids(question, correct):
    return [c.pk for c in question.choices.all() if c.is_correct is correct]


# --- grading per question type --------------------------------------------------------------


def test_single_answer_question_is_right_only_with_its_correct_choice():
    question = QuestionFactory(choices=[False, True, False])
    attempt = start(question.scenario.quiz)
    graded = services.attempt_submit(
        attempt=attempt, answers={question.pk: choice_ids(question, True)}
    )
    assert (graded.score, graded.passed) == (100, True)
    other = start(question.scenario.quiz)
    graded = services.attempt_submit(
        attempt=other, answers={question.pk: choice_ids(question, False)[:1]}
    )
    assert (graded.score, graded.passed) == (0, False)
    assert Answer.objects.get(attempt=other).is_correct is False


@pytest.mark.parametrize(
    ("chosen", "is_right"),
    [
        ([0, 2], True),  # exactly the correct set
        ([0], False),  # part of it
        ([0, 1, 2], False),  # all of it and more
        ([1], False),  # none of it
    ],
)
def test_select_all_that_apply_is_right_only_with_exactly_the_correct_set(chosen, is_right):
    question = QuestionFactory(kind=Question.Kind.MULTIPLE, choices=[True, False, True, False])
    choices = list(question.choices.order_by("position"))
    attempt = start(question.scenario.quiz)
    graded = services.attempt_submit(
        attempt=attempt, answers={question.pk: [choices[i].pk for i in chosen]}
    )
    assert graded.passed is is_right
    answer = Answer.objects.get(attempt=attempt)
    assert answer.is_correct is is_right
    assert set(answer.choices.values_list("pk", flat=True)) == {choices[i].pk for i in chosen}


def test_score_is_the_percentage_of_questions_right_rounded_down():
    quiz = quiz_with_questions(3, pass_mark=66)
    attempt = start(quiz)
    answers = answers_for(attempt)
    wrong = answers_for(attempt, right=False)
    last = list(answers)[-1]
    answers[last] = wrong[last]
    graded = services.attempt_submit(attempt=attempt, answers=answers)
    # 2 of 3 is 66.67 %: rounded down, so a mark of 67 would not be reached.
    assert graded.score == 66
    assert graded.passed is True


def test_a_score_just_under_the_pass_mark_fails():
    quiz = quiz_with_questions(3, pass_mark=67)
    attempt = start(quiz)
    answers = answers_for(attempt)
    last = list(answers)[-1]
    answers[last] = answers_for(attempt, right=False)[last]
    graded = services.attempt_submit(attempt=attempt, answers=answers)
    assert (graded.score, graded.passed) == (66, False)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (66, False)
    assert attempt.submitted_at is not None


def test_score_percent_rounds_down():
    assert services.score_percent(right=2, total=3) == 66
    assert services.score_percent(right=4, total=5) == 80
    assert services.score_percent(right=0, total=4) == 0
    assert services.score_percent(right=7, total=7) == 100


# --- bad input: an error, and nothing saved ---------------------------------------------------


def test_a_choice_of_another_question_is_refused_and_nothing_is_saved():
    quiz = quiz_with_questions(2)
    attempt = start(quiz)
    answers = answers_for(attempt)
    first, second = list(answers)
    answers[first] = answers[second]
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=attempt, answers=answers)
    assert error.value.messages == [str(services.ERROR_FOREIGN_CHOICE)]
    assert_nothing_saved(attempt)


def test_a_missing_answer_is_refused_and_nothing_is_saved():
    quiz = quiz_with_questions(2)
    attempt = start(quiz)
    answers = answers_for(attempt)
    answers.pop(list(answers)[-1])
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=attempt, answers=answers)
    assert error.value.messages == [str(services.ERROR_MISSING_ANSWER)]
    assert_nothing_saved(attempt)


def test_an_empty_answer_counts_as_missing():
    quiz = quiz_with_questions(1)
    attempt = start(quiz)
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=attempt, answers={list(answers_for(attempt))[0]: []})
    assert error.value.code == "missing_answer"
    assert_nothing_saved(attempt)


def test_two_choices_for_a_single_answer_question_are_refused():
    question = QuestionFactory(choices=[True, False, False])
    attempt = start(question.scenario.quiz)
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(
            attempt=attempt, answers={question.pk: [c.pk for c in question.choices.all()][:2]}
        )
    assert error.value.messages == [str(services.ERROR_SEVERAL_CHOICES_FOR_SINGLE)]
    assert_nothing_saved(attempt)


def test_an_answer_to_a_question_not_given_in_the_attempt_is_refused():
    quiz = quiz_with_questions(1)
    attempt = start(quiz)
    stranger = QuestionFactory()
    answers = answers_for(attempt) | {stranger.pk: choice_ids(stranger, True)}
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=attempt, answers=answers)
    assert error.value.messages == [str(services.ERROR_UNKNOWN_QUESTION)]
    assert_nothing_saved(attempt)


def test_a_second_submission_is_refused_and_does_not_regrade():
    quiz = quiz_with_questions(2)
    attempt = start(quiz)
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    first = Attempt.objects.get(pk=attempt.pk)
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
    assert error.value.messages == [str(services.ERROR_ALREADY_SUBMITTED)]
    # A stale copy of the attempt (loaded before the first submission) is refused too.
    stale = Attempt.objects.get(pk=attempt.pk)
    stale.submitted_at = stale.score = stale.passed = None
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=stale, answers=answers_for(attempt, right=False))
    assert error.value.code == "already_submitted"
    again = Attempt.objects.get(pk=attempt.pk)
    assert (again.submitted_at, again.score, again.passed) == (
        first.submitted_at,
        100,
        True,
    )
    assert Answer.objects.filter(attempt=attempt, is_correct=True).count() == 2


def test_an_attempt_past_the_limit_is_refused_at_submission():
    quiz = quiz_with_questions(1, max_attempts=2)
    attempt = start(quiz)
    quiz.max_attempts = 1
    quiz.save()
    attempt.refresh_from_db()
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
    second = services.attempt_start  # the limit is reached: no second attempt may start
    with pytest.raises(ValidationError) as error:
        second(learner=attempt.learner, quiz=quiz)
    assert error.value.messages == [str(services.ERROR_NO_ATTEMPTS_LEFT)]
    # An attempt started under a higher limit cannot be submitted once the limit is lowered.
    extra = Attempt.objects.create(learner=attempt.learner, quiz=quiz, cycle=1, number=2)
    AttemptQuestion.objects.create(attempt=extra, question=quiz.scenarios.get().questions.get())
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=extra, answers=answers_for(extra))
    assert error.value.messages == [str(services.ERROR_PAST_LIMIT)]
    assert_nothing_saved(extra)


def test_an_attempt_of_an_earlier_cycle_cannot_be_submitted():
    quiz = quiz_with_questions(1)
    attempt = start(quiz)
    enrollment_restart(enrollment=attempt.learner.enrollments.get())
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    assert error.value.messages == [str(services.ERROR_EARLIER_CYCLE)]
    assert_nothing_saved(attempt)


# --- starting -------------------------------------------------------------------------------


def test_starting_needs_an_enrollment():
    quiz = quiz_with_questions(1)
    with pytest.raises(ValidationError) as error:
        services.attempt_start(learner=UserFactory(), quiz=quiz)
    assert error.value.messages == [str(services.ERROR_NOT_ENROLLED)]
    assert not Attempt.objects.exists()


def test_starting_again_resumes_the_attempt_in_progress():
    quiz = quiz_with_questions(2)
    attempt = start(quiz)
    assert services.attempt_start(learner=attempt.learner, quiz=quiz) == attempt
    assert Attempt.objects.count() == 1


def test_attempts_are_numbered_and_limited_per_cycle():
    quiz = quiz_with_questions(1, max_attempts=2)
    learner = UserFactory()
    enrollment = enrolled(quiz, learner)
    for number in (1, 2):
        attempt = services.attempt_start(learner=learner, quiz=quiz)
        assert attempt.number == number
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
    with pytest.raises(ValidationError) as error:
        services.attempt_start(learner=learner, quiz=quiz)
    assert error.value.code == "no_attempts_left"
    assert Attempt.objects.count() == 2
    # A new cycle (renewal) gives the attempts again.
    enrollment_restart(enrollment=enrollment)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    assert (attempt.cycle, attempt.number) == (2, 1)


def test_a_passed_quiz_cannot_be_started_again_in_the_same_cycle():
    quiz = quiz_with_questions(1)
    attempt = start(quiz)
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    with pytest.raises(ValidationError) as error:
        services.attempt_start(learner=attempt.learner, quiz=quiz)
    assert error.value.messages == [str(services.ERROR_ALREADY_PASSED)]


def test_a_quiz_without_questions_for_the_learner_cannot_be_started():
    quiz = QuizFactory()
    ScenarioFactory(quiz=quiz, setting=Setting.SCHOOL)
    QuestionFactory(scenario=quiz.scenarios.get())
    learner = UserFactory(workplace=Workplace.SHELTER)
    enrolled(quiz, learner)
    with pytest.raises(ValidationError) as error:
        services.attempt_start(learner=learner, quiz=quiz)
    assert error.value.messages == [str(services.ERROR_NO_QUESTIONS)]
    assert not Attempt.objects.exists()


def scenario_quiz():
    """A quiz with one question in each setting."""
    quiz = QuizFactory()
    questions = {}
    for position, setting in enumerate(Setting.values):
        scenario = ScenarioFactory(quiz=quiz, setting=setting, position=position)
        questions[setting] = QuestionFactory(scenario=scenario)
    return quiz, questions


@pytest.mark.parametrize(
    ("workplace", "given"),
    [
        (Workplace.SHELTER, {"shelter", "any"}),
        (Workplace.GROUP_HOME, {"group_home", "any"}),
        (Workplace.SCHOOL, {"school", "any"}),
        (Workplace.OTHER, {"any"}),
    ],
)
def test_a_learner_is_given_the_scenarios_of_their_workplace_and_of_any(workplace, given):
    quiz, questions = scenario_quiz()
    attempt = start(quiz, UserFactory(workplace=workplace))
    given_ids = set(
        AttemptQuestion.objects.filter(attempt=attempt).values_list("question_id", flat=True)
    )
    assert given_ids == {questions[setting].pk for setting in given}


def test_grading_uses_the_questions_given_even_if_the_workplace_changes():
    quiz, questions = scenario_quiz()
    learner = UserFactory(workplace=Workplace.SCHOOL)
    attempt = start(quiz, learner)
    answers = answers_for(attempt)
    learner.workplace = Workplace.SHELTER
    learner.save()
    graded = services.attempt_submit(attempt=attempt, answers=answers)
    assert graded.score == 100
    assert set(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == {
        questions["school"].pk,
        questions["any"].pk,
    }


# --- completion -------------------------------------------------------------------------


def test_a_course_is_completed_only_when_its_lessons_are_done_and_its_quizzes_passed():
    module = ModuleFactory()
    lesson = LessonFactory(module=module)
    quiz = quiz_with_questions(1, module=module)
    other_quiz = quiz_with_questions(1, module=ModuleFactory(course=module.course))
    learner = UserFactory()
    enrollment = enrolled(quiz, learner)
    sent = []

    def receiver(sender, enrollment, **kwargs):
        sent.append(enrollment.pk)

    hooks.course_completed.connect(receiver)
    try:
        for each in module.course.modules.all():
            for each_lesson in each.lessons.all():
                lesson_mark_done(learner=learner, lesson=each_lesson)
        enrollment.refresh_from_db()
        assert enrollment.completed_at is None  # lessons done, quizzes not passed

        attempt = services.attempt_start(learner=learner, quiz=quiz)
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
        attempt = services.attempt_start(learner=learner, quiz=quiz)
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
        enrollment.refresh_from_db()
        assert enrollment.completed_at is None  # one quiz of two passed

        attempt = services.attempt_start(learner=learner, quiz=other_quiz)
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
        enrollment.refresh_from_db()
        assert enrollment.completed_at is not None
        assert sent == [enrollment.pk]
    finally:
        hooks.course_completed.disconnect(receiver)
    assert lesson.progress.filter(learner=learner).exists()


def test_passing_before_the_lessons_are_done_completes_the_course_with_the_last_lesson():
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrollment = enrolled(quiz, learner)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    for each in quiz.module.lessons.all():
        lesson_mark_done(learner=learner, lesson=each)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_a_pass_in_an_earlier_cycle_does_not_count_after_renewal():
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrollment = enrolled(quiz, learner)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    enrollment = enrollment_restart(enrollment=enrollment)
    for each in quiz.module.lessons.all():
        lesson_mark_done(learner=learner, lesson=each)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None


# --- budget ---------------------------------------------------------------------------------


def submit_queries(count):
    quiz = quiz_with_questions(count, kind=Question.Kind.MULTIPLE)
    attempt = start(quiz)
    answers = answers_for(attempt)
    attempt = Attempt.objects.select_related("quiz__module").get(pk=attempt.pk)
    with CaptureQueriesContext(connection) as queries:
        services.attempt_submit(attempt=attempt, answers=answers)
    assert Answer.objects.filter(attempt=attempt).count() == count
    assert AnswerChoice.objects.filter(answer__attempt=attempt).count() == 2 * count
    return len(queries)


def test_submitting_runs_as_many_queries_for_30_questions_as_for_3():
    assert submit_queries(3) == submit_queries(30)


def test_starting_runs_as_many_queries_for_30_questions_as_for_3():
    def start_queries(count):
        quiz = quiz_with_questions(count)
        learner = UserFactory()
        enrolled(quiz, learner)
        with CaptureQueriesContext(connection) as queries:
            services.attempt_start(learner=learner, quiz=quiz)
        return len(queries)

    assert start_queries(3) == start_queries(30)
