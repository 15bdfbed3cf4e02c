"""Who sends what, and what it costs: statements only for members of an organization with
an active LRS, one query for everyone else; failures kept, retried and sent again."""

import datetime
import socket
import uuid

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pydantic import ValidationError

from courses.services import enrollment_create, lesson_mark_done
from quizzes.services import attempt_start, attempt_submit
from tests.factories import CourseFactory, EnrollmentFactory
from tests.organizations.factories import OrganizationFactory
from tests.quizzes.factories import answers_for, quiz_with_questions
from tests.xapi.conftest import KEY, SECRET, assigned_staff
from xapi import statements
from xapi.models import ERROR_PLAIN_HTTP, LrsEndpoint, OutgoingStatement
from xapi.services import statements_retry


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/xAPI/statements"


def xapi_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "xapi_" in q["sql"]]


@pytest.mark.django_db
def test_a_learner_without_an_lrs_costs_one_query_per_write_and_sends_nothing():
    LrsEndpoint.objects.create(
        organization=OrganizationFactory(), statements_url=closed_port_url(), key=KEY,
        secret=SECRET,
    )  # fmt: skip
    course = CourseFactory(lessons=2)
    learner = assigned_staff(OrganizationFactory(), course)  # an organization with no LRS
    first, last = [lesson for m in course.modules.all() for lesson in m.lessons.all()]
    with CaptureQueriesContext(connection) as queries:
        enrollment_create(learner=learner, course=course)
    assert len(xapi_queries(queries)) == 1
    lesson_mark_done(learner=learner, lesson=first)
    # The last lesson completes the course: two events, still one query.
    with CaptureQueriesContext(connection) as queries:
        lesson_mark_done(learner=learner, lesson=last)
    assert len(xapi_queries(queries)) == 1
    assert not OutgoingStatement.objects.exists()


@pytest.mark.django_db
def test_an_inactive_lrs_receives_nothing(lrs, lrs_org):
    lrs_org.lrs_endpoints.update(active=False)
    course = CourseFactory(lessons=1)
    enrollment_create(learner=assigned_staff(lrs_org, course), course=course)
    assert not OutgoingStatement.objects.exists()
    assert lrs.statements() == []


@pytest.mark.django_db
def test_practice_attempts_after_the_pass_send_nothing(lrs, lrs_org):
    quiz = quiz_with_questions(2)
    learner = assigned_staff(lrs_org, quiz.module.course)
    EnrollmentFactory(learner=learner, course=quiz.module.course)
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(attempt=attempt, answers=answers_for(attempt))
    sent = OutgoingStatement.objects.count()
    practice = attempt_start(learner=learner, quiz=quiz, practice=True)
    attempt_submit(attempt=practice, answers=answers_for(practice))
    assert OutgoingStatement.objects.count() == sent
    assert len(lrs.statements()) == sent


@pytest.mark.django_db
def test_an_unreachable_lrs_keeps_the_statement_and_send_again_delivers_it_once(lrs, lrs_org):
    endpoint = lrs_org.lrs_endpoints.get()
    LrsEndpoint.objects.filter(pk=endpoint.pk).update(statements_url=closed_port_url())
    course = CourseFactory(lessons=1)
    enrollment_create(learner=assigned_staff(lrs_org, course), course=course)
    row = OutgoingStatement.objects.get()
    assert (row.status, row.attempts) == ("retrying", 1)
    assert "URLError" in row.last_error
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    fixed = row.statement

    LrsEndpoint.objects.filter(pk=endpoint.pk).update(statements_url=lrs.statements_url)
    assert statements_retry(statements=OutgoingStatement.objects.all()) == 1
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("sent", "")
    assert row.statement == fixed  # the statement of the event, not rebuilt
    (stored,) = lrs.statements()
    assert stored["id"] == str(row.statement_id)
    # Sent already: sending again queues nothing.
    assert statements_retry(statements=OutgoingStatement.objects.all()) == 0


@pytest.mark.django_db
def test_a_refused_statement_fails_at_once_with_the_lrs_answer(lrs, lrs_org):
    lrs_org.lrs_endpoints.update(secret="wrong")
    course = CourseFactory(lessons=1)
    enrollment_create(learner=assigned_staff(lrs_org, course), course=course)
    row = OutgoingStatement.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "HTTP 401" in row.last_error
    assert lrs.statements() == []


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_sends_nothing_and_a_committed_one_leaves_from_the_worker(
    lrs, lrs_org, task_worker, settings
):
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    course = CourseFactory(lessons=1)
    learner = assigned_staff(lrs_org, course)

    def enroll_then_fail():
        with transaction.atomic():
            enrollment_create(learner=learner, course=course)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        enroll_then_fail()
    task_worker()
    assert not OutgoingStatement.objects.exists()
    enrollment_create(learner=learner, course=course)
    assert lrs.statements() == []  # queued, not sent from the request
    task_worker()
    assert [s["verb"]["id"] for s in lrs.statements()] == [statements.REGISTERED.id]


def test_a_statement_that_is_not_valid_xapi_is_refused_when_built():
    with pytest.raises(ValidationError):
        statements.statement_build(
            statement_id=uuid.uuid4(),
            site_url="https://repere.example.org",
            actor_name="",  # xAPI forbids empty values
            verb=statements.REGISTERED,
            activity=statements.Activity(
                "https://repere.example.org/x", statements.COURSE_TYPE, {}
            ),
            timestamp=timezone.now(),
        )


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://lrs.example.org/xAPI/statements", True),
        ("http://127.0.0.1:8100/xAPI/statements", True),
        ("http://lrs.example.org/xAPI/statements", False),
    ],
)
@pytest.mark.django_db
def test_an_lrs_is_reached_over_https_except_on_this_machine(url, valid):
    endpoint = LrsEndpoint(
        organization=OrganizationFactory(), statements_url=url, key=KEY, secret=SECRET
    )
    if valid:
        endpoint.full_clean()
    else:
        with pytest.raises(DjangoValidationError) as error:
            endpoint.full_clean()
        assert error.value.message_dict["statements_url"] == [str(ERROR_PLAIN_HTTP)]


@pytest.mark.django_db
def test_an_lrs_made_inactive_receives_nothing_more_until_it_is_active_again(lrs, lrs_org):
    from xapi.tasks import statement_send

    endpoint = lrs_org.lrs_endpoints.get()
    LrsEndpoint.objects.filter(pk=endpoint.pk).update(statements_url=closed_port_url())
    course = CourseFactory(lessons=1)
    enrollment_create(learner=assigned_staff(lrs_org, course), course=course)
    row = OutgoingStatement.objects.get()
    LrsEndpoint.objects.filter(pk=endpoint.pk).update(
        active=False, statements_url=lrs.statements_url
    )
    statements_retry(statements=OutgoingStatement.objects.all())
    assert statement_send.call([str(row.statement_id)]) == {"skipped": 1}
    assert lrs.statements() == []
    LrsEndpoint.objects.filter(pk=endpoint.pk).update(active=True)
    assert statements_retry(statements=OutgoingStatement.objects.all()) == 1
    assert len(lrs.statements()) == 1
