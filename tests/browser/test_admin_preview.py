"""An administrator previews a lesson of a draft course and takes its quiz, from the
admin's "View on site", without enrolling; the lesson body's Markdown preview follows the
text; then the supervisors' dashboard shows nothing of it. In French and in English.

The steps are functions of their own, so that a longer journey (the admin builds the
course, previews it, publishes it) can chain them with other steps.
"""

import pytest

from accounts.models import User
from courses.models import Enrollment, LessonProgress
from courses.services import course_set_published
from quizzes.models import Attempt, Question
from tests.browser.admin_flows import assert_axe_clean
from tests.browser.conftest import LANGUAGES, lessons_in_order, log_in, t
from tests.browser.test_supervisor_flow import dashboard_progress
from tests.factories import CourseFactory, ModuleFactory
from tests.organizations.factories import AssignmentFactory, OrganizationFactory, supervisor_of
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.browser


def assert_preview_banner(page, language: str) -> None:
    banner = page.locator("main .preview-banner")
    assert t(language, "Preview — nothing is recorded") in banner.inner_text()


def preview_lesson_from_admin(page, *, language: str, lesson) -> None:
    """From the lesson's admin page, "View on site" opens the lesson as a learner reads
    it, with the preview banner and no "Mark as done"; axe finds nothing serious."""
    page.goto(f"/{language}/admin/courses/lesson/{lesson.pk}/change/")
    page.navigate(page.locator("a.viewsitelink").click)
    assert page.url.endswith(lesson.get_preview_url().split("/", 2)[2])
    assert_preview_banner(page, language)
    title = getattr(lesson, f"title_{language}") or lesson.title_fr
    assert page.locator("main h1").inner_text() == title
    assert page.get_by_role("button", name=t(language, "Mark as done")).count() == 0
    assert_axe_clean(page)


def see_the_body_preview_follow_the_text(page, *, language: str, lesson) -> None:
    """On the lesson's admin page, the body's rendering follows what is typed, sanitised."""
    page.goto(f"/{language}/admin/courses/lesson/{lesson.pk}/change/")
    tab = page.locator(f"[role=tab][aria-controls='tab_id_body_{language}']")
    tab.click()
    field = page.locator(f"#id_body_{language}")
    field.fill("Un **signe** <script>alert(1)</script>")
    container = field.locator("xpath=ancestor::div[@data-markdown-preview][1]")
    container.get_by_role("button", name=t(language, "Preview")).click()
    # The saved body's rendering is there from the start; the new one replaces it.
    container.locator(".markdown-field__preview strong", has_text="signe").wait_for()
    assert container.locator(".markdown-field__preview script").count() == 0


def take_quiz_preview_from_admin(page, *, language: str, quiz, right: bool = True) -> None:
    """From the quiz's admin page, "View on site" opens the quiz as a learner takes it;
    the answers are graded and shown like a real result, with the banner."""
    page.goto(f"/{language}/admin/quizzes/quiz/{quiz.pk}/change/")
    page.navigate(page.locator("a.viewsitelink").click)
    assert_preview_banner(page, language)
    assert_axe_clean(page)
    questions = Question.objects.filter(scenario__quiz=quiz).prefetch_related("choices")
    for question in questions:
        for choice in question.choices.all():
            if choice.is_correct == right:
                page.locator(f"input[name=question_{question.pk}][value='{choice.pk}']").check()
                break
    submit = page.get_by_role("button", name=t(language, "Submit my answers"))
    page.navigate(submit.click)
    assert_preview_banner(page, language)
    outcome = page.locator("main .notice--success" if right else "main .notice--warn").first
    assert ("réussi" if language == "fr" else "passed") in outcome.inner_text()
    assert page.locator("main .result-choice__feedback").count() >= questions.count()
    assert_axe_clean(page)


def supervisor_sees_nothing_of_the_preview(page, *, language: str, organization, email) -> None:
    """The supervisor's dashboard: the administrator, assigned the course, has done nothing."""
    page.goto(f"/{language}/organizations/{organization.pk}/")
    assert dashboard_progress(page, language, email) == "0"
    row = page.locator("main table.data tbody tr").filter(has_text=email)
    assert t(language, "Not started") in row.inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_administrator_previews_a_draft_course_and_no_dashboard_shows_it(
    new_page, transactional_db, language
):
    organization = OrganizationFactory(name="Refuge du Fleuve")
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Superviseur")
    admin = supervisor_of(organization, email="alex@example.org", full_name="Alex Admin")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    course = CourseFactory(is_published=False, lessons=3)
    quiz = quiz_with_questions(3, module=course.modules.get())
    AssignmentFactory(organization=organization, learner=admin, course=course)
    ModuleFactory(course=course, position=9)  # a module without a quiz does not matter

    page = new_page(language=language)
    log_in(page, language=language, email=admin.email)
    lesson = lessons_in_order(course)[0]
    preview_lesson_from_admin(page, language=language, lesson=lesson)
    see_the_body_preview_follow_the_text(page, language=language, lesson=lesson)
    take_quiz_preview_from_admin(page, language=language, quiz=quiz, right=False)
    take_quiz_preview_from_admin(page, language=language, quiz=quiz, right=True)

    assert not Enrollment.objects.exists()
    assert not LessonProgress.objects.exists()
    assert not Attempt.objects.exists()
    course_set_published(course=course, published=True)
    supervisor_page = new_page(language=language)
    log_in(supervisor_page, language=language, email=supervisor.email)
    supervisor_sees_nothing_of_the_preview(
        supervisor_page, language=language, organization=organization, email=admin.email
    )
