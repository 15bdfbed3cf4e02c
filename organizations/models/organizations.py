from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_no_control_characters
from accounts.workplaces import Workplace


class Province(models.TextChoices):
    """Canada's thirteen provinces and territories, by their two-letter postal code."""

    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


ERROR_PARENT_CYCLE = _("An organization cannot be placed under itself or under one of its units.")

ERROR_PARENT_TOO_DEEP = _("This tree of units is too deep to place another level under it.")
# What one more level adds to a path at most ("1234567890/"): units go to any depth the
# indexed column holds (some ninety levels).
PATH_STEP = 11


class Organization(models.Model):
    """A shelter, group home or school whose staff take the training.

    Organizations form trees (a school board and its schools, a network and its sites):
    `parent` is the unit above, `path` the ids from the root down to this one
    ("/3/17/"), kept by `save`, so that a unit and everything below it is one
    `path__startswith` range of one index (`organizations.selectors.units`). A supervisor
    of a unit sees it and every unit below it.
    """

    name = models.CharField(_("name"), max_length=200, validators=[validate_no_control_characters])
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Workplace.choices,
        default=Workplace.OTHER,
        help_text=_("Decides which situations its staff see in the quizzes."),
    )
    province = models.CharField(_("province or territory"), max_length=2, choices=Province.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Law 25 asks each organization to name the person in charge of personal information:
    # its members read it on the privacy page and in their invitation e-mail.
    # db_default: rows written by code that predates the column (a server not yet upgraded
    # during a rolling deploy, a migration test's historical model) get it empty.
    privacy_contact = models.CharField(
        _("privacy officer contact"),
        max_length=300,
        blank=True,
        db_default="",
        validators=[validate_no_control_characters],
        help_text=_(
            "The person in charge of personal information in the organization, and how to "
            "reach them (name, e-mail address or telephone). Shown to its members."
        ),
    )
    # Read through organizations.selectors.access.two_factor_required_for only.
    require_two_factor = models.BooleanField(
        _("supervisors must use two-factor"),
        default=False,
        db_default=False,
        help_text=_(
            "Its supervisors set up a code app before they can open its pages, and enter a "
            "code each time they sign in."
        ),
    )

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
        help_text=_(
            "The organization this one belongs to (a school's board, a site's network). "
            "Its supervisors see this organization and its people too."
        ),
    )
    # db_default: rows written by code that predates the column get the root-less "",
    # which `save` (and migration 0008) fill.
    path = models.CharField(_("path"), max_length=1000, editable=False, db_default="")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]
        # Front-end access to every organization comes from this permission (superusers
        # have it), never from `is_staff` alone: an editor of lessons sees nobody.
        permissions = [
            ("view_every_organization", _("Can see every organization and its people")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Workplace.values),
                name="organizations_organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(province__in=Province.values),
                name="organizations_organization_province_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="organizations_organization_not_own_parent",
            ),
        ]
        indexes = [
            # A subtree is `path LIKE '/3/%'`: the pattern operator class lets PostgreSQL
            # use the index for it whatever the collation (ignored elsewhere).
            models.Index(
                fields=["path"],
                name="organizations_org_path_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, then give this unit and every unit below it the path under its (new)
        parent, in one transaction: a unit moved under another board takes its own units
        along. A move under itself or one of its units is refused (ValueError: forms
        say it first, in `clean`)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "parent" not in update_fields:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            parent_path = ""
            if self.parent_id is not None:
                parent_path = (
                    Organization.objects.select_for_update()
                    .filter(pk=self.parent_id)
                    .values_list("path", flat=True)
                    .get()
                )
            if self.pk is not None and (self.parent_id == self.pk or f"/{self.pk}/" in parent_path):
                raise ValueError(str(ERROR_PARENT_CYCLE))
            super().save(*args, **kwargs)
            old_path = Organization.objects.filter(pk=self.pk).values_list("path", flat=True).get()
            new_path = f"{parent_path or '/'}{self.pk}/"
            if new_path != old_path:
                if old_path:
                    Organization.objects.filter(path__startswith=old_path).update(
                        path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
                    )
                else:
                    Organization.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        parent_path = (
            Organization.objects.filter(pk=self.parent_id).values_list("path", flat=True).first()
        ) or ""
        if self.pk is not None and (self.parent_id == self.pk or f"/{self.pk}/" in parent_path):
            raise ValidationError({"parent": ERROR_PARENT_CYCLE}, code="cycle")
        if len(parent_path) + PATH_STEP > self._meta.get_field("path").max_length:
            raise ValidationError({"parent": ERROR_PARENT_TOO_DEEP}, code="too_deep")

    @property
    def depth(self) -> int:
        """0 for an organization on its own or at the top of a tree."""
        return max(self.path.count("/") - 2, 0)


class Membership(models.Model):
    """A person's place in an organization. A person may belong to several.

    `created_at` is when the person joined (accepted the invitation): the organization
    sees nothing of their training from before it.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="organizations_membership_once_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["staff", "supervisor"]),
                name="organizations_membership_role_valid",
            ),
        ]
        indexes = [
            # Supervisor checks: "is this user a supervisor of that organization?"
            models.Index(fields=["organization", "role"], name="organizations_member_role_idx"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


class Assignment(models.Model):
    """A course an organization asks one of its members to take, perhaps by a date."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("organization"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("course"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "learner", "course"],
                name="organizations_assignment_once_per_course",
            ),
        ]

    def __str__(self):
        return f"{self.learner} — {self.course}"
