"""Per-address rate limit of the public verification page, in the shared cache.

A fixed one-minute window per client address (REMOTE_ADDR), counted in Django's default
cache — a database table shared by every app server — so the limit holds across workers.
The count is approximate under races (the cache's incr is read-then-write), which is
enough to make guessing codes by brute force useless: 80 bits at 30 guesses a minute.
"""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def verification_allowed(request) -> bool:
    """Count this lookup; False once the address has used up this minute's allowance."""
    limit = settings.CERTIFICATES_VERIFY_RATE_LIMIT
    if not limit:
        return True
    window = int(time.time() // WINDOW_SECONDS)
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    key = f"certificates:verify:{address}:{window}"
    # incr() first: after the first lookup of the minute, that is the only cache call.
    try:
        count = cache.incr(key)
    except ValueError:  # The first lookup of this minute from this address.
        count = 1 if cache.add(key, 1, timeout=WINDOW_SECONDS * 2) else cache.incr(key)
    return count <= limit
