"""Reads of the lti app."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from lti_tool.models import Key

from courses.models import Course, Module
from lti import services


def keys_published() -> list[Key]:
    """The keys the JWKS shows: the current one, and those it replaced less than
    REPERE_LTI_KEY_GRACE_DAYS ago."""
    services.key_current()
    expired = {key.pk for key in services.keys_expired(now=timezone.now())}
    return [
        key for key in Key.objects.active().order_by("-datetime_created") if key.pk not in expired
    ]


def courses_linkable() -> QuerySet[Course]:
    """What a teacher may pick in deep linking: published courses, with their modules."""
    return Course.objects.filter(is_published=True).prefetch_related(
        Prefetch("modules", queryset=Module.objects.order_by("position", "pk"))
    )


def launch_target(*, course_slug, module_id) -> tuple[Course, Module | None]:
    """The published course (or the module of one) a resource link opens; 404 otherwise."""
    if module_id not in (None, ""):
        if not str(module_id).isdigit():
            raise_404()
        module = get_object_or_404(
            Module.objects.select_related("course"), pk=int(module_id), course__is_published=True
        )
        return module.course, module
    if not isinstance(course_slug, str) or not course_slug:
        raise_404()
    return get_object_or_404(Course, slug=course_slug, is_published=True), None


def raise_404():
    from django.http import Http404

    raise Http404
