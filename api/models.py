from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application

from api.scopes import SCOPES
from organizations.models import Organization

ERROR_UNKNOWN_SCOPE = _("Unknown scope: %(scope)s.")


def validate_scopes(value: str) -> None:
    for scope in value.split():
        if scope not in SCOPES:
            raise ValidationError(ERROR_UNKNOWN_SCOPE, code="scope", params={"scope": scope})


class ApiClient(models.Model):
    """A machine (an organization's HR system) that reads and writes one organization's
    data through the REST API: an OAuth 2.0 application (client credentials grant) bound
    to that organization, with the scopes an administrator granted it. It sees nothing of
    any other organization, and acts in the audit history under its own name."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="api_client",
        verbose_name=_("OAuth application"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="api_clients",
        verbose_name=_("organization"),
    )
    scopes = models.CharField(
        _("scopes"),
        max_length=300,
        validators=[validate_scopes],
        help_text=_(
            "Separated by spaces, among: organizations:read members:read assignments:read "
            "assignments:write progress:read certificates:read."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["organization__name", "pk"]

    def __str__(self):
        return f"{self.application.name} — {self.organization}"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def audit_label(self) -> str:
        """Who acted, in the organization's audit history (stored text: one label in both
        languages)."""
        return f"API: {self.application.name}"
