from html.parser import HTMLParser

from courses.markdown import ALLOWED_TAGS, render_markdown


class _Markup(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags, self.attrs = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_markdown_renders_headings_lists_and_emphasis():
    html = render_markdown("## Titre\n\n- un\n- **deux**")
    assert "<h2>Titre</h2>" in html
    assert "<li><strong>deux</strong></li>" in html


def test_script_and_event_handlers_in_a_lesson_body_never_become_markup():
    markup = _Markup(
        render_markdown(
            'Bonjour <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n'
            '<div onclick="alert(3)">x</div>'
        )
    )
    assert set(markup.tags) <= ALLOWED_TAGS
    assert "script" not in markup.tags
    assert not [name for name, _value in markup.attrs if name.startswith("on")]


def test_javascript_links_never_become_links():
    markup = _Markup(render_markdown("[clic](javascript:alert(1)) [ok](https://example.org)"))
    hrefs = [value for name, value in markup.attrs if name == "href"]
    assert hrefs == ["https://example.org"]


def test_links_leave_no_referrer():
    html = render_markdown("[ligne](https://example.org)")
    assert 'rel="noopener noreferrer"' in html
