"""Deep linking: a teacher in the LMS picks a published course or one module; Repère
returns a signed response the platform verifies against Repère's JWKS, and the link it
makes opens that course or module."""

import pytest

from tests.factories import CourseFactory
from tests.lti.platform import INSTRUCTOR, assert_safety_on, form_of, radios_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def courses(transactional_db):
    published = CourseFactory(slug="reconnaitre", title_fr="Reconnaître", lessons=4)
    draft = CourseFactory(slug="brouillon", title_fr="Brouillon", is_published=False, lessons=1)
    return published, draft


def _deep_linking_page(lms, browser):
    lms.launch.deep_linking = True
    lms.launch.roles = [INSTRUCTOR]
    lms.launch.lineitem = False
    response, _form = lms.open(browser)
    assert response.status_code == 200, response.text[:1000]
    return response


def test_a_teacher_picks_a_module_and_the_lms_gets_a_signed_link_to_it(
    lms, registration, courses, browser
):
    published, draft = courses
    page = _deep_linking_page(lms, browser)
    choices = radios_of(page.text)
    module = published.modules.order_by("position").last()
    assert f"course:{published.pk}" in choices
    assert f"module:{module.pk}" in choices
    assert f"course:{draft.pk}" not in choices  # drafts are not offered
    assert "Reconnaître" in page.text
    assert "Brouillon" not in page.text
    assert_safety_on(page.text)
    picked = browser.post(
        f"{lms.tool_url}/lti/deep-link/",
        data={
            "target": f"module:{module.pk}",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
    )
    assert picked.status_code == 200, picked.text[:1000]
    action, fields = form_of(picked.text.split("<main", 1)[1])
    assert action == f"{lms.url}/deep-link-return"
    assert lms.url in picked.headers["Content-Security-Policy"]  # the form may post there
    returned = browser.post(action, data=fields)
    assert returned.status_code == 200, returned.text
    [item] = lms.deep_link_items
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == f"{lms.tool_url}/lti/launch/"
    assert item["custom"] == {"repere_course": "reconnaitre", "repere_module": str(module.pk)}
    # The link made in the LMS opens that module.
    browser.cookies.clear()
    lms.launch.deep_linking = False
    lms.launch.custom = item["custom"]
    response, _form = lms.open(browser)
    assert response.url.endswith(f"/courses/reconnaitre/#module-{module.pk}")


def test_a_pick_that_is_not_offered_is_a_form_error(lms, registration, courses, browser):
    _published, draft = courses
    _deep_linking_page(lms, browser)
    picked = browser.post(
        f"{lms.tool_url}/lti/deep-link/",
        data={"target": f"course:{draft.pk}", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
    )
    assert picked.status_code == 400
    assert "Choisissez un cours" in picked.text
    assert lms.deep_link_items == []


def test_a_pick_without_a_deep_linking_launch_is_refused(live_server, browser, courses):
    browser.get(f"{live_server.url}/fr/")
    picked = browser.post(
        f"{live_server.url}/lti/deep-link/",
        data={"target": "course:1", "csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")},
    )
    assert picked.status_code in (400, 403)
