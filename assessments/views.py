from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import selectors, services
from assessments.forms import CheckForm
from assessments.models import Phase
from courses.selectors import course_get_visible, course_outline


def _after_skipping(*, course, phase, user) -> str:
    """Before the course: its first lesson; after it: the completion page."""
    if phase == Phase.POST:
        return reverse("courses:course_completed", kwargs={"slug": course.slug})
    lesson = course_outline(course=course, user=user).next_lesson
    return lesson.get_absolute_url() if lesson is not None else course.get_absolute_url()


@require_http_methods(["GET", "POST"])
@login_required
def check(request, slug, phase):
    """The knowledge check before or after the course: its content note and its items;
    once taken, the learner's own result (the score only: no answer is marked, which
    would teach the questions before the course is measured)."""
    course = course_get_visible(user=request.user, slug=slug)
    attempts = selectors.attempts_of(learner=request.user, course=course)
    form_letter = selectors.form_for(
        learner=request.user, course=course, phase=phase, attempts=attempts
    )
    items = list(selectors.items_of(course=course, form=form_letter))
    if not items:
        raise Http404
    context = {"course": course, "phase": phase, "attempts": attempts}
    if phase in attempts:
        return render(request, "assessments/check_result.html", context)
    if request.method == "POST" and "skip" in request.POST:
        messages.info(request, _("You skipped the knowledge check: nothing was recorded."))
        return redirect(_after_skipping(course=course, phase=phase, user=request.user))
    try:
        services.check_open(learner=request.user, course=course, phase=phase)
    except ValidationError as error:
        messages.info(request, error.messages[0])
        return redirect(course)
    form = CheckForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST":
        if not form.is_valid():
            context["form"] = form
            return render(request, "assessments/check_form.html", context, status=400)
        if not form.choices():
            # Nothing answered is not a score of zero: as the survey, it records nothing.
            messages.info(request, _("You answered nothing: nothing was recorded."))
            return redirect(_after_skipping(course=course, phase=phase, user=request.user))
        try:
            services.attempt_submit(
                learner=request.user, course=course, phase=phase, choices=form.choices()
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(request.path)
    context["form"] = form
    return render(request, "assessments/check_form.html", context)
