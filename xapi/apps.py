from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    """xAPI statements of the members' learning, sent to their organization's learning
    record store (README, "xAPI"). On the top layer: it listens to the signals of courses
    and quizzes, and nothing below imports it."""

    name = "xapi"
    verbose_name = _("xAPI")

    def ready(self):
        from xapi import receivers

        receivers.connect()
