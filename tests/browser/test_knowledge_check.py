"""A learner takes the knowledge check before the course, does the course (its lessons and
its quiz), takes the check after it and sees both scores, then answers the feedback survey
below; their supervisor, who saw no figure while four people had taken both checks, sees
the gain report once this learner is the fifth. In French and in English, on a phone's
screen: every page passes axe and fits 320 px."""

import pytest

from assessments import selectors
from assessments.models import Attempt, Form, Phase
from courses.models import Enrollment
from quizzes.models import Attempt as QuizAttempt
from surveys.models import SurveyResponse
from tests.assessments.factories import item_bank, scored
from tests.browser import flows
from tests.browser.admin_flows import assert_axe_clean, page_width
from tests.browser.conftest import LANGUAGES, t
from tests.browser.test_certificate_flow import answer
from tests.factories import CourseFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.browser


def _fits_and_passes_axe(page) -> None:
    assert_axe_clean(page)
    assert page_width(page) <= 320


def _tick(page, *, course, learner, phase, right: int) -> None:
    """The right choice of the first `right` items of the learner's form, a wrong one for
    the others (read from the database, as the quiz flow does)."""
    form = selectors.form_for(learner=learner, course=course, phase=phase)
    for index, item in enumerate(selectors.items_of(course=course, form=form)):
        choice = next(c for c in item.choices.all() if c.is_correct == (index < right))
        page.locator(f"main input[name='item-{item.pk}'][value='{choice.pk}']").check()


def _score_text(language, right, total):
    from django.utils import translation

    singular = "%(right)s of %(total)s right answer (%(score)s%%)"
    plural = "%(right)s of %(total)s right answers (%(score)s%%)"
    with translation.override(language):
        text = translation.ngettext(singular, plural, total)
    return text % {"right": right, "total": total, "score": round(100 * right / total)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_learner_takes_the_check_before_and_after_the_course(
    new_page, transactional_db, language
):
    course = CourseFactory(lessons=2)
    quiz = quiz_with_questions(1, module=course.modules.get())
    item_bank(course=course, per_form=2)
    organization = OrganizationFactory()
    for index in range(4):  # four colleagues who took both checks already
        scored(learner=staff_of(organization), course=course, pre=(index, 4), post=(4, 4))
    supervisor = new_page(language=language, user=supervisor_of(organization), phone=True)
    gain_url = f"/{language}/organizations/{organization.pk}/gain/"
    supervisor.goto(gain_url)
    assert supervisor.locator("main table.gain-table").count() == 0
    learner = staff_of(organization, full_name="Camille Tremblay")
    page = new_page(language=language, user=learner, phone=True)
    mouse = flows.Mouse()
    main = page.locator("main")

    # The course page invites to the check before the first lesson.
    flows.enroll(page, mouse, language=language, course=course)
    invitation = main.locator("section.check-invitation")
    assert t(language, "Before you start: a short knowledge check") in invitation.inner_text()
    _fits_and_passes_axe(page)
    page.navigate(
        invitation.get_by_role("link", name=t(language, "Take the check before the course")).click
    )

    # The content note comes first, then the items.
    note = main.locator("aside.content-note")
    minors = "These questions speak of exploitation, including the exploitation of minors."
    assert t(language, minors) in note.inner_text()
    assert main.locator("fieldset.check-item").count() == 2
    _fits_and_passes_axe(page)
    _tick(page, course=course, learner=learner, phase=Phase.PRE, right=1)
    page.navigate(main.get_by_role("button", name=t(language, "Send my answers")).click)
    pre = Attempt.objects.get(learner=learner, phase=Phase.PRE)
    assert (pre.correct_count, pre.item_count) == (1, 2)
    assert _score_text(language, 1, 2) in main.inner_text()
    _fits_and_passes_axe(page)

    # The course: its lessons, then its quiz; the invitation is gone.
    page.navigate(main.get_by_role("link", name=t(language, "Go to the course")).click)
    assert main.locator("section.check-invitation").count() == 0
    flows.read_every_lesson(page, mouse, language=language, course=course, learner=learner)
    page.goto(f"/{language}/courses/{course.slug}/modules/{quiz.module_id}/quiz/")
    page.navigate(main.get_by_role("button", name=t(language, "Start the quiz")).click)
    answer(page, attempt=QuizAttempt.objects.get(learner=learner), right=True)
    page.navigate(main.get_by_role("button", name=t(language, "Submit my answers")).click)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None

    # The completion page: the check after, above the survey.
    page.goto(f"/{language}/courses/{course.slug}/completed/")
    panel = main.locator("section.check-panel")
    survey = main.locator("section.survey")
    assert panel.bounding_box()["y"] < survey.bounding_box()["y"]
    _fits_and_passes_axe(page)
    page.navigate(
        panel.get_by_role("link", name=t(language, "Take the check after the course")).click
    )
    _fits_and_passes_axe(page)
    _tick(page, course=course, learner=learner, phase=Phase.POST, right=2)
    page.navigate(main.get_by_role("button", name=t(language, "Send my answers")).click)
    post = Attempt.objects.get(learner=learner, phase=Phase.POST)
    assert Form(post.form) == Form(pre.form).other
    assert post.correct_count == 2

    # Both scores, side by side, then back on the completion page with the survey below.
    scores = main.locator("table.check-scores")
    assert _score_text(language, 1, 2) in scores.inner_text()
    assert _score_text(language, 2, 2) in scores.inner_text()
    _fits_and_passes_axe(page)
    page.navigate(main.get_by_role("link", name=t(language, "Back to the completion page")).click)
    panel = main.locator("section.check-panel")
    assert _score_text(language, 2, 2) in panel.inner_text()
    survey = main.locator("section.survey")
    assert t(language, "This course is relevant to my work") in survey.inner_text()
    assert panel.bounding_box()["y"] < survey.bounding_box()["y"]
    _fits_and_passes_axe(page)

    # The survey, answered.
    survey.locator("input[name=relevance][value='4']").check()
    survey.locator("input[name=confidence][value='5']").check()
    page.navigate(survey.get_by_role("button", name=t(language, "Send my answers")).click)
    assert t(language, "Thank you: your answers were recorded.") in main.inner_text()
    assert SurveyResponse.objects.filter(learner=learner, course=course).exists()

    # Five people have taken both checks: the supervisor sees the figures and the chart,
    # never the learner's name or score.
    supervisor.goto(gain_url)
    report = supervisor.locator("main")
    assert report.locator("table.gain-table").count() == 1
    assert report.locator("figure.bar-chart svg").count() == 1
    assert "Camille" not in report.inner_text()
    _fits_and_passes_axe(supervisor)
