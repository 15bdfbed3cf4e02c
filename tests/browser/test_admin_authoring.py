"""The admin's content pages fit a laptop's window and pass axe, in French and English; the
issue's journey (built in the admin, refused, previewed, published, completed)."""

import pytest

from accounts.models import User
from courses.models import Course, Enrollment, LessonProgress
from quizzes.models import Attempt, Choice, Question
from tests.browser.admin_flows import (
    WINDOW,
    add_inline_item,
    admin_page_problems,
    axe_problems,
    fill_translated,
    open_admin_page,
    page_width,
)
from tests.browser.conftest import lessons_in_order, log_in
from tests.browser.flows import Mouse, enroll, log_in_as, read_every_lesson
from tests.browser.test_admin_preview import (
    preview_lesson_from_admin,
    supervisor_sees_nothing_of_the_preview,
    take_quiz_preview_from_admin,
)
from tests.browser.test_admin_publish import REFUSED
from tests.browser.test_learner_journey import pass_in_the_browser
from tests.factories import UserFactory
from tests.organizations.factories import AssignmentFactory, OrganizationFactory, supervisor_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_content_pages_fit_1280_px_and_pass_axe(new_page, course, administrator, language):
    question = (
        Question.objects.filter(scenario__quiz__module__course=course)
        .select_related("scenario__quiz__module", "lesson")
        .first()
    )
    scenario = question.scenario
    quiz = scenario.quiz
    module = quiz.module
    paths = [
        f"courses/course/{course.pk}/change/",
        f"courses/module/{module.pk}/change/",
        f"courses/lesson/{question.lesson_id}/change/",
        f"quizzes/quiz/{quiz.pk}/change/",
        f"quizzes/scenario/{scenario.pk}/change/",
        f"quizzes/question/{question.pk}/change/",
        "quizzes/question/add/",
        "quizzes/question/",
        "quizzes/scenario/",
        "courses/lesson/",
        f"curriculum/coursefile/{course.pk}/sources/",
    ]
    page = new_page(language=language, user=administrator)
    problems = [
        p
        for path in paths
        for p in admin_page_problems(page, language=language, path=path, errors=new_page.errors)
    ]
    assert not problems, "\n".join(problems)


def test_the_width_check_sees_a_page_wider_than_the_window(new_page, course, administrator):
    """The measure can fail: a 2,000 px wide box makes the page scroll sideways."""
    page = new_page(language="fr", user=administrator)
    open_admin_page(page, language="fr", path="courses/lesson/")
    page.evaluate("document.body.appendChild(document.createElement('div')).style.width = '2000px'")

    assert page_width(page) > 1280


# --- the journey: built in the admin, refused, previewed, published, completed --------


def text(language: str, words: str) -> dict[str, str]:
    return {"fr": f"{words} (fr)", "en": f"{words} (en)"}


def fill_top(page, *, field: str, values: dict[str, str]):
    """A translated field of the page's own object (not of an inline)."""
    for language, value in values.items():
        tab = page.locator(f"[role=tab][aria-controls='tab_id_{field}_{language}']")
        if tab.count():
            tab.first.click()
        page.locator(f"#id_{field}_{language}").fill(value)


def save(page):
    page.navigate(page.locator("input[name=_save]").click)
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.locator(".messagelist .success").count() == 1


def build_course_in_the_admin(page, *, language: str):
    """Course → two modules, each with a lesson (one page); module 1 → its quiz; the quiz →
    a scenario of three questions with two choices and their feedback each (one page).
    The English feedback of the last wrong choice is left empty."""
    page.goto(f"/{language}/admin/courses/course/add/")
    fill_top(page, field="title", values={"fr": "Cours d’essai", "en": "Trial course"})
    page.locator("#id_slug").fill("cours-d-essai")
    fill_top(page, field="summary", values=text(language, "Résumé"))
    for number in (1, 2):
        module = add_inline_item(page, model="courses-module")
        fill_translated(module, field="title", values=text(language, f"Module {number}"))
        fill_translated(module, field="summary", values=text(language, f"Résumé {number}"))
        lesson = add_inline_item(page, model="courses-lesson", within=module)
        fill_translated(lesson, field="title", values=text(language, f"Leçon {number}"))
        fill_translated(lesson, field="body", values=text(language, f"Texte **{number}**"))
        # The body of a lesson added on the page is previewed as the lesson page renders it.
        body = lesson.locator("[name$='-body_en']").locator(
            "xpath=ancestor::div[@data-markdown-preview][1]"
        )
        body.locator(".markdown-field__preview strong", has_text=str(number)).wait_for()
    assert not admin_page_problems_here(page)
    save(page)
    course = Course.objects.get(slug="cours-d-essai")
    assert course.modules.count() == 2
    assert not course.is_published
    first = course.modules.order_by("position", "pk").first()

    page.goto(f"/{language}/admin/courses/module/{first.pk}/change/")
    add_inline_item(page, model="quizzes-quiz")
    assert not admin_page_problems_here(page)
    save(page)
    quiz = first.quiz

    page.goto(f"/{language}/admin/quizzes/quiz/{quiz.pk}/change/")
    scenario = add_inline_item(page, model="quizzes-scenario")
    fill_translated(scenario, field="title", values=text(language, "Scénario"))
    fill_translated(scenario, field="situation", values=text(language, "Situation"))
    for number in (1, 2, 3):
        question = add_inline_item(page, model="quizzes-question", within=scenario)
        fill_translated(question, field="text", values=text(language, f"Question {number}"))
        lesson = question.locator("select[name$='-lesson']").first
        lesson.select_option(index=1)
        choices = question.locator(".djn-item.djn-dynamic-form-quizzes-choice:not(.djn-empty-form)")
        while choices.count() < 2:
            add_inline_item(page, model="quizzes-choice", within=question)
        for index in range(2):
            choice = choices.nth(index)
            fill_translated(choice, field="text", values=text(language, f"Choix {number}.{index}"))
            feedback = text(language, f"Rétroaction {number}.{index}")
            if number == 3 and index == 1:
                feedback = {"fr": feedback["fr"]}
            fill_translated(choice, field="feedback", values=feedback)
            if index == 0:
                choice.locator("input[name$='-is_correct']").check()
            else:
                choice.locator("select[name$='-level']").select_option(index=1)
    assert not admin_page_problems_here(page)
    save(page)
    assert Question.objects.filter(scenario__quiz=quiz).count() == 3
    return course, quiz


def admin_page_problems_here(page) -> list[str]:
    problems = axe_problems(page)
    width = page_width(page)
    return problems + ([f"{page.url}: {width} px wide"] if width > 1280 else [])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_administrator_builds_previews_and_publishes_a_course_a_learner_completes_it(
    new_page, transactional_db, language
):
    organization = OrganizationFactory(name="Refuge du Fleuve")
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Sup")
    admin_user = supervisor_of(organization, email="alex@example.org", full_name="Alex Admin")
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)

    page = new_page(language=language)
    page.set_viewport_size(WINDOW)
    page.set_default_timeout(30_000)
    log_in(page, language=language, email=admin_user.email)
    course, quiz = build_course_in_the_admin(page, language=language)

    # Publishing is refused while the English feedback is empty; the refusal names it.
    page.goto(f"/{language}/admin/courses/course/{course.pk}/change/")
    page.locator("#id_is_published").check()
    page.navigate(page.locator("input[name=_save]").click)
    refusal = page.locator(".translations-missing-list li")
    assert refusal.count() == 1
    assert REFUSED[language] in refusal.inner_text()
    assert not admin_page_problems_here(page)
    page.navigate(refusal.locator("a").click)
    empty = Choice.objects.get(question__scenario__quiz=quiz, feedback_en="")
    assert not admin_page_problems_here(page)
    summary_link = page.locator(".translation-status a[href*='feedback_en']").first
    summary_link.click()
    field = page.locator(summary_link.get_attribute("href"))
    assert field.is_visible()
    field.fill("Feedback 3.1 (en)")
    save(page)
    empty.refresh_from_db()
    assert empty.feedback_en == "Feedback 3.1 (en)"

    # Preview without enrolling: nothing recorded, no dashboard shows it.
    AssignmentFactory(organization=organization, learner=admin_user, course=course)
    lesson = lessons_in_order(course)[0]
    preview_lesson_from_admin(page, language=language, lesson=lesson)
    take_quiz_preview_from_admin(page, language=language, quiz=quiz, right=True)
    assert not Enrollment.objects.exists()
    assert not LessonProgress.objects.exists()
    assert not Attempt.objects.exists()

    # Published from the course page.
    page.goto(f"/{language}/admin/courses/course/{course.pk}/change/")
    page.locator("#id_is_published").check()
    save(page)
    course.refresh_from_db()
    assert course.is_published

    supervisor_page = new_page(language=language)
    log_in(supervisor_page, language=language, email=supervisor.email)
    supervisor_sees_nothing_of_the_preview(
        supervisor_page, language=language, organization=organization, email=admin_user.email
    )

    # A learner completes it: reads the lessons, passes the quiz.
    learner = UserFactory(email="camille@example.org", full_name="Camille T")
    learner_page = new_page(language=language)
    log_in_as(learner_page, Mouse(), language=language, user=learner)
    enroll(learner_page, Mouse(), language=language, course=course)
    read_every_lesson(learner_page, Mouse(), language=language, course=course, learner=learner)
    learner_page.goto(f"/{language}/courses/{course.slug}/modules/{quiz.module_id}/quiz/")
    pass_in_the_browser(learner_page, language=language, learner=learner, quiz=quiz)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None
