"""The lesson body's admin widget: the Markdown text, and under it its rendering by the
lesson page's own code (`courses.markdown`), so an administrator sees what learners will.

Without JavaScript, the rendering shown is the text's when the page was drawn, and the
"Preview" button posts the form to the admin's preview page (in a new tab). With it
(`static/js/markdown-preview.js`, a file: the Content-Security-Policy allows no inline
script), the rendering follows the text as it is typed, from the same server view.
"""

from django import forms
from django.urls import reverse

from courses.markdown import render_markdown


class MarkdownPreviewWidget(forms.Textarea):
    template_name = "courses/widgets/markdown_preview.html"

    class Media:
        js = ("js/markdown-preview.js",)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_url"] = reverse("admin:courses_lesson_markdown_preview")
        context["widget"]["rendered"] = render_markdown(value or "")
        return context
