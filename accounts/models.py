from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.emails import normalize_email
from accounts.names import KEY_LENGTH, name_sort_key
from accounts.validators import validate_no_control_characters
from accounts.workplaces import Workplace


class UserQuerySet(models.QuerySet):
    """Writes that skip `User.save()` still keep `name_key` in step (see accounts.names)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for user in objs:
            user.name_key = name_sort_key(user.full_name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        fields = list(fields)
        if "full_name" in fields:
            objs = list(objs)
            for user in objs:
                user.name_key = name_sort_key(user.full_name)
            fields.append("name_key")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        # With `name_key` given too (bulk_update above), the caller has computed it.
        if "full_name" in kwargs and "name_key" not in kwargs:
            if not isinstance(kwargs["full_name"], str):
                # The key is computed in Python: an expression would leave it stale.
                raise TypeError("Update full_name with a string, or save each user.")
            kwargs["name_key"] = name_sort_key(kwargs["full_name"])
        return super().update(**kwargs)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    @classmethod
    def normalize_email(cls, email):
        return normalize_email(email or "")

    def get_by_natural_key(self, username):
        # People type their address with any capitalisation; addresses are stored
        # normalised, so an exact match agrees with the lockout on every database.
        return self.get(**{self.model.USERNAME_FIELD: normalize_email(username)})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who uses Repère. They sign in with their e-mail address.

    The name is one field: people's names do not all split into first and last.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=150, validators=[validate_no_control_characters]
    )
    # The name folded for sorting where the database has no French collation (SQLite):
    # see accounts.names. Set from `full_name` on every write; the database default lets
    # an insert that does not know the column (an older migration's model) succeed.
    name_key = models.CharField(
        _("name sort key"), max_length=KEY_LENGTH, editable=False, default="", db_default=""
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
        help_text=_("The language of e-mails and certificates."),
    )
    workplace = models.CharField(
        _("workplace"),
        max_length=20,
        choices=Workplace.choices,
        default=Workplace.OTHER,
        help_text=_(
            "The kind of workplace whose situations the quizzes show, when no organization says it."
        ),
    )
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Can sign in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        indexes = [models.Index(fields=["name_key", "id"], name="accounts_user_name_key_idx")]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.name_key = name_sort_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name


class OutgoingEmail(models.Model):
    """One e-mail Repère sends, from the moment it is decided to the moment it left.

    Rendered in the recipient's language when it is queued; a worker sends it later
    (accounts.tasks.email_deliver). The idempotency key is unique, so queuing the same
    e-mail twice keeps one row, and a worker claims the row with a conditional UPDATE
    before sending, so a task run twice, or by two workers at once, sends it once.

    A set-password link is never stored: the body keeps PASSWORD_TOKEN_PLACEHOLDER in its
    place, and the token is made at sending, so the link lasts its full validity from the
    moment the e-mail leaves, and the table holds nothing that opens an account.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail", "queued")
        SENDING = "sending", pgettext_lazy("e-mail", "sending")
        RETRYING = "retrying", pgettext_lazy("e-mail", "waiting to retry")
        SENT = "sent", pgettext_lazy("e-mail", "sent")
        FAILED = "failed", pgettext_lazy("e-mail", "failed")

    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    password_link = models.BooleanField(
        _("set-password link"),
        default=False,
        help_text=_("The link is made when the e-mail is sent, and lasts from then."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("e-mail", "queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(pgettext_lazy("e-mail", "sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="accounts_outgoingemail_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
