"""Repère settings: one module, read from the environment (see .env.example).

Without DJANGO_DEBUG=1 these are production settings: they refuse to start without
DJANGO_SECRET_KEY (a real one), DJANGO_ALLOWED_HOSTS, REPERE_CREDENTIAL_SIGNING_KEY and
EMAIL_URL (or an explicit REPERE_EMAIL_CONSOLE_OK=1), and turn on HTTPS, HSTS and secure cookies.
Variables the environment does not set are read from `.env` in the project folder, or
from the file DJANGO_ENV_FILE names.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_env_file = Path(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))
if _env_file.is_file():
    environ.Env.read_env(_env_file)

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production "
            f"(or set DJANGO_DEBUG=1 for development). See .env.example."
        )
    return value


def _secret_key() -> str:
    """The production secret: refused when it is .env.example's placeholder or too short."""
    value = _required("DJANGO_SECRET_KEY")  # stripped, and refused when blank
    if value.startswith("change-me") or len(value) < 32:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be a long random string of at least 32 characters, not "
            ".env.example's placeholder. Generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'"
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only-key")
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
    )
else:
    SECRET_KEY = _secret_key()
    ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used in e-mails and on certificates (QR code).
SITE_URL = env.str("REPERE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The Ed25519 key that signs Open Badges credentials, and the public keys of earlier ones
# that still verify (see README, "Credentials"). Development makes do without one.
CREDENTIAL_SIGNING_KEY = (
    env.str("REPERE_CREDENTIAL_SIGNING_KEY", default="")
    if DEBUG
    else _required("REPERE_CREDENTIAL_SIGNING_KEY")
)
CREDENTIAL_OLD_PUBLIC_KEYS = env.list("REPERE_CREDENTIAL_OLD_PUBLIC_KEYS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "nested_admin",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Single sign-on through each organization's OpenID Connect or SAML 2.0 identity provider
    # (README, "Single sign-on"). allauth's own password and signup pages are not mounted
    # (config/urls.py).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    # Two-factor (README, "Two-factor"): allauth's Authenticator model and its checks of
    # TOTP and recovery codes, behind our own pages (accounts/two_factor*.py).
    "allauth.mfa",
    "accounts",
    "courses",
    "quizzes",
    # Before surveys: their panels show in this order, the knowledge check above the survey.
    "assessments",
    "surveys",
    "curriculum",
    "certificates",
    "organizations",
    "supervision",
    "privacy",
    # xAPI statements to an organization's learning record store (README, "xAPI").
    "xapi",
    # The REST API (README, "REST API"): DRF, OAuth 2.0 client credentials, its schema.
    "rest_framework",
    "oauth2_provider",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    # Signed webhooks to the organizations' systems (README, "Webhooks").
    "webhooks",
    # LTI 1.3 (README, "LTI 1.3: registering Repère in an LMS"): django-lti's registrations,
    # deployments, platform users and keys; our lti app binds each registration to an
    # organization and signs its people in.
    "lti_tool",
    "lti",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "accounts.middleware.PrivateCacheMiddleware",
    # Edits of course content saved in a request are recorded as the signed-in person's.
    "courses.edits.EditorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # allauth's request context, and its ImmediateHttpResponse turned into the response.
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the middleware that add security headers and sign people in: an empty error
    # response (the 405 of a POST-only address) becomes our page, signed in as the reader is.
    "accounts.middleware.ErrorPageMiddleware",
    # Before any view or process_view (CSRF) reads the body, inside the middleware that
    # add security headers: an oversized request gets our 413 page with all of them.
    "accounts.middleware.UploadSizeLimitMiddleware",
    # Someone who must use two-factor and has none set it up before any other page.
    "accounts.middleware.TwoFactorSetupMiddleware",
    # Axes must be last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

# `make load` serves benchmarks.urls (the site plus its baseline view) through this.
ROOT_URLCONF = env.str("REPERE_ROOT_URLCONF", default="config.urls")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Our `date` filter in place of Django's: the French "1er" (accounts.dates).
            "builtins": ["accounts.templatetags.dates"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "organizations.context_processors.supervision",
            ],
        },
    },
]

# Database: an SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# No ATOMIC_REQUESTS: services own their transactions. With SQLite's IMMEDIATE mode it made
# every request, an anonymous GET included, hold the write lock for its whole duration.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers share one file: wait for locks, take the write lock up front in write
    # transactions (the services' atomic blocks), and let readers run beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it pays off for long analytic queries only. On the supervisors' dashboard
    # (per-row subqueries, so a high estimated cost) it spent ~1.4 s compiling a query
    # that runs in 90 ms (10,000 staff).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Behind PgBouncer in transaction mode a server-side cursor may not outlive its
    # transaction: with this set, Django reads `.iterator()` client-side and the CSV export
    # streams by keyset pagination instead (supervision/selectors/export.py).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every app server (rate limits): the database by default.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://repere_cache")}
# Sessions live in the database. With a cache that every app server shares and that is not
# the database (Redis, Memcached), they are read from it first: one query less on every
# page of a signed-in person. Written to both (cached_db), so emptying the cache signs
# nobody out. Never with a per-process cache: another server would not see a log-out.
_SHARED_CACHES = ("RedisCache", "PyMemcacheCache", "PyLibMCCache")
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith(_SHARED_CACHES)
    else "django.contrib.sessions.backends.db"
)

# Background tasks (every e-mail is one): Django's tasks API through the django-tasks
# backport. By default the queue is a table of this database, and `manage.py db_worker`
# runs it (`make run` starts one); README, "Background tasks", says how to use another.
TASKS = {
    "default": {
        "BACKEND": env.str("REPERE_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
# A backend whose queue is not this database learns of a task only once the transaction
# that enqueued it commits (the database backend commits or rolls back with it anyway).
# Off only in tests, where the immediate backend runs the task there and then.
TASKS_ENQUEUE_ON_COMMIT = env.bool("REPERE_TASKS_ENQUEUE_ON_COMMIT", default=True)
# `manage.py sweep_emails` enqueues again an e-mail still queued (or waiting to retry) this
# long after it was due: its task was lost, or the worker that took it died before sending.
EMAIL_SWEEP_AFTER = timedelta(minutes=env.int("REPERE_EMAIL_SWEEP_AFTER_MINUTES", default=30))
# Lookups of certificate codes per client address per minute on the public page (0: no limit).
CERTIFICATES_VERIFY_RATE_LIMIT = env.int("REPERE_VERIFY_RATE_LIMIT", default=30)
# A certificate is "expiring" (renewable, reminded of) from this many days before its
# last valid day (certificates.status).
REPERE_CERTIFICATE_EXPIRING_DAYS = env.int("REPERE_CERTIFICATE_EXPIRING_DAYS", default=30)
# LTI 1.3: a key replaced by `manage.py lti_rotate_key` stays in the JWKS (valid for the
# LMSs that cached it) this many days after its successor was made.
REPERE_LTI_KEY_GRACE_DAYS = env.int("REPERE_LTI_KEY_GRACE_DAYS", default=7)
# How long a call to an LMS (its token endpoint, its gradebook) may wait for an answer.
REPERE_LTI_TIMEOUT_SECONDS = env.int("REPERE_LTI_TIMEOUT_SECONDS", default=10)
# A course not completed is reminded of this many days before its due date, and again the
# day before (supervision.selectors.reminders); 0: no reminder before the date.
REPERE_REMINDER_DAYS_BEFORE_DUE = env.int("REPERE_REMINDER_DAYS_BEFORE_DUE", default=7)
# How many proxies we run in front of the app (accounts.network.client_ip): 0 trusts no
# X-Forwarded-For header; 1 takes the right-most entry, which our one proxy wrote.
REPERE_TRUSTED_PROXIES = env.int("REPERE_TRUSTED_PROXIES", default=0)
# Password-reset e-mails per typed address, and requests per client address, per hour.
REPERE_PASSWORD_RESET_ADDRESS_LIMIT = env.int("REPERE_PASSWORD_RESET_ADDRESS_LIMIT", default=3)
REPERE_PASSWORD_RESET_CLIENT_LIMIT = env.int("REPERE_PASSWORD_RESET_CLIENT_LIMIT", default=10)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.authentication.ClientAddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "courses:my_learning"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Single sign-on (allauth). Accounts are made by invitation or by an organization's
# provider only: allauth's password login and signup stay off (accounts.sso.AccountAdapter),
# and organizations.sign_in.SocialAccountAdapter decides who may sign in through which
# provider. An address that already has an account is never linked on the provider's word
# alone: its owner signs in with their password first (SOCIALACCOUNT_EMAIL_AUTHENTICATION).
ACCOUNT_ADAPTER = "accounts.sso.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "organizations.sign_in.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# The provider's login address answers a POST only (a GET shows a page with a button), so
# that another site cannot start a sign-in in the reader's name.
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
# How long the provider's servers are waited for (discovery, token, user info).
SOCIALACCOUNT_REQUESTS_TIMEOUT = env.int("REPERE_SSO_TIMEOUT_SECONDS", default=10)

# Login throttling: five failures lock that account from that address for a while.
AXES_FAILURE_LIMIT = env.int("REPERE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("REPERE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# The address normalised as login matches it, and the client behind our trusted proxies.
AXES_USERNAME_CALLABLE = "accounts.authentication.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"
# Failed logins from one client address, whatever the accounts, per cool-off period
# (password spraying): past it, that address gets a 429 until the period ends. 0: no limit.
REPERE_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("REPERE_LOGIN_ADDRESS_FAILURE_LIMIT", default=30)

# Two-factor (allauth.mfa): TOTP apps and recovery codes. Administrators (is_staff) must use
# it when this is on (recommended in production); supervisors when their organization
# requires it (Organization.require_two_factor): organizations.selectors.access.
REPERE_ADMINS_REQUIRE_TWO_FACTOR = env.bool("REPERE_ADMINS_REQUIRE_TWO_FACTOR", default=False)
MFA_ADAPTER = "accounts.two_factor.MFAAdapter"
# Passkeys (WebAuthn) as the second factor too (accounts.passkeys), never instead of the
# password: allauth's passkey login stays off (MFA_PASSKEY_LOGIN_ENABLED, False by default).
# The browser checks the origin against the host (the relying party's id); fido2 accepts
# https, and http://localhost only, which is where the tests' live server runs: no
# MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN needed (Chromium refuses an IP such as 127.0.0.1 as
# relying party anyway).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Repère"
MFA_RECOVERY_CODE_COUNT = 10
# A code is accepted 30 seconds either side of its period: phones' clocks drift.
MFA_TOTP_TOLERANCE = 1
# Wrong codes (allauth's "login_failed" limit, in the cache): 10 a minute from one client
# address, and as many per account per cool-off as the password's lockout allows; then the
# form says so until the period ends.
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{AXES_FAILURE_LIMIT}/{int(AXES_COOLOFF_TIME.total_seconds())}s/key"
}
# 429 Too Many Requests: what happened, and what clients and proxies understand as "wait".
AXES_HTTP_RESPONSE_CODE = 429

# Languages: French is the default and the language of the source material.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="America/Toronto")
USE_TZ = True
# Dates as each language writes them ("1er décembre 2026", "December 1, 2026").
FORMAT_MODULE_PATH = ["config.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en")}
# The admin's translation tabs need jQuery UI: served from our own static files.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("REPERE_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: printed on the console unless EMAIL_URL names an SMTP server. In production that
# would print password-reset links into the server log, so it must be accepted explicitly.
_console_email_refused = not DEBUG and not env.bool("REPERE_EMAIL_CONSOLE_OK", default=False)
if _console_email_refused and not env.str("EMAIL_URL", default="").strip():
    raise ImproperlyConfigured(
        "EMAIL_URL is required in production (for example "
        "smtp+tls://user:password@smtp.example.org:587): without it, e-mails, password-reset "
        "links included, are printed in the server log. Set REPERE_EMAIL_CONSOLE_OK=1 to "
        "accept that on purpose. See .env.example."
    )
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Repère <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production defaults are strict; development relaxes what needs HTTPS.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is hard to undo (browsers ship the list): a deployer opts in.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Shared computers (a shelter's office): sessions end when the browser closes, and after
# hours without activity (accounts.middleware.SessionIdleTimeoutMiddleware renews them).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("REPERE_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_AGE = int(env.float("REPERE_SESSION_IDLE_HOURS", default=8) * 3600)
# Uploads (CSV imports) and form posts are capped in the app, whatever the proxy allows;
# accounts.middleware.UploadSizeLimitMiddleware answers a larger request with our 413 page.
REPERE_MAX_UPLOAD_BYTES = env.int("REPERE_MAX_UPLOAD_BYTES", default=3 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REPERE_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = REPERE_MAX_UPLOAD_BYTES
LANGUAGE_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
# No referrer leaves the site: the quick exit must not tell the next site where it came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_SSL_REDIRECT and not DEBUG:
    # Turned off on purpose, behind a proxy that terminates TLS and redirects itself.
    SILENCED_SYSTEM_CHECKS.append("security.W008")
if not SECURE_HSTS_PRELOAD:
    # Off on purpose (DJANGO_SECURE_HSTS_PRELOAD): preloading is a deployer's decision.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Nothing personal in server logs (issue 20): every record that reaches a handler has its
# e-mail addresses, the names of accounts and the tokens of links masked (config.log_masking).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "config.log_masking.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal"]},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Personal data (issue 20): how long each kind of record is kept (README, "Personal data"),
# the grace period before a closed account is erased, and how long a data-export link lasts.
REPERE_RETENTION_AUDIT_DAYS = env.int("REPERE_RETENTION_AUDIT_DAYS", default=1095)
REPERE_RETENTION_EMAIL_LOG_DAYS = env.int("REPERE_RETENTION_EMAIL_LOG_DAYS", default=365)
REPERE_RETENTION_REMINDER_LOG_DAYS = env.int("REPERE_RETENTION_REMINDER_LOG_DAYS", default=365)
REPERE_RETENTION_INVITATION_DAYS = env.int("REPERE_RETENTION_INVITATION_DAYS", default=90)
REPERE_RETENTION_OPEN_ATTEMPT_DAYS = env.int("REPERE_RETENTION_OPEN_ATTEMPT_DAYS", default=180)
REPERE_RETENTION_WEBHOOK_DAYS = env.int("REPERE_RETENTION_WEBHOOK_DAYS", default=90)
REPERE_RETENTION_XAPI_DAYS = env.int("REPERE_RETENTION_XAPI_DAYS", default=90)
REPERE_RETENTION_NEVER_ACTIVATED_DAYS = env.int(
    "REPERE_RETENTION_NEVER_ACTIVATED_DAYS", default=365
)
# Reports of groups of people (survey aggregates, gains) show no figure for fewer people
# than this, so that no one can be told apart from an aggregate.
REPERE_MIN_REPORT_GROUP = env.int("REPERE_MIN_REPORT_GROUP", default=5)
REPERE_ERASURE_GRACE_DAYS = env.int("REPERE_ERASURE_GRACE_DAYS", default=30)
REPERE_DATA_EXPORT_EXPIRY_HOURS = env.int("REPERE_DATA_EXPORT_EXPIRY_HOURS", default=24)

# Safety information shown on every page.
HOTLINE_PHONE = "1-833-900-1010"
# Where the quick exit sends the reader: a neutral, everyday page.
QUICK_EXIT_URL = env.str("REPERE_QUICK_EXIT_URL", default="https://www.google.com/search?q=weather")

# Webhooks (README, "Webhooks"): how long a receiver has to answer each POST, and whether
# an endpoint may be plain http to 127.0.0.1 (development and the tests' receiver; never
# in production, where every address must be https).
REPERE_WEBHOOKS_TIMEOUT_SECONDS = env.int("REPERE_WEBHOOKS_TIMEOUT_SECONDS", default=5)
REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP = env.bool("REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP", default=DEBUG)

# Issue 13: keep a summary of each assignment (supervision.summary), refreshed in the
# transaction of every write that changes it, and read the supervisors' dashboard from it
# instead of computing every row's status live. `migrate` adds the rows missing; off,
# writes do not maintain it: after running with it off, `manage.py check_summary --repair`.
REPERE_DASHBOARD_SUMMARY = env.bool("REPERE_DASHBOARD_SUMMARY", default=True)

# --- REST API (the api app) -------------------------------------------------------------

REST_FRAMEWORK = {
    # None by default (no session, no basic): the API's views name theirs (api.base).
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    # Refuse by default: the API's views name their permission (api.base.ClientHasScope).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable page is the documentation (/api/docs/).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.problem_handler",
    "UNAUTHENTICATED_USER": None,
}
# Named here for the migrations that depend on these (swappable) models.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.scopes.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("REPERE_API_TOKEN_SECONDS", default=3600),
    # The OAuth 2.0 Security BCP (RFC 9700) now rather than at django-oauth-toolkit 4.0:
    # only client credentials are used, so no implicit or password grant, no "plain"
    # PKCE, no token in a URL, https redirect URIs only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Tokens are kept in plain text, as django-oauth-toolkit 3 does (they last an hour; its
# hashed storage, the default in 4.0, is to adopt with it): the one BCP warning silenced.
SILENCED_SYSTEM_CHECKS.append("oauth2_provider.W006")
SPECTACULAR_SETTINGS = {
    "TITLE": "Repère API",
    "DESCRIPTION": (
        "One organization's members, assignments, progress and certificates, for its HR "
        "system. OAuth 2.0 client credentials (POST /api/oauth/token/); errors are RFC 9457 "
        "problem details in the language of Accept-Language (fr, en)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}
