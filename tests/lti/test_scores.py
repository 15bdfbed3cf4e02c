"""Completion back to the LMS's gradebook (Assignment and Grade Services), received by a
real platform: Repère's token request is signed with its key, which the platform checks
against Repère's JWKS over HTTP."""

import pytest

from courses.models import Lesson
from lti.models import ScorePassback
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def course(transactional_db):
    return CourseFactory(slug="reconnaitre", lessons=2)


def _complete(browser, lms, course):
    for lesson in Lesson.objects.filter(module__course=course):
        url = f"{lms.tool_url}/fr/courses/{course.slug}/lessons/{lesson.pk}/"
        assert browser.get(url).status_code == 200
        done = browser.post(
            f"{url}done/", data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
        )
        assert done.status_code == 200, done.text[:500]


def test_completing_a_launched_course_sends_a_full_score_to_the_lms_gradebook(
    lms, registration, course, browser
):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.open(browser)
    assert lms.scores == []  # nothing before the completion
    _complete(browser, lms, course)
    assert len(lms.scores) == 1
    score = lms.scores[0]
    assert score["path"] == "/lineitems/link-1/scores"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (1.0, 1.0)
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")
    assert score["userId"] == "lms-user-1"
    passback = ScorePassback.objects.get()
    assert (passback.status, passback.attempts) == ("sent", 1)


def test_a_course_completed_before_its_launch_is_sent_at_the_launch(
    lms, registration, course, browser
):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.launch.lineitem = False  # a first link without a gradebook column
    lms.open(browser)
    _complete(browser, lms, course)
    assert lms.scores == []
    lms.launch.lineitem = True
    lms.launch.resource_link_id = "link-2"
    browser.cookies.clear()
    lms.open(browser)
    assert [score["path"] for score in lms.scores] == ["/lineitems/link-2/scores"]


def test_a_launch_without_the_score_scope_owes_nothing(lms, registration, course, browser):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.launch.lineitem = False
    lms.open(browser)
    _complete(browser, lms, course)
    assert lms.scores == []
    assert not ScorePassback.objects.exists()


def test_an_lms_that_fails_gets_the_score_again_later(lms, registration, course, browser):
    from lti import tasks

    lms.fail_scores = 1
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.open(browser)
    _complete(browser, lms, course)
    passback = ScorePassback.objects.get()
    assert (passback.status, passback.attempts) == ("retrying", 1)
    assert "503" in passback.last_error or "busy" in passback.last_error
    assert lms.scores == []
    # Not due yet: a run now skips it; once due, it is sent.
    assert tasks.scores_send.call([passback.pk]) == {"skipped": 1}
    ScorePassback.objects.filter(pk=passback.pk).update(
        next_attempt_at=passback.sent_at or "2000-01-01T00:00Z"
    )
    assert tasks.scores_send.call([passback.pk]) == {"sent": 1}
    assert len(lms.scores) == 1
    # Sent: a second run (the task enqueued twice) sends nothing more.
    assert tasks.scores_send.call([passback.pk]) == {"skipped": 1}
    assert len(lms.scores) == 1


def test_after_a_key_rotation_the_lms_still_accepts_repere_s_token_requests(
    lms, registration, course, browser
):
    from lti import services

    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.open(browser)
    previous = services.key_current()
    new, _retired = services.key_rotate()
    _complete(browser, lms, course)
    assert len(lms.scores) == 1  # signed with the new key, found in Repère's JWKS
    assert services.key_current() == new != previous


@pytest.fixture
def silent_lms():
    """An address that accepts connections and never answers (it hangs up after 10 s)."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def hold():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection = server.accept()[0]
            except TimeoutError:
                continue
            threading.Timer(10, connection.close).start()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/token"
    stop.set()
    thread.join()
    server.close()


def test_an_lms_that_never_answers_times_out_and_is_retried(
    lms, registration, course, browser, silent_lms, settings
):
    """pylti1p3 calls the LMS without a timeout: a gradebook that never answers would hold
    a worker for ever. After REPERE_LTI_TIMEOUT_SECONDS the score waits for a retry."""
    settings.REPERE_LTI_TIMEOUT_SECONDS = 1
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.open(browser)
    registration.token_url = silent_lms
    registration.save()
    _complete(browser, lms, course)
    passback = ScorePassback.objects.get()
    assert (passback.status, passback.attempts) == ("retrying", 1)
    assert "timed out" in passback.last_error.lower()
    assert lms.scores == []
