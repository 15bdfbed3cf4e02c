"""Lesson bodies pass two guards, each tested here on its own: markdown-it renders no raw
HTML and no unsafe link, and nh3 cleans whatever markup reaches it."""

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from courses import markdown
from courses.markdown import render_markdown

# Written here, not read from courses.markdown: widening what a lesson may contain has to
# be done in both places, on purpose.
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}}

ATTACKS = (
    'Bonjour <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n'
    '<div onclick="alert(3)">x</div>\n\n'
    '<p style="position:fixed">cover</p>\n\n'
    '<a href="javascript:alert(4)" onmouseover="alert(5)">clic</a> '
    "[clic](javascript:alert(6)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
    '<iframe src="https://evil.example"></iframe><form action="/x"><input name="p"></form>'
)
# Every construct of Markdown, and raw HTML of tags a lesson must not have.
EVERYTHING = """# h1

## h2

### h3

#### h4

##### h5

###### h6

*em* **strong** `code` [link](https://example.org "title") ![image](https://example.org/i.png)
line  
break

> quote

1. one
2. two

3) three

- item

---

```
pre
```

| a | b |
| - | - |
| 1 | 2 |

<span>span</span> <img src="https://example.org/i.png"> <video src="v.mp4"></video>
<h1>raw</h1> <details><summary>s</summary>d</details> <style>p { color: red }</style>
"""


class _Markup(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags, self.attrs = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)


@pytest.fixture
def markdown_stage_only(monkeypatch):
    """nh3 does nothing: what comes out is markdown-it's own output."""
    monkeypatch.setattr(markdown.nh3, "clean", lambda html, **options: html)
    markdown._rendered.cache_clear()
    yield
    markdown._rendered.cache_clear()


@pytest.fixture
def cleaning_stage_only(monkeypatch):
    """markdown-it passes raw HTML and any link through: only nh3 stands in the way."""
    permissive = MarkdownIt("commonmark", {"html": True}).enable("table")
    permissive.validateLink = lambda url: True
    monkeypatch.setattr(markdown, "_md", permissive)
    markdown._rendered.cache_clear()
    yield
    markdown._rendered.cache_clear()


def assert_safe(markup):
    assert set(markup.tags) <= ALLOWED_TAGS
    for tag, name, value in markup.attrs:
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()), (tag, name, value)
        if name == "href":
            assert value.startswith(("https:", "http:", "mailto:", "tel:")), value


def test_markdown_renders_headings_lists_and_emphasis():
    html = render_markdown("## Titre\n\n- un\n- **deux**")
    assert "<h2>Titre</h2>" in html
    assert "<li><strong>deux</strong></li>" in html


def test_script_and_event_handlers_in_a_lesson_body_never_become_markup():
    markup = _Markup(render_markdown(ATTACKS))
    assert_safe(markup)
    assert "script" not in markup.tags


def test_the_markdown_stage_alone_renders_no_raw_html_and_no_unsafe_link(markdown_stage_only):
    html = render_markdown(ATTACKS)
    markup = _Markup(html)
    assert set(markup.tags) == {"p"}  # the raw HTML is shown as text
    assert "&lt;script&gt;" in html
    assert not [name for _tag, name, _value in markup.attrs]


def test_the_cleaning_stage_alone_removes_scripts_handlers_styles_and_unsafe_links(
    cleaning_stage_only,
):
    markup = _Markup(render_markdown(ATTACKS))
    assert_safe(markup)
    assert "alert(1)" not in render_markdown(ATTACKS)  # the script's text goes too
    assert [value for _tag, name, value in markup.attrs if name == "href"] == []


def test_a_lesson_body_holds_exactly_the_allowed_tags(cleaning_stage_only):
    markup = _Markup(render_markdown(EVERYTHING))
    assert set(markup.tags) == ALLOWED_TAGS
    assert_safe(markup)


def test_javascript_links_never_become_links():
    markup = _Markup(render_markdown("[clic](javascript:alert(1)) [ok](https://example.org)"))
    hrefs = [value for _tag, name, value in markup.attrs if name == "href"]
    assert hrefs == ["https://example.org"]


def test_links_leave_no_referrer():
    html = render_markdown("[ligne](https://example.org)")
    assert 'rel="noopener noreferrer"' in html


def test_a_text_is_rendered_once_and_an_edited_text_anew(monkeypatch):
    calls = []
    real_render = markdown._md.render
    monkeypatch.setattr(
        markdown._md, "render", lambda text: calls.append(text) or real_render(text)
    )
    markdown._rendered.cache_clear()
    first = render_markdown("Un **texte** de leçon.")
    assert render_markdown("Un **texte** de leçon.") == first
    assert calls == ["Un **texte** de leçon."]
    assert "<em>" in render_markdown("Un *texte* modifié.")
    assert len(calls) == 2
