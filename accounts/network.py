"""The address of the person at the other end of the request, behind trusted proxies.

`REPERE_TRUSTED_PROXIES` says how many proxies we run in front of the app. Each appends the
address it received the request from to `X-Forwarded-For` (nginx's
`$proxy_add_x_forwarded_for`), so with N trusted proxies the client is the N-th entry from
the right; whatever stands further left was written by the client and proves nothing. With
no trusted proxy the header is ignored: anyone can send it.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the entry our own proxies vouch for."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = settings.REPERE_TRUSTED_PROXIES
    if trusted <= 0:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(entries) < trusted:
        return remote
    candidate = entries[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # Not an address: the header is not what our proxies write.
        return remote
