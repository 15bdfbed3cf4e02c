"""`{% bar_chart bars caption %}`: a horizontal bar chart drawn on the server as SVG, with
the same figures in a table beside it (the table is what screen readers and people who
would rather read get; the drawing is hidden from assistive technology). No JavaScript.

`bars` is a list of `Bar`s: a label, a value between 0 and `maximum` (None: no figure, no
bar) and the value as the reader should read it ("80 %", "4.2"). The drawing scales to
its box (viewBox, width 100 %), so it stays readable at 320 px: labels sit above their
bar rather than beside it.
"""

import dataclasses

from django import template
from django.utils.translation import gettext as _

register = template.Library()

BAR_HEIGHT = 14
ROW_HEIGHT = 40
WIDTH = 300


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    display: str


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(bars, caption, maximum=1, value_heading=""):
    rows = []
    for index, bar in enumerate(bars):
        share = 0 if bar.value is None or not maximum else max(0, min(1, bar.value / maximum))
        rows.append(
            {
                "bar": bar,
                "label_y": index * ROW_HEIGHT + 14,
                "bar_y": index * ROW_HEIGHT + 20,
                "width": round(share * (WIDTH - 60), 1),
                "value_x": round(share * (WIDTH - 60), 1) + 4,
            }
        )
    return {
        "rows": rows,
        "caption": caption,
        "value_heading": value_heading,
        "width": WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }


def percent_text(fraction: float | None) -> str:
    """A share as the reader's language writes it: "80%", "80 %" (narrow no-break space)."""
    if fraction is None:
        return ""
    return _("%(percent)s%%") % {"percent": round(100 * fraction)}


@register.filter(name="percent_of_one")
def percent_of_one(fraction):
    return percent_text(fraction)
