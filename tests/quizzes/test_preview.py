"""An administrator takes any quiz, draft or published, as a learner would, in either
language and without enrolling: the answers are graded in memory and shown like a real
result, and nothing is recorded anywhere a dashboard, a completion or a certificate reads."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from accounts.models import OutgoingEmail, User
from accounts.workplaces import Workplace
from certificates.models import Certificate
from courses.models import Enrollment, LessonProgress
from organizations.models import Assignment
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptQuestion, Question, Setting
from supervision.selectors.dashboard import dashboard_rows
from supervision.selectors.statuses import Status
from tests.factories import CourseFactory, ModuleFactory, UserFactory
from tests.organizations.factories import AssignmentFactory, staff_of
from tests.quizzes.factories import QuestionFactory, ScenarioFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

RECORDS = (
    Enrollment,
    LessonProgress,
    Attempt,
    AttemptQuestion,
    Answer,
    AnswerChoice,
    Certificate,
    OutgoingEmail,
)


def record_counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


def draft_quiz(count=3, **quiz):
    course = CourseFactory(is_published=False)
    return quiz_with_questions(count, module=ModuleFactory(course=course), **quiz)


def preview_url(quiz, language="fr", query=""):
    with translation.override(language):
        return quiz.get_preview_url() + query


def answers(quiz, *, right=True):
    data = {}
    for question in Question.objects.filter(scenario__quiz=quiz).prefetch_related("choices"):
        choices = list(question.choices.all())
        picked = [c for c in choices if c.is_correct == right]
        data[f"question_{question.pk}"] = [c.pk for c in picked[:1]]
    return data


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("language", "banner", "submit", "passed"),
    [
        ("fr", "Aperçu — rien n’est enregistré", "Soumettre mes réponses", "Vous avez réussi"),
        ("en", "Preview — nothing is recorded", "Submit my answers", "You passed"),
    ],
)
def test_an_administrator_takes_a_draft_quiz_in_either_language_without_enrolling(
    admin_client, language, banner, submit, passed
):
    quiz = draft_quiz()
    url = preview_url(quiz, language)
    page = admin_client.get(url).content.decode()
    assert banner in page
    assert submit in page
    question = Question.objects.filter(scenario__quiz=quiz).first()
    assert (question.text_fr if language == "fr" else question.text_en) in page
    assert f'action="{url}"' in page

    response = admin_client.post(url, answers(quiz))

    assert response.status_code == 200
    result = response.content.decode()
    assert banner in result
    assert passed in result
    feedback = question.choices.first()
    assert (feedback.feedback_fr if language == "fr" else feedback.feedback_en) in result


def test_wrong_answers_show_what_to_review_with_lessons_inside_the_preview(admin_client):
    quiz = draft_quiz()
    lesson = Question.objects.filter(scenario__quiz=quiz).first().lesson
    result = admin_client.post(preview_url(quiz, "en"), answers(quiz, right=False))
    page = result.content.decode()
    assert "Not passed yet: your score is 0%" in page
    assert f'href="{lesson.get_preview_url()}"' in page
    assert lesson.get_absolute_url() not in page
    # "Try again" goes back to the preview, not to a learner's attempt.
    assert (
        reverse(
            "quizzes:quiz_start",
            kwargs={"slug": quiz.module.course.slug, "module_id": quiz.module_id},
        )
        not in page
    )
    assert f'href="{preview_url(quiz, "en")}"' in page


def test_previewing_a_quiz_records_nothing(admin_client):
    quiz = draft_quiz()
    url = preview_url(quiz)
    before = record_counts()
    admin_client.get(url)
    admin_client.post(url, answers(quiz))
    admin_client.post(url, answers(quiz, right=False))
    admin_client.post(url, {})  # refused: nothing answered
    assert record_counts() == before


def test_a_passed_preview_of_every_quiz_reaches_no_dashboard_completion_or_certificate(
    client, org, supervisor
):
    """An administrator who is also staff of an organization, assigned the course,
    previews its every lesson and passes its only quiz: the supervisors' dashboard still
    says "Not started", and no completion or certificate exists."""
    admin = staff_of(org, is_staff=True, is_superuser=True)
    quiz = draft_quiz()
    course = quiz.module.course
    course.is_published = True  # what the dashboard counts is a published course's
    course.save()
    AssignmentFactory(organization=org, learner=admin, course=course)
    client.force_login(admin)
    for lesson in quiz.module.lessons.all():
        assert client.get(lesson.get_preview_url()).status_code == 200
    assert "Vous avez réussi" in client.post(preview_url(quiz), answers(quiz)).content.decode()

    (row,) = dashboard_rows(organization=org, course=course)
    assert row["status_rank"] == Status.rank(Status.NOT_STARTED)
    assert row["completed_at"] is None
    assert not Certificate.objects.exists()
    assert not Enrollment.objects.filter(learner=admin).exists()
    assert Assignment.objects.filter(learner=admin).count() == 1


def test_a_refused_preview_shows_its_errors_in_the_readers_language(admin_client):
    quiz = draft_quiz()
    response = admin_client.post(preview_url(quiz, "en"), {})
    assert response.status_code == 200
    assert "Answer this question." in response.content.decode()
    response = admin_client.post(preview_url(quiz, "fr"), {"question_999999": ["1"]})
    assert response.status_code == 200
    assert "Répondez à cette question." in response.content.decode()


def test_a_choice_of_another_question_is_refused_not_graded(admin_client):
    quiz = draft_quiz(2)
    first, second = Question.objects.filter(scenario__quiz=quiz)
    data = {
        f"question_{first.pk}": [second.choices.first().pk],
        **{f"question_{second.pk}": [second.choices.first().pk]},
    }
    page = admin_client.post(preview_url(quiz, "en"), data).content.decode()
    assert "That choice is not one of this question’s choices." in page
    assert "You passed" not in page


def test_the_workplace_chosen_gives_a_learner_of_that_workplace_their_situation(admin_client):
    quiz = draft_quiz(1)
    school = ScenarioFactory(quiz=quiz, setting=Setting.SCHOOL, title_en="At school")
    QuestionFactory(scenario=school)
    shelter = ScenarioFactory(quiz=quiz, setting=Setting.SHELTER, title_en="At the shelter")
    QuestionFactory(scenario=shelter)

    school_page = admin_client.get(preview_url(quiz, "en", "?workplace=school&attempt=1"))
    assert "At school" in school_page.content.decode()
    assert "At the shelter" not in school_page.content.decode()
    shelter_page = admin_client.get(preview_url(quiz, "en", "?workplace=shelter&attempt=1"))
    assert "At the shelter" in shelter_page.content.decode()
    # The answers are graded against the questions of the workplace in the address.
    data = answers(quiz)
    shelter_only = {k: v for k, v in data.items() if k != f"question_{school.questions.get().pk}"}
    result = admin_client.post(
        preview_url(quiz, "en", "?workplace=shelter&attempt=1"), shelter_only
    )
    assert "You passed" in result.content.decode()


def test_the_language_switcher_keeps_the_workplace_of_the_preview(admin_client):
    quiz = draft_quiz()
    page = admin_client.get(preview_url(quiz, "fr", "?workplace=school&attempt=2")).content.decode()
    assert f'href="{preview_url(quiz, "en", "?workplace=school&amp;attempt=2")}"' in page


def test_bad_preview_settings_are_told_and_the_default_quiz_shown(admin_client):
    quiz = draft_quiz()
    response = admin_client.get(preview_url(quiz, "en", "?workplace=castle&attempt=-4"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "These settings could not be used" in page
    assert "Submit my answers" in page


def test_a_quiz_without_questions_for_the_workplace_says_so(admin_client):
    quiz = draft_quiz(0)
    page = admin_client.get(preview_url(quiz, "en")).content.decode()
    assert "would get no question" in page
    assert "Submit my answers" not in page


@pytest.mark.parametrize("published", [True, False])
def test_learners_and_anonymous_visitors_get_a_404_on_a_quiz_preview(client, published):
    quiz = quiz_with_questions(
        2, module=ModuleFactory(course=CourseFactory(is_published=published))
    )
    url = preview_url(quiz)
    assert client.get(url).status_code == 404
    assert client.post(url, answers(quiz)).status_code == 404
    client.force_login(UserFactory(workplace=Workplace.SCHOOL))
    assert client.get(url).status_code == 404
    assert client.post(url, answers(quiz)).status_code == 404


def test_a_learner_still_cannot_see_a_draft_courses_quiz(learner_client):
    quiz = draft_quiz()
    assert learner_client.get(quiz.get_absolute_url()).status_code == 404


def test_staff_need_the_quiz_view_or_change_permission(client):
    quiz = draft_quiz()
    url = preview_url(quiz)
    client.force_login(staff_with("view_lesson", "view_course"))
    assert client.get(url).status_code == 404
    client.force_login(staff_with("view_quiz"))
    assert client.get(url).status_code == 200
    client.force_login(staff_with("change_quiz"))
    assert client.get(url).status_code == 200


def test_a_module_of_another_course_is_a_404(admin_client):
    quiz = draft_quiz()
    other = draft_quiz()
    url = reverse(
        "quizzes:quiz_preview",
        kwargs={"slug": quiz.module.course.slug, "module_id": other.module_id},
    )
    assert admin_client.get(url).status_code == 404


def test_view_on_site_of_a_quiz_opens_its_preview(admin_client):
    quiz = draft_quiz()
    page = admin_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert f'href="{quiz.get_preview_url()}"' in page


# The session, the user, the course, the quiz with its module, the administrator's
# workplace (their organization's kind), the questions with their scenario and lesson,
# their choices; and for a workplace with situations of its own, which are its. Whatever
# the number of questions.
QUIZ_PREVIEW_QUERIES = {"": 7, "?workplace=school&attempt=2": 8}


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("query", list(QUIZ_PREVIEW_QUERIES))
def test_the_quiz_preview_and_its_result_run_a_fixed_number_of_queries(
    admin_client, count, query, django_assert_num_queries
):
    quiz = draft_quiz(count)
    url = preview_url(quiz, query=query)
    data = answers(quiz)
    admin_client.get(url)
    with django_assert_num_queries(QUIZ_PREVIEW_QUERIES[query]):
        admin_client.get(url)
    with django_assert_num_queries(QUIZ_PREVIEW_QUERIES[query]):
        assert admin_client.post(url, data).status_code == 200
