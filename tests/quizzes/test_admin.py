import pytest
from django.urls import reverse

from quizzes.models import Choice, Question, Scenario
from tests.factories import LessonFactory, ModuleFactory
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


def choices_as_posted(question, *, prefix):
    """A question's saved choices as its nested inline posts them."""
    choices = list(question.choices.order_by("position"))
    data = management(prefix, total=len(choices), initial=len(choices))
    for index, choice in enumerate(choices):
        data |= {
            f"{prefix}-{index}-id": choice.pk,
            f"{prefix}-{index}-question": question.pk,
            f"{prefix}-{index}-position": choice.position,
            f"{prefix}-{index}-key": choice.key,
            f"{prefix}-{index}-level": choice.level,
            f"{prefix}-{index}-text_fr": choice.text_fr,
            f"{prefix}-{index}-text_en": choice.text_en,
            f"{prefix}-{index}-feedback_fr": choice.feedback_fr,
            f"{prefix}-{index}-feedback_en": choice.feedback_en,
        }
        if choice.is_correct:
            data[f"{prefix}-{index}-is_correct"] = "on"
    return data


def management(prefix, *, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


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
        **choices_as_posted(question, prefix="questions-0-choices"),
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


def new_scenario_on_quiz_page(quiz, *, lesson=None, questions=3):
    """The quiz page's POST adding one scenario with `questions` questions, each with
    three choices (the first right) and their feedback."""
    data = {
        "module": quiz.module_id,
        "pass_mark": quiz.pass_mark,
        "shuffle_choices": "on",
        **management("scenarios", total=1),
        "scenarios-0-position": 0,
        "scenarios-0-setting": "any",
        "scenarios-0-key": "",
        "scenarios-0-title_fr": "Une arrivée tard le soir",
        "scenarios-0-title_en": "A late arrival",
        "scenarios-0-situation_fr": "Une résidente revient avec un nouveau téléphone.",
        "scenarios-0-situation_en": "A resident comes back with a new phone.",
        **management("scenarios-0-questions", total=questions),
    }
    for q in range(questions):
        prefix = f"scenarios-0-questions-{q}"
        data |= {
            f"{prefix}-position": q,
            f"{prefix}-kind": "single",
            f"{prefix}-key": "",
            f"{prefix}-text_fr": f"Que faites-vous ({q}) ?",
            f"{prefix}-text_en": f"What do you do ({q})?",
            f"{prefix}-lesson": lesson.pk if lesson else "",
            **management(f"{prefix}-choices", total=3),
        }
        for c in range(3):
            data |= {
                f"{prefix}-choices-{c}-position": c,
                f"{prefix}-choices-{c}-key": "",
                f"{prefix}-choices-{c}-level": "" if c == 0 else "wrong",
                f"{prefix}-choices-{c}-text_fr": f"Choix {q}.{c}",
                f"{prefix}-choices-{c}-text_en": f"Choice {q}.{c}",
                f"{prefix}-choices-{c}-feedback_fr": f"Parce que {q}.{c}",
                f"{prefix}-choices-{c}-feedback_en": f"Because {q}.{c}",
            }
            if c == 0:
                data[f"{prefix}-choices-{c}-is_correct"] = "on"
    return data


def test_a_scenario_with_three_questions_and_their_choices_is_written_in_one_request(
    admin_client,
):
    quiz = QuizFactory()
    lesson = LessonFactory(module=quiz.module)
    response = admin_client.post(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        new_scenario_on_quiz_page(quiz, lesson=lesson),
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get(quiz=quiz)
    questions = list(scenario.questions.order_by("position"))
    assert [q.text_en for q in questions] == [f"What do you do ({q})?" for q in range(3)]
    assert all(q.lesson == lesson for q in questions)
    for q, question in enumerate(questions):
        choices = list(question.choices.order_by("position"))
        assert [c.feedback_fr for c in choices] == [f"Parce que {q}.{c}" for c in range(3)]
        assert [c.is_correct for c in choices] == [True, False, False]


def test_a_nested_question_without_a_right_choice_refuses_the_whole_page(admin_client):
    quiz = QuizFactory()
    data = new_scenario_on_quiz_page(quiz)
    del data["scenarios-0-questions-2-choices-0-is_correct"]
    response = admin_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 200
    assert "Une question doit avoir au moins un bon choix." in response.content.decode()
    assert not Scenario.objects.exists()
    assert not Question.objects.exists()


def test_a_lesson_of_another_course_is_refused_on_the_quiz_page(admin_client):
    quiz = QuizFactory()
    elsewhere = LessonFactory()
    response = admin_client.post(
        reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
        new_scenario_on_quiz_page(quiz, lesson=elsewhere),
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Scenario.objects.exists()


def test_a_lesson_of_another_course_is_refused_on_the_question_page(admin_client):
    elsewhere = LessonFactory()
    response = add_question(admin_client, [True, False], lesson=elsewhere.pk)
    assert response.status_code == 200
    assert "Choisissez une leçon du cours de ce quiz" in response.content.decode()
    assert not Question.objects.exists()


def test_the_lesson_chooser_offers_only_the_quizs_course_and_names_its_module(admin_client):
    question = QuestionFactory()
    elsewhere = LessonFactory(title_fr="Leçon d’un autre cours")
    own = question.lesson
    page = admin_client.get(
        reverse("admin:quizzes_quiz_change", args=[question.scenario.quiz_id])
    ).content.decode()
    assert f"{own.module.course.title_fr} — {own.module.title_fr} — {own.title_fr}" in page
    assert elsewhere.title_fr not in page


def test_scenario_and_quiz_choosers_name_the_course_and_module(admin_client):
    first, second = ScenarioFactory(), ScenarioFactory()
    page = admin_client.get(reverse("admin:quizzes_question_add")).content.decode()
    for scenario in (first, second):
        module = scenario.quiz.module
        assert f"{module.course.title_fr} — {module.title_fr} — {scenario.title_fr}" in page
    page = admin_client.get(reverse("admin:quizzes_scenario_add")).content.decode()
    assert f"{first.quiz.module.course.title_fr} — {first.quiz.module.title_fr}" in page


def test_the_list_pages_show_and_filter_by_course(admin_client):
    question, other = QuestionFactory(), QuestionFactory()
    course = question.scenario.quiz.module.course
    for model, lookup in (
        ("scenario", "quiz__module__course__id__exact"),
        ("question", "scenario__quiz__module__course__id__exact"),
        ("quiz", "module__course__id__exact"),
    ):
        url = reverse(f"admin:quizzes_{model}_changelist")
        page = admin_client.get(url, {lookup: course.pk}).content.decode()
        start = page.index('id="result_list"')
        results = page[start : page.index("</table>", start)]
        assert "column-course" in results, model
        assert course.title_fr in results, model
        assert other.scenario.quiz.module.course.title_fr not in results, model


def _admin_page_queries(admin_client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(url).status_code == 200
    return len(queries.captured_queries)


def _content(size):
    """A quiz of `size` scenarios of `size` questions of three choices, in a course of
    `size` more modules of `size` lessons."""
    quiz = QuizFactory()
    lesson = LessonFactory(module=quiz.module)
    for s in range(size):
        scenario = ScenarioFactory(quiz=quiz, position=s)
        for q in range(size):
            QuestionFactory(scenario=scenario, position=q, lesson=lesson)
        module = ModuleFactory(course=quiz.module.course, position=s + 1)
        for position in range(size):
            LessonFactory(module=module, position=position)
    return quiz


@pytest.mark.parametrize(
    "page",
    ["quizzes_quiz_change", "quizzes_scenario_change", "courses_course_change"],
)
def test_a_nested_admin_page_runs_the_same_queries_whatever_its_content(admin_client, page):
    """One query per level of nesting, not per parent row (nested admin's default)."""
    counts = []
    for size in (1, 4):
        quiz = _content(size)
        scenario = quiz.scenarios.first()
        target = {
            "quizzes_quiz_change": quiz.pk,
            "quizzes_scenario_change": scenario.pk,
            "courses_course_change": quiz.module.course_id,
        }[page]
        counts.append(_admin_page_queries(admin_client, reverse(f"admin:{page}", args=[target])))
    assert counts[0] == counts[1], counts
