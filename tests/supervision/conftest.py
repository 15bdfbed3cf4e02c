import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """These tests create hundreds of accounts; their passwords need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
