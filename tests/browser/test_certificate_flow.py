"""A staff member goes from enrolling to a verified certificate, in French and in English:
reads every lesson, fails each module's quiz, sees what to review, passes it on a new
attempt, then downloads the certificate's PDF and checks its code on the public page.

To keep the run short, the first module's lessons are marked done in the browser and the
others through the service; every quiz, the certificate and the verification go through
the browser.
"""

from pathlib import Path

import pytest

from certificates.models import Certificate
from courses.models import Enrollment
from courses.services import lesson_mark_done
from quizzes.models import Attempt, Quiz
from tests.browser import flows
from tests.browser.conftest import LANGUAGES, lessons_in_order, t

pytestmark = pytest.mark.browser


def answer(page, *, attempt, right: bool) -> None:
    """Tick the right choices of each question of the attempt (read from the database),
    or one wrong choice per question."""
    for attempt_question in attempt.attempt_questions.select_related("question"):
        choices = list(attempt_question.question.choices.order_by("position", "pk"))
        correct = [choice for choice in choices if choice.is_correct]
        if right:
            wanted = correct
        else:
            wrong = [choice for choice in choices if not choice.is_correct]
            wanted = wrong[:1] or correct[:1]
        for choice in wanted:
            page.locator(f"main input[value='{choice.pk}']").check()


def fail_then_pass(page, *, language: str, course, quiz, learner) -> None:
    page.goto(f"/{language}/courses/{course.slug}/modules/{quiz.module_id}/quiz/")
    main = page.locator("main")
    page.navigate(main.get_by_role("button", name=t(language, "Start the quiz")).click)
    submit = t(language, "Submit my answers")

    attempt = Attempt.objects.filter(learner=learner, quiz=quiz).latest("pk")
    answer(page, attempt=attempt, right=False)
    page.navigate(main.get_by_role("button", name=submit).click)
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.passed is False, f"{quiz}: wrong answers passed"
    assert t(language, "What to review") in main.inner_text()

    page.navigate(main.get_by_role("button", name=t(language, "Try again")).click)
    attempt = Attempt.objects.filter(learner=learner, quiz=quiz).latest("pk")
    assert attempt.submitted_at is None
    answer(page, attempt=attempt, right=True)
    page.navigate(main.get_by_role("button", name=submit).click)
    attempt.refresh_from_db()
    assert attempt.passed is True, f"{quiz}: right answers did not pass ({attempt.score} %)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_member_fails_and_passes_every_quiz_then_gets_and_verifies_the_certificate(
    new_page, course, staff_member, language, tmp_path
):
    page = new_page(language=language)
    mouse = flows.Mouse()
    flows.log_in_as(page, mouse, language=language, user=staff_member)
    flows.enroll(page, mouse, language=language, course=course)

    # The first module's lessons in the browser, the others through the service.
    lessons = lessons_in_order(course)
    first_module = lessons[0].module_id
    done = t(language, "Mark as done")
    for lesson in lessons:
        if lesson.module_id == first_module:
            page.goto(f"/{language}/courses/{course.slug}/lessons/{lesson.pk}/")
            page.navigate(page.locator("main").get_by_role("button", name=done).click)
        else:
            lesson_mark_done(learner=staff_member, lesson=lesson)

    quizzes = list(Quiz.objects.filter(module__course=course).order_by("module__position"))
    assert quizzes, "the course has no quiz"
    enrollment = Enrollment.objects.get(learner=staff_member, course=course)
    for quiz in quizzes:
        enrollment.refresh_from_db()
        assert enrollment.completed_at is None, f"completed before {quiz} was passed"
        fail_then_pass(page, language=language, course=course, quiz=quiz, learner=staff_member)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None

    # My certificates, from the navigation.
    page.goto(f"/{language}/learning/")
    page.navigate(page.get_by_role("link", name=t(language, "My certificates")).first.click)
    assert flows.heading(page) == t(language, "My certificates")
    certificate = Certificate.objects.get(enrollment__learner=staff_member)
    main = page.locator("main")
    assert certificate.holder_name in main.inner_text()
    assert certificate.display_code in main.inner_text()

    with page.expect_download() as download_info:
        main.get_by_role("link", name=t(language, "Download the PDF")).click()
    pdf = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf)
    assert Path(pdf).read_bytes().startswith(b"%PDF-")

    # The public verification page, from the code typed into the form, signed out.
    visitor = new_page(language=language)
    visitor.goto(f"/{language}/verify/")
    visitor.locator("main input[name=code]").fill(certificate.display_code)
    visitor.navigate(visitor.locator("main").get_by_role("button", name=t(language, "Check")).click)
    assert flows.heading(visitor) == t(language, "Certificate verification")
    text = visitor.locator("main").inner_text()
    assert t(language, "Valid.") in text
    assert staff_member.full_name in text
    assert certificate.display_code in text
