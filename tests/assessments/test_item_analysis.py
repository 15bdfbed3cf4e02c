"""Item analysis of a course's knowledge check: facility, discrimination and choice shares
from SQL sums, by workplace and dates, and its admin page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.workplaces import Workplace
from assessments import item_analysis
from assessments.models import Answer, Attempt, Form, Phase
from tests.assessments.factories import ItemFactory
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of

pytestmark = pytest.mark.django_db


def _attempt(course, answers, *, learner=None, phase=Phase.PRE, at=None, form=Form.A):
    """A submitted check whose answers are {item: choice}; its counts follow them."""
    right = sum(1 for choice in answers.values() if choice.is_correct)
    attempt = Attempt.objects.create(
        learner=learner,
        course=course,
        phase=phase,
        form=form,
        item_count=len(answers),
        correct_count=right,
        submitted_at=at or timezone.now(),
    )
    Answer.objects.bulk_create(
        Answer(attempt=attempt, item=item, choice=choice, is_correct=choice.is_correct)
        for item, choice in answers.items()
    )
    return attempt


def _course_with_items(count):
    lesson = LessonFactory(module=ModuleFactory(course=CourseFactory(), key="m1"), key="m1-l1")
    items = [ItemFactory(lesson=lesson, position=position) for position in range(count)]
    choices = [list(item.choices.order_by("position", "pk")) for item in items]
    return lesson.module.course, items, choices


@pytest.fixture
def small():
    """Four checks of two items (each with choices right, wrong 1, wrong 2).

    attempt  I1 chosen  I2 chosen  right  score
    A        right      right      2/2    100 %
    B        right      wrong 1    1/2     50 %
    C        wrong 1    right      1/2     50 %
    D        wrong 2    wrong 1    0/2      0 %
    """
    course, (i1, i2), (c1, c2) = _course_with_items(2)
    for first, second in [(0, 0), (0, 1), (1, 0), (2, 1)]:
        _attempt(course, {i1: c1[first], i2: c2[second]}, learner=UserFactory())
    return course, i1, i2, c1, c2


def test_facility_and_discrimination_match_the_hand_computed_figures(small):
    """I1: x = 1,1,0,0 against y = 100,50,50,0: n=4, Σx=2, Σy=200, Σy²=15000, Σxy=150;
    r = (4·150 − 2·200) / √((4·2 − 2²)(4·15000 − 200²)) = 200 / √80000 = 0.7071.
    I2: x = 1,0,1,0, Σxy = 100 + 50 = 150: the same r. Facility 2/4 for both."""
    course, i1, i2, _c1, _c2 = small
    rows = {row.item.pk: row for row in item_analysis.check_item_analysis(course=course)}
    for item in (i1, i2):
        assert rows[item.pk].attempts == 4
        assert rows[item.pk].facility == 0.5
        assert rows[item.pk].discrimination == pytest.approx(200 / 80000**0.5)
        assert not rows[item.pk].too_easy
        assert not rows[item.pk].too_hard


def test_the_share_choosing_each_choice(small):
    course, i1, i2, c1, c2 = small
    rows = {row.item.pk: row for row in item_analysis.check_item_analysis(course=course)}
    assert [(entry.choice, entry.share) for entry in rows[i1.pk].choices] == [
        (c1[0], 0.5),
        (c1[1], 0.25),
        (c1[2], 0.25),
    ]
    assert [entry.share for entry in rows[i2.pk].choices] == [0.5, 0.5, 0]


def test_flags_too_easy_too_hard_and_negative_discrimination():
    """Four items: E everyone right; M1, M2 right in the stronger checks; N right only in
    the weaker ones.

    attempt  E  M1  M2  N   score
    A        R  R   R   W   75 %
    B        R  R   W   W   50 %
    C        R  W   W   R   50 %
    D        R  W   W   R   50 %

    N: x = 0,0,1,1, y = 75,50,50,50: n=4, Σx=2, Σy=225, Σy²=13125, Σxy=100;
    r = (4·100 − 2·225) / √((4·2 − 2²)(4·13125 − 225²)) = −50 / √7500 = −0.5774.
    M2: 1/4 right, too hard."""
    course, (easy, m1, m2, negative), choices = _course_with_items(4)
    right = [item_choices[0] for item_choices in choices]
    wrong = [item_choices[1] for item_choices in choices]
    for pattern in ["RRRW", "RRWW", "RWWR", "RWWR"]:
        answers = {
            item: (right if mark == "R" else wrong)[index]
            for index, (item, mark) in enumerate(
                zip((easy, m1, m2, negative), pattern, strict=True)
            )
        }
        _attempt(course, answers, learner=UserFactory())
    rows = {row.item.pk: row for row in item_analysis.check_item_analysis(course=course)}
    assert rows[easy.pk].too_easy
    assert rows[easy.pk].discrimination is None  # everyone right: no spread
    assert rows[m2.pk].too_hard
    assert rows[negative.pk].discriminates_negatively
    assert rows[negative.pk].discrimination == pytest.approx(-50 / 7500**0.5)
    assert not rows[m1.pk].discriminates_negatively


def test_filter_by_the_learners_workplace_and_by_the_day_submitted():
    course, (item,), ((right, wrong, _other),) = _course_with_items(1)
    school = OrganizationFactory(kind=Workplace.SCHOOL)
    _attempt(course, {item: right}, learner=staff_of(school))
    # In no organization: their profile's workplace decides.
    _attempt(course, {item: wrong}, learner=UserFactory(workplace=Workplace.SHELTER))
    old = timezone.now() - datetime.timedelta(days=40)
    _attempt(course, {item: wrong}, learner=UserFactory(workplace=Workplace.SCHOOL), at=old)

    def facility(**filters):
        return item_analysis.check_item_analysis(course=course, **filters)[0].facility

    assert facility() == pytest.approx(1 / 3)
    assert facility(workplace=Workplace.SCHOOL) == 0.5
    assert facility(workplace=Workplace.SHELTER) == 0
    today = timezone.localdate()
    assert facility(since=today - datetime.timedelta(days=1)) == 0.5
    assert facility(until=today - datetime.timedelta(days=30)) == 0
    assert facility(workplace=Workplace.GROUP_HOME) is None


def test_filter_by_phase_before_or_after_the_course():
    course, (item,), ((right, wrong, _other),) = _course_with_items(1)
    person = UserFactory()
    _attempt(course, {item: wrong}, learner=person, phase=Phase.PRE)
    _attempt(course, {item: right}, learner=person, phase=Phase.POST, form=Form.B)

    def facility(**filters):
        return item_analysis.check_item_analysis(course=course, **filters)[0].facility

    assert facility() == 0.5
    assert facility(phase=Phase.PRE) == 0
    assert facility(phase=Phase.POST) == 1


def test_the_admin_page_filters_by_phase(admin_client):
    course, (item,), ((right, wrong, _other),) = _course_with_items(1)
    _attempt(course, {item: wrong}, learner=UserFactory(), phase=Phase.PRE)
    _attempt(course, {item: right}, learner=UserFactory(), phase=Phase.POST)
    response = admin_client.get(analysis_url(course), {"phase": Phase.POST})
    assert response.status_code == 200
    assert [row.facility for row in response.context["rows"]] == [1]
    response = admin_client.get(analysis_url(course), {"phase": "during"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert [row.facility for row in response.context["rows"]] == [0.5]


def test_another_courses_checks_do_not_count(small):
    course = small[0]
    other, (item,), ((right, _wrong, _other),) = _course_with_items(1)
    _attempt(other, {item: right}, learner=UserFactory())
    assert [row.attempts for row in item_analysis.check_item_analysis(course=course)] == [4, 4]


def _bulk_checks(course, items, count):
    """`count` checks (by erased learners: the unique phase per person does not apply)."""
    choices = {item.pk: list(item.choices.order_by("position", "pk")) for item in items}
    attempts = Attempt.objects.bulk_create(
        Attempt(
            course=course,
            phase=Phase.PRE,
            form=Form.A,
            item_count=len(items),
            correct_count=index % (len(items) + 1),
        )
        for index in range(count)
    )
    Answer.objects.bulk_create(
        Answer(
            attempt=attempt,
            item=item,
            choice=choices[item.pk][(attempt.pk + item.pk) % 3],
            is_correct=(attempt.pk + item.pk) % 3 == 0,
        )
        for attempt in attempts
        for item in items
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_a_fixed_number_of_queries_whatever_the_number_of_checks(count, django_assert_num_queries):
    course, items, _choices = _course_with_items(3)
    _bulk_checks(course, items, count)
    with django_assert_num_queries(4):
        rows = item_analysis.check_item_analysis(course=course, workplace=Workplace.SCHOOL)
    assert sum(row.attempts for row in rows) == 0  # nobody's workplace is known
    with django_assert_num_queries(4):
        rows = item_analysis.check_item_analysis(course=course)
    assert [row.attempts for row in rows] == [count] * 3


# --- the admin page -------------------------------------------------------------------------


def analysis_url(course) -> str:
    with translation.override("en"):
        return reverse("admin:assessments_item_analysis", args=[course.pk])


def test_the_admin_page_shows_each_items_form_lesson_figures_and_chart(admin_client, small):
    course, i1, _i2, _c1, _c2 = small
    response = admin_client.get(analysis_url(course))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "Form A" in page
    assert str(i1.lesson) in page
    assert str(i1.lesson.module) in page
    assert "50%" in page
    assert "0.71" in page
    assert i1.text_en in page


def test_the_page_is_reached_from_the_items_list_and_the_course_page(admin_client, small):
    course = small[0]
    courses_url = "/en/admin/assessments/item/item-analysis/"
    assert courses_url in admin_client.get("/en/admin/assessments/item/").content.decode()
    assert analysis_url(course) in admin_client.get(courses_url).content.decode()
    course_page = admin_client.get(f"/en/admin/courses/course/{course.pk}/change/")
    assert analysis_url(course) in course_page.content.decode()


@pytest.mark.parametrize("count", [10, 1000])
def test_the_admin_page_runs_the_same_queries_for_10_and_1000_checks(admin_client, count):
    course, items, _choices = _course_with_items(3)
    _bulk_checks(course, items, count)
    admin_client.get(analysis_url(course))  # the session and caches warmed
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(analysis_url(course), {"workplace": Workplace.SHELTER})
    assert response.status_code == 200
    assert len(queries) == 7, [query["sql"] for query in queries.captured_queries]


def test_bad_filters_give_a_form_error_and_an_unknown_course_a_404(admin_client, small):
    url = analysis_url(small[0])
    response = admin_client.get(url, {"since": "not a date", "workplace": "moon"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = admin_client.get(url, {"since": "2026-05-02", "until": "2026-05-01"})
    assert "The start date must be before the end date." in response.content.decode()
    assert admin_client.get("/en/admin/assessments/item/item-analysis/999999/").status_code == 404


def test_people_outside_the_admin_do_not_reach_the_page(client, learner, small):
    client.force_login(learner)
    response = client.get(analysis_url(small[0]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_without_the_right_to_view_items_are_refused(client, small):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(analysis_url(small[0])).status_code == 403
    assert client.get("/en/admin/assessments/item/item-analysis/").status_code == 403
