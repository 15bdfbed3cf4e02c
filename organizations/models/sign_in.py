"""Single sign-on: an organization's identity provider (OpenID Connect or SAML 2.0) and the
e-mail domains it signs in. The provider's addresses, keys and certificates live in
allauth's SocialApp."""

import re

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models.organizations import Organization

ERROR_DOMAIN_INVALID = _("Enter a domain name such as shelter.example.org, without the “@”.")
ERROR_UNIT_OUTSIDE = _(
    "Choose the provider's organization or one of its units: people of this domain cannot "
    "be placed in an organization outside it."
)
ERROR_SAML_IDS = _(
    "A SAML application needs the same value as its provider ID and its client id (letters, "
    "digits and hyphens): it is part of the addresses given to the identity provider."
)
ERROR_SAML_IDP = _(
    "A SAML application's settings need “idp” with the identity provider's “entity_id”, "
    "and either its “metadata_url” or its “sso_url” and “x509cert” (README, “Single "
    "sign-on”)."
)
ERROR_SAML_UNSAFE = _(
    "A SAML application's settings may not turn off “strict” nor accept sign-ins the "
    "identity provider starts (“reject_idp_initiated_sso”): responses would not be checked "
    "against Repère's own requests."
)

# The allauth providers an organization's sign-in may use.
PROTOCOL_OIDC = "openid_connect"
PROTOCOL_SAML = "saml"
SAML_ID = re.compile(r"^[A-Za-z0-9-]+$")


def validate_domain(value: str) -> None:
    if "@" in value or value != value.strip() or not value:
        raise ValidationError(ERROR_DOMAIN_INVALID, code="invalid")
    try:
        DomainNameValidator(accept_idna=False)(value)
    except ValidationError:
        raise ValidationError(ERROR_DOMAIN_INVALID, code="invalid") from None


def unit_within(unit: Organization, organization: Organization) -> bool:
    """Whether `unit` is the organization or lies below it (by their paths: no query)."""
    return unit.pk == organization.pk or bool(
        organization.path and unit.path.startswith(organization.path)
    )


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
        verbose_name=_("identity provider application"),
        limit_choices_to={"provider__in": [PROTOCOL_OIDC, PROTOCOL_SAML]},
        help_text=_(
            "The application under “Social applications”. OpenID Connect (Google and "
            "Microsoft Entra ID too): a provider ID (letters, digits and hyphens: it is part "
            "of the redirect URI), the client id and secret the identity provider gave, and "
            "in “Settings” its issuer address as “server_url”. SAML 2.0: the same value as "
            "provider ID and client id, and in “Settings” the identity provider’s entity id, "
            "sign-in address and certificate (README, “Single sign-on”)."
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

    def clean(self):
        app = self.social_app if self.social_app_id else None
        if app is not None and app.provider == PROTOCOL_SAML:
            validate_saml_app(app)

    @property
    def name(self) -> str:
        return self.social_app.name

    @property
    def is_saml(self) -> bool:
        return self.social_app.provider == PROTOCOL_SAML


def validate_saml_app(app: SocialApp) -> None:
    """What a SAML application needs for Repère's addresses and checks to hold."""
    if not (app.provider_id and app.provider_id == app.client_id and SAML_ID.match(app.client_id)):
        raise ValidationError({"social_app": ValidationError(ERROR_SAML_IDS, code="saml_ids")})
    settings = app.settings if isinstance(app.settings, dict) else {}
    idp = settings.get("idp")
    if not (
        isinstance(idp, dict)
        and idp.get("entity_id")
        and (idp.get("metadata_url") or (idp.get("sso_url") and idp.get("x509cert")))
    ):
        raise ValidationError({"social_app": ValidationError(ERROR_SAML_IDP, code="saml_idp")})
    advanced = settings.get("advanced") or {}
    if not isinstance(advanced, dict) or (
        advanced.get("strict", True) is not True
        or advanced.get("reject_idp_initiated_sso", True) is not True
    ):
        raise ValidationError(
            {"social_app": ValidationError(ERROR_SAML_UNSAFE, code="saml_unsafe")}
        )


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
    # A board's provider signs in the teachers of its schools: each school's domain
    # places them in their school. PROTECT: deleting the school asks for the domain first.
    unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sign_in_domains",
        verbose_name=_("unit"),
        help_text=_(
            "Where a person of this domain is placed at their first sign-in: a unit of the "
            "provider's organization (a board's school). Empty: the organization itself."
        ),
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
        # The admin's inline gives an unsaved provider on its add page: getattr, not _id.
        provider = getattr(self, "provider", None)
        organization = provider.organization if provider and provider.organization_id else None
        if self.unit_id and organization is not None and not unit_within(self.unit, organization):
            raise ValidationError({"unit": ValidationError(ERROR_UNIT_OUTSIDE, code="outside")})
