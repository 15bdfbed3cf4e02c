"""Lesson bodies: Markdown rendered by markdown-it-py, then sanitised by nh3.

Raw HTML in the Markdown is not rendered, and whatever markup comes out is cleaned
again, so no administrator can put a script, a style or an event handler on a page.
"""

import functools

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
# No `style`: the Content-Security-Policy would block it anyway.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str) -> SafeString:
    return mark_safe(_rendered(text or ""))  # cleaned by nh3 in _rendered


# A lesson is read many times between edits: its HTML is kept by its text, so an edit (a
# new text) renders anew and nothing has to be invalidated. Per process, bounded: a course
# is a few hundred texts.
@functools.lru_cache(maxsize=1024)
def _rendered(text: str) -> str:
    html = _md.render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return cleaned
