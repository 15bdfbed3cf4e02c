"""Statements reach a real LRS (ralph's, on 127.0.0.1): what a learner of an organization
with an LRS does is read back from it, with the verbs, activity types and scores of the
README's "xAPI"; a learner of an organization without one sends nothing."""

import uuid
from collections import Counter

import pytest
from django.conf import settings

from courses.models import Enrollment
from courses.services import enrollment_create, lesson_mark_done
from organizations.services.assignments import assignments_create
from quizzes.services import attempt_start, attempt_submit
from tests.factories import CourseFactory, LessonFactory, ModuleFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of
from tests.quizzes.factories import answers_for, quiz_with_questions
from tests.xapi.conftest import assigned_staff
from xapi.models import LearnerAccount, OutgoingStatement
from xapi.statements import COURSE_TYPE, LESSON_TYPE, QUIZ_TYPE

ADL = "http://adlnet.gov/expapi/verbs/"


def course_with_quiz():
    """A course of one module: a lesson, then a quiz of 4 questions (and the lesson its
    questions measure): complete once both lessons are done and the quiz passed."""
    course = CourseFactory(title_fr="Reconnaître la traite", title_en="Recognising trafficking")
    module = ModuleFactory(course=course, title_fr="Les signes", title_en="The signs")
    LessonFactory(module=module)
    quiz_with_questions(4, module=module)
    return course, module.quiz


def take_course(learner, course, quiz):
    enrollment_create(learner=learner, course=course)
    for lesson in [lesson for module in course.modules.all() for lesson in module.lessons.all()]:
        lesson_mark_done(learner=learner, lesson=lesson)
    failed = attempt_start(learner=learner, quiz=quiz)
    answers = answers_for(failed, right=False)
    attempt_submit(attempt=failed, answers=answers)
    passed = attempt_start(learner=learner, quiz=quiz)
    answers = answers_for(passed)
    first = next(iter(answers))
    attempt_submit(
        attempt=passed, answers={**answers, first: answers_for(passed, right=False)[first]}
    )
    return failed, passed


@pytest.mark.django_db
def test_a_learners_course_arrives_at_the_lrs_and_another_organizations_learner_sends_nothing(
    lrs, lrs_org
):
    course, quiz = course_with_quiz()
    quiz.pass_mark = 75
    quiz.save()
    learner = assigned_staff(
        lrs_org, course, email="alice@example.org", full_name="Alice Arsenault"
    )
    elsewhere = assigned_staff(
        OrganizationFactory(), course, email="bea@example.org", full_name="Béa Roy"
    )

    failed, passed = take_course(learner, course, quiz)
    take_course(elsewhere, course, quiz)

    statements = lrs.statements()
    verbs = Counter((s["verb"]["id"], s["object"]["definition"]["type"]) for s in statements)
    assert verbs == {
        (ADL + "registered", COURSE_TYPE): 1,
        (ADL + "completed", LESSON_TYPE): 2,
        (ADL + "attempted", QUIZ_TYPE): 2,
        (ADL + "failed", QUIZ_TYPE): 1,
        (ADL + "passed", QUIZ_TYPE): 1,
        (ADL + "completed", COURSE_TYPE): 1,
    }
    # Everything is Alice's, under her opaque name for the organization: no e-mail, no name.
    name = str(LearnerAccount.objects.get(user=learner, organization=lrs_org).name)
    assert {s["actor"]["account"]["name"] for s in statements} == {name}
    assert {s["actor"]["account"]["homePage"] for s in statements} == {settings.SITE_URL}
    for text in ("alice@example.org", "Alice", "Arsenault", "bea@example.org", "Béa"):
        assert text not in str(statements)
    results = {s["verb"]["id"]: s["result"] for s in statements if "score" in s.get("result", {})}
    assert results[ADL + "failed"] == {
        "score": {"scaled": 0.0, "raw": 0, "min": 0, "max": 4},
        "success": False,
        "completion": True,
    }
    assert results[ADL + "passed"]["score"] == {"scaled": 0.75, "raw": 3, "min": 0, "max": 4}
    assert results[ADL + "passed"]["success"] is True
    # The quiz and lessons name their course as parent; one registration for the round.
    quiz_statement = next(s for s in statements if s["verb"]["id"] == ADL + "passed")
    assert quiz_statement["object"]["definition"]["name"] == {
        "fr-CA": "Les signes",
        "en-CA": "The signs",
    }
    (parent,) = quiz_statement["context"]["contextActivities"]["parent"]
    assert parent["definition"]["name"]["en-CA"] == "Recognising trafficking"
    assert len({s["context"]["registration"] for s in statements}) == 1
    assert set(OutgoingStatement.objects.values_list("status", flat=True)) == {"sent"}
    assert OutgoingStatement.objects.count() == len(statements) == 8


@pytest.mark.django_db
def test_a_statement_sent_again_is_stored_once(lrs, lrs_org):
    course, _quiz = course_with_quiz()
    enrollment_create(learner=assigned_staff(lrs_org, course), course=course)
    row = OutgoingStatement.objects.get()
    assert row.status == "sent"
    # As after an answer lost on the way back: sent a second time, with the same id.
    OutgoingStatement.objects.filter(pk=row.pk).update(status="queued")
    from xapi.tasks import statement_send

    assert statement_send.call([str(row.statement_id)]) == {"sent": 1}
    (stored,) = lrs.statements()
    assert stored["id"] == str(row.statement_id)


@pytest.mark.django_db
def test_a_course_the_organization_did_not_assign_is_not_its_business(lrs, lrs_org):
    course, quiz = course_with_quiz()
    take_course(staff_of(lrs_org), course, quiz)
    assert lrs.statements() == []
    assert not OutgoingStatement.objects.exists()


@pytest.mark.django_db
def test_an_assignment_to_a_team_registers_each_of_them_once_at_the_lrs(lrs, lrs_org):
    course, _quiz = course_with_quiz()
    course.is_published = True
    course.save()
    team = [staff_of(lrs_org) for _ in range(3)]
    early = team[0]
    # One of them had enrolled themself before: registered when the organization assigns.
    enrollment_create(learner=early, course=course)
    elsewhere = OrganizationFactory()  # no LRS: assigning its people sends nothing
    assignments_create(
        organization=elsewhere, course=course,
        learners=type(early).objects.filter(pk=staff_of(elsewhere).pk), due_on=None,
        assigned_by=supervisor_of(elsewhere), notify=False,
    )  # fmt: skip
    learners = type(early).objects.filter(pk__in=[person.pk for person in team])
    for _ in range(2):  # assigning again registers nobody twice
        assignments_create(
            organization=lrs_org, course=course, learners=learners, due_on=None,
            assigned_by=supervisor_of(lrs_org), notify=False,
        )  # fmt: skip

    registered = [s for s in lrs.statements() if s["verb"]["id"] == ADL + "registered"]
    names = {account.name: account.user_id for account in LearnerAccount.objects.all()}
    assert sorted(names[uuid_of(s)] for s in registered) == sorted(p.pk for p in team)
    assert {s["object"]["id"] for s in registered} == {
        f"{settings.SITE_URL}/xapi/activities/course/{course.pk}"
    }
    assert Enrollment.objects.filter(course=course).count() == 4


def uuid_of(statement) -> uuid.UUID:
    return uuid.UUID(statement["actor"]["account"]["name"])
