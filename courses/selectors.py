"""Reads of the courses app: each returns what a page needs in a fixed number of queries."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from courses import hooks, progress
from courses.models import ContentEdit, Course, Enrollment, Lesson, LessonProgress, Module


def courses_visible_to(user) -> QuerySet[Course]:
    """Published courses; administrators also see drafts, to preview them."""
    courses = Course.objects.all()
    if not (user.is_authenticated and user.is_staff):
        courses = courses.filter(is_published=True)
    return courses


def course_get_visible(*, user, slug: str) -> Course:
    return get_object_or_404(courses_visible_to(user), slug=slug)


def course_get_for_preview(*, slug: str) -> Course:
    """Any course, draft or published: what an administrator previews (the view checks
    that they may)."""
    return get_object_or_404(Course, slug=slug)


def course_slug_now(*, user, former_slug: str) -> str | None:
    """The current slug of the visible course that once had `former_slug`, if there is one."""
    return (
        courses_visible_to(user)
        .filter(former_slugs__slug=former_slug)
        .values_list("slug", flat=True)
        .first()
    )


def _lesson_count_subquery(course_ref: str):
    return Coalesce(
        Subquery(
            Lesson.objects.filter(module__course_id=OuterRef(course_ref))
            .order_by()
            .values("module__course_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def my_learning(*, learner) -> list[Enrollment]:
    """The learner's enrollments (My learning), each with its `progress`
    (`courses.progress.CourseProgress`: every requirement, what remains, the next step and
    the due date), in a fixed number of queries whatever the number of courses."""
    enrollments = list(
        Enrollment.objects.filter(learner=learner, course__in=courses_visible_to(learner))
        .select_related("course")
        .order_by("completed_at", "-last_activity_at", "-enrolled_at", "pk")
    )
    by_enrollment = progress.progress_for(learner=learner, enrollments=enrollments)
    for enrollment in enrollments:
        enrollment.progress = by_enrollment[enrollment.pk]
    return enrollments


def course_progress(*, outline: "CourseOutline", user) -> "progress.CourseProgress | None":
    """The enrolled user's progress in the outline's course (every requirement), if any."""
    if outline.enrollment is None:
        return None
    return progress.progress_for(learner=user, enrollments=[outline.enrollment])[
        outline.enrollment.pk
    ]


def catalogue_for(*, user) -> QuerySet[Course]:
    """Visible courses with `lesson_count`, and `enrolled` for a signed-in user."""
    courses = courses_visible_to(user).annotate(lesson_count=_lesson_count_subquery("pk"))
    if user.is_authenticated:
        courses = courses.annotate(
            enrollment_id=Subquery(
                Enrollment.objects.filter(course_id=OuterRef("pk"), learner=user).values("pk")[:1]
            )
        )
    return courses


@dataclass
class CourseOutline:
    course: Course
    enrollment: Enrollment | None
    modules: list[Module]
    done_ids: set[int] = field(default_factory=set)

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons.all()]

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.done_ids)

    @property
    def next_lesson(self) -> Lesson | None:
        """The first lesson not yet done (where Start/Resume leads)."""
        lessons = self.lessons
        return next((lesson for lesson in lessons if lesson.pk not in self.done_ids), None)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        lessons = self.lessons
        index = next(i for i, candidate in enumerate(lessons) if candidate.pk == lesson.pk)
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        return previous, following


def _lessons_with_done(lessons: QuerySet[Lesson], *, user) -> QuerySet[Lesson]:
    """`is_done` on each lesson: one EXISTS per lesson in the same query, instead of a
    query of the user's progress beside it."""
    if not user.is_authenticated:
        return lessons.annotate(is_done=Value(False))
    return lessons.annotate(
        is_done=Exists(LessonProgress.objects.filter(learner_id=user.pk, lesson_id=OuterRef("pk")))
    )


def course_outline(*, course: Course, user) -> CourseOutline:
    """The course's modules and lessons in order, with what the user has done (three
    queries: the modules, their lessons with whether each is done, the enrollment)."""
    lessons = Lesson.objects.order_by("position", "pk").defer("body_fr", "body_en")
    modules = list(
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("lessons", queryset=_lessons_with_done(lessons, user=user)))
    )
    done_ids: set[int] = set()
    for module in modules:
        for lesson in module.lessons.all():
            # Spare each lesson's get_absolute_url a query for its module and course.
            lesson.module = module
            module.course = course
            if lesson.is_done:
                done_ids.add(lesson.pk)
    enrollment = None
    if user.is_authenticated:
        enrollment = Enrollment.objects.filter(learner=user, course=course).first()
    if enrollment is None:
        done_ids = set()
    return CourseOutline(course=course, enrollment=enrollment, modules=modules, done_ids=done_ids)


@dataclass
class LessonOutline:
    """What the lesson page shows around a lesson: the course's lessons in order (each
    with its module), which of them the learner has done, and whether they are enrolled.
    The lesson page's own `course_outline`, in fewer queries: it needs no module without
    lessons and no Enrollment row."""

    course: Course
    lesson: Lesson
    lessons: list[Lesson]
    done_ids: set[int]
    is_enrolled: bool

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def done_count(self) -> int:
        return len(self.done_ids)

    def place(self) -> dict:
        """The lesson, its module, the lessons before and after it, whether it is done,
        and whether it opens its module (its content note goes above it)."""
        lesson, lessons = self.lesson, self.lessons
        index = next(i for i, candidate in enumerate(lessons) if candidate.pk == lesson.pk)
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        return {
            "lesson": lesson,
            "module": lesson.module,
            "previous": previous,
            "next": following,
            "is_done": lesson.pk in self.done_ids,
            "opens_module": previous is None or previous.module_id != lesson.module_id,
        }


# The columns the lesson page shows of a course and a module (the rest, content fields
# above all, would be read for nothing on every page).
_LESSON_PAGE_COURSE = ("slug", "title", "is_published")
_LESSON_PAGE_MODULE = ("position", "title", "content_note", "course_id")


def lesson_outline(*, user, slug: str, lesson_id: int) -> LessonOutline:
    """The lesson `lesson_id` of the visible course `slug` among its course's lessons, in
    one query: every lesson of the course in order, with its module, whether the user has
    done it and whether they are enrolled, and the body of `lesson_id` only. 404 when the
    course is not visible or the lesson is not one of its own."""
    lessons = Lesson.objects.filter(module__course__slug=slug)
    if not (user.is_authenticated and user.is_staff):  # as courses_visible_to, without a subquery
        lessons = lessons.filter(module__course__is_published=True)
    return _lesson_outline(lessons, user=user, lesson_id=lesson_id)


def lesson_preview_outline(*, slug: str, lesson_id: int) -> LessonOutline:
    """The lesson page's outline as a learner who has not started sees it (nothing done,
    not enrolled), for an administrator's preview: drafts included, and nothing of the
    administrator's own progress. 404 as `lesson_outline`."""
    lessons = Lesson.objects.filter(module__course__slug=slug)
    return _lesson_outline(lessons, user=AnonymousUser(), lesson_id=lesson_id)


def _lesson_outline(lessons: QuerySet[Lesson], *, user, lesson_id: int) -> LessonOutline:
    if user.is_authenticated:
        enrolled = Exists(
            Enrollment.objects.filter(learner_id=user.pk, course_id=OuterRef("module__course_id"))
        )
    else:
        enrolled = Value(False)
    # The body, in each language, of the lesson shown; nothing for the others.
    bodies = {
        f"page_{name}": Case(
            When(pk=lesson_id, then=F(name)), default=Value(""), output_field=TextField()
        )
        for name in _body_fields()
    }
    lessons = list(
        _lessons_with_done(lessons, user=user)
        .select_related("module__course")
        .only(
            "position",
            "title",
            "minutes",
            "module_id",
            *(f"module__{name}" for name in _LESSON_PAGE_MODULE),
            *(f"module__course__{name}" for name in _LESSON_PAGE_COURSE),
        )  # fmt: skip
        .annotate(is_enrolled=enrolled, **bodies)
        .order_by("module__position", "module_id", "position", "pk")
    )
    lesson = next((each for each in lessons if each.pk == lesson_id), None)
    if lesson is None:
        raise Http404
    for name in _body_fields():
        setattr(lesson, name, getattr(lesson, f"page_{name}"))
    course = lesson.module.course
    for each in lessons:
        each.module.course = course  # one course object, and get_absolute_url without a query
    done_ids = {each.pk for each in lessons if each.is_done} if lesson.is_enrolled else set()
    return LessonOutline(
        course=course,
        lesson=lesson,
        lessons=lessons,
        done_ids=done_ids,
        is_enrolled=lesson.is_enrolled,
    )


def _body_fields() -> list[str]:
    """The columns of a lesson's body in each language (modeltranslation's `body_fr`…)."""
    return [build_localized_fieldname("body", code) for code in settings.MODELTRANSLATION_LANGUAGES]


def next_after_lesson(*, course: Course, lesson: Lesson, user) -> str | Lesson | Course:
    """Where marking the lesson as done leads: the completion page if that completed the
    course, else what another app asks first (the module's quiz, until it is passed; see
    courses.hooks), else the next lesson, else the course."""
    outline = course_outline(course=course, user=user)
    if outline.enrollment is not None and outline.enrollment.completed_at is not None:
        return reverse("courses:course_completed", kwargs={"slug": course.slug})
    step = hooks.next_step(outline=outline, module_id=lesson.module_id)
    _previous, following = outline.neighbours(lesson)
    return step or following or course


def modules_of_course(*, course_id: int) -> QuerySet[Module]:
    """The modules a lesson of this course may be moved to (its course's own): progress
    records the lesson's course, so a lesson never changes course."""
    return Module.objects.filter(course_id=course_id).select_related("course")


def lesson_get_in_course(*, course: Course, lesson_id: int) -> Lesson:
    """The lesson, if it belongs to the course; 404 otherwise (tampered URLs and forms)."""
    try:
        return Lesson.objects.select_related("module").get(pk=lesson_id, module__course=course)
    except Lesson.DoesNotExist as exc:
        raise Http404 from exc


def content_edits_of(*, instances) -> QuerySet:
    """The history of edits of these rows of content (a question and its choices), newest
    first, with who made them: one query."""
    ids_by_model: dict = {}
    for instance in instances:
        ids_by_model.setdefault(type(instance), []).append(instance.pk)
    condition = Q(pk__in=[])
    for model, ids in ids_by_model.items():
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return ContentEdit.objects.filter(condition).select_related("edited_by", "content_type")


def course_versions(*, course) -> list:
    """The course's published versions, oldest first, with who published them."""
    return list(course.versions.select_related("published_by").order_by("number"))
