"""Paths an attacker can type: ids out of range, non-ASCII digits, a path starting with //."""

from pathlib import Path

import pytest
from django.test import override_settings

from tests.quizzes.factories import QuizFactory

pytestmark = pytest.mark.django_db

TOO_LARGE = "99999999999999999999"  # above 2**63 - 1: SQLite raised OverflowError (a 500)


@pytest.mark.parametrize("suffix", ["quiz/", "quiz/start/"])
@pytest.mark.parametrize("module_id", [TOO_LARGE, str(2**63), "１２", "٣"])
def test_a_module_id_out_of_range_or_in_other_digits_is_404(learner_client, suffix, module_id):
    quiz = QuizFactory()
    url = f"/fr/courses/{quiz.module.course.slug}/modules/{module_id}/{suffix}"
    response = learner_client.post(url) if suffix.endswith("start/") else learner_client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/fr/quizzes/attempts/{TOO_LARGE}/",
        f"/fr/certificates/{TOO_LARGE}/certificate.pdf",
        f"/fr/organizations/{TOO_LARGE}/",
        f"/fr/courses/some-course/lessons/{TOO_LARGE}/",
    ],
)
def test_every_id_in_a_path_is_bounded(learner_client, path):
    assert learner_client.get(path).status_code == 404


def test_the_largest_id_still_matches_and_is_simply_not_found(learner_client):
    quiz = QuizFactory()
    url = f"/fr/courses/{quiz.module.course.slug}/modules/{2**63 - 1}/quiz/"
    assert learner_client.get(url).status_code == 404


@override_settings(DEBUG=False)
def test_a_path_starting_with_two_slashes_gives_no_link_to_another_site(client):
    # PATH_INFO as a server passes it: the test client would read "//evil.com" as a host.
    response = client.get("/", PATH_INFO="//evil.com/fr/quick-exit/")
    assert response.status_code == 404
    links = [link["url"] for link in response.context["language_links"]]
    assert links == ["/fr/", "/en/"]
    assert not any(url.startswith("//") for url in links)
    assert "//evil.com" not in response.content.decode()


def test_language_links_lead_to_the_same_page_with_its_query_string(client):
    response = client.get("/fr/courses/?q=refuge")
    urls = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert urls == {"fr": "/fr/courses/?q=refuge", "en": "/en/courses/?q=refuge"}


def test_language_links_keep_the_arguments_of_the_page(client):
    quiz = QuizFactory()
    slug = quiz.module.course.slug
    response = client.get(f"/en/courses/{slug}/")
    urls = {link["code"]: link["url"] for link in response.context["language_links"]}
    assert urls == {"fr": f"/fr/courses/{slug}/", "en": f"/en/courses/{slug}/"}


def test_favicon_ico_leads_to_our_svg_icon_which_every_page_names(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    icon = Path(finders.find("favicon.svg")).read_text()
    assert icon.startswith("<svg")
    page = client.get("/en/courses/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


@pytest.mark.parametrize(
    ("language", "text"), [("fr", "Vérifier une attestation"), ("en", "Check a certificate")]
)
def test_every_page_links_to_the_certificate_check_in_its_footer(client, language, text):
    page = client.get(f"/{language}/courses/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'<a href="/{language}/verify/">{text}</a>' in footer


@pytest.mark.parametrize(
    ("language", "header"), [("fr", "Administration de Repère"), ("en", "Repère administration")]
)
def test_the_admin_says_repere_administration(admin_client, language, header):
    page = admin_client.get(f"/{language}/admin/").content.decode()
    assert f">{header}</a>" in page
    assert f"| {header}</title>" in page
    assert "Django" not in page


def test_a_page_title_is_the_page_then_the_site(client):
    page = client.get("/en/verify/").content.decode()
    assert "<title>Check a certificate · Repère</title>" in page
