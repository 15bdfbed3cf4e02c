from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.templatetags.charts import Bar

register = template.Library()


@register.filter
def distribution_bars(question) -> list[Bar]:
    """The bars of a question's distribution: people per rating, 1 to 5."""
    return [
        Bar(
            label=_("Rating %(rating)s") % {"rating": rating},
            value=people,
            display=ngettext("%(count)s person", "%(count)s people", people) % {"count": people},
        )
        for rating, people in question.distribution
    ]


@register.filter
def mean_text(question) -> str:
    return number_format(question.mean, 1) if question.mean is not None else ""
