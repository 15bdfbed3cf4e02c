from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.workplaces import Workplace
from organizations.models import Membership, Organization
from organizations.selectors import workplace_from_organization
from quizzes import selectors, services
from quizzes.models import Setting
from tests.factories import EnrollmentFactory, ModuleFactory, UserFactory
from tests.quizzes.factories import (
    AttemptFactory,
    QuestionFactory,
    QuizFactory,
    ScenarioFactory,
    SubmittedAttemptFactory,
    answers_for,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def member(user, kind, *, role="staff", created_at=None):
    organization = Organization.objects.create(name=f"Organisme {kind}", kind=kind, province="QC")
    return Membership.objects.create(
        user=user,
        organization=organization,
        role=role,
        created_at=created_at or timezone.now(),
    )


# --- which scenarios a learner gets -------------------------------------------------------


def test_without_an_organization_the_workplace_is_the_one_on_the_profile():
    assert selectors.learner_workplace(UserFactory(workplace=Workplace.SCHOOL)) == "school"


def test_an_organizations_kind_overrides_the_profile():
    learner = UserFactory(workplace=Workplace.SCHOOL)
    member(learner, Workplace.GROUP_HOME)
    assert selectors.learner_workplace(learner) == "group_home"
    assert workplace_from_organization(learner) == "group_home"


def test_with_several_organizations_the_first_membership_decides():
    learner = UserFactory(workplace=Workplace.OTHER)
    now = timezone.now()
    member(learner, Workplace.SCHOOL, created_at=now)
    member(learner, Workplace.SHELTER, role="supervisor", created_at=now - timedelta(days=3))
    assert selectors.learner_workplace(learner) == "shelter"


def test_an_organization_of_another_kind_gives_only_the_scenarios_for_any_workplace():
    learner = UserFactory(workplace=Workplace.SCHOOL)
    member(learner, Workplace.OTHER)
    assert selectors.learner_workplace(learner) == "other"
    assert selectors.settings_for_workplace("other") == [Setting.ANY]


def test_the_organization_decides_the_questions_of_a_new_attempt():
    quiz = QuizFactory()
    for position, setting in enumerate([Setting.SCHOOL, Setting.SHELTER, Setting.ANY]):
        QuestionFactory(scenario=ScenarioFactory(quiz=quiz, setting=setting, position=position))
    learner = UserFactory(workplace=Workplace.SCHOOL)
    member(learner, Workplace.SHELTER)
    EnrollmentFactory(learner=learner, course=quiz.module.course)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    settings = set(attempt.attempt_questions.values_list("question__scenario__setting", flat=True))
    assert settings == {"shelter", "any"}


# --- quiz states ----------------------------------------------------------------------------


def test_quiz_state_follows_the_attempts_of_the_current_cycle():
    quiz = quiz_with_questions(1, max_attempts=3)
    learner = UserFactory()
    enrollment = EnrollmentFactory(learner=learner, course=quiz.module.course)

    def state():
        return selectors.quiz_state(quiz=quiz, learner=learner, enrollment=enrollment)

    assert (state().status, state().attempts_left, state().can_start) == ("not_started", 3, True)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    assert (state().status, state().can_start) == ("in_progress", False)
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=False))
    assert (state().status, state().attempts_left, state().can_start) == ("failed", 2, True)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    assert (state().status, state().best_score, state().can_start) == ("passed", 100, False)
    # Another cycle starts afresh.
    enrollment.cycle = 2
    assert state().status == "not_started"


def test_another_learners_attempts_do_not_count():
    quiz = quiz_with_questions(1)
    learner = UserFactory()
    enrollment = EnrollmentFactory(learner=learner, course=quiz.module.course)
    SubmittedAttemptFactory(quiz=quiz)
    AttemptFactory(quiz=quiz)
    state = selectors.quiz_state(quiz=quiz, learner=learner, enrollment=enrollment)
    assert state.status == "not_started"


def test_quiz_states_by_module_returns_states_and_leaves_the_modules_alone():
    quiz = quiz_with_questions(1)
    plain = ModuleFactory(course=quiz.module.course)
    learner = UserFactory()
    enrollment = EnrollmentFactory(learner=learner, course=quiz.module.course)
    SubmittedAttemptFactory(learner=learner, quiz=quiz)
    modules = [quiz.module, plain]
    before = [vars(module).copy() for module in modules]
    states = selectors.quiz_states_by_module(modules=modules, user=learner, enrollment=enrollment)
    assert {module_id: state.status for module_id, state in states.items()} == {
        quiz.module.pk: "passed"
    }
    assert [vars(module) for module in modules] == before


def test_the_requirement_needs_every_quiz_of_the_course_passed_in_the_current_cycle():
    quiz = quiz_with_questions(1)
    other = quiz_with_questions(1, module=None)
    learner = UserFactory()
    enrollment = EnrollmentFactory(learner=learner, course=quiz.module.course)
    assert selectors.enrollment_quizzes_passed(enrollment) is False
    SubmittedAttemptFactory(learner=learner, quiz=quiz, passed=False, score=0)
    assert selectors.enrollment_quizzes_passed(enrollment) is False
    SubmittedAttemptFactory(learner=learner, quiz=quiz, number=2, cycle=2)
    assert selectors.enrollment_quizzes_passed(enrollment) is False  # another cycle
    SubmittedAttemptFactory(learner=learner, quiz=other)  # another course's quiz
    assert selectors.enrollment_quizzes_passed(enrollment) is False
    SubmittedAttemptFactory(learner=learner, quiz=quiz, number=3)
    assert selectors.enrollment_quizzes_passed(enrollment) is True


def test_a_course_without_quizzes_meets_the_requirement():
    enrollment = EnrollmentFactory()
    assert selectors.enrollment_quizzes_passed(enrollment) is True


def test_choices_are_shuffled_the_same_way_for_the_same_attempt_only():
    quiz = quiz_with_questions(0, shuffle_choices=True)
    scenario = ScenarioFactory(quiz=quiz)
    questions = [QuestionFactory(scenario=scenario, choices=[True] + [False] * 5) for _ in range(8)]
    first, second = AttemptFactory(quiz=quiz), AttemptFactory(quiz=quiz)

    def order(attempt):
        return [
            [c.pk for c in selectors.choices_in_attempt_order(attempt=attempt, question=q)]
            for q in questions
        ]

    authored = [[c.pk for c in q.choices.all()] for q in questions]
    assert order(first) == order(first)
    assert order(first) != authored
    assert order(first) != order(second)
    quiz.shuffle_choices = False
    assert order(first) == authored


def test_each_attempt_draws_the_next_situation_of_the_learners_workplace():
    """A second attempt meets another situation of the same workplace (and every `any`
    one), so that nobody passes by remembering the answers of the first."""
    from quizzes.models import Scenario
    from tests.quizzes.factories import QuestionFactory, QuizFactory, ScenarioFactory

    quiz = QuizFactory()
    shelters = [ScenarioFactory(quiz=quiz, setting=Setting.SHELTER, position=n) for n in (1, 2)]
    anywhere = ScenarioFactory(quiz=quiz, setting=Setting.ANY, position=3)
    school = ScenarioFactory(quiz=quiz, setting=Setting.SCHOOL, position=4)
    for scenario in (*shelters, anywhere, school):
        QuestionFactory(scenario=scenario)

    def scenarios(workplace, number):
        questions = selectors.questions_for(quiz=quiz, workplace=workplace, attempt_number=number)
        return list(Scenario.objects.filter(questions__in=questions).order_by("position"))

    assert scenarios("shelter", 1) == [shelters[0], anywhere]
    assert scenarios("shelter", 2) == [shelters[1], anywhere]
    assert scenarios("shelter", 3) == [shelters[0], anywhere]
    assert scenarios("school", 2) == [anywhere, school]
    assert scenarios("other", 1) == [anywhere]
