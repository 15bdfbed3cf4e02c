"""Single sign-on: an organization's OpenID Connect provider and the e-mail domains it
signs in. The provider's address, client id and secret live in allauth's SocialApp."""

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models.organizations import Organization

ERROR_DOMAIN_INVALID = _("Enter a domain name such as shelter.example.org, without the “@”.")


def validate_domain(value: str) -> None:
    if "@" in value or value != value.strip() or not value:
        raise ValidationError(ERROR_DOMAIN_INVALID, code="invalid")
    try:
        DomainNameValidator(accept_idna=False)(value)
    except ValidationError:
        raise ValidationError(ERROR_DOMAIN_INVALID, code="invalid") from None


class SignInProvider(models.Model):
    """The identity provider through which an organization's staff sign in. A first
    sign-in through it creates the account as a staff member of the organization."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="sign_in_providers",
        verbose_name=_("organization"),
    )
    social_app = models.OneToOneField(
        SocialApp,
        on_delete=models.PROTECT,
        related_name="sign_in_provider",
        verbose_name=_("OpenID Connect application"),
        limit_choices_to={"provider": "openid_connect"},
        help_text=_(
            "The application under “Social applications”: provider “OpenID Connect”, a "
            "provider ID (letters, digits and hyphens: it is part of the redirect URI), the "
            "client id and secret the identity provider gave, and in “Settings” its issuer "
            "address as “server_url” (README, “Single sign-on”)."
        ),
    )
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Off: people of these domains sign in with a password, as everyone else."),
    )
    sign_out_url = models.URLField(
        _("sign-out address"),
        blank=True,
        help_text=_(
            "Where a person ends their session at the identity provider. Shown on the page "
            "that confirms they signed out of Repère."
        ),
    )

    class Meta:
        verbose_name = _("sign-in provider")
        verbose_name_plural = _("sign-in providers")
        ordering = ["organization__name", "pk"]

    def __str__(self):
        return self.social_app.name

    @property
    def name(self) -> str:
        return self.social_app.name


class SignInDomain(models.Model):
    """An e-mail domain whose people an organization's provider signs in: typing an
    address of it on the sign-in page leads there. One provider per domain."""

    provider = models.ForeignKey(
        SignInProvider,
        on_delete=models.CASCADE,
        related_name="domains",
        verbose_name=_("sign-in provider"),
    )
    domain = models.CharField(
        _("e-mail domain"),
        max_length=253,
        unique=True,
        validators=[validate_domain],
        help_text=_("The part after the “@”, such as shelter.example.org. Lower-cased."),
    )

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain=models.functions.Lower("domain")),
                name="organizations_signindomain_lower",
            ),
        ]

    def __str__(self):
        return self.domain

    def clean(self):
        self.domain = (self.domain or "").strip().lower()
