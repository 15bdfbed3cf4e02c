"""Steps of the learner's journey, shared by the mouse, keyboard and no-JavaScript flows.

Each step takes a `Driver` (how the person acts: mouse, keyboard) so that a flow is written
once. The quiz and certificate steps are appended here when those apps exist.
"""

from dataclasses import dataclass

from django.utils import translation

from courses import hooks
from courses.models import Enrollment, LessonProgress
from tests.browser.conftest import lessons_in_order, log_in, t

MAX_TABS = 80


@dataclass
class Mouse:
    """Acts with clicks (a mouse or a finger)."""

    def activate(self, page, locator) -> None:
        page.navigate(locator.click)


@dataclass
class Keyboard:
    """Acts with the keyboard alone: Tab until the control has the focus, then Enter."""

    def activate(self, page, locator) -> None:
        focus(page, locator)
        page.navigate(lambda: page.keyboard.press("Enter"))


def focus(page, locator) -> None:
    """Tab to the control, proving it can be reached by keyboard and shows where the focus is."""
    target = locator.first.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate(
                "element => getComputedStyle(element).outlineStyle + ' ' "
                "+ getComputedStyle(element).outlineWidth"
            )
            assert not outline.startswith("none"), f"no visible focus on {locator}: {outline}"
            return
    raise AssertionError(f"{locator} cannot be reached with Tab within {MAX_TABS} presses")


def heading(page) -> str:
    return page.locator("main h1").inner_text().strip()


def progress_text(language: str, done: int, total: int) -> str:
    """The progress bar's words (templates/includes/progress_bar.html), counted by `done`."""
    pct = round(100 * done / total) if total else 0
    msgid = (
        "%(done)s of 1 lesson (%(pct)s%%)"
        if total == 1
        else "%(done)s of %(total)s lessons (%(pct)s%%)"
    )
    with translation.override(language):
        text = translation.ngettext(msgid, msgid, done)
    return text % {"done": done, "total": total, "pct": pct}


def steps_text(language: str, done: int, total: int) -> str:
    """What My learning and the course page say of the progress: every requirement
    (lessons and quizzes), rounded down."""
    msgid, plural = (
        "%(done)s of %(total)s step done (%(pct)s%%)",
        "%(done)s of %(total)s steps done (%(pct)s%%)",
    )
    with translation.override(language):
        text = translation.ngettext(msgid, plural, total)
    return text % {"done": done, "total": total, "pct": done * 100 // total if total else 0}


def step_count(course) -> int:
    """Every requirement of the course: its lessons, and each module's quiz."""
    from quizzes.models import Quiz

    quizzes = Quiz.objects.filter(module__course=course).count()
    return len(lessons_in_order(course)) + quizzes


def completed_prefix(language: str) -> str:
    return t(language, "Completed on %(date)s.").split("%(date)s")[0].strip()


def log_in_as(page, driver, *, language: str, user) -> None:
    if isinstance(driver, Keyboard):
        from tests.factories import PASSWORD

        page.goto(f"/{language}/accounts/login/")
        focus(page, page.locator("input[name=username]"))
        page.keyboard.type(user.email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.navigate(lambda: page.keyboard.press("Enter"))
    else:
        log_in(page, language=language, email=user.email)
    assert heading(page) == t(language, "My learning"), "login did not reach My learning"


def enroll(page, driver, *, language: str, course) -> None:
    page.goto(f"/{language}/courses/")
    title = getattr(course, f"title_{language}") or course.title_fr
    driver.activate(page, page.locator("main").get_by_role("link", name=title))
    assert heading(page) == title
    driver.activate(
        page, page.locator("main").get_by_role("button", name=t(language, "Enroll in this course"))
    )
    assert Enrollment.objects.filter(course=course).count() == 1
    assert steps_text(language, 0, step_count(course)) in page.locator("main").inner_text()


def read_every_lesson(page, driver, *, language: str, course, learner) -> None:
    """Start, then read each lesson and mark it as done; the button leads to the next one."""
    lessons = lessons_in_order(course)
    driver.activate(page, page.locator("main").get_by_role("link", name=t(language, "Start")))
    for index, lesson in enumerate(lessons):
        title = getattr(lesson, f"title_{language}") or lesson.title_fr
        if heading(page) != title and "/quiz/" in page.url:
            # Finishing a module leads to its quiz (quizzes app). The quiz flow takes it;
            # this one goes back to the course by the breadcrumb and opens the next lesson
            # from the module list (Resume would lead to the quiz, the next thing to do).
            driver.activate(page, page.locator("main .breadcrumb a").first)
            driver.activate(
                page, page.locator("main .lessons").get_by_role("link", name=title, exact=True)
            )
        assert heading(page) == title, f"lesson {index + 1} is not the expected one"
        assert progress_text(language, index, len(lessons)) in page.locator("main").inner_text()
        driver.activate(
            page, page.locator("main").get_by_role("button", name=t(language, "Mark as done"))
        )
    assert LessonProgress.objects.filter(learner=learner).count() == len(lessons)


def see_progress_and_completion(page, *, language: str, course, learner) -> None:
    """The course page and My learning show every lesson done and, if reading is all the
    course asks, the completion. Once another app registers a completion requirement
    (quizzes), reading alone must NOT complete it: the quiz steps then finish the flow."""
    total = len(lessons_in_order(course))
    steps = step_count(course)
    page.goto(f"/{language}/courses/{course.slug}/")
    main = page.locator("main").inner_text()
    assert steps_text(language, total, steps) in main
    enrollment = Enrollment.objects.get(learner=learner, course=course)
    reading_completes = not list(hooks.completion_requirements)
    if reading_completes:
        assert enrollment.completed_at is not None
        assert completed_prefix(language) in main
    else:
        assert enrollment.completed_at is None
        assert completed_prefix(language) not in main
    page.goto(f"/{language}/learning/")
    title = getattr(course, f"title_{language}") or course.title_fr
    card = page.locator("main .card").filter(has_text=title)
    assert steps_text(language, total, steps) in card.inner_text()


def answer_attempt(page, *, attempt, right: bool = True) -> None:
    """Tick the right choices of each question of the attempt (read from the database),
    or one wrong choice per question."""
    for attempt_question in attempt.attempt_questions.select_related("question"):
        choices = list(attempt_question.question.choices.order_by("position", "pk"))
        wanted = [choice for choice in choices if choice.is_correct == right]
        for choice in wanted if right else wanted[:1]:
            page.locator(f"main input[value='{choice.pk}']").check()
