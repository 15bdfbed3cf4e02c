"""English dates as written in Canada in running text: "December 1, 2026", "2:30 p.m."."""

from django.conf.locale.en.formats import *  # noqa: F403 (input formats, first day of week)

DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = "F j, Y, g:i a"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "N j, Y"
SHORT_DATETIME_FORMAT = "N j, Y, g:i a"
