"""Factories of the certificates app."""

import datetime

import factory
from django.utils import timezone

from certificates import codes, services
from certificates.credentials import recipient
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrollment, Lesson
from tests.factories import EnrollmentFactory, ProgressFactory


class CertificateFactory(ProgressFactory):
    """A certificate of a completed enrollment, valid for a year from today."""

    class Meta:
        model = Certificate

    enrollment = factory.SubFactory(
        EnrollmentFactory, completed_at=factory.LazyFunction(timezone.now)
    )
    holder = factory.SelfAttribute("enrollment.learner")
    course = factory.SelfAttribute("enrollment.course")
    cycle = factory.SelfAttribute("enrollment.cycle")
    code = factory.LazyFunction(codes.generate)
    organization = None
    holder_name = factory.SelfAttribute("holder.full_name")
    # What the certificate froze at issue, as certificate_issue copies it.
    course_title_fr = factory.LazyAttribute(lambda o: o.course.title_fr or o.course.title)
    course_title_en = factory.LazyAttribute(lambda o: o.course.title_en or "")
    organization_name = factory.LazyAttribute(
        lambda o: o.organization.name if o.organization else ""
    )
    languages = factory.LazyAttribute(
        lambda o: ",".join(services.certificate_languages(holder=o.holder, course=o.course))
    )
    recipient_salt = factory.LazyFunction(recipient.new_salt)
    recipient_hash = factory.LazyAttribute(
        lambda o: recipient.identity_hash(o.holder.email, o.recipient_salt)
    )
    content_version = 1
    completed_at = factory.LazyFunction(timezone.now)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))

    @classmethod
    def progress_changed_names(cls, obj) -> dict:
        return {"learner_ids": [obj.holder_id], "course_ids": [obj.course_id]}


def complete_course(*, learner, course) -> Enrollment:
    """Enroll the learner and mark every lesson done through the courses services, as
    the lesson pages do: the last one completes the course."""
    enrollment = course_services.enrollment_create(learner=learner, course=course)
    for lesson in Lesson.objects.filter(module__course=course).order_by(
        "module__position", "position"
    ):
        course_services.lesson_mark_done(learner=learner, lesson=lesson)
    enrollment.refresh_from_db()
    return enrollment
