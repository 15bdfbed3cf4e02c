import pytest
from django.utils import translation

from tests.factories import AdminFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    """Tests never write into the project, and start in the default language."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
