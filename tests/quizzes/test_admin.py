import pytest
from django.urls import reverse

from quizzes.models import Choice, Question
from tests.quizzes.factories import (
    AnswerChoiceFactory,
    QuestionFactory,
    QuizFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db


def question_form(question, choices, **overrides):
    """The Question admin's POST: the question's fields and its choice inline."""
    data = {
        "scenario": question.scenario_id,
        "key": question.key,
        "position": question.position,
        "kind": question.kind,
        "text_fr": question.text_fr,
        "text_en": question.text_en,
        "lesson": question.lesson_id or "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, is_correct in enumerate(choices):
        prefix = f"choices-{index}-"
        data |= {
            f"{prefix}position": index,
            f"{prefix}key": f"c{index}",
            f"{prefix}text_fr": f"Choix {index}",
            f"{prefix}text_en": f"Choice {index}",
            f"{prefix}feedback_fr": f"Pourquoi {index}",
            f"{prefix}feedback_en": f"Why {index}",
        }
        if is_correct:
            data[f"{prefix}is_correct"] = "on"
    data.update(overrides)
    return data


def add_question(admin_client, choices, **overrides):
    question = QuestionFactory.build(scenario=ScenarioFactory(), lesson=None, key="q-new")
    return admin_client.post(
        reverse("admin:quizzes_question_add"), question_form(question, choices, **overrides)
    )


def test_a_question_without_a_correct_choice_cannot_be_saved(admin_client):
    response = add_question(admin_client, [False, False, False])
    assert response.status_code == 200
    assert "Une question doit avoir au moins un bon choix." in response.content.decode()
    assert not Question.objects.exists()
    assert not Choice.objects.exists()


def test_a_single_answer_question_with_two_correct_choices_cannot_be_saved(admin_client):
    response = add_question(admin_client, [True, True, False])
    assert response.status_code == 200
    page = response.content.decode()
    assert "doit avoir exactement un bon choix\u00a0: celle-ci en a 2" in page
    assert not Question.objects.exists()


def test_a_question_with_fewer_than_two_choices_cannot_be_saved(admin_client):
    response = add_question(admin_client, [True])
    assert "au moins deux choix" in response.content.decode()
    assert not Question.objects.exists()


def test_a_select_all_question_may_have_several_correct_choices(admin_client):
    response = add_question(admin_client, [True, True, False], kind="multiple")
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.choices.filter(is_correct=True).count() == 2


def test_a_valid_single_answer_question_is_saved_with_its_choices(admin_client):
    response = add_question(admin_client, [False, True, False])
    assert response.status_code == 302
    assert Question.objects.get().choices.count() == 3


def test_deleting_the_only_correct_choice_is_refused(admin_client):
    question = QuestionFactory(choices=[True, False, False])
    choices = list(question.choices.order_by("position"))
    data = question_form(question, [True, False, False])
    data["choices-INITIAL_FORMS"] = 3
    for index, choice in enumerate(choices):
        data[f"choices-{index}-id"] = choice.pk
        data[f"choices-{index}-question"] = question.pk
    data["choices-0-DELETE"] = "on"
    response = admin_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "au moins un bon choix" in response.content.decode()
    assert question.choices.count() == 3


def test_making_a_question_single_on_the_scenario_page_is_checked_against_its_choices(
    admin_client,
):
    question = QuestionFactory(kind="multiple", choices=[True, True, False])
    scenario = question.scenario
    data = {
        "quiz": scenario.quiz_id,
        "key": scenario.key,
        "position": scenario.position,
        "setting": scenario.setting,
        "title_fr": scenario.title_fr,
        "title_en": scenario.title_en,
        "situation_fr": scenario.situation_fr,
        "situation_en": scenario.situation_en,
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 1,
        "questions-MIN_NUM_FORMS": 0,
        "questions-MAX_NUM_FORMS": 1000,
        "questions-0-id": question.pk,
        "questions-0-scenario": scenario.pk,
        "questions-0-position": 0,
        "questions-0-kind": "single",
        "questions-0-text_fr": question.text_fr,
        "questions-0-text_en": question.text_en,
        "questions-0-key": question.key,
        "questions-0-lesson": question.lesson_id,
    }
    url = reverse("admin:quizzes_scenario_change", args=[scenario.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "celle-ci en a 2" in response.content.decode()
    question.refresh_from_db()
    assert question.kind == "multiple"
    data["questions-0-kind"] = "multiple"
    assert admin_client.post(url, data).status_code == 302


def test_admin_pages_show_translation_tabs_and_inlines(admin_client):
    question = QuestionFactory()
    quiz = question.scenario.quiz
    pages = [
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        reverse("admin:quizzes_scenario_change", args=[question.scenario_id]),
        reverse("admin:quizzes_question_change", args=[question.pk]),
    ]
    for url in pages:
        response = admin_client.get(url)
        page = response.content.decode()
        assert response.status_code == 200, url
        assert "tabbed_translation_fields.js" in page, url
    assert 'name="scenarios-0-title_en"' in admin_client.get(pages[0]).content.decode()
    assert 'name="questions-0-text_fr"' in admin_client.get(pages[1]).content.decode()
    assert 'name="choices-0-feedback_en"' in admin_client.get(pages[2]).content.decode()


def test_admin_lists_load(admin_client):
    AnswerChoiceFactory()
    QuizFactory()
    for model in ("quiz", "scenario", "question", "attempt"):
        response = admin_client.get(reverse(f"admin:quizzes_{model}_changelist"))
        assert response.status_code == 200, model
