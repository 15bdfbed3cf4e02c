from django import template

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
