"""Fixed-window rate limits in the shared cache, for anything that can be asked too often.

`throttle_hit("password-reset:target", address, limit=3, window_seconds=3600)` counts one
hit and says whether the caller is over the limit. The counts live in Django's default
cache (a database table shared by every app server unless CACHE_URL says otherwise), so a
limit holds across workers. Keys are hashed: no e-mail address is stored in clear. Counts
are approximate under races (the cache's incr is read-then-write), which is enough to make
guessing and flooding useless.
"""

import hashlib
import math
import time

from django.core.cache import cache
from django.shortcuts import render


def _window(scope: str, key: str, window_seconds: int) -> tuple[str, int]:
    """The cache key of the current window, and the seconds left in it."""
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()
    remaining = max(1, math.ceil((window + 1) * window_seconds - now))
    return f"throttle:{scope}:{digest}:{window}", remaining


def throttle_hit(scope: str, key: str, *, limit: int, window_seconds: int) -> int | None:
    """Count one hit for (scope, key): None while within `limit` hits this window, else the
    seconds until the window ends (for Retry-After). A limit of 0 means no limit."""
    if not limit:
        return None
    cache_key, remaining = _window(scope, key, window_seconds)
    # incr() first: after the first hit of the window, that is the only cache call.
    try:
        count = cache.incr(cache_key)
    except ValueError:  # The first hit of this window.
        count = 1 if cache.add(cache_key, 1, timeout=window_seconds * 2) else cache.incr(cache_key)
    return None if count <= limit else remaining


def throttle_exhausted(scope: str, key: str, *, limit: int, window_seconds: int) -> int | None:
    """Like `throttle_hit` without counting: the seconds to wait once `limit` hits have
    been counted this window (the next hit would be refused), else None."""
    if not limit:
        return None
    cache_key, remaining = _window(scope, key, window_seconds)
    return remaining if cache.get(cache_key, 0) >= limit else None


def too_many_requests(request, retry_after: int, message: str | None = None):
    """The 429 page in the request's language, with a Retry-After header."""
    context = {"message": message, "retry_minutes": max(1, math.ceil(retry_after / 60))}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
