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


class AssignmentSummary(models.Model):
    """What the dashboard shows of one assignment, kept up to date in the transaction of
    every write that changes it (`supervision.summary.summary_refresh`, called through
    `courses.hooks.progress_changed`), so that a page reads one small row per person
    instead of a dozen lookups. It holds nothing that depends on the day: whether a row is
    overdue or its certificate expiring is compared at read time (`summary.summary_rows`).
    `joined_at` is NULL while the learner is no member of the organization (such a row is
    not shown). The live query (`selectors.statuses.assignment_rows`) stays the source of
    truth: `check_summary` compares them, and a property test holds them equal.

    The organization, course and learner are copies of the assignment's, for the indexes.
    """

    assignment = models.OneToOneField(
        "organizations.Assignment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
        verbose_name=_("assignment"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("organization"),
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("learner"),
    )
    joined_at = models.DateTimeField(_("joined at"), null=True)
    due_on = models.DateField(_("due on"), null=True)
    lessons_done = models.PositiveIntegerField(_("lessons done"), default=0)
    quizzes_passed = models.PositiveIntegerField(_("quizzes passed"), default=0)
    requirements = models.PositiveIntegerField(_("requirements"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True)
    best_score = models.PositiveSmallIntegerField(_("best quiz score (%)"), null=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True)
    certificate = models.ForeignKey(
        "certificates.Certificate",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
        verbose_name=_("certificate shown"),
    )
    certificate_expires_on = models.DateField(_("certificate expires on"), null=True)

    class Meta:
        verbose_name = _("assignment summary")
        verbose_name_plural = _("assignment summaries")
        ordering = ["pk"]
        indexes = [
            # The totals and the status filter: one range of the organization's rows
            # (and course), with every column the status needs in the index itself.
            models.Index(
                fields=["organization", "course", "completed_at", "due_on"],
                include=["certificate_expires_on", "lessons_done", "quizzes_passed"],
                condition=models.Q(joined_at__isnull=False),
                name="supervision_summary_status_idx",
            ),
        ]

    def __str__(self):
        return f"{self.learner_id} — {self.course_id} ({self.organization_id})"


class OverdueNotice(models.Model):
    """An assignment found overdue and announced (`supervision.overdue`): its unique
    (assignment, due date) is what makes the announcement once per due date missed,
    however often and however concurrently the daily run goes."""

    assignment = models.ForeignKey(
        "organizations.Assignment",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("assignment"),
    )
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "due_on"], name="supervision_overdue_once_per_due_date"
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} — {self.due_on}"
