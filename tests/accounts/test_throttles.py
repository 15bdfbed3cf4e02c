import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from accounts.throttles import throttle_hit, too_many_requests

pytestmark = pytest.mark.django_db


def test_hits_within_the_limit_pass_and_the_next_one_says_how_long_to_wait():
    results = [throttle_hit("test", "key", limit=3, window_seconds=3600) for _ in range(4)]
    assert results[:3] == [None, None, None]
    assert 0 < results[3] <= 3600


def test_each_scope_and_key_has_its_own_count():
    throttle_hit("test", "a", limit=1, window_seconds=60)
    assert throttle_hit("test", "b", limit=1, window_seconds=60) is None
    assert throttle_hit("other", "a", limit=1, window_seconds=60) is None
    assert throttle_hit("test", "a", limit=1, window_seconds=60) is not None


def test_a_limit_of_zero_means_no_limit():
    assert all(throttle_hit("test", "k", limit=0, window_seconds=60) is None for _ in range(50))


def test_no_key_is_stored_in_clear(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    throttle_hit("reset", "camille@example.org", limit=3, window_seconds=60)
    keys = list(cache._cache)  # LocMemCache's own store
    assert keys
    assert not any("camille" in key for key in keys)


@pytest.mark.parametrize(("language", "title"), [("fr", "Trop de demandes"), ("en", "Too many")])
def test_the_429_page_is_in_the_users_language_and_says_when_to_retry(language, title):
    request = RequestFactory().get(f"/{language}/")
    with translation.override(language):
        response = too_many_requests(request, 125)
    assert response.status_code == 429
    assert response["Retry-After"] == "125"
    page = response.content.decode()
    assert title in page
    assert "3 minutes" in page
