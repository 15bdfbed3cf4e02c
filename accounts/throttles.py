"""Fixed-window rate limits in the shared cache (placeholder until the security branch lands)."""

import hashlib
import time

from django.core.cache import cache


def throttle_hit(scope: str, key: str, *, limit: int, window_seconds: int) -> int | None:
    if not limit:
        return None
    now = time.time()
    window = int(now // window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}:{window}"
    count = 1 if cache.add(cache_key, 1, timeout=window_seconds * 2) else cache.incr(cache_key)
    if count <= limit:
        return None
    return max(1, int((window + 1) * window_seconds - now))
