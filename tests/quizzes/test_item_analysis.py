"""Item analysis: facility, discrimination and choice shares from SQL aggregates."""

import datetime
import math

import pytest
from django.utils import timezone

from accounts.workplaces import Workplace
from quizzes import item_analysis
from quizzes.models import Answer, AnswerChoice, Attempt
from tests.factories import UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def _attempt(quiz, *, score, answers, practice=False, submitted=True, learner=None, at=None):
    """A graded attempt whose answers are {question: choice} (right when the choice is)."""
    attempt = Attempt.objects.create(
        learner=learner or UserFactory(),
        quiz=quiz,
        submitted_at=(at or timezone.now()) if submitted else None,
        score=score if submitted else None,
        passed=(score >= quiz.pass_mark) if submitted else None,
        practice=practice,
    )
    for question, choice in answers.items():
        answer = Answer.objects.create(
            attempt=attempt, question=question, is_correct=choice.is_correct
        )
        AnswerChoice.objects.create(answer=answer, choice=choice)
    return attempt


@pytest.fixture
def small():
    """Four attempts at two questions (each with choices right, wrong 1, wrong 2).

    attempt  score  Q1 chosen   Q2 chosen
    A        100    right       wrong 1
    B         50    right       wrong 1
    C         50    wrong 1     right
    D          0    wrong 2     right
    """
    quiz = quiz_with_questions(2)
    q1, q2 = quiz.scenarios.get().questions.order_by("position")
    c1 = list(q1.choices.order_by("position", "pk"))
    c2 = list(q2.choices.order_by("position", "pk"))
    for score, first, second in [(100, 0, 1), (50, 0, 1), (50, 1, 0), (0, 2, 0)]:
        _attempt(quiz, score=score, answers={q1: c1[first], q2: c2[second]})
    return quiz, q1, q2, c1, c2


def test_discrimination_matches_the_hand_computed_point_biserial(small):
    """Q1: x = 1,1,0,0 against y = 100,50,50,0: n=4, Σx=2, Σy=200, Σy²=15000, Σxy=150;
    r = (4·150 − 2·200) / √((4·2 − 2²)(4·15000 − 200²)) = 200 / √80000 = 0.7071.
    Q2: x = 0,0,1,1, Σxy = 50: r = (200 − 400) / √80000 = −0.7071."""
    quiz, q1, q2, _c1, _c2 = small
    rows = {row.question.pk: row for row in item_analysis.quiz_item_analysis(quiz=quiz)}
    assert rows[q1.pk].discrimination == pytest.approx(200 / math.sqrt(80000))
    assert rows[q1.pk].discrimination == pytest.approx(0.70711, abs=1e-5)
    assert rows[q2.pk].discrimination == pytest.approx(-0.70711, abs=1e-5)
    assert rows[q2.pk].discriminates_negatively
    assert not rows[q1.pk].discriminates_negatively


def test_facility_and_choice_shares(small):
    quiz, q1, q2, c1, c2 = small
    rows = {row.question.pk: row for row in item_analysis.quiz_item_analysis(quiz=quiz)}
    assert rows[q1.pk].attempts == 4
    assert rows[q1.pk].facility == 0.5
    shares = {item.choice.pk: item.share for item in rows[q1.pk].choices}
    assert shares == {c1[0].pk: 0.5, c1[1].pk: 0.25, c1[2].pk: 0.25}
    shares = {item.choice.pk: item.share for item in rows[q2.pk].choices}
    assert shares == {c2[0].pk: 0.5, c2[1].pk: 0.5, c2[2].pk: 0}


def test_practice_and_ungraded_attempts_do_not_count(small):
    quiz, q1, q2, c1, c2 = small
    _attempt(quiz, score=100, answers={q1: c1[0], q2: c2[0]}, practice=True)
    _attempt(quiz, score=100, answers={q1: c1[0], q2: c2[0]}, submitted=False)
    rows = {row.question.pk: row for row in item_analysis.quiz_item_analysis(quiz=quiz)}
    assert rows[q1.pk].attempts == 4
    assert rows[q1.pk].facility == 0.5


def test_a_preview_records_no_attempt_for_the_analysis(admin_client, small):
    quiz, q1, q2, c1, c2 = small
    response = admin_client.post(
        quiz.get_preview_url(), {f"question_{q1.pk}": c1[0].pk, f"question_{q2.pk}": c2[0].pk}
    )
    assert response.status_code in (200, 302)
    assert Attempt.objects.count() == 4
    rows = {row.question.pk: row for row in item_analysis.quiz_item_analysis(quiz=quiz)}
    assert rows[q1.pk].attempts == 4


def test_flags_too_easy_and_too_hard():
    quiz = quiz_with_questions(2)
    easy, hard = quiz.scenarios.get().questions.order_by("position")
    right_easy = easy.choices.get(is_correct=True)
    wrong_hard = hard.choices.filter(is_correct=False).first()
    for score in range(0, 100, 5):  # 20 attempts, all right on one, all wrong on the other
        _attempt(quiz, score=score, answers={easy: right_easy, hard: wrong_hard})
    rows = {row.question.pk: row for row in item_analysis.quiz_item_analysis(quiz=quiz)}
    assert rows[easy.pk].too_easy
    assert not rows[easy.pk].too_hard
    assert rows[hard.pk].too_hard
    assert not rows[hard.pk].too_easy
    # Everyone right: there is no spread to correlate with.
    assert rows[easy.pk].discrimination is None


def test_filter_by_the_learners_workplace_and_by_date():
    quiz = quiz_with_questions(1)
    question = quiz.scenarios.get().questions.get()
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    school = OrganizationFactory(kind=Workplace.SCHOOL)
    _attempt(quiz, score=100, answers={question: right}, learner=staff_of(school))
    # No organization: their profile's workplace decides.
    _attempt(quiz, score=0, answers={question: wrong}, learner=UserFactory(workplace="shelter"))
    old = timezone.now() - datetime.timedelta(days=40)
    _attempt(
        quiz, score=0, answers={question: wrong}, learner=UserFactory(workplace="school"), at=old
    )

    def facility(**filters):
        return item_analysis.quiz_item_analysis(quiz=quiz, **filters)[0].facility

    assert facility() == pytest.approx(1 / 3)
    assert facility(workplace=Workplace.SCHOOL) == 0.5
    assert facility(workplace=Workplace.SHELTER) == 0
    today = timezone.localdate()
    assert facility(since=today - datetime.timedelta(days=1)) == 0.5
    assert facility(until=today - datetime.timedelta(days=30)) == 0


def _bulk_attempts(quiz, count):
    questions = list(quiz.scenarios.get().questions.prefetch_related("choices"))
    learners = UserFactory.create_batch(1)
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            learner=learners[0],
            quiz=quiz,
            course_id=quiz.module.course_id,
            cycle=1,
            number=index + 1,
            submitted_at=now,
            score=(index * 7) % 101,
            passed=False,
        )  # fmt: skip
        for index in range(count)
    )
    answers = Answer.objects.bulk_create(
        Answer(attempt=attempt, question=question, is_correct=(attempt.pk + question.pk) % 2 == 0)
        for attempt in attempts
        for question in questions
    )
    choices = {question.pk: list(question.choices.all()) for question in questions}
    AnswerChoice.objects.bulk_create(
        AnswerChoice(answer=answer, choice=choices[answer.question_id][answer.attempt_id % 3])
        for answer in answers
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_a_fixed_number_of_queries_whatever_the_number_of_attempts(
    count, django_assert_num_queries
):
    quiz = quiz_with_questions(3)
    _bulk_attempts(quiz, count)
    with django_assert_num_queries(4):
        rows = item_analysis.quiz_item_analysis(quiz=quiz, workplace=Workplace.SCHOOL)
    assert sum(row.attempts for row in rows) == 0  # nobody here works in a school
    with django_assert_num_queries(4):
        rows = item_analysis.quiz_item_analysis(quiz=quiz)
    assert [row.attempts for row in rows] == [count] * 3


def test_the_admin_page_shows_the_figures_and_the_chart(admin_client, small):
    quiz, q1, _q2, _c1, _c2 = small
    url = f"/en/admin/quizzes/quiz/{quiz.pk}/item-analysis/"
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "<table" in page
    assert "50%" in page
    assert "-0.71" in page
    assert "Negative discrimination" in page
    change_page = admin_client.get(f"/en/admin/quizzes/quiz/{quiz.pk}/change/").content.decode()
    assert url in change_page


def test_the_admin_page_answers_bad_filters_with_a_form_error(admin_client, small):
    quiz = small[0]
    url = f"/en/admin/quizzes/quiz/{quiz.pk}/item-analysis/"
    response = admin_client.get(url, {"since": "not a date", "workplace": "moon"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = admin_client.get(url, {"since": "2026-05-02", "until": "2026-05-01"})
    assert "The start date must be before the end date." in response.content.decode()
    assert admin_client.get("/en/admin/quizzes/quiz/999999/item-analysis/").status_code == 404


def test_people_outside_the_admin_do_not_reach_the_page(client, learner, small):
    client.force_login(learner)
    response = client.get(f"/en/admin/quizzes/quiz/{small[0].pk}/item-analysis/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
