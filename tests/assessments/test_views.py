"""The knowledge check's pages, and what it adds to the course and completion pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import selectors
from assessments.models import Attempt, Phase
from courses.services import enrollment_create, lesson_mark_done
from tests.assessments.factories import ItemChoiceFactory, item_bank
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

CONTENT_NOTE = "These questions speak of exploitation, including the exploitation of minors."
INVITATION = "Take the check before the course"
AFTER_INVITATION = "Take the check after the course"


def _course(lessons=4):
    """Two modules (three lessons, then one): four items in each form."""
    course = CourseFactory(lessons=lessons)
    item_bank(course=course, per_form=2)
    return course


@pytest.fixture
def course():
    return _course()


def _url(course, phase="before"):
    return f"/en/courses/{course.slug}/check/{phase}/"


def _page_url(course):
    """The course page, in English."""
    return f"/en/courses/{course.slug}/"


def _lessons(course):
    return [lesson for module in course.modules.all() for lesson in module.lessons.all()]


def _complete(course, learner):
    for lesson in _lessons(course):
        lesson_mark_done(learner=learner, lesson=lesson)


def _items(course, learner, phase):
    form = selectors.form_for(learner=learner, course=course, phase=phase)
    return list(selectors.items_of(course=course, form=form))


def _answers(course, learner, phase, *, right):
    """POST data: the right choice of the first `right` items, a wrong one for the rest."""
    return {
        f"item-{item.pk}": str(
            next(c.pk for c in item.choices.all() if c.is_correct == (index < right))
        )
        for index, item in enumerate(_items(course, learner, phase))
    }


@pytest.fixture
def enrolled(learner_client, learner, course):
    enrollment_create(learner=learner, course=course)
    return learner_client


# --- the check before ------------------------------------------------------------------------


def test_the_check_shows_its_content_note_then_its_items_in_order(enrolled, learner, course):
    page = enrolled.get(_url(course)).content.decode()
    assert CONTENT_NOTE in page
    assert "nothing is recorded" in page
    positions = [page.index(item.text_en) for item in _items(course, learner, Phase.PRE)]
    assert page.index(CONTENT_NOTE) < positions[0]
    assert positions == sorted(positions)
    assert page.count("<fieldset") == page.count("<legend") == len(positions)
    assert page.count('type="radio"') == 3 * len(positions)


def test_answering_records_and_shows_only_the_score(enrolled, learner, course):
    response = enrolled.post(_url(course), _answers(course, learner, Phase.PRE, right=1))
    assert response.status_code == 302
    assert response["Location"] == _url(course)
    attempt = Attempt.objects.get(learner=learner)
    assert (attempt.phase, attempt.correct_count, attempt.item_count) == ("pre", 1, 4)
    page = enrolled.get(_url(course)).content.decode()
    assert "1 of 4 right answers (25%)" in page
    assert "The course covers all of these questions" in page
    assert 'type="radio"' not in page  # taken: the result, not the form again
    # No answer is marked right or wrong: that would teach the questions.
    for item in _items(course, learner, Phase.PRE):
        assert item.text_en not in page


def test_skipping_records_nothing_and_leads_to_the_first_lesson(enrolled, learner, course):
    response = enrolled.post(
        _url(course), {"skip": "1", **_answers(course, learner, "pre", right=4)}
    )
    assert response.status_code == 302
    assert response["Location"] == _lessons(course)[0].get_absolute_url()
    assert not Attempt.objects.exists()
    assert enrolled.post(_url(course), {}).status_code == 302  # nothing answered: nothing saved
    assert not Attempt.objects.exists()
    assert INVITATION in enrolled.get(_page_url(course)).content.decode()


@pytest.mark.parametrize("tamper", ["not a number", "choice of another item", "unknown choice"])
def test_bad_answers_are_a_400_with_the_form_again(enrolled, learner, course, tamper):
    data = _answers(course, learner, Phase.PRE, right=2)
    first, second = list(data)[:2]
    data[first] = {
        "not a number": "abc",
        "choice of another item": data[second],
        "unknown choice": str(ItemChoiceFactory().pk),
    }[tamper]
    response = enrolled.post(_url(course), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "errorlist" in page
    assert 'type="radio"' in page
    assert not Attempt.objects.exists()


def test_the_check_before_closes_once_a_lesson_is_done(enrolled, learner, course):
    lesson_mark_done(learner=learner, lesson=_lessons(course)[0])
    for response in (
        enrolled.get(_url(course), follow=True),
        enrolled.post(_url(course), _answers(course, learner, Phase.PRE, right=4), follow=True),
    ):
        assert response.redirect_chain[0][0] == course.get_absolute_url()
        assert "The check before the course is closed" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_learner_not_enrolled_is_sent_to_the_course_page(learner_client, learner, course):
    response = learner_client.post(_url(course), _answers(course, learner, "pre", right=1))
    assert response["Location"] == course.get_absolute_url()
    assert not Attempt.objects.exists()


def test_no_items_or_no_course_is_a_404(enrolled, learner, course):
    without = CourseFactory(lessons=1)
    enrollment_create(learner=learner, course=without)
    assert enrolled.get(_url(without)).status_code == 404
    assert enrolled.post(_url(without, "after"), {}).status_code == 404
    assert enrolled.get("/en/courses/no-such-course/check/before/").status_code == 404
    draft = _course()
    draft.is_published = False
    draft.save()
    assert enrolled.get(_url(draft)).status_code == 404


def test_signed_out_visitors_are_asked_to_log_in(client, course):
    response = client.get(_url(course))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the check after -------------------------------------------------------------------------


def test_the_check_after_waits_for_completion(enrolled, learner, course):
    response = enrolled.get(_url(course, "after"), follow=True)
    assert "opens once you have completed the course" in response.content.decode()
    assert not Attempt.objects.exists()


def test_after_the_course_both_scores_show_side_by_side(enrolled, learner, course):
    enrolled.post(_url(course), _answers(course, learner, Phase.PRE, right=1))
    _complete(course, learner)
    completion = f"/en/courses/{course.slug}/completed/"
    page = enrolled.get(completion).content.decode()
    assert AFTER_INVITATION in page
    assert page.index(AFTER_INVITATION) < page.index('id="survey-title"')

    enrolled.post(_url(course, "after"), _answers(course, learner, Phase.POST, right=3))
    assert Attempt.objects.get(phase="post").form != Attempt.objects.get(phase="pre").form
    for url in (_url(course, "after"), completion):
        page = enrolled.get(url).content.decode()
        assert "1 of 4 right answers (25%)" in page
        assert "3 of 4 right answers (75%)" in page
        assert page.index("1 of 4") < page.index("3 of 4")
        assert 'name="item-' not in page
    assert page.index("3 of 4") < page.index('id="survey-title"')


def test_skipping_after_leads_back_to_the_completion_page(enrolled, learner, course):
    _complete(course, learner)
    response = enrolled.post(_url(course, "after"), {"skip": "1"})
    assert response["Location"] == f"/en/courses/{course.slug}/completed/"
    assert not Attempt.objects.exists()


def test_the_completion_page_says_nothing_of_a_check_the_course_does_not_have(
    learner_client, learner
):
    course = CourseFactory(lessons=1)
    enrollment_create(learner=learner, course=course)
    _complete(course, learner)
    page = learner_client.get(f"/en/courses/{course.slug}/completed/").content.decode()
    assert AFTER_INVITATION not in page
    assert 'id="survey-title"' in page


# --- the invitation on the course page -------------------------------------------------------


def test_the_invitation_shows_until_the_check_is_taken_or_a_lesson_done(
    learner_client, learner, course
):
    assert INVITATION not in learner_client.get(_page_url(course)).content.decode()
    enrollment_create(learner=learner, course=course)
    page = learner_client.get(_page_url(course)).content.decode()
    assert INVITATION in page
    assert page.index(INVITATION) < page.index("<h2>Modules</h2>")
    lesson_mark_done(learner=learner, lesson=_lessons(course)[0])
    assert INVITATION not in learner_client.get(_page_url(course)).content.decode()


def test_no_invitation_once_taken_or_without_items(learner_client, learner, course):
    enrollment_create(learner=learner, course=course)
    learner_client.post(_url(course), _answers(course, learner, Phase.PRE, right=0))
    assert INVITATION not in learner_client.get(_page_url(course)).content.decode()
    without = CourseFactory(lessons=1)
    enrollment_create(learner=learner, course=without)
    assert INVITATION not in learner_client.get(_page_url(without)).content.decode()


# --- a fixed number of queries ---------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _counts(client, learner, url_of, *, prepare=None):
    counts = []
    for lessons in (3, 15):  # one module, then five
        course = _course(lessons)
        enrollment_create(learner=learner, course=course)
        if prepare:
            prepare(course)
        counts.append(_queries(client, url_of(course)))
    return counts


def test_the_check_page_runs_a_fixed_number_of_queries(learner_client, learner):
    counts = _counts(learner_client, learner, _url)
    assert counts[0] == counts[1]


def test_the_result_page_runs_a_fixed_number_of_queries(learner_client, learner):
    def take(course):
        learner_client.post(_url(course), _answers(course, learner, Phase.PRE, right=1))

    counts = _counts(learner_client, learner, _url, prepare=take)
    assert counts[0] == counts[1]


def test_the_course_page_with_the_invitation_runs_a_fixed_number_of_queries(
    learner_client, learner
):
    pages = []

    def url(course):
        pages.append(_page_url(course))
        return pages[-1]

    counts = _counts(learner_client, learner, url)
    assert counts[0] == counts[1]
    assert all(INVITATION in learner_client.get(page).content.decode() for page in pages)


def test_the_completion_page_with_both_scores_runs_a_fixed_number_of_queries(
    learner_client, learner
):
    def take_both(course):
        learner_client.post(_url(course), _answers(course, learner, Phase.PRE, right=1))
        _complete(course, learner)
        learner_client.post(_url(course, "after"), _answers(course, learner, Phase.POST, right=2))

    counts = _counts(
        learner_client,
        learner,
        lambda course: f"/en/courses/{course.slug}/completed/",
        prepare=take_both,
    )
    assert counts[0] == counts[1]
