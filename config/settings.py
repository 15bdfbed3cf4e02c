"""Repère settings: one module, read from the environment (see .env.example).

Without DJANGO_DEBUG=1 these are production settings: they refuse to start without
DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, and turn on HTTPS, HSTS and secure cookies.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production "
            f"(or set DJANGO_DEBUG=1 for development). See .env.example."
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only-key")
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
    )
else:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
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
    "axes",
    "csp",
    "accounts",
    "courses",
    "quizzes",
    "certificates",
    "organizations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must be last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
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
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers share one file: wait for locks, take the write lock up front,
    # and let readers run beside a writer.
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every app server (rate limits): the database by default.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://repere_cache")}
# Lookups of certificate codes per client address per minute on the public page (0: no limit).
CERTIFICATES_VERIFY_RATE_LIMIT = env.int("REPERE_VERIFY_RATE_LIMIT", default=30)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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

# Login throttling: five failures lock that account from that address for a while.
AXES_FAILURE_LIMIT = env.int("REPERE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("REPERE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"


def _axes_username(request, credentials=None):
    """The address as accounts.User matches it (any case): otherwise each capitalisation of
    an address would get its own five attempts. Cut to the column's 255 characters."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(AXES_USERNAME_FORM_FIELD)
    return username.strip().lower()[:255] if isinstance(username, str) else username


AXES_USERNAME_CALLABLE = _axes_username
# 429 Too Many Requests: what happened, and what clients and proxies understand as "wait".
AXES_HTTP_RESPONSE_CODE = 429

# Languages: French is the default and the language of the source material.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="America/Toronto")
USE_TZ = True

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

# E-mail: printed on the console unless EMAIL_URL names an SMTP server.
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
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
# No referrer leaves the site: the quick exit must not tell the next site where it came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_SSL_REDIRECT and not DEBUG:
    # Turned off on purpose, behind a proxy that terminates TLS and redirects itself.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Safety information shown on every page.
HOTLINE_PHONE = "1-833-900-1010"
# Where the quick exit sends the reader: a neutral, everyday page.
QUICK_EXIT_URL = env.str("REPERE_QUICK_EXIT_URL", default="https://www.google.com/search?q=weather")
