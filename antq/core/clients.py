"""Who is asking: the client's address behind the trusted reverse proxies, and whether it
lies in a set of networks (used by the tip line's limits and by /metrics; never stored)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK: tuple[Network, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)


def client_address(request: HttpRequest) -> str:
    """The client's address as the last of `ANTQ_TRUSTED_PROXIES` reverse proxies saw it
    (X-Forwarded-For, each proxy appending the address it received from); without proxies,
    the connection's. Behind a proxy, REMOTE_ADDR is the proxy's for everyone."""
    hops = settings.ANTQ_TRUSTED_PROXIES
    if hops:
        chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [p for p in chain if p]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "")


def parse_networks(items: Iterable[str]) -> tuple[Network, ...]:
    """`10.0.0.0/8`, `192.0.2.7` or `2001:db8::/32`; ValueError names a bad item."""
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
    return tuple(networks)


def address_in(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks if network.version == ip.version)


def request_from(request: HttpRequest, networks: Iterable[Network]) -> bool:
    """Both the connection and, behind trusted proxies, the forwarded client are within
    `networks`: a request forwarded by a local proxy for an outside client is outside."""
    networks = tuple(networks)
    return address_in(request.META.get("REMOTE_ADDR", ""), networks) and address_in(
        client_address(request), networks
    )
