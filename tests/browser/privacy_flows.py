"""Steps of "My data" (issue 20) in the browser, for test_my_data.py and for a journey that
goes on to close the account: each takes the page and the language, and asserts what the
person sees."""

import io
import json
import zipfile

from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import translation

from privacy.export import LINK_USED
from privacy.export_views import REQUESTED
from tests.browser.conftest import t

BLOCKING = {"serious", "critical"}
axe = Axe()


def no_blocking_axe_violation(page) -> None:
    violations = axe.run(page).response["violations"]
    blocking = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations
                if v["impact"] in BLOCKING]  # fmt: skip
    assert not blocking, blocking


def ask_for_my_data(page, *, language: str) -> None:
    """From the profile, open My data and ask for a copy; the page says it is prepared."""
    page.goto(f"/{language}/accounts/profile/")
    main = page.locator("main")
    page.navigate(main.get_by_role("link", name=t(language, "Get a copy of my data")).click)
    assert page.locator("main h1").inner_text().strip() == t(language, "A copy of my data")
    no_blocking_axe_violation(page)
    mail.outbox.clear()
    page.navigate(main.get_by_role("button", name=t(language, "Send me a copy of my data")).click)
    with translation.override(language):
        assert str(REQUESTED) in main.inner_text()


def link_from_my_email(*, language: str, email: str) -> str:
    """The path of the link in the e-mail that says the copy is ready."""
    subject = t(language, "Your copy of your Repère data is ready")
    (message,) = [m for m in mail.outbox if m.subject == subject and m.to == [email]]
    line = next(line for line in message.body.splitlines() if "/my-data/" in line)
    return line[line.index("/", len("http://")) :]


def download_my_data(page, *, link: str) -> dict[str, bytes]:
    """Open the link from the e-mail: the ZIP downloads. Returns its files."""
    with page.expect_download() as download:
        page.evaluate("link => { window.location.href = link; }", link)
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_summary(page, *, language: str, files: dict[str, bytes], user) -> None:
    """The summary page of the archive, in the person's language, names them and lists
    every kind of record; axe finds nothing serious in it. `page`: a fresh one (a blank
    document, as a file opened from the disk; not under the site's CSP)."""
    page.set_content(files["summary.html"].decode())
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text().strip() == t(language, "Your data held by Repère")
    text = page.locator("main").inner_text()
    assert user.email in text
    assert t(language, "Quiz attempts") in text
    account = json.loads(files["account.json"])
    assert account["records"][0]["email"] == user.email
    no_blocking_axe_violation(page)


def link_is_used(page, *, language: str, link: str) -> None:
    """A second use of the link says plainly that it has been used."""
    page.goto(link)
    with translation.override(language):
        assert str(LINK_USED) in page.locator("main").inner_text()
    no_blocking_axe_violation(page)
