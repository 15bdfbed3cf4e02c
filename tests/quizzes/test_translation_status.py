"""A course is not published while its quizzes miss a translation: the refusal names what
is missing with a link to where it is filled; the count of queries does not grow."""

import pytest
from django.urls import reverse

from courses import services, translation_status
from courses.models import Course
from tests.courses.test_admin import course_form
from tests.factories import CourseFactory, ModuleFactory
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory, ScenarioFactory

pytestmark = pytest.mark.django_db


def course_with_quiz(questions=1):
    course = CourseFactory(is_published=False, lessons=1)
    quiz = QuizFactory(module=course.modules.get())
    scenario = ScenarioFactory(quiz=quiz)
    return course, [QuestionFactory(scenario=scenario) for _ in range(questions)]


def test_a_french_only_question_blocks_publishing_and_is_named_with_a_link(admin_client):
    course, (question,) = course_with_quiz()
    question.text_fr, question.text_en = "Que faites-vous ?", ""
    question.save()
    url = reverse("admin:courses_course_change", args=[course.pk])
    response = admin_client.post(url, course_form(course, is_published="on"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Que faites-vous ?" in page
    assert "vide en anglais" in page
    assert f'href="{reverse("admin:quizzes_question_change", args=[question.pk])}"' in page
    course.refresh_from_db()
    assert course.is_published is False

    question.text_en = "What do you do?"
    question.save()
    assert admin_client.post(url, course_form(course, is_published="on")).status_code == 302
    course.refresh_from_db()
    assert course.is_published is True


def test_the_publish_action_lists_an_empty_feedback_with_a_link_to_its_question(admin_client):
    course, (question,) = course_with_quiz()
    choice = question.choices.first()
    choice.feedback_en = ""
    choice.save()
    response = admin_client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "publish", "_selected_action": [course.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "“rétroaction” est vide en anglais" in page or "vide en anglais" in page
    assert f'href="{reverse("admin:quizzes_question_change", args=[question.pk])}"' in page
    course.refresh_from_db()
    assert course.is_published is False


def test_the_service_refuses_a_scenario_without_english_and_lists_it():
    course, _questions = course_with_quiz()
    scenario = course.modules.get().quiz.scenarios.get()
    scenario.situation_en = ""
    scenario.save()
    with pytest.raises(services.TranslationsMissing) as refused:
        services.course_set_published(course=course, published=True)
    assert [(gap.instance, gap.field, gap.language) for gap in refused.value.gaps] == [
        (scenario, "situation", "en")
    ]
    assert not Course.objects.get(pk=course.pk).is_published


def test_an_optional_field_empty_in_both_languages_blocks_nothing_but_in_one_does():
    course, _questions = course_with_quiz()
    module = course.modules.get()
    assert translation_status.course_missing_translations(course=course) == []
    module.summary_fr = "Un résumé."
    module.save()
    gaps = translation_status.course_missing_translations(course=course)
    assert [(gap.instance, gap.field, gap.language) for gap in gaps] == [(module, "summary", "en")]


def test_missing_translations_take_a_fixed_number_of_queries(django_assert_num_queries):
    small, _questions = course_with_quiz(questions=1)
    big, questions = course_with_quiz(questions=4)
    ModuleFactory(course=big, title_en="")
    for question in questions:
        ChoiceFactory(question=question, text_en="", feedback_en="")
    # modules, lessons, scenarios, questions, choices, knowledge check items and choices
    with django_assert_num_queries(7):
        assert translation_status.course_missing_translations(course=small) == []
    with django_assert_num_queries(7):
        gaps = translation_status.course_missing_translations(course=big)
    assert len(gaps) == 1 + 4 * 2
