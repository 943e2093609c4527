"""The address of the client behind our reverse proxies: one rule for every rate limit (the
sign-in's, django-allauth; the public tools', django-ratelimit) and for the audit trail."""

import ipaddress

from django.conf import settings

# Rate limits need a key even when the address is unknown (a Unix socket without a proxy):
# such requests share one counter.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 - a counter's name, never an address to bind


def _address(value: str) -> str | None:
    """The address in `value` ("203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443"), or
    None when it holds none."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """Who sent the request. With no trusted proxy (`TRUSTED_PROXY_COUNT` 0, the default) the
    connection's address: X-Forwarded-For is ignored, since a client may write anything in it.
    Behind N trusted proxies, each appends the address it was reached from, so the client is
    the N-th entry from the right; entries further left were written by the client and are not
    believed. A request that went through fewer proxies than that (the header is shorter)
    gets its leftmost entry, which one of our proxies wrote."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if count > 0 and hops:
        address = _address(hops[-count] if len(hops) >= count else hops[0])
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def rate_limit_key(request) -> str:
    """`client_ip` as django-ratelimit's key (`RATELIMIT_IP_META_KEY`): never empty."""
    return client_ip(request) or UNKNOWN_CLIENT
