"""What the organizations a learner belongs to ask of them: the due dates of their courses."""

import datetime

from django.db.models import Exists, Min, OuterRef

from organizations.models import Assignment, Membership


def due_dates_of(learner, course_ids: list[int]) -> dict[int, datetime.date]:
    """{course id: the earliest due date among the assignments of these courses to the
    learner by organizations they still belong to}, one query for any number of courses.

    Registered in `courses.hooks.due_dates` (OrganizationsConfig.ready): My learning and
    the course page show it.
    """
    if not learner.is_authenticated or not course_ids:
        return {}
    still_member = Exists(
        Membership.objects.filter(organization_id=OuterRef("organization_id"), user_id=learner.pk)
    )
    rows = (
        Assignment.objects.filter(
            still_member, learner_id=learner.pk, course_id__in=course_ids, due_on__isnull=False
        )
        .order_by()
        .values("course_id")
        .annotate(earliest=Min("due_on"))
        .values_list("course_id", "earliest")
    )
    return dict(rows)
