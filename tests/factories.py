"""Factories for every model of the project's apps."""

import base64
import hashlib
import hmac
import struct
import time

import factory
from django.utils import timezone

from accounts.models import User
from courses import hooks
from courses.models import Course, Enrollment, Lesson, LessonProgress, Module

PASSWORD = "a-long-test-password-42"


class ProgressFactory(factory.django.DjangoModelFactory):
    """A factory of rows the supervisors' dashboard summarizes (enrollments, lessons done,
    attempts, certificates, assignments): after saving one, it tells
    `courses.hooks.progress_changed` about it, as every service writing such a row does
    in its transaction, so that the maintained summary (on by default) agrees with the
    rows a test builds. `progress_changed_names(obj)` says which assignments it touches."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        hooks.progress_changed_for(**cls.progress_changed_names(obj))
        return obj

    @classmethod
    def progress_changed_names(cls, obj) -> dict:
        return {"learner_ids": [obj.learner_id], "course_ids": [obj.course_id]}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="fr_CA")
    preferred_language = "fr"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"course-{n}")
    title_fr = factory.Sequence(lambda n: f"Cours {n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    summary_fr = "Résumé du cours."
    summary_en = "Course summary."
    is_published = True

    @factory.post_generation
    def lessons(self, create, extracted, **kwargs):
        """`CourseFactory(lessons=6)`: that many lessons spread over modules of three."""
        if not create or not extracted:
            return
        for index in range(extracted):
            if index % 3 == 0:
                module = ModuleFactory(course=self, position=index // 3)
            LessonFactory(module=module, position=index % 3)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n)
    title_fr = factory.Sequence(lambda n: f"Module {n}")
    title_en = factory.Sequence(lambda n: f"Module {n} (en)")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n)
    title_fr = factory.Sequence(lambda n: f"Leçon {n}")
    title_en = factory.Sequence(lambda n: f"Lesson {n}")
    body_fr = "Un **texte** de leçon."
    body_en = "A lesson **text**."


class EnrollmentFactory(ProgressFactory):
    class Meta:
        model = Enrollment

    learner = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class LessonProgressFactory(ProgressFactory):
    class Meta:
        model = LessonProgress

    learner = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)
    completed_at = factory.LazyFunction(timezone.now)


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for `secret` (RFC 6238: HMAC-SHA1 of the
    30-second period), computed here rather than by allauth, whose check it tests."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def two_factor_for(user) -> tuple[str, list[str]]:
    """Two-factor set up for the person as the set-up page does it: (the app's secret,
    the recovery codes)."""
    # Imported here: allauth.mfa's models need the app registry, which is not ready when
    # the conftest first imports this module.
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret, RecoveryCodes.activate(user).generate_codes()
