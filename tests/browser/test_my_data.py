"""A learner asks for their data from their profile, the worker builds it, they open the
link from the e-mail, download the ZIP and read its summary page; the link then says it
was used. In French and in English; axe finds nothing serious on the pages."""

import pytest

from tests.browser import privacy_flows as steps
from tests.browser.conftest import LANGUAGES, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_downloads_their_data_once(new_page, task_worker, language):
    learner = UserFactory(
        email="noor@example.org", full_name="Noor Haddad", preferred_language=language
    )
    page = new_page(language=language)
    log_in(page, language=language, email=learner.email)

    steps.ask_for_my_data(page, language=language)
    task_worker()
    link = steps.link_from_my_email(language=language, email=learner.email)
    files = steps.download_my_data(page, link=link)
    steps.read_summary(new_page(language=language), language=language, files=files, user=learner)
    steps.link_is_used(page, language=language, link=link)
