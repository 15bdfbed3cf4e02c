"""A staff member assigned the real course, on a phone (390 px) and a laptop (1280 px), in
French and in English: sees the due date, has every lesson done but two quizzes left, sees
what remains, Resume takes them to the first quiz; they pass both, each result says what
comes next, the last one leads to the completion page (axe-clean, the certificate with
its downloads and verification address), and the completion e-mail is queued once; a
practice attempt of a passed quiz then changes nothing.

To keep the run short, the lessons and the first quizzes are done through the services;
the two last quizzes and every page after are in the browser.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone, translation

from accounts.dates import date_format
from accounts.models import OutgoingEmail, User
from certificates.models import Certificate
from courses.models import Enrollment
from courses.services import lesson_mark_done
from organizations.models import Membership, Organization
from organizations.services import assignments_create
from quizzes import services as quiz_services
from quizzes.models import Attempt, Quiz
from tests.browser import flows
from tests.browser.conftest import LANGUAGES, lessons_in_order, t
from tests.quizzes.factories import answers_for

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
axe = Axe()


def assigned_with_two_quizzes_left(course, learner, due_on):
    """Assigned by an organization (which enrolls them), every lesson read, every quiz
    passed but the last two."""
    organization = Organization.objects.create(
        name="Refuge du parcours", kind="shelter", province="QC"
    )
    supervisor = User.objects.create_user(email="sup@example.org", full_name="Sup Erviseure")
    Membership.objects.create(user=supervisor, organization=organization, role="supervisor")
    Membership.objects.create(user=learner, organization=organization, role="staff")
    assignments_create(
        organization=organization,
        course=course,
        learners=User.objects.filter(pk=learner.pk),
        due_on=due_on,
        assigned_by=supervisor,
    )
    for lesson in lessons_in_order(course):
        lesson_mark_done(learner=learner, lesson=lesson)
    quizzes = list(Quiz.objects.filter(module__course=course).order_by("module__position"))
    assert len(quizzes) >= 3, "the course needs at least three quizzes for this walk"
    for quiz in quizzes[:-2]:
        attempt = quiz_services.attempt_start(learner=learner, quiz=quiz)
        quiz_services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
    return quizzes[-2:]


def no_sideways_scrolling(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def blocking_violations(page) -> list[str]:
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in axe.run(page).response["violations"]
        if v["impact"] in BLOCKING
    ]


def pass_in_the_browser(page, *, language, learner, quiz) -> None:
    main = page.locator("main")
    assert f"/modules/{quiz.module_id}/quiz/" in page.url
    page.navigate(main.get_by_role("button", name=t(language, "Start the quiz")).click)
    attempt = Attempt.objects.filter(learner=learner, quiz=quiz).latest("pk")
    flows.answer_attempt(page, attempt=attempt, right=True)
    page.navigate(main.get_by_role("button", name=t(language, "Submit my answers")).click)
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert t(language, "What comes next") in main.inner_text()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_assigned_learner_sees_the_due_date_what_remains_and_finishes(
    new_page, course, staff_member, language, viewport
):
    staff_member.preferred_language = language
    staff_member.save()
    due_on = timezone.localdate() + datetime.timedelta(days=10)
    next_to_last, last = assigned_with_two_quizzes_left(course, staff_member, due_on)
    with translation.override(language):
        due_text = t(language, "To finish by %(date)s.") % {
            "date": date_format(due_on, "DATE_FORMAT")
        }
        quizzes_left = translation.ngettext("%(count)s quiz left", "%(count)s quizzes left", 2)
        quiz_label = t(language, "Quiz: %(module)s")
        labels = [quiz_label % {"module": quiz.module.title} for quiz in (next_to_last, last)]
    # The assignment's e-mail, in the learner's language, gives the due date.
    assigned = OutgoingEmail.objects.get(
        recipient=staff_member.email, idempotency_key__startswith="assignment:"
    )
    with translation.override(language):
        assert date_format(due_on, "DATE_FORMAT") in assigned.body
    lessons = len(lessons_in_order(course))
    steps = flows.step_count(course)

    page = new_page(language=language)
    page.set_viewport_size(VIEWPORTS[viewport])
    flows.log_in_as(page, flows.Mouse(), language=language, user=staff_member)

    # My learning: the due date, every requirement counted, not complete.
    title = course.title_fr if language == "fr" else (course.title_en or course.title_fr)
    card = page.locator("main .card").filter(has_text=title)
    text = card.inner_text()
    assert due_text in text
    assert flows.steps_text(language, steps - 2, steps) in text
    assert quizzes_left % {"count": 2} in text
    assert no_sideways_scrolling(page)
    failures = blocking_violations(page)

    # The course page says what remains, with links, and the due date.
    page.navigate(card.get_by_role("link", name=title).click)
    main = page.locator("main")
    text = main.inner_text()
    assert due_text in text
    assert flows.steps_text(language, steps - 2, steps) in text
    remaining = page.locator("main .remaining__list")
    assert [remaining.get_by_role("link", name=label).count() for label in labels] == [1, 1]
    assert lessons == steps - Quiz.objects.filter(module__course=course).count()
    assert no_sideways_scrolling(page)
    failures += blocking_violations(page)

    # Resume, from My learning, opens the first quiz left.
    page.goto(f"/{language}/learning/")
    card = page.locator("main .card").filter(has_text=title)
    page.navigate(card.get_by_role("link", name=t(language, "Resume")).click)
    pass_in_the_browser(page, language=language, learner=staff_member, quiz=next_to_last)
    failures += blocking_violations(page)  # a result that says what comes next

    # Its result says what comes next: the last quiz.
    with translation.override(language):
        next_text = t(language, "Next: %(step)s") % {"step": labels[1]}
    assert next_text in main.inner_text()
    page.navigate(main.get_by_role("link", name=t(language, "Continue")).click)
    pass_in_the_browser(page, language=language, learner=staff_member, quiz=last)

    # The last result says the course is complete and leads to the completion page.
    assert t(language, "The course is complete: your certificate is ready.") in main.inner_text()
    see = t(language, "See what you achieved, and your certificate")
    page.navigate(main.get_by_role("link", name=see).click)
    assert flows.heading(page) == t(language, "You have completed the course")
    certificate = Certificate.objects.get(holder=staff_member)
    with translation.override(language):
        verify_url = settings.SITE_URL + certificate.get_absolute_url()
    text = main.inner_text()
    assert certificate.display_code in text
    assert verify_url in text
    assert main.get_by_role("link", name=t(language, "Download the PDF")).count() == 1
    assert main.get_by_role("link", name=t(language, "Download the image (PNG)")).count() == 1
    assert no_sideways_scrolling(page)
    failures += blocking_violations(page)

    # The quiz passed offers practice, which changes nothing recorded.
    page.goto(f"/{language}/courses/{course.slug}/modules/{last.module_id}/quiz/")
    practise = t(language, "Practise this quiz again")
    page.navigate(main.get_by_role("button", name=practise).click)
    practice = Attempt.objects.filter(learner=staff_member, quiz=last).latest("pk")
    assert practice.practice is True
    flows.answer_attempt(page, attempt=practice, right=False)
    page.navigate(main.get_by_role("button", name=t(language, "Submit my answers")).click)
    assert t(language, "What comes next") in main.inner_text()
    failures += blocking_violations(page)
    assert Certificate.objects.filter(holder=staff_member).count() == 1

    # Reachable again from My learning.
    page.goto(f"/{language}/learning/")
    card = page.locator("main .card").filter(has_text=title)
    assert flows.steps_text(language, steps, steps) in card.inner_text()
    achieved = t(language, "What you achieved, and your certificate")
    page.navigate(card.get_by_role("link", name=achieved).click)
    assert flows.heading(page) == t(language, "You have completed the course")

    # The completion e-mail, queued once, in the learner's language.
    assert Enrollment.objects.get(learner=staff_member).completed_at is not None
    email = OutgoingEmail.objects.get(
        recipient=staff_member.email, idempotency_key__startswith="course-completed:"
    )
    assert email.language == language
    assert verify_url in email.body
    assert not failures, "\n".join(failures)
