from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import selectors as course_selectors
from courses.decorators import follows_former_slug
from courses.services import ERROR_NOT_ENROLLED as ERROR_COURSE_NOT_ENROLLED
from quizzes import selectors, services
from quizzes.forms import AttemptForm


def _quiz_for(request, slug, module_id):
    course = course_selectors.course_get_visible(user=request.user, slug=slug)
    return selectors.quiz_get_in_course(course=course, module_id=module_id)


@require_GET
@login_required
@follows_former_slug
def quiz_detail(request, slug, module_id):
    """The quiz's start page: pass mark, attempts left, how questions work, past attempts."""
    quiz = _quiz_for(request, slug, module_id)
    enrollment = selectors.enrollment_for(learner=request.user, course_id=quiz.module.course_id)
    if enrollment is None:
        messages.info(request, ERROR_COURSE_NOT_ENROLLED)
        return redirect(quiz.module.course)
    page = selectors.quiz_start_page(quiz=quiz, learner=request.user, enrollment=enrollment)
    context = {"quiz": quiz, "module": quiz.module, "course": quiz.module.course, **page}
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
@login_required
def quiz_start(request, slug, module_id):
    quiz = _quiz_for(request, slug, module_id)
    practice = request.POST.get("practice") == "1"
    try:
        attempt = services.attempt_start(learner=request.user, quiz=quiz, practice=practice)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(quiz)
    return redirect(attempt)


def _render_attempt(request, attempt, form):
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "module": attempt.quiz.module,
        "course": attempt.quiz.module.course,
        "form": form,
        "groups": selectors.group_by_scenario(form.bound_items()),
    }
    return render(request, "quizzes/attempt_detail.html", context)


@require_GET
@login_required
def attempt_detail(request, attempt_id):
    """The attempt page: every question of the attempt in one form."""
    attempt = selectors.attempt_get_for_learner(learner=request.user, attempt_id=attempt_id)
    if attempt.submitted_at is not None:
        return redirect(attempt)
    form = AttemptForm(items=selectors.attempt_questions_to_answer(attempt=attempt))
    return _render_attempt(request, attempt, form)


@require_http_methods(["GET", "POST"])
@login_required
def attempt_submit(request, attempt_id):
    """Grade the answers (POST). A refused form is shown again at this address, so its
    language switcher leads here with GET: that opens the attempt again."""
    attempt = selectors.attempt_get_for_learner(learner=request.user, attempt_id=attempt_id)
    if request.method == "GET":
        return redirect(attempt)
    if attempt.submitted_at is not None:
        # Back and resubmit, a second tab: the result stands, nothing is graded again.
        messages.info(request, services.ERROR_ALREADY_SUBMITTED)
        return redirect(attempt)
    items = selectors.attempt_questions_to_grade(attempt=attempt)
    form = AttemptForm(request.POST, items=items)
    if not form.is_valid():
        return _render_attempt(request, attempt, form)
    try:
        services.attempt_submit(
            attempt=attempt,
            answers=form.answers(),
            items=items,
        )
    except ValidationError as error:
        return _submission_refused(request, attempt, form, error)
    return redirect(attempt)


def _submission_refused(request, attempt, form, error: ValidationError):
    """The refused submission, told in the learner's language where it leads."""
    if error.code == "already_submitted":
        messages.info(request, error.messages[0])
        return redirect("quizzes:attempt_result", attempt_id=attempt.pk)
    if error.code in {"earlier_cycle", "past_limit"}:
        messages.error(request, error.messages[0])
        return redirect(attempt.quiz)
    form.add_error(None, error)
    return _render_attempt(request, attempt, form)


@require_GET
@login_required
def attempt_result(request, attempt_id):
    """Score, pass or not, each question with the learner's choices, the right ones and
    the feedback of every choice."""
    attempt = selectors.attempt_get_for_learner(learner=request.user, attempt_id=attempt_id)
    if attempt.submitted_at is None:
        return redirect(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "module": attempt.quiz.module,
        "course": attempt.quiz.module.course,
        "result": selectors.attempt_result(attempt=attempt),
        "what_next": selectors.attempt_what_next(attempt=attempt, learner=request.user)
        if attempt.passed or attempt.practice
        else None,
    }
    return render(request, "quizzes/attempt_result.html", context)
