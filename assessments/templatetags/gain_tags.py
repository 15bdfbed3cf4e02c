"""Filters of the gain report's pages: its figures written as the exports round them
(assessments.exports.rounded), and its chart's bars."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.exports import GAIN_PLACES, PERCENT_PLACES, hidden_note, rounded
from courses.templatetags.charts import Bar

register = template.Library()


def _percent(value: float | None) -> str:
    if value is None:
        return ""
    return _("%(percent)s%%") % {"percent": number_format(value, PERCENT_PLACES)}


@register.filter
def gain_figures(figures):
    """The figures rounded as in the exports."""
    return rounded(figures)


@register.filter
def percent_figure(value) -> str:
    return _percent(value)


@register.filter
def gain_figure(value) -> str:
    return "" if value is None else number_format(value, GAIN_PLACES)


@register.simple_tag
def gain_hidden_note(minimum) -> str:
    return hidden_note(minimum)


@register.filter
def gain_bars(report) -> list[Bar]:
    """Two bars per module with figures, its mean score before then after (percent)."""
    bars = []
    for row in report.modules:
        if not row.figures.shown:
            continue
        figures = rounded(row.figures)
        for label, value in (
            (_("%(module)s — before") % {"module": row.module.title}, figures.before),
            (_("%(module)s — after") % {"module": row.module.title}, figures.after),
        ):
            bars.append(Bar(label=label, value=value, display=_percent(value)))
    return bars
