"""A learner completes a short course (one lesson, one quiz of one question) and answers the
feedback survey on the completion page, in French and in English, on a phone's screen;
the page passes axe before and after, and fits 320 px. Then their supervisor's survey
page shows the course without a figure (one person is fewer than the minimum) and
without the comment, then with
five people the figures and their chart."""

import pytest
from django.utils import timezone

from courses.models import Enrollment
from quizzes.models import Attempt
from surveys.models import SurveyResponse
from surveys.services import survey_response_submit
from tests.browser import flows
from tests.browser.admin_flows import admin_page_problems, assert_axe_clean, page_width
from tests.browser.conftest import LANGUAGES, t
from tests.browser.test_certificate_flow import answer
from tests.factories import CourseFactory, EnrollmentFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.browser

COMMENT = "Les mises en situation ressemblent à notre refuge."


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_learner_completes_a_short_course_and_answers_the_survey(
    new_page, transactional_db, language
):
    course = CourseFactory(lessons=1)
    quiz = quiz_with_questions(1, module=course.modules.get())
    organization = OrganizationFactory()
    learner = staff_of(organization, full_name="Camille Tremblay")
    page = new_page(language=language, user=learner, phone=True)
    mouse = flows.Mouse()

    flows.enroll(page, mouse, language=language, course=course)
    for lesson in course.modules.get().lessons.order_by("position", "pk"):
        page.goto(f"/{language}/courses/{course.slug}/lessons/{lesson.pk}/")
        button = page.locator("main").get_by_role("button", name=t(language, "Mark as done"))
        page.navigate(button.click)
    page.goto(f"/{language}/courses/{course.slug}/modules/{quiz.module_id}/quiz/")
    main = page.locator("main")
    page.navigate(main.get_by_role("button", name=t(language, "Start the quiz")).click)
    answer(page, attempt=Attempt.objects.get(learner=learner), right=True)
    page.navigate(main.get_by_role("button", name=t(language, "Submit my answers")).click)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None

    page.goto(f"/{language}/courses/{course.slug}/completed/")
    survey = page.locator("main section.survey")
    assert t(language, "This course is relevant to my work") in survey.inner_text()
    assert_axe_clean(page)
    assert page_width(page) <= 320
    survey.locator("input[name=relevance][value='5']").check()
    survey.locator("input[name=confidence][value='4']").check()
    survey.locator("textarea[name=comment]").fill(COMMENT)
    page.navigate(survey.get_by_role("button", name=t(language, "Send my answers")).click)

    assert t(language, "Thank you: your answers were recorded.") in main.inner_text()
    assert_axe_clean(page)
    response = SurveyResponse.objects.get(learner=learner, course=course)
    assert (response.relevance, response.confidence, response.comment) == (5, 4, COMMENT)

    supervisor = new_page(language=language, user=supervisor_of(organization), phone=True)
    supervisor.goto(f"/{language}/organizations/{organization.pk}/survey/")
    text = supervisor.locator("main").inner_text()
    assert getattr(course, f"title_{language}") in text
    assert COMMENT not in text
    assert "Camille" not in text
    assert_axe_clean(supervisor)
    assert page_width(supervisor) <= 320

    # Four more people: the figures and the chart appear, and still fit and pass axe.
    for _index in range(4):
        other = staff_of(organization)
        EnrollmentFactory(learner=other, course=course, completed_at=timezone.now())
        survey_response_submit(learner=other, course=course, relevance=3, confidence=4)
    supervisor.goto(f"/{language}/organizations/{organization.pk}/survey/")
    assert supervisor.locator("main figure.bar-chart svg").count() == 2
    assert supervisor.locator("main figure.bar-chart table").count() == 2
    assert COMMENT not in supervisor.locator("main").inner_text()
    assert_axe_clean(supervisor)
    assert page_width(supervisor) <= 320


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_reports_pass_axe_and_fit_a_laptop(new_page, transactional_db, language):
    """The item analysis (its chart and tables) and the course's survey report."""
    from tests.factories import AdminFactory, UserFactory
    from tests.quizzes.test_item_analysis import _bulk_attempts

    course = CourseFactory(lessons=1)
    quiz = quiz_with_questions(3, module=course.modules.get())
    _bulk_attempts(quiz, 20)
    for _index in range(3):
        person = UserFactory()
        EnrollmentFactory(learner=person, course=course, completed_at=timezone.now())
        survey_response_submit(
            learner=person, course=course, relevance=4, confidence=2, comment=COMMENT
        )
    page = new_page(language=language, user=AdminFactory())
    problems = []
    for path in [
        f"quizzes/quiz/{quiz.pk}/item-analysis/",
        f"surveys/surveyresponse/course/{course.pk}/",
        "surveys/surveyresponse/",
    ]:
        problems += admin_page_problems(page, language=language, path=path, errors=new_page.errors)
    assert not problems, "\n".join(problems)
    # The last page opened is the list of courses; the report's comments were read above.
    assert str(course.pk) in page.locator("#content").inner_html()
