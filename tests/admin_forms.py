"""The data a browser would post for a page's form, read from the page's HTML."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            # The HTML parser gives the text after the newline that follows <textarea>.
            self.data[self.textarea] += data


def form_data(html: str, *, form_id: str) -> dict[str, str]:
    """What the form posts as the page shows it; the empty templates of inline items
    (names with "__prefix__" or "-empty-") are left out, as the browser would send them
    but Django ignores them."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return {
        name: value
        for name, value in parser.data.items()
        if "__prefix__" not in name and "-empty-" not in name
    }
