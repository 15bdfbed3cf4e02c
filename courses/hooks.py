"""What apps above courses add to a course, without courses importing them.

courses sits low in the layers (only accounts is below it), yet a course is complete only
when its quizzes are passed, and its page shows each module's quiz and the certificate.
So the apps above fill these registries from their `AppConfig.ready()`, and courses calls
whatever is registered, knowing nothing else about them:

- `completion_requirements`: `(enrollment) -> bool`, one more thing a course requires
  beyond its lessons (see `courses.completion`, the rule's one owner). Its app also
  registers the same requirement as `course_steps`, for the progress shown.
- `module_sections`: `(outline, request) -> {module id: HTML}`, shown under a module's
  lessons on the course page.
- `course_intro_panels`: `(outline, request) -> HTML`, shown at the top of the course page,
  before its modules, to anyone who may see the course (assessments: the invitation to
  the knowledge check before the course); an empty string shows nothing.
- `completion_panels`: `(outline, request) -> HTML`, shown under "Completed on" on the
  course page once the enrollment is complete.
- `completion_page_panels`: `(outline, request) -> HTML`, shown on the completion page
  only (surveys: the feedback survey), under the course page's completion panels.
- `next_steps`: `(outline, module_id) -> URL or None`, where marking a lesson of that
  module as done leads before the next lesson (the first one that answers wins).
- `course_steps`: `(learner, enrollments) -> {enrollment id: [courses.progress.Step]}`,
  what a course requires beyond its lessons, as steps a learner can open (the quizzes to
  pass), for every enrollment at once: My learning and the course page count them in the
  progress, list what remains and resume at the first step not done. The app that adds a
  completion requirement adds its steps from the same rule.
- `due_dates`: `(learner, course_ids) -> {course id: date}`, the date by which someone
  asks the learner to finish a course (organizations: the assignments' due dates); the
  earliest of all wins.
- `admin_course_actions`: admin actions `(modeladmin, request, queryset)` (with their
  `description`, as `@admin.action` gives) added to the admin's course list.
- `admin_course_links`: `(course, request) -> (label, URL) or None`, buttons on the admin's
  course page beside "History" (curriculum: "Export as a course file").
- `translation_gaps`: `(course_ids) -> [courses.translation_status.Gap]`, the translated
  fields empty in French or English in what the app adds to those courses (quizzes: the
  scenarios, questions, choices and their feedback); a course is not published while any
  is missing, and the catalogue counts them for administrators.
- `content_snapshots`: `(course) -> [entry]`, the content an app adds to a course (quizzes:
  its quizzes, scenarios, questions and choices), as `courses.versions.entry` dicts: what a
  published version keeps and the course history compares (`courses.versions.snapshot`).
- `progress_changed`: `(*, assignment_ids=None, learner_ids=None, course_ids=None)`,
  called by every write below supervision that changes what the supervisors' dashboard
  shows of some assignments (a lesson done, a quiz submitted, a completion, a
  certificate issued or revoked, an assignment or its due date, a membership begun or
  ended), inside that write's transaction, naming the assignments by id, learner or
  course (lists or querysets of ids; those given all apply). supervision registers the
  refresh of its maintained summary; see `progress_changed_for`.
- `course_completed`: a signal sent once when an enrollment becomes complete, inside the
  transaction that completed it (`sender=Enrollment, enrollment=<Enrollment>`).

Who registers: `organizations/apps.py` (the assignments' due dates),
`quizzes/course_page.py` (the quiz requirement and its steps, each module's quiz state,
the quiz due after a module's lessons, the quizzes' translation gaps), `quizzes/versions.py`
(the quizzes' content in a published version), `certificates/course_page.py` (the current
certificate, and issuing it on `course_completed`), `curriculum/apps.py` (the course
file's export in the admin), `surveys/course_page.py` (the feedback survey on the
completion page, the survey report's button in the admin) and `assessments/course_page.py`
(the invitation to the knowledge check on the course page, and the check after the
course on the completion page, above the survey: assessments comes before surveys in
INSTALLED_APPS; the knowledge check items' translation gaps and their content in a
published version; the item analysis's button in the admin). Apps are readied in
INSTALLED_APPS order, so contributions run and show in that order: quizzes, then
certificates. Registering the same function twice keeps one.

Each function receives courses' own objects (an `Enrollment`, a
`courses.selectors.CourseOutline`) and must run a fixed number of queries, whatever the
number of modules: the course page's query count depends on it.
"""

from collections.abc import Callable

from django.dispatch import Signal


class Registry:
    """An ordered list of functions, each registered once."""

    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []

    def __repr__(self):
        return f"<Registry {self.name}: {len(self._functions)}>"

    def __iter__(self):
        return iter(tuple(self._functions))

    def register(self, function: Callable) -> Callable:
        """Add `function` (usable as a decorator); a second registration changes nothing."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable) -> None:
        if function in self._functions:
            self._functions.remove(function)


completion_requirements = Registry("completion requirements")
module_sections = Registry("module sections")
course_intro_panels = Registry("course intro panels")
completion_panels = Registry("completion panels")
completion_page_panels = Registry("completion page panels")
next_steps = Registry("next steps")
course_steps = Registry("course steps")
due_dates = Registry("due dates")
admin_course_actions = Registry("admin course actions")
admin_course_links = Registry("admin course links")
translation_gaps = Registry("translation gaps")
content_snapshots = Registry("content snapshots")
progress_changed = Registry("progress changed")

course_completed = Signal()


# --- what courses calls ---------------------------------------------------------------------


def modules_with_sections(*, outline, request) -> list[tuple]:
    """[(module, [HTML of each registered section])] in the outline's order."""
    by_function = [function(outline, request) for function in module_sections]
    return [
        (module, [sections[module.pk] for sections in by_function if module.pk in sections])
        for module in outline.modules
    ]


def rendered_course_intro_panels(*, outline, request) -> list[str]:
    """The HTML of each registered intro panel that has something to show."""
    return [
        html for html in (function(outline, request) for function in course_intro_panels) if html
    ]


def rendered_completion_panels(*, outline, request) -> list[str]:
    """The HTML of each registered completion panel that has something to show."""
    if outline.enrollment is None or outline.enrollment.completed_at is None:
        return []
    return [html for html in (function(outline, request) for function in completion_panels) if html]


def rendered_completion_page_panels(*, outline, request) -> list[str]:
    """The HTML of each panel registered for the completion page alone."""
    if outline.enrollment is None or outline.enrollment.completed_at is None:
        return []
    return [
        html for html in (function(outline, request) for function in completion_page_panels) if html
    ]


def next_step(*, outline, module_id: int) -> str | None:
    """Where marking a lesson of the module as done leads, if an app says so."""
    return next(
        (url for url in (step(outline, module_id) for step in next_steps) if url is not None),
        None,
    )


def due_dates_for(*, learner, course_ids: list[int]) -> dict:
    """{course id: the earliest date anyone registered asks the course finished by}."""
    earliest: dict = {}
    for function in due_dates:
        for course_id, day in function(learner, course_ids).items():
            if day is not None and (course_id not in earliest or day < earliest[course_id]):
                earliest[course_id] = day
    return earliest


def admin_links_for(*, course, request) -> list[tuple[str, str]]:
    """The (label, URL) of each registered admin button that applies to the course."""
    return [link for link in (function(course, request) for function in admin_course_links) if link]


def progress_changed_for(*, assignment_ids=None, learner_ids=None, course_ids=None) -> None:
    """Tell every registered app that the assignments named changed (see `progress_changed`)."""
    for function in progress_changed:
        function(assignment_ids=assignment_ids, learner_ids=learner_ids, course_ids=course_ids)
