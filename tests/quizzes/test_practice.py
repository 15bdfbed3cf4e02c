"""A passed quiz can be taken again for practice; a practice attempt is marked as such,
shows its feedback, and never changes the recorded result, wherever it is read."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate
from courses.models import Enrollment, Lesson
from courses.progress import progress_for
from courses.services import enrollment_update_completion, lesson_mark_done
from quizzes import selectors, services
from quizzes.models import Attempt
from supervision import selectors as supervision_selectors
from tests.factories import EnrollmentFactory, UserFactory
from tests.organizations.factories import AssignmentFactory, MembershipFactory
from tests.quizzes.factories import SubmittedAttemptFactory, answers_for, quiz_with_questions

pytestmark = pytest.mark.django_db


def enrolled(quiz, learner):
    return EnrollmentFactory(learner=learner, course=quiz.module.course)


def take(learner, quiz, *, right=True, practice=False):
    attempt = services.attempt_start(learner=learner, quiz=quiz, practice=practice)
    return services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=right))


def passed_quiz(*, max_attempts=None, questions=2):
    quiz = quiz_with_questions(questions, max_attempts=max_attempts)
    learner = UserFactory()
    enrolled(quiz, learner)
    take(learner, quiz, right=False)
    take(learner, quiz)
    return quiz, learner


# --- the services ----------------------------------------------------------------------------


def test_a_passed_quiz_can_be_taken_again_for_practice_and_the_attempt_says_so():
    quiz, learner = passed_quiz()
    attempt = services.attempt_start(learner=learner, quiz=quiz, practice=True)
    assert (attempt.practice, attempt.number) == (True, 3)
    assert attempt.attempt_questions.count() == 2
    graded = services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
    assert (graded.score, graded.passed, graded.practice) == (0, False, True)


def test_practice_before_passing_is_refused_and_saves_nothing():
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrolled(quiz, learner)
    with pytest.raises(ValidationError) as error:
        services.attempt_start(learner=learner, quiz=quiz, practice=True)
    assert error.value.code == "not_passed"
    assert not Attempt.objects.exists()


def test_a_failed_practice_attempt_leaves_the_pass_the_best_score_and_the_attempts_left():
    quiz, learner = passed_quiz(max_attempts=3)
    enrollment = Enrollment.objects.get(learner=learner)
    before = selectors.quiz_state(quiz=quiz, learner=learner, enrollment=enrollment)
    take(learner, quiz, right=False, practice=True)
    after = selectors.quiz_state(quiz=quiz, learner=learner, enrollment=enrollment)
    assert (after.status, after.best_score, after.attempts_left) == ("passed", 100, 1)
    assert after.passed_attempt.pk == before.passed_attempt.pk
    assert after.can_practise
    assert not after.can_start


def test_practice_is_not_limited_by_the_attempts_allowed():
    quiz, learner = passed_quiz(max_attempts=2)
    for _ in range(3):
        attempt = take(learner, quiz, right=False, practice=True)
    assert attempt.number == 5
    assert Attempt.objects.filter(practice=True).count() == 3


def test_a_practice_pass_never_completes_the_course_nor_issues_a_certificate():
    """Even a practice pass with no recorded one (which the services never make) counts
    for nothing: completion, the quiz state and the progress read recorded attempts."""
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrollment = enrolled(quiz, learner)
    for lesson in Lesson.objects.filter(module__course=quiz.module.course):
        lesson_mark_done(learner=learner, lesson=lesson)
    SubmittedAttemptFactory(
        learner=learner, quiz=quiz, course=quiz.module.course, passed=True, practice=True
    )
    assert selectors.enrollment_quizzes_passed(enrollment) is False
    assert enrollment_update_completion(enrollment=enrollment) is False
    assert not Certificate.objects.exists()
    state = selectors.quiz_state(quiz=quiz, learner=learner, enrollment=enrollment)
    assert (state.status, state.best_score, state.attempts_used) == ("failed", None, 0)
    assert state.passed_attempt is None
    steps = progress_for(learner=learner, enrollments=[enrollment])[enrollment.pk]
    assert [step.done for step in steps.steps][-1] is False


def test_the_module_quiz_is_still_due_after_a_practice_pass_only():
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrollment = enrolled(quiz, learner)
    for lesson in Lesson.objects.filter(module__course=quiz.module.course):
        lesson_mark_done(learner=learner, lesson=lesson)
    SubmittedAttemptFactory(
        learner=learner, quiz=quiz, course=quiz.module.course, passed=True, practice=True
    )
    from courses.selectors import course_outline

    outline = course_outline(course=quiz.module.course, user=learner)
    assert outline.enrollment == enrollment
    due = selectors.quiz_due_after_lessons(outline=outline, module_id=quiz.module_id)
    assert due == quiz


def test_the_dashboard_best_score_leaves_practice_attempts_out():
    quiz = quiz_with_questions(2)
    course = quiz.module.course
    learner = UserFactory()
    membership = MembershipFactory(user=learner)
    membership.created_at = timezone.now() - datetime.timedelta(days=1)
    membership.save()
    AssignmentFactory(organization=membership.organization, learner=learner, course=course)
    enrolled(quiz, learner)
    first = services.attempt_start(learner=learner, quiz=quiz)
    answers = answers_for(first, right=False)
    answers[next(iter(answers))] = answers_for(first)[next(iter(answers))]
    services.attempt_submit(attempt=first, answers=answers)  # 50 %: not passed
    SubmittedAttemptFactory(
        learner=learner, quiz=quiz, course=course, number=2, score=100, practice=True
    )
    row = supervision_selectors.assignment_rows().get(learner=learner)
    assert row.best_score == 50


# --- the pages -------------------------------------------------------------------------------


def quiz_url(quiz, name="quizzes:quiz_detail"):
    return reverse(name, kwargs={"slug": quiz.module.course.slug, "module_id": quiz.module_id})


def test_the_quiz_page_of_a_passed_quiz_offers_practice_and_marks_practice_attempts(client):
    quiz, learner = passed_quiz()
    client.force_login(learner)
    with translation.override("en"):
        html = client.get(quiz_url(quiz)).content.decode()
        assert "Practise this quiz again" in html
        assert 'name="practice" value="1"' in html
        response = client.post(quiz_url(quiz, "quizzes:quiz_start"), {"practice": "1"})
        attempt = Attempt.objects.latest("pk")
        assert attempt.practice
        assert response["Location"] == attempt.get_absolute_url()
        html = client.get(attempt.get_absolute_url()).content.decode()
        assert "Practice attempt: you have passed this quiz" in html
        services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
        result = client.get(attempt.get_absolute_url()).content.decode()
        assert "This was a practice attempt: your recorded result" in result
        # Its feedback shows, as after any attempt.
        assert "Feedback" in result
        assert "Try again" not in result
        html = client.get(quiz_url(quiz)).content.decode()
    assert "You passed this quiz with a score of 100" in html
    assert '<span class="badge">Practice</span>' in html


def test_starting_without_practice_after_passing_is_refused_with_a_message(client):
    quiz, learner = passed_quiz()
    client.force_login(learner)
    response = client.post(quiz_url(quiz, "quizzes:quiz_start"), follow=True)
    assert str(services.ERROR_ALREADY_PASSED) in response.content.decode()
    assert Attempt.objects.count() == 2


def test_practice_asked_before_passing_says_why_in_french(client):
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrolled(quiz, learner)
    client.force_login(learner)
    response = client.post(quiz_url(quiz, "quizzes:quiz_start"), {"practice": "1"}, follow=True)
    assert response.status_code == 200
    assert "L’entraînement s’ouvre une fois ce quiz réussi." in response.content.decode()
    assert not Attempt.objects.exists()
