"""Assigning courses to the members of an organization."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from courses.models import Course
from courses.services import enrollments_create_many
from organizations.models import Assignment, Membership, Organization

ERROR_NOT_MEMBERS = _("Courses can only be assigned to members of the organization.")
ERROR_COURSE_NOT_PUBLISHED = _("This course is not published yet.")
ERROR_NOBODY = _("Choose at least one person.")

# Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement.
BATCH = 2_000


@dataclass
class AssignReport:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


@transaction.atomic
def assignments_create(
    *,
    organization: Organization,
    course: Course,
    learners: QuerySet[User],
    due_on: datetime.date | None,
    assigned_by: User | None,
) -> AssignReport:
    """Assign the course to each of the learners (members of the organization), by
    `due_on` if given, and enroll them in it.

    Assigning again updates the due date. Nothing is saved if one of them is not a member.
    """
    if not course.is_published:
        raise ValidationError(ERROR_COURSE_NOT_PUBLISHED, code="not_published")
    learner_ids = set(learners.values_list("pk", flat=True))
    if not learner_ids:
        raise ValidationError(ERROR_NOBODY, code="nobody")
    members = set(
        Membership.objects.filter(organization=organization, user_id__in=learner_ids).values_list(
            "user_id", flat=True
        )
    )
    if members != learner_ids:
        raise ValidationError(ERROR_NOT_MEMBERS, code="not_members")
    existing = set(
        Assignment.objects.filter(
            organization=organization, course=course, learner_id__in=learner_ids
        ).values_list("learner_id", flat=True)
    )
    # One statement for all, and an upsert, so that two supervisors assigning at the same
    # moment cannot collide on the unique constraint.
    Assignment.objects.bulk_create(
        [
            Assignment(
                organization=organization,
                course=course,
                learner_id=learner_id,
                due_on=due_on,
                assigned_by=assigned_by,
            )
            for learner_id in sorted(learner_ids)
        ],
        update_conflicts=True,
        unique_fields=["organization", "learner", "course"],
        update_fields=["due_on", "assigned_by"],
        batch_size=BATCH,
    )
    enrollments_create_many(course=course, learner_ids=learner_ids)
    return AssignReport(created=len(learner_ids - existing), updated=len(learner_ids & existing))
