"""The real client address behind a reverse proxy, trusting forwarded headers only from known proxies.

``X-Forwarded-For`` is whatever the client wrote plus what each proxy appended, so it is read only
when the immediate peer (``REMOTE_ADDR``) is listed in ``PEYVAND_TRUSTED_PROXIES``, and from the
right: the first address that is not a trusted proxy is the client. Login throttling (django-axes)
and the audit trail both ask :func:`client_address`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """IP addresses and CIDR blocks as networks; a malformed entry is a configuration error."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"PEYVAND_TRUSTED_PROXIES must list IP addresses or CIDR blocks, got {entry!r}"
            ) from None
    return tuple(networks)


def _address(value: str) -> Address | None:
    """An IP address from a header item, with an optional port or IPv6 brackets; ``None`` if malformed."""
    text = value.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 203.0.113.7:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    return address


def _trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request``, as far as the trusted proxies vouch for it."""
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return request.META.get("REMOTE_ADDR") or None
    proxies = parse_networks(tuple(getattr(settings, "PEYVAND_TRUSTED_PROXIES", ())))
    if not _trusted(peer, proxies):
        return str(peer)
    forwarded = [item for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if not forwarded and request.META.get("HTTP_X_REAL_IP"):
        forwarded = [request.META["HTTP_X_REAL_IP"]]
    client = peer
    for item in reversed(forwarded):
        hop = _address(item)
        if hop is None:
            break  # a garbled hop: trust nothing to the left of it
        client = hop
        if not _trusted(hop, proxies):
            break
    return str(client)
