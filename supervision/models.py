from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One row per reminder e-mail queued. The unique constraint is what guarantees that a
    person gets at most one reminder a day, however often and however concurrently
    `send_reminders` runs: the row is inserted in the transaction that queues the e-mail
    (whose own idempotency key, the person and the day, says the same again). A reminder a
    supervisor sends now from a person's page is one of them too (kind MANUAL, with its
    course): the same constraint makes it the person's one reminder of the day."""

    class Kind(models.TextChoices):
        LEARNER = "learner", _("Own training")
        SUPERVISOR = "supervisor", _("Organization summary")
        BOTH = "both", _("Own training and organization summary")
        MANUAL = "manual", _("Sent now by a supervisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_logs",
        verbose_name=_("person"),
    )
    sent_on = models.DateField(_("sent on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
        help_text=_("The course a supervisor sent the reminder about."),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        # The table keeps the name it had in the organizations app (the model moved
        # without its data: migrations 0003 of organizations and 0001 of supervision).
        db_table = "organizations_reminderlog"
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"], name="organizations_reminder_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.sent_on}"
