"""An administrator takes a quiz as a learner would, drafts included, without enrolling.

Stateless on purpose: the answers are posted, graded in memory by the grading code of
real attempts (`services.answers_grade`) and shown on the learner's result page; no
Attempt, Answer, Enrollment or progress row is written, so nothing can reach a dashboard,
a completion, a certificate or a reminder.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from courses import selectors as course_selectors
from courses.decorators import preview_permission_required
from quizzes import selectors, services
from quizzes.forms import AttemptForm, PreviewSettingsForm
from quizzes.models import Quiz


@require_http_methods(["GET", "POST"])
@preview_permission_required(Quiz)
def quiz_preview(request, slug, module_id):
    """GET: the questions of a learner of the chosen workplace (query string), in the
    attempt page's form. POST: their result. A refused form is shown again."""
    course = course_selectors.course_get_for_preview(slug=slug)
    quiz = selectors.quiz_get_in_course(course=course, module_id=module_id)
    default_workplace = selectors.learner_workplace(request.user)
    settings_form = PreviewSettingsForm(
        request.GET or None, initial={"workplace": default_workplace, "attempt": 1}
    )
    workplace, number = settings_form.settings(default_workplace=default_workplace)
    items = selectors.quiz_preview_items(quiz=quiz, workplace=workplace, attempt_number=number)
    context = {
        "quiz": quiz,
        "module": quiz.module,
        "course": course,
        "settings_form": settings_form,
        "quiz_preview_url": request.get_full_path(),
        "admin_url": reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
    }
    if request.method == "POST":
        form = AttemptForm(request.POST, items=items)
        if form.is_valid():
            try:
                grade = services.answers_grade(quiz=quiz, items=items, answers=form.answers())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                result = selectors.quiz_preview_result(items=items, grade=grade)
                context.update(attempt=result.attempt, result=result, what_next=None)
                return render(request, "quizzes/quiz_preview_result.html", context)
    else:
        form = AttemptForm(items=items)
    context.update(form=form, groups=selectors.group_by_scenario(form.bound_items()))
    return render(request, "quizzes/quiz_preview.html", context)
