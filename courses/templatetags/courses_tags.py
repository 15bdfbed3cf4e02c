from django import template

from courses.hooks import admin_links_for
from courses.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render trusted-but-sanitised Markdown (lesson bodies, objectives)."""
    return render_markdown(text)


@register.filter
def percent(done, total):
    """Whole percentage of done over total; 0 when there is nothing to do."""
    try:
        return int(round(100 * int(done) / int(total))) if int(total) else 0
    except (TypeError, ValueError):
        return 0


@register.simple_tag(takes_context=True)
def admin_course_links(context, course):
    """The buttons apps above courses add to the admin's course page (courses.hooks)."""
    if course is None or course.pk is None:
        return []
    return admin_links_for(course=course, request=context["request"])
