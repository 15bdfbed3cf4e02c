from django.db import models
from django.utils.translation import gettext_lazy as _


class Workplace(models.TextChoices):
    """The kinds of workplace Repère speaks to: organizations have one, scenarios target one."""

    SHELTER = "shelter", _("Emergency shelter")
    GROUP_HOME = "group_home", _("Group home")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")
