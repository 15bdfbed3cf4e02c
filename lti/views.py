"""The LTI 1.3 addresses an LMS is given (README, "LTI 1.3: registering Repère in an LMS").

- `login`: the LMS's third-party login initiation; sends the browser back to the LMS's
  authorization address (OpenID Connect), as django-lti does, without its page that
  tests cookies with a script (our CSP allows none inline).
- `launch`: the signed launch the LMS posts. A resource link signs its person in (their
  account made at the first launch, staff of the registration's organization) and opens
  its course; a deep linking request shows the courses a teacher may pick.
- `deep_link`: the teacher's pick, returned to the LMS signed.
- `jwks`: Repère's public keys (current and, for a grace period, previous).
- `register`: LTI Dynamic Registration, from an invite's one-time address.

Every launch that cannot be trusted (unknown issuer, client or deployment, a bad
signature, a launch already used) gets a page in the reader's language, never a 500.
"""

import hashlib
from urllib.parse import urlsplit

from django.contrib.auth import login as auth_login
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from lti_tool.constants import SESSION_KEY
from lti_tool.utils import DjangoToolConfig, get_launch_from_request, sync_data_from_launch
from lti_tool.views import LtiLaunchBaseView, OIDCLoginInitView
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException

from lti import registration, selectors, services
from lti.forms import DeepLinkForm

DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
# The custom parameters a resource link names its target with (set by deep linking, or
# by hand in the LMS): a course's slug, or a module's id.
CUSTOM_COURSE = "repere_course"
CUSTOM_MODULE = "repere_module"
# A launch's nonce is remembered this long (longer than any id token lives).
NONCE_SECONDS = 2 * 60 * 60

REFUSED_INVALID = _(
    "This launch from your LMS could not be verified, so Repère refused it. Open the "
    "activity again from your LMS; if this keeps happening, tell its administrator."
)
REFUSED_LOGIN = _(
    "This sign-in from your LMS is not one Repère knows. Ask your LMS administrator to "
    "check Repère's registration."
)
REFUSED_REPLAYED = _("This launch was already used once. Open the activity again from your LMS.")
REFUSED_DEPLOYMENT = _(
    "This LMS deployment is not enabled in Repère. Ask your administrator to enable it."
)
REFUSED_MESSAGE = _("Repère cannot open this kind of launch from an LMS.")
REFUSED_NO_DEEP_LINK = _("There is no course selection under way. Start again from your LMS.")


def refusal(request, message, *, status: int):
    return render(request, "lti/refused.html", {"message": message}, status=status)


def jwks(request):
    return JsonResponse({"keys": [key.as_jwk() for key in selectors.keys_published()]})


class LoginView(OIDCLoginInitView):
    def get_oidc_response(self, request, registration_uuid, params):
        target_link_uri = params.get("target_link_uri")
        if not target_link_uri or not params.get("iss") or not params.get("login_hint"):
            return refusal(request, REFUSED_LOGIN, status=400)
        services.key_current()
        oidc_login = DjangoOIDCLogin(
            request,
            DjangoToolConfig(registration_uuid),
            launch_data_storage=DjangoCacheDataStorage(),
        )
        try:
            return oidc_login.redirect(self.get_redirect_url(target_link_uri))
        except (LtiException, OIDCException):
            return refusal(request, REFUSED_LOGIN, status=400)


login = LoginView.as_view()


def _first_use(nonce) -> bool:
    """True once per nonce: a launch posted again (replayed) finds it taken."""
    if not isinstance(nonce, str) or not nonce:
        return False
    return cache.add(f"lti.nonce.{hashlib.sha256(nonce.encode()).hexdigest()}", 1, NONCE_SECONDS)


def _language_of(lti_launch) -> str | None:
    locale = (lti_launch.launch_presentation_claim or {}).get("locale") or lti_launch.get_claim(
        "locale"
    )
    if isinstance(locale, str) and locale[:2].lower() in ("fr", "en"):
        return locale[:2].lower()
    return None


@method_decorator(csrf_exempt, name="dispatch")
class LaunchView(LtiLaunchBaseView):
    def post(self, request, *args, **kwargs):
        try:
            lti_launch = get_launch_from_request(request)
        except (LtiException, KeyError, ValueError, TypeError):
            # Unknown issuer or client, bad signature, expired token, state not ours...
            return refusal(request, REFUSED_INVALID, status=400)
        if not _first_use(lti_launch.get_claim("nonce")):
            return refusal(request, REFUSED_REPLAYED, status=400)
        if not lti_launch.deployment.is_active:
            return refusal(request, REFUSED_DEPLOYMENT, status=403)
        sync_data_from_launch(lti_launch, None)
        language = _language_of(lti_launch)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        request.lti_launch = lti_launch
        if lti_launch.is_resource_launch:
            return self.handle_resource_launch(request, lti_launch)
        if lti_launch.is_deep_link_launch:
            return self.handle_deep_linking_launch(request, lti_launch)
        return refusal(request, REFUSED_MESSAGE, status=400)

    def handle_resource_launch(self, request, lti_launch):
        custom = lti_launch.get_claim(CUSTOM_CLAIM)
        custom = custom if isinstance(custom, dict) else {}
        course, module = selectors.launch_target(
            course_slug=custom.get(CUSTOM_COURSE), module_id=custom.get(CUSTOM_MODULE)
        )
        try:
            user = services.launch_sign_in(
                lti_user=lti_launch.user, course=course, ags_claim=lti_launch.ags_claim
            )
        except services.LaunchRefused as refused:
            return refusal(request, str(refused), status=403)
        request.session.flush()
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("courses:course_detail", kwargs={"slug": course.slug})
        return redirect(f"{url}#module-{module.pk}" if module else url)

    def handle_deep_linking_launch(self, request, lti_launch):
        request.session[SESSION_KEY] = lti_launch.get_launch_id()
        form = DeepLinkForm(courses=selectors.courses_linkable())
        return render(request, "lti/deep_link.html", {"form": form})


launch = LaunchView.as_view()


@require_POST
def deep_link(request):
    """The teacher's pick: the signed deep linking response, posted back to the LMS by the
    form on the page returned (a button: no script)."""
    launch_id = request.session.get(SESSION_KEY)
    try:
        lti_launch = get_launch_from_request(request, launch_id) if launch_id else None
    except LtiException:
        lti_launch = None
    if lti_launch is None or not lti_launch.is_deep_link_launch:
        return refusal(request, REFUSED_NO_DEEP_LINK, status=400)
    courses = selectors.courses_linkable()
    form = DeepLinkForm(request.POST, courses=courses)
    if not form.is_valid():
        return render(request, "lti/deep_link.html", {"form": form}, status=400)
    course, module = form.picked()
    custom = {CUSTOM_COURSE: course.slug}
    if module is not None:
        custom[CUSTOM_MODULE] = str(module.pk)
    resource = (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti:launch")))
        .set_title(str(module.title if module else course.title))
        .set_custom_params(custom)
    )
    message_launch = lti_launch.get_message_launch()
    deep_link_object = message_launch.get_deep_link()
    try:
        response_jwt = deep_link_object.get_response_jwt([resource])
    except LtiException:
        raise Http404 from None
    del request.session[SESSION_KEY]
    return_url = message_launch.get_launch_data()[DEEP_LINKING_SETTINGS]["deep_link_return_url"]
    response = render(
        request,
        "lti/deep_link_return.html",
        {"return_url": return_url, "jwt": response_jwt, "title": resource.get_title()},
    )
    # Our CSP lets forms post to Repère only: this one goes to the LMS that asked.
    parts = urlsplit(return_url)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


REFUSED_REGISTRATION_ADDRESS = _(
    "This registration address is not valid: it was used already, it expired, or the LMS "
    "did not send what Repère needs. Ask Repère's administrators for a new one."
)


@xframe_options_exempt
def register(request, token):
    """LTI Dynamic Registration: the LMS opens this address (an invite's) with its
    `openid_configuration` and `registration_token`, in a frame of its own page or a
    window: the LMS's origin (that of its configuration) may frame it."""
    openid_configuration = request.GET.get("openid_configuration", "")
    response = _register(request, token, openid_configuration)
    parts = urlsplit(openid_configuration)
    if parts.scheme in ("http", "https") and parts.netloc:
        response._csp_replace = {"frame-ancestors": [f"{parts.scheme}://{parts.netloc}"]}
    return response


def _register(request, token, openid_configuration):
    invite = registration.invite_get_usable(token=token)
    if invite is None or not openid_configuration.startswith(("https://", "http://")):
        return refusal(request, REFUSED_REGISTRATION_ADDRESS, status=400)
    try:
        registered = registration.registration_complete(
            request=request,
            invite=invite,
            openid_configuration=openid_configuration,
            registration_token=request.GET.get("registration_token", ""),
        )
    except registration.RegistrationFailed as failed:
        return refusal(request, str(failed), status=400)
    return render(
        request,
        "lti/registered.html",
        {"registration": registered, "organization": invite.organization},
    )
