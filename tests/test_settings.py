"""Production settings are secure by default; development is opt-in."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = str(settings.BASE_DIR)
# A throw-away Ed25519 key (32 raw bytes, base64url) for the production settings' checks.
TEST_SIGNING_KEY = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-very-long-random-production-secret-key-0123456789-abcdefghijkl",
    "DJANGO_ALLOWED_HOSTS": "repere.example.org",
    "EMAIL_URL": "smtp+tls://repere:secret@smtp.example.org:587",
    "REPERE_CREDENTIAL_SIGNING_KEY": TEST_SIGNING_KEY,
}


def manage(*args, **env):
    """Run manage.py with only the variables given, whatever the environment and `.env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REPERE_"))}
    for name in ("DATABASE_URL", "EMAIL_URL"):
        clean.pop(name, None)
    clean["DJANGO_ENV_FILE"] = os.devnull  # a developer's .env must not fill the gaps
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "repere.example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS"),
        (
            {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "repere.example.org"},
            "REPERE_CREDENTIAL_SIGNING_KEY",
        ),
        (
            {
                "DJANGO_SECRET_KEY": "x" * 60,
                "DJANGO_ALLOWED_HOSTS": "repere.example.org",
                "REPERE_CREDENTIAL_SIGNING_KEY": TEST_SIGNING_KEY,
            },
            "EMAIL_URL",
        ),
    ],
)
def test_production_refuses_to_start_without_a_required_variable(env, missing):
    result = manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def _example_value(name):
    with open(os.path.join(BASE_DIR, ".env.example"), encoding="utf-8") as example:
        for line in example:
            key, _sep, value = line.strip().partition("=")
            if key == name:
                return value
    raise AssertionError(f"{name} is not in .env.example")


@pytest.mark.parametrize(
    "secret",
    [
        _example_value("DJANGO_SECRET_KEY"),  # .env.example's placeholder
        "change-me-" + "x" * 60,
        " " * 60,
        "\t \n",
        "x" * 31,
    ],
)
def test_production_refuses_a_placeholder_blank_or_short_secret_key(secret):
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": secret})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_accepts_console_email_only_when_told_to():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    refused = manage("check", **env)
    assert refused.returncode != 0
    assert "EMAIL_URL" in refused.stderr
    assert "REPERE_EMAIL_CONSOLE_OK" in refused.stderr
    assert manage("check", REPERE_EMAIL_CONSOLE_OK="1", **env).returncode == 0


def test_a_env_file_fills_in_what_the_environment_does_not_say(tmp_path):
    env_file = tmp_path / "repere.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in PRODUCTION.items()))
    result = manage("check", DJANGO_ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_development_mode_needs_no_secret():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


# Asks the production settings for a page over HTTPS and over plain HTTP, and reports what
# a browser would receive. Run in a subprocess: settings are read once per process.
PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(headers={"host": "repere.example.org"})
secure = client.get("/fr/accounts/login/", secure=True)
plain = client.get("/fr/accounts/login/")
print(json.dumps({
    "secure_status": secure.status_code,
    "hsts": secure.get("Strict-Transport-Security", ""),
    "cookies": {name: dict(morsel) for name, morsel in secure.cookies.items()},
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "language_cookie_secure": settings.LANGUAGE_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "debug": settings.DEBUG,
    "hsts_preload": settings.SECURE_HSTS_PRELOAD,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("production") / "empty.sqlite3"
    result = manage(
        "shell",
        "-c",
        PROBE,
        DATABASE_URL=f"sqlite:///{database}",
        REPERE_STATIC_MANIFEST="0",  # no collectstatic here: plain static URLs
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_not_in_debug_mode(production):
    assert production["debug"] is False


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    assert production["secure_status"] == 200
    hsts = dict(part.strip().partition("=")[::2] for part in production["hsts"].split(";") if part)
    assert int(hsts["max-age"]) >= 31_536_000
    assert "includeSubDomains" in hsts


def test_hsts_preload_is_off_until_a_deployer_opts_in(production):
    assert production["hsts_preload"] is False
    assert "preload" not in production["hsts"]


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://repere.example.org/")


def test_production_cookies_are_secure(production):
    assert production["session_cookie_secure"] is True
    assert production["csrf_cookie_secure"] is True
    assert production["language_cookie_secure"] is True
    assert production["session_cookie_httponly"] is True
    csrf = production["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        (None, "django.contrib.sessions.backends.db"),
        ("rediscache://127.0.0.1:6379/1", "django.contrib.sessions.backends.cached_db"),
        ("locmemcache://", "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_are_read_from_a_shared_cache_only(cache_url, engine):
    """Redis, which every app server shares, serves the sessions first; a cache of one
    process never does (another server would not see a log-out)."""
    env = {"DJANGO_DEBUG": "1", **({"CACHE_URL": cache_url} if cache_url else {})}
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == engine


def test_the_site_hashes_passwords_slowly():
    """The tests hash with MD5 (tests/conftest.py); the site itself must not."""
    result = manage(
        "shell",
        "-c",
        "from django.contrib.auth.hashers import get_hasher; print(get_hasher().algorithm)",
        DJANGO_DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] in ("pbkdf2_sha256", "argon2", "scrypt")
