from allauth.socialaccount import views as sso_views
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from accounts import two_factor_views
from accounts import views as account_views
from config.converters import IdConverter
from courses import views as course_views
from organizations import views as organization_views

# Before the apps' urls.py are read (include() below): they use <id:...> for every id.
register_converter(IdConverter, "id")

admin.site.site_header = _("Repère administration")
admin.site.site_title = _("Repère administration")
admin.site.index_title = _("Courses, people and certificates")


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("credentials/", include("certificates.credential_urls")),
    # Single sign-on (allauth's social login only: no password or signup page of its own).
    # Outside the language prefix, so that the redirect URI given to an identity provider
    # is one address whatever the reader's language (the language cookie carries it).
    path("sso/", include("allauth.socialaccount.providers.openid_connect.urls")),
    # SAML 2.0: /sso/saml/<client id>/acs/ (the assertion consumer service), metadata/, login/
    # and sls/ (the identity provider's single logout).
    # Its last step through ours first (organizations.views.saml_finish_acs: a page, not a
    # 500, for a response that is not readable XML); same address and name.
    path(
        "sso/saml/<str:organization_slug>/acs/finish/",
        organization_views.saml_finish_acs,
        name="saml_finish_acs",
    ),
    path("sso/", include("allauth.socialaccount.providers.saml.urls")),
    # Not its "connections" page: an account's links are made by the organizations app.
    path("sso/login/cancelled/", sso_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("sso/login/error/", sso_views.login_error, name="socialaccount_login_error"),
    path("sso/signup/", sso_views.signup, name="socialaccount_signup"),
    # A sign-in through a provider by someone with two-factor: allauth's login flow asks
    # for the code here (our template, templates/mfa/authenticate.html).
    path(
        "sso/two-factor/",
        two_factor_views.provider_two_factor_authenticate,
        name="mfa_authenticate",
    ),
    # The REST API for organizations' HR systems (README, "REST API").
    path("api/", include("api.urls")),
    # LTI 1.3 (README, "LTI 1.3: registering Repère in an LMS"): one address for each, whatever
    # the reader's language, as an LMS stores them once.
    path("lti/", include("lti.urls")),
]

urlpatterns += i18n_patterns(
    path("", course_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    # Django's views with our throttles, before django.contrib.auth.urls (same names).
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    # The name allauth's pages link to for signing in: ours.
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("", include("assessments.urls")),
    path("", include("surveys.urls")),
    path("", include("assessments.report_urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("organizations/", include("organizations.urls")),
    # The dashboard and its exports, under the same /organizations/<id>/ addresses.
    path("organizations/", include("supervision.urls")),
    path("privacy/", include("privacy.urls")),
)
