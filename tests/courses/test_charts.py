"""The server-drawn bar chart: SVG lengths any browser reads, and the figures as a table."""

from django.template import Context, Template
from django.utils import translation

from courses.templatetags.charts import Bar, percent_text

TEMPLATE = Template("{% load charts %}{% bar_chart bars 'Facilité' 1 'Part' %}")


def _render(bars, language):
    with translation.override(language):
        return TEMPLATE.render(Context({"bars": bars}))


def test_the_chart_draws_each_bar_to_scale_in_every_language():
    bars = [Bar("Question 1", 0.8, "80 %"), Bar("Question 2", None, "aucune réponse")]
    html = _render(bars, "fr")
    # 80 % of the 240 units of a bar's full length; the point stays a point in French.
    assert 'width="192.0"' in html
    assert "192,0" not in html
    assert html.count("<rect") == 1  # no bar for no figure
    assert 'aria-hidden="true"' in html
    assert '<th scope="row">Question 1</th><td>80 %</td>' in html
    assert "<td>aucune réponse</td>" in html


def test_a_share_is_written_as_each_language_writes_it():
    with translation.override("en"):
        assert percent_text(0.804) == "80%"
    with translation.override("fr"):
        assert percent_text(0.804) == "80\u202f%"
    assert percent_text(None) == ""
