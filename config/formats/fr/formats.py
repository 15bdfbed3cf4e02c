"""French dates as the OQLF writes them: « 1er décembre 2026 », « 14 h 30 ».

The "1er" of the first of the month is not a format character: accounts.dates adds it to
every date written with `j` (the `date` filter of every template, e-mails, certificates).
"""

from django.conf.locale.fr.formats import *  # noqa: F403 (input formats, first day of week)

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H\u00a0\\h\u00a0i"
DATETIME_FORMAT = "j F Y à H\u00a0\\h\u00a0i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y, H\u00a0\\h\u00a0i"
