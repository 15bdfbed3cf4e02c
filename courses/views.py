from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.hooks import landing_page
from courses import hooks, selectors, services, translation_status
from courses.decorators import follows_former_slug


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect(landing_page(request.user) or "courses:my_learning")
    courses = selectors.catalogue_for(user=request.user)
    return render(request, "courses/home.html", {"courses": courses})


@require_GET
def catalogue(request):
    courses = selectors.catalogue_for(user=request.user)
    if request.user.is_staff:
        # Administrators see drafts: say what each still misses in French or English.
        courses = translation_status.drafts_with_translation_status(courses)
    return render(request, "courses/catalogue.html", {"courses": courses})


@require_GET
@follows_former_slug
def course_detail(request, slug):
    course = selectors.course_get_visible(user=request.user, slug=slug)
    outline = selectors.course_outline(course=course, user=request.user)
    context = {
        "course": course,
        "outline": outline,
        "progress": selectors.course_progress(outline=outline, user=request.user),
        # What quizzes and certificates add to the page (see courses.hooks).
        "intro_panels": hooks.rendered_course_intro_panels(outline=outline, request=request),
        "modules": hooks.modules_with_sections(outline=outline, request=request),
        "completion_panels": hooks.rendered_completion_panels(outline=outline, request=request),
    }
    return render(request, "courses/course_detail.html", context)


@require_GET
@login_required
@follows_former_slug
def course_completed(request, slug):
    """The completion page: what the learner achieved, and what the apps above add
    (the certificate, its downloads and its verification address); the course page
    until the course is complete."""
    course = selectors.course_get_visible(user=request.user, slug=slug)
    outline = selectors.course_outline(course=course, user=request.user)
    if outline.enrollment is None or outline.enrollment.completed_at is None:
        return redirect(course)
    context = {
        "course": course,
        "outline": outline,
        "progress": selectors.course_progress(outline=outline, user=request.user),
        "completion_panels": hooks.rendered_completion_panels(outline=outline, request=request)
        + hooks.rendered_completion_page_panels(outline=outline, request=request),
    }
    return render(request, "courses/course_completed.html", context)


@require_POST
@login_required
def course_enroll(request, slug):
    course = selectors.course_get_visible(user=request.user, slug=slug)
    services.enrollment_create(learner=request.user, course=course)
    return redirect(course)


@require_GET
@login_required
@follows_former_slug
def lesson_detail(request, slug, lesson_id):
    outline = selectors.lesson_outline(user=request.user, slug=slug, lesson_id=lesson_id)
    if not outline.is_enrolled:
        messages.info(request, services.ERROR_NOT_ENROLLED)
        return redirect(outline.course)
    context = {"course": outline.course, "outline": outline, **outline.place()}
    return render(request, "courses/lesson_detail.html", context)


@require_POST
@login_required
def lesson_mark_done(request, slug, lesson_id):
    course = selectors.course_get_visible(user=request.user, slug=slug)
    lesson = selectors.lesson_get_in_course(course=course, lesson_id=lesson_id)
    try:
        services.lesson_mark_done(learner=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course)
    return redirect(selectors.next_after_lesson(course=course, lesson=lesson, user=request.user))


@require_GET
@login_required
def my_learning(request):
    enrollments = selectors.my_learning(learner=request.user)
    return render(request, "courses/my_learning.html", {"enrollments": enrollments})


@require_GET
def quick_exit_help(request):
    """What the quick exit hides, and what it cannot (linked from the button on every page)."""
    return render(request, "courses/quick_exit_help.html")
