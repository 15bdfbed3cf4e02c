"""What an attacker would try first: guessing passwords, framing pages, injecting scripts.

Production-only settings (secure cookies, HSTS, `check --deploy`) are in test_settings.py.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_FR = "/fr/accounts/login/"
LOGIN_EN = "/en/accounts/login/"


def attempt(client, path, email, password, address="203.0.113.7"):
    return client.post(path, {"username": email, "password": password}, REMOTE_ADDR=address)


def fail_until_locked(client, path, email, address="203.0.113.7"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, path, email, "wrong-password", address)
        assert response.status_code in (200, 429)
    return response


def lockout_title(language):
    with translation.override(language):
        return translation.gettext("Too many failed attempts")


# --- login throttling (django-axes) ---------------------------------------------------------


@pytest.mark.parametrize(("path", "language"), [(LOGIN_FR, "fr"), (LOGIN_EN, "en")])
def test_after_five_failures_even_the_right_password_is_refused_in_the_users_language(
    client, path, language
):
    user = UserFactory(email="camille@example.org")
    fail_until_locked(client, path, user.email)

    response = attempt(client, path, user.email, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert lockout_title(language) in page
    assert f'lang="{language}"' in page
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(client):
    user = UserFactory(email="camille@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, LOGIN_FR, user.email, "wrong-password")
    response = attempt(client, LOGIN_FR, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_lockout_does_not_lock_another_account_from_the_same_address(client):
    target = UserFactory(email="camille@example.org")
    colleague = UserFactory(email="sam@example.org")
    fail_until_locked(client, LOGIN_FR, target.email)

    response = attempt(client, LOGIN_FR, colleague.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_a_lockout_does_not_lock_the_same_account_from_another_address(client):
    user = UserFactory(email="camille@example.org")
    fail_until_locked(client, LOGIN_FR, user.email, address="203.0.113.7")

    response = attempt(client, LOGIN_FR, user.email, PASSWORD, address="198.51.100.20")

    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off_time(client):
    user = UserFactory(email="camille@example.org")
    fail_until_locked(client, LOGIN_FR, user.email)
    assert attempt(client, LOGIN_FR, user.email, PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert attempt(client, LOGIN_FR, user.email, PASSWORD).status_code == 302


def test_the_lock_counts_failures_whatever_the_capitalisation_of_the_address(client):
    """People log in with their address in any case (see accounts), so must attackers."""
    user = UserFactory(email="camille@example.org")
    for index in range(settings.AXES_FAILURE_LIMIT):
        email = "Camille@Example.org" if index % 2 else "CAMILLE@example.ORG"
        attempt(client, LOGIN_FR, email, "wrong-password")
    assert attempt(client, LOGIN_FR, user.email, PASSWORD).status_code == 429


# --- headers ---------------------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def pages(client, learner):
    """A public page, a signed-in page, an error page and a redirect."""
    signed_in = client.__class__()
    signed_in.force_login(learner)
    return {
        "login": client.get(LOGIN_FR),
        "profile": signed_in.get(reverse("accounts:profile")),
        "not found": client.get("/fr/no-such-page/"),
        "redirect": client.get(reverse("accounts:profile")),
    }


def test_every_response_carries_a_strict_content_security_policy(pages):
    for name, response in pages.items():
        policy = directives(response["Content-Security-Policy"])
        script = policy.get("script-src", policy["default-src"])
        style = policy.get("style-src", policy["default-src"])
        assert "'unsafe-inline'" not in script, name
        assert "'unsafe-eval'" not in script, name
        assert "'unsafe-inline'" not in style, name
        assert policy["default-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'self'"], name
        assert policy["form-action"] == ["'self'"], name


def test_every_response_refuses_framing_sniffing_and_referrers(pages):
    for name, response in pages.items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_pages_do_not_ask_for_no_referrer_which_would_break_every_form(pages):
    """With `no-referrer`, Chromium and Firefox send `Origin: null` on a same-site POST and
    Django's CSRF check refuses it: nobody could log in. `same-origin` keeps referrers
    inside the site, which is what the quick exit needs."""
    page = pages["login"].content.decode()
    policies = re.findall(r'<meta name="referrer" content="([^"]+)"', page)
    assert policies == ["same-origin"]


def test_a_form_post_from_a_browser_with_its_origin_is_accepted(learner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.get(LOGIN_FR)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        LOGIN_FR,
        {"username": learner.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"origin": "http://testserver"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302


def test_a_cross_site_form_post_is_refused(learner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.get(LOGIN_FR)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        LOGIN_FR,
        {"username": learner.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"origin": "https://evil.example"},
    )
    assert response.status_code == 403


# --- templates -----------------------------------------------------------------------------

PROJECT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [PROJECT / "templates", *sorted(PROJECT.glob("*/templates"))]
# The strict CSP blocks these; a template that used them would break silently in browsers.
FORBIDDEN = {
    "inline <script> without a nonce": re.compile(
        r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\bnonce\s*=)[^>]*>", re.IGNORECASE
    ),
    "<style> element without a nonce": re.compile(
        r"<style\b(?![^>]*\bnonce\s*=)[^>]*>", re.IGNORECASE
    ),
    "style= attribute": re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.IGNORECASE),
    "on…= event handler attribute": re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


# Rendered into a file that the person opens from their ZIP (privacy.export), never served:
# no CSP applies there, and a stand-alone page needs its styles inline.
NOT_SERVED = {PROJECT / "privacy/templates/privacy/export_summary.html"}


def project_templates():
    for folder in TEMPLATE_DIRS:
        yield from sorted(
            p
            for p in folder.rglob("*")
            if p.suffix in {".html", ".txt", ".svg"} and p not in NOT_SERVED
        )


def test_the_templates_left_out_of_the_scan_are_never_served():
    """A template left out of the CSP scan is rendered only into a downloaded file: no URL
    pattern's view renders it (it is named in no module but the export's)."""
    for path in NOT_SERVED:
        name = str(path.relative_to(path.parents[2] / "templates"))
        users = [
            module.relative_to(PROJECT)
            for module in sorted(PROJECT.glob("*/*.py"))
            if module.parts[-2] != "tests" and name in module.read_text(encoding="utf-8")
        ]
        assert [str(m) for m in users] == ["privacy/export.py"], users


def test_the_template_scan_finds_the_project_templates():
    names = {path.name for path in project_templates()}
    assert {"base.html", "login.html", "lesson_detail.html", "profile.html"} <= names


@pytest.mark.parametrize("pattern_name", sorted(FORBIDDEN))
def test_no_template_uses_what_the_content_security_policy_blocks(pattern_name):
    pattern = FORBIDDEN[pattern_name]
    offenders = [
        f"{path.relative_to(PROJECT)}: {match.group(0)[:80]}"
        for path in project_templates()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"{pattern_name} (blocked by the CSP):\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<p style="color:red">',
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        "<style>p{}</style>",
    ],
)
def test_the_template_scan_catches_what_it_looks_for(snippet):
    assert any(pattern.search(snippet) for pattern in FORBIDDEN.values())


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/quick-exit.js' %}\" defer></script>",
        '<script nonce="{{ request.csp_nonce }}">x()</script>',
        '<link rel="stylesheet" href="site.css">',
        '<p class="one">on display</p>',
    ],
)
def test_the_template_scan_lets_allowed_markup_through(snippet):
    assert not any(pattern.search(snippet) for pattern in FORBIDDEN.values())
