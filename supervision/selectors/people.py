"""One person of an organization, as its supervisors see them: their assignments with
progress per requirement, quiz results and certificates, only since they joined.

Each list is one query whatever the number of courses, quizzes or attempts.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Length
from django.http import Http404

from certificates.models import Certificate
from organizations.models import Assignment, Invitation, Membership, Organization
from organizations.selectors import unit_ids_in
from quizzes.models import Attempt, Quiz
from supervision.selectors.statuses import Status, assignment_rows


def person_get(*, organization: Organization, user_id: int) -> Membership:
    """The membership of a current member of the organization or of a unit below it (a
    board's dashboard lists its schools' people): the organization's own if they have
    one, else the highest unit's. 404 for anyone else (a former member, a pending
    invitee, a member of another organization or of a unit outside this one)."""
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(organization_id__in=unit_ids_in(organization), user_id=user_id)
        .annotate(depth_key=Length("organization__path"))
        .order_by("depth_key", "organization__name", "pk")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def person_invitation_get(*, organization: Organization, invitation_id: int) -> Invitation:
    """A pending invitation of the organization or a unit below it (what its supervisor
    typed, nothing of the account); 404 for an answered, cancelled or another
    organization's one."""
    invitation = Invitation.objects.filter(
        pk=invitation_id,
        organization_id__in=unit_ids_in(organization),
        state=Invitation.State.PENDING,
    ).first()
    if invitation is None:
        raise Http404
    return invitation


def person_assignment_get(*, membership: Membership, assignment_id: int) -> Assignment:
    """One of the organization's assignments to this member; 404 otherwise."""
    assignment = (
        Assignment.objects.select_related("course", "organization", "learner")
        .filter(
            pk=assignment_id,
            organization_id=membership.organization_id,
            learner_id=membership.user_id,
        )
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def person_assignments(*, membership: Membership, today: datetime.date | None = None) -> list[dict]:
    """The courses the organization assigned the person, each with its due date, status
    (`status` and `badge`), lessons done of `lesson_count`, quizzes passed of
    `quiz_count`, the best score and the completion, since the person joined."""
    quiz_count = Coalesce(
        Subquery(
            Quiz.objects.filter(module__course_id=OuterRef("course_id"))
            .order_by()
            .values("module__course_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    rows = (
        assignment_rows(today=today)
        .filter(organization_id=membership.organization_id, learner_id=membership.user_id)
        .annotate(
            quiz_count=quiz_count,
            # As the dashboard counts them: in the enrollment's current cycle, since joining.
            quizzes_passed=F("passed_count"),
        )
        .order_by("due_on", "course_title", "pk")
        .values(
            "pk",
            "course_id",
            "course_title",
            "due_on",
            "status_rank",
            "lesson_count",
            "done_count",
            "quiz_count",
            "quizzes_passed",
            "completed_at",
            "best_score",
        )
    )
    result = []
    for row in rows:
        status = Status.at(row["status_rank"])
        result.append(
            {**row, "status": status, "status_label": Status.labels[status],
             "badge": Status.badges[status]}
        )  # fmt: skip
    return result


@dataclass
class QuizResult:
    quiz: Quiz
    course_id: int
    best_score: int | None
    attempts: int
    passed: bool


def person_quiz_results(*, membership: Membership, course_ids: list[int]) -> list[QuizResult]:
    """Every quiz of the assigned courses with the person's best score, number of
    submitted attempts and whether one passed, since they joined. Never the answers."""
    attempts = Attempt.objects.recorded().filter(
        learner_id=membership.user_id,
        quiz_id=OuterRef("pk"),
        submitted_at__isnull=False,
        submitted_at__gte=membership.created_at,
    )
    quizzes = (
        Quiz.objects.filter(module__course_id__in=course_ids)
        .select_related("module")
        .annotate(
            best_score=Subquery(
                attempts.order_by().values("quiz_id").annotate(best=Max("score")).values("best"),
                output_field=IntegerField(),
            ),
            attempt_count=Coalesce(
                Subquery(
                    attempts.order_by().values("quiz_id").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            passed=Exists(attempts.filter(passed=True)),
        )
        .order_by("module__course_id", "module__position", "pk")
    )
    return [
        QuizResult(
            quiz=quiz,
            course_id=quiz.module.course_id,
            best_score=quiz.best_score,
            attempts=quiz.attempt_count,
            passed=quiz.passed,
        )
        for quiz in quizzes
    ]


def person_certificates(*, membership: Membership) -> QuerySet[Certificate]:
    """The person's certificates that the organization's supervisors may see
    (`supervisor_can_see_certificate`): for a course the organization assigned them,
    issued since they joined. Newest first; revoked ones too, shown as revoked."""
    assigned = Assignment.objects.filter(
        organization_id=membership.organization_id, learner_id=membership.user_id
    ).values("course_id")
    return Certificate.objects.filter(
        holder_id=membership.user_id,
        course_id__in=assigned,
        issued_at__gte=membership.created_at,
    ).order_by("-issued_at", "-pk")
