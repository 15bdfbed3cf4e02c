"""Strings of installed packages that ship no French catalogue, shown in our admin.

django-tasks-db names its task results' admin and their fields in English only. Django
looks a string up in every catalogue, ours (LOCALE_PATHS) first: listed here, these strings
are extracted by `make messages` into locale/ and translated there like our own. Nothing
imports this module; it is read by the extraction only.
"""

from django.utils.translation import gettext_noop

DJANGO_TASKS_DB = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
)
