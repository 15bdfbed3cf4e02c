"""End-to-end tests in Debian's Chromium, driven by Playwright against pytest-django's live server.

- One browser for the whole session; a fresh context (cookies, language) per page.
- Nothing leaves the machine: every request to another host than the live server or the
  fake "exit site" is aborted and fails the test, and the quick exit points at that fake site.
- Every page visited is saved to artifacts/screenshots/<test>/<n>-<slug>.png.
- A console error (a CSP violation, a script error) fails the test: the strict CSP would
  otherwise break a page silently.

Chromium comes from Debian (`apt-get install chromium`, done by .ci/run); Playwright does not
download its own. Without it the tests are skipped locally, and fail when CI=true.
"""

import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import translation

# Playwright's sync API runs an event loop in this thread; the test code and the live
# server still talk to the database synchronously, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("REPERE_CHROMIUM", "/usr/bin/chromium"))
# Without these, Chromium tries to reach Google (updates, sync, field trials…).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(django_settings.BASE_DIR) / "artifacts" / "screenshots"
SCREENSHOTS_ON = os.environ.get("REPERE_SCREENSHOTS", "1") != "0"
LANGUAGES = ["fr", "en"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
COURSE_SLUG = "frontline-awareness"


def t(language: str, msgid: str) -> str:
    """The interface string as a visitor reading `language` sees it."""
    with translation.override(language):
        return str(translation.gettext(msgid))


# --- the browser ---------------------------------------------------------------------------


# The one Chromium of the session. Test modules elsewhere (tests/quizzes/test_browser.py)
# import these fixtures by name, which makes pytest create the session fixture again: they
# must get this same browser, as Playwright's sync API cannot be started twice at once.
_chromium: dict = {}


@pytest.fixture(scope="session")
def browser(request):
    if not CHROMIUM.exists():
        reason = (
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; "
            "or set REPERE_CHROMIUM): browser tests cannot run."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    if not _chromium:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _chromium["playwright"] = playwright
        _chromium["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        request.config.add_cleanup(_close_chromium)
    return _chromium["browser"]


def _close_chromium():
    _chromium.pop("browser").close()
    _chromium.pop("playwright").stop()


class _ExitSite(BaseHTTPRequestHandler):
    """A neutral page on another origin, standing for the weather site of the quick exit."""

    def do_GET(self):  # the name http.server calls
        self.server.requests.append({"path": self.path, "headers": dict(self.headers)})
        body = b"<!DOCTYPE html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def exit_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ExitSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}/weather"
    server.requests = []  # what each visitor told the exit site: path and headers
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _browser_settings(settings, exit_site):
    # The quick exit must not leave the machine.
    settings.QUICK_EXIT_URL = exit_site.url
    exit_site.requests.clear()


# --- pages -----------------------------------------------------------------------------------


def _slug(url: str) -> str:
    parts = urlsplit(url)
    text = f"{parts.hostname if parts.hostname not in LOCAL_HOSTS else ''}{parts.path}"
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-")[:80] or "root"


@dataclass
class Recorder:
    """Screenshots of the pages visited: <n>-<slug>.png, in the order they were seen."""

    folder: Path
    count: int = 0
    problems: list[str] = field(default_factory=list)

    def snap(self, page) -> None:
        if not SCREENSHOTS_ON:
            return
        self.count += 1
        name = f"{self.count:02d}-{_slug(page.url)}.png"
        try:
            page.screenshot(path=str(self.folder / name), full_page=True)
        except Exception as error:  # the page may already be gone
            self.problems.append(f"screenshot {name}: {error}")


class RecordingPage:
    """A Playwright page that takes a screenshot each time it has arrived somewhere: after
    goto/go_back/reload/wait_for_url, and after `navigate(action)`, which every click or
    Enter that loads a page goes through. Anything else is the Playwright page itself."""

    _ARRIVALS = {"goto", "go_back", "go_forward", "reload", "wait_for_load_state", "wait_for_url"}

    def __init__(self, page, recorder: Recorder, *, javascript: bool = True, errors=None):
        self._page = page
        self._recorder = recorder
        self.javascript = javascript
        # The factory's list of problems the browser reported (shared by its pages).
        self.errors = errors if errors is not None else []

    def evaluate(self, expression, *args, **kwargs):
        # With JavaScript off, the page's timers never fire, so a script awaiting one (axe.run
        # does) hangs forever instead of failing. The markup is the same with JavaScript on.
        if not self.javascript and "axe.run(" in str(expression):
            raise AssertionError(
                "axe-core cannot run in a page without JavaScript (it would hang): check the "
                "same page opened with new_page(javascript=True)."
            )
        return self._page.evaluate(expression, *args, **kwargs)

    def navigate(self, action) -> None:
        """Do what loads a new page (a click, Enter) and wait until it has loaded: waiting
        for the load state alone could return before the navigation has even started."""
        with self._page.expect_navigation():
            action()
        self._recorder.snap(self._page)

    def __getattr__(self, name):
        attribute = getattr(self._page, name)
        if name not in self._ARRIVALS:
            return attribute

        def arrive(*args, **kwargs):
            result = attribute(*args, **kwargs)
            self._recorder.snap(self._page)
            return result

        return arrive


@dataclass
class PageFactory:
    browser: object
    live_url: str
    folder: Path
    contexts: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    recorder: Recorder = field(init=False)

    def __post_init__(self):
        # Several pages in one test (a learner and an administrator) share the numbering.
        self.folder.mkdir(parents=True, exist_ok=True)
        self.recorder = Recorder(self.folder)

    def __call__(
        self, *, language: str = "fr", javascript: bool = True, user=None, phone: bool = False
    ) -> RecordingPage:
        """A new page in a fresh context, as a visitor reading `language`; signed in as
        `user` if given (a session cookie, without going through the login form); on a
        small phone's screen if `phone`."""
        context = self.browser.new_context(
            base_url=self.live_url,
            locale={"fr": "fr-CA", "en": "en-CA"}[language],
            java_script_enabled=javascript,
            # A small phone (iPhone SE width), or a laptop.
            viewport={"width": 320, "height": 640} if phone else {"width": 1024, "height": 800},
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(10_000)
        context.route("**/*", self._only_local)
        self.contexts.append(context)
        if user is not None:
            context.add_cookies([self._session_cookie(user)])
        page = context.new_page()
        page.on("console", lambda message: self._console(page, message))
        page.on("response", lambda response: self._response(page, response))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return RecordingPage(page, self.recorder, javascript=javascript, errors=self.errors)

    def _session_cookie(self, user) -> dict:
        from django.test import Client

        client = Client()
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        return {"name": name, "value": client.cookies[name].value, "url": self.live_url}

    def _only_local(self, route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.errors.append(f"request to another host was blocked: {route.request.url}")
            route.abort()

    def _console(self, page, message):
        # A page answered with 404 or 429 on purpose also logs "Failed to load resource";
        # failed stylesheets, scripts and images are caught by _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"{page.url}: console error: {message.text}")

    def _response(self, page, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{page.url}: {response.status} for {response.url}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """`new_page(language="en", javascript=False)` → a Playwright page on the live server."""
    folder = SCREENSHOTS / re.sub(r"[^a-zA-Z0-9_.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    factory = PageFactory(browser=browser, live_url=live_server.url, folder=folder)
    yield factory
    factory.close()
    assert not factory.errors, "The browser reported problems:\n" + "\n".join(factory.errors)


# --- data ------------------------------------------------------------------------------------


@pytest.fixture
def course(transactional_db):
    """The real course, loaded from the curriculum file."""
    from courses.models import Course
    from courses.services import course_set_published

    call_command("load_curriculum", verbosity=0)
    course = Course.objects.get(slug=COURSE_SLUG)
    if not course.is_published:
        course_set_published(course=course, published=True)
    return course


@pytest.fixture
def staff_member(transactional_db):
    from tests.factories import UserFactory

    return UserFactory(email="camille@example.org", full_name="Camille Tremblay")


@pytest.fixture
def administrator(transactional_db):
    from tests.factories import AdminFactory

    return AdminFactory(email="alex@example.org", full_name="Alex Administrateur")


@pytest.fixture
def person(request, course, staff_member):
    """Parametrised indirectly with a `who` of tests/browser/pages.py: that person, with the
    progress it describes (None for a visitor)."""
    from tests.browser.pages import prepare_person

    return prepare_person(request.param, course=course, staff_member=staff_member)


def log_in(page, *, language: str, email: str, password: str | None = None) -> None:
    """Log in through the real form (django-axes sees a real request)."""
    from tests.factories import PASSWORD

    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password or PASSWORD)
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Log in")).click)


def lessons_in_order(course) -> list:
    from courses.selectors import course_outline

    return course_outline(course=course, user=_Anonymous()).lessons


class _Anonymous:
    is_authenticated = False
    is_staff = False
