"""Per-address rate limit of the public verification page.

A fixed one-minute window per client address (accounts.network.client_ip, which knows the
trusted proxies), counted by accounts.throttles in the shared cache, so the limit holds
across workers: guessing 80-bit codes at 30 lookups a minute is useless.
"""

from django.conf import settings

from accounts.network import client_ip
from accounts.throttles import throttle_hit

WINDOW_SECONDS = 60


def verification_retry_after(request) -> int | None:
    """Count this lookup: None while allowed, else the seconds until the next minute."""
    return throttle_hit(
        "certificates:verify",
        client_ip(request),
        limit=settings.CERTIFICATES_VERIFY_RATE_LIMIT,
        window_seconds=WINDOW_SECONDS,
    )
