"""Progress counts every requirement (lessons and quizzes), says what remains, resumes at
the next thing to do, and shows the due date an organization asks for."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from courses.models import Lesson
from courses.services import lesson_mark_done
from quizzes import services as quiz_services
from tests.factories import CourseFactory, EnrollmentFactory, LessonFactory, ModuleFactory
from tests.organizations.factories import AssignmentFactory, MembershipFactory
from tests.quizzes.factories import answers_for, quiz_with_questions

pytestmark = pytest.mark.django_db


def course_with_quizzes(modules=2, lessons_per_module=2):
    """A course of `modules` modules, each with its lessons and a one-question quiz
    (quiz_with_questions adds one lesson of its own to the module)."""
    course = CourseFactory()
    for position in range(modules):
        module = ModuleFactory(course=course, position=position)
        for index in range(lessons_per_module - 1):
            LessonFactory(module=module, position=index)
        quiz_with_questions(1, module=module)
    return course


def read_everything(learner, course):
    for lesson in Lesson.objects.filter(module__course=course):
        lesson_mark_done(learner=learner, lesson=lesson)


def pass_quiz(learner, quiz):
    attempt = quiz_services.attempt_start(learner=learner, quiz=quiz)
    return quiz_services.attempt_submit(attempt=attempt, answers=answers_for(attempt))


def quizzes_of(course):
    return [module.quiz for module in course.modules.order_by("position")]


def page(client, name, **kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


# --- every requirement ---------------------------------------------------------------------


def test_lessons_done_with_quizzes_left_is_not_complete_on_my_learning(learner_client, learner):
    course = course_with_quizzes()
    EnrollmentFactory(learner=learner, course=course)
    read_everything(learner, course)
    with translation.override("en"):
        html = page(learner_client, "courses:my_learning")
        first_quiz = quizzes_of(course)[0].get_absolute_url()
    assert "4 of 6 steps done (66%)" in html
    assert '<progress max="100" value="66"' in html
    assert "Completed on" not in html
    assert "2 quizzes left" in html
    # Resume opens the first quiz, not the course page again.
    assert f'class="button" href="{first_quiz}"' in html


def test_course_page_lists_the_quizzes_left_with_links_and_resumes_at_the_first(
    learner_client, learner
):
    course = course_with_quizzes(modules=3)
    EnrollmentFactory(learner=learner, course=course)
    read_everything(learner, course)
    first, second, third = quizzes_of(course)
    pass_quiz(learner, first)
    with translation.override("en"):
        html = page(learner_client, "courses:course_detail", slug=course.slug)
        urls = [quiz.get_absolute_url() for quiz in (second, third)]
    assert "7 of 9 steps done (77%)" in html
    assert "2 quizzes left" in html
    remaining = html.split('class="remaining__list"')[1].split("</ul>")[0]
    assert [f'href="{url}"' in remaining for url in urls] == [True, True]
    assert f'href="{first.get_absolute_url()}"' not in remaining
    assert f'class="button" href="{urls[0]}"' in html
    assert "Completed on" not in html


def test_resume_follows_the_course_order_a_modules_quiz_before_the_next_modules_lessons(
    learner_client, learner
):
    course = course_with_quizzes(modules=2)
    EnrollmentFactory(learner=learner, course=course)
    first_module = course.modules.order_by("position").first()
    for lesson in first_module.lessons.all():
        lesson_mark_done(learner=learner, lesson=lesson)
    html = page(learner_client, "courses:course_detail", slug=course.slug)
    assert f'class="button" href="{first_module.quiz.get_absolute_url()}"' in html
    pass_quiz(learner, first_module.quiz)
    next_lesson = course.modules.order_by("position")[1].lessons.order_by("position").first()
    html = page(learner_client, "courses:course_detail", slug=course.slug)
    assert f'class="button" href="{next_lesson.get_absolute_url()}"' in html


def test_the_remaining_counts_use_french_plurals(learner_client, learner):
    course = course_with_quizzes(modules=2)
    EnrollmentFactory(learner=learner, course=course)
    read_everything(learner, course)
    html = page(learner_client, "courses:course_detail", slug=course.slug)
    assert "2 quiz restants" in html
    assert "4 sur 6 étapes terminées (66\u202f%)" in html
    pass_quiz(learner, quizzes_of(course)[0])
    html = page(learner_client, "courses:course_detail", slug=course.slug)
    assert "1 quiz restant" in html
    assert "1 quiz restants" not in html


def test_a_course_with_everything_done_reads_complete_and_links_to_the_completion_page(
    learner_client, learner
):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    read_everything(learner, course)
    pass_quiz(learner, quizzes_of(course)[0])
    completed = reverse("courses:course_completed", kwargs={"slug": course.slug})
    for name, kwargs in [
        ("courses:my_learning", {}),
        ("courses:course_detail", {"slug": course.slug}),
    ]:
        html = page(learner_client, name, **kwargs)
        assert "3 étapes sur 3 terminées" not in html  # French: the plural form
        assert "3 sur 3 étapes terminées (100\u202f%)" in html
        assert f'href="{completed}"' in html
        assert "Reprendre" not in html


def test_my_learning_sends_a_course_not_started_to_its_page_for_the_content_note(
    learner_client, learner
):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    html = page(learner_client, "courses:my_learning")
    assert f'class="button" href="{course.get_absolute_url()}"' in html
    assert "0 sur 3 étapes terminées (0\u202f%)" in html


# --- due dates -------------------------------------------------------------------------------


def assigned(learner, course, due_on, organization=None):
    membership = MembershipFactory(
        user=learner, **({"organization": organization} if organization else {})
    )
    AssignmentFactory(
        organization=membership.organization, learner=learner, course=course, due_on=due_on
    )
    return membership


def test_the_earliest_due_date_of_the_organizations_shows_on_my_learning_and_the_course_page(
    learner_client, learner
):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    today = timezone.localdate()
    assigned(learner, course, today + datetime.timedelta(days=30))
    assigned(learner, course, today + datetime.timedelta(days=10))
    assigned(learner, course, None)
    with translation.override("en"):
        expected = "To finish by {}.".format(_date(today + datetime.timedelta(days=10), "en"))
        for name, kwargs in [
            ("courses:my_learning", {}),
            ("courses:course_detail", {"slug": course.slug}),
        ]:
            html = page(learner_client, name, **kwargs)
            assert expected in html
            assert _date(today + datetime.timedelta(days=30), "en") not in html


def test_a_passed_due_date_is_worded_kindly_and_disappears_once_complete(learner_client, learner):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assigned(learner, course, yesterday)
    html = page(learner_client, "courses:course_detail", slug=course.slug)
    assert (
        f"La date prévue était le {_date(yesterday, 'fr')}\u00a0: vous pouvez encore terminer."
        in (html)
    )
    with translation.override("en"):
        html = page(learner_client, "courses:my_learning")
    assert f"Due date passed on {_date(yesterday, 'en')}: you can still finish it." in html
    read_everything(learner, course)
    pass_quiz(learner, quizzes_of(course)[0])
    html = page(learner_client, "courses:my_learning")
    assert "La date prévue" not in html
    assert "À terminer" not in html


def test_the_due_date_of_an_organization_the_learner_left_is_not_shown(learner_client, learner):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    membership = assigned(learner, course, timezone.localdate() + datetime.timedelta(days=5))
    membership.delete()  # the assignment stays behind, as after a removal done by hand
    assert "À terminer" not in page(learner_client, "courses:my_learning")


def test_another_learners_due_date_is_not_shown(learner_client, learner):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    other = EnrollmentFactory(course=course).learner
    assigned(other, course, timezone.localdate() + datetime.timedelta(days=5))
    assert "À terminer" not in page(learner_client, "courses:my_learning")


def _date(day, language):
    from accounts.dates import date_format

    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


# --- query budget ----------------------------------------------------------------------------


def _my_learning_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("courses:my_learning")).status_code == 200
    return len(queries)


def test_my_learning_runs_the_same_number_of_queries_for_1_and_many_courses(
    learner_client, learner, django_assert_num_queries
):
    def one_more_course(index):
        course = course_with_quizzes(modules=2)
        EnrollmentFactory(learner=learner, course=course)
        lesson_mark_done(learner=learner, lesson=course.modules.first().lessons.first())
        pass_quiz(learner, quizzes_of(course)[0]) if index % 2 else None
        assigned(learner, course, timezone.localdate() + datetime.timedelta(days=index))

    one_more_course(0)
    one = _my_learning_queries(learner_client)
    for index in range(1, 6):
        one_more_course(index)
    with django_assert_num_queries(one):
        html = learner_client.get(reverse("courses:my_learning")).content.decode()
    assert html.count('class="card"') == 6


def test_the_course_page_runs_the_same_number_of_queries_for_2_and_6_modules_with_quizzes(
    learner_client, learner, django_assert_num_queries
):
    def course_page_queries(modules):
        course = course_with_quizzes(modules=modules)
        EnrollmentFactory(learner=learner, course=course)
        read_everything(learner, course)
        pass_quiz(learner, quizzes_of(course)[0])
        assigned(learner, course, timezone.localdate())
        with CaptureQueriesContext(connection) as queries:
            assert learner_client.get(course.get_absolute_url()).status_code == 200
        return len(queries), course

    small, _course = course_page_queries(2)  # one module: passing its quiz completes it
    large, course = course_page_queries(6)
    assert small == large
    with django_assert_num_queries(large):
        learner_client.get(course.get_absolute_url())


def test_a_passed_results_next_step_runs_the_same_number_of_queries_for_1_and_5_modules(
    learner_client, learner
):
    def result_queries(modules):
        course = course_with_quizzes(modules=modules)
        EnrollmentFactory(learner=learner, course=course)
        attempt = pass_quiz(learner, quizzes_of(course)[0])
        url = reverse("quizzes:attempt_result", kwargs={"attempt_id": attempt.pk})
        with CaptureQueriesContext(connection) as queries:
            html = learner_client.get(url).content.decode()
        assert "La suite" in html
        return len(queries)

    assert result_queries(1) == result_queries(5)


def test_marking_the_last_requirement_a_lesson_leads_to_the_completion_page(
    learner_client, learner
):
    course = course_with_quizzes(modules=1)
    EnrollmentFactory(learner=learner, course=course)
    first, last = Lesson.objects.filter(module__course=course).order_by("position", "pk")
    lesson_mark_done(learner=learner, lesson=first)
    pass_quiz(learner, quizzes_of(course)[0])
    response = learner_client.post(
        reverse("courses:lesson_mark_done", kwargs={"slug": course.slug, "lesson_id": last.pk})
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:course_completed", kwargs={"slug": course.slug})
