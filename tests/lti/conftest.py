import pytest
import requests

from tests.lti.factories import registration_for
from tests.lti.platform import start_lms
from tests.organizations.factories import OrganizationFactory


@pytest.fixture
def lms(live_server):
    """A real LTI platform on 127.0.0.1 that knows Repère at `live_server`."""
    platform, stop = start_lms()
    platform.tool_url = live_server.url
    yield platform
    stop()


@pytest.fixture
def shelter(transactional_db):
    return OrganizationFactory(name="Refuge Le Phare")


@pytest.fixture
def registration(lms, shelter):
    """The LMS registered by hand in the admin, for the shelter."""
    return registration_for(lms, organization=shelter)


@pytest.fixture
def browser():
    """A person's browser: follows redirects, keeps cookies."""
    with requests.Session() as session:
        yield session
