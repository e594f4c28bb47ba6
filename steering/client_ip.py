"""The client's address, as far as it can be known.

X-Forwarded-For is written by whoever sends the request, so only the hops appended by
our own proxies (TRUSTED_PROXY_COUNT of them, counted from the right) are believed.
With no proxy configured the address is the socket's peer, REMOTE_ADDR, whatever the
headers say: a forged header can neither dodge a login lock nor lock out someone else.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
