"""curl-style ``--connect-to`` overrides and the address policy applied to every connection.

Host names are resolved here, not by the HTTP client, so that the address actually dialled
is the one that was checked: a name cannot resolve to a public address for the check and to
a private one for the connection.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
from collections.abc import Sequence

import attrs

__all__ = [
    "BlockedAddressError",
    "ConnectTo",
    "Resolver",
    "connect_to_rules",
    "is_public_address",
    "parse_connect_to",
]


def _host_key(value: object) -> object:
    """Host names match without regard to case or a final dot, as DNS names do."""
    return (value.lower().rstrip(".") or None) if isinstance(value, str) else value


def _port_number(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    number: object = value  # checked: a caller may pass anything
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 65536:
        raise ValueError(f"ConnectTo.{attribute.name}: {value!r} is not a port number")


@attrs.frozen
class ConnectTo:
    """Connect to ``address``:``target_port`` whenever ``host``:``port`` is requested.

    ``host`` or ``port`` of ``None`` match any host or port; ``address`` or ``target_port``
    of ``None`` keep the requested one, as in curl's ``--connect-to HOST1:PORT1:HOST2:PORT2``.
    """

    host: str | None = attrs.field(
        converter=_host_key,
        validator=(attrs.validators.optional(attrs.validators.instance_of(str))),
    )
    port: int | None = attrs.field(validator=attrs.validators.optional(_port_number))
    address: str | None = attrs.field(
        validator=attrs.validators.optional(attrs.validators.instance_of(str))
    )
    target_port: int | None = attrs.field(validator=attrs.validators.optional(_port_number))

    def matches(self, host: str, port: int) -> bool:
        """True when this override applies to a connection to ``host``:``port``."""
        return (self.host is None or self.host == host.lower()) and (
            self.port is None or self.port == port
        )


class BlockedAddressError(OSError):
    """A host resolved only to addresses that the policy refuses (private, loopback, ...)."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to {address}, a non-public address")
        self.host = host
        self.address = address


def _split_host(text: str, where: str) -> tuple[str, str]:
    """Split ``host:rest`` where host may be a bracketed IPv6 literal."""
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or text[end + 1 : end + 2] != ":":
            raise ValueError(f"{where}: unclosed '[' in an IPv6 address")
        return text[1:end], text[end + 2 :]
    host, sep, rest = text.partition(":")
    if not sep:
        raise ValueError(f"{where}: expected HOST1:PORT1:HOST2:PORT2")
    return host, rest


def _port(text: str, where: str) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise ValueError(f"{where}: {text!r} is not a port number")
    return int(text)


def parse_connect_to(spec: str, *, option: str = "--connect-to") -> ConnectTo:
    """Parse curl's ``HOST1:PORT1:HOST2:PORT2``; empty parts are wildcards or "unchanged".

    A malformed spec raises :class:`ValueError` naming ``option``, the option or argument
    it came from.

    >>> parse_connect_to("example.com:443:127.0.0.1:8443")
    ConnectTo(host='example.com', port=443, address='127.0.0.1', target_port=8443)
    >>> parse_connect_to("::[::1]:")
    ConnectTo(host=None, port=None, address='::1', target_port=None)
    """
    if not isinstance(spec, str):
        raise TypeError(
            f"{option}: expected a 'HOST1:PORT1:HOST2:PORT2' string, not {type(spec).__name__}"
        )
    where = f"{option} {spec!r}"
    host, rest = _split_host(spec.strip(), where)
    port_text, sep, rest = rest.partition(":")
    if not sep:
        raise ValueError(f"{where}: expected HOST1:PORT1:HOST2:PORT2")
    address, target_text = _split_host(rest, where)
    if ":" in target_text:
        raise ValueError(f"{where}: too many ':' (bracket IPv6 addresses)")
    return ConnectTo(
        host or None,
        _port(port_text, where),
        address or None,
        _port(target_text, where),
    )


def connect_to_rules(value: object) -> tuple[ConnectTo, ...]:
    """The ``connect_to`` argument of the library: :class:`ConnectTo` values or specs in the
    command line's ``HOST1:PORT1:HOST2:PORT2`` form, checked here rather than at the first
    connection (:class:`TypeError` or :class:`ValueError` naming the bad item)."""
    if isinstance(value, (str, bytes, ConnectTo)):
        raise TypeError(
            f"connect_to takes a list of overrides, not one {type(value).__name__}; "
            f"write connect_to=[{value!r}]"
        )
    try:
        items = list(value)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"connect_to takes a list of overrides, not {type(value).__name__}"
        ) from None
    rules = []
    for index, item in enumerate(items):
        if isinstance(item, ConnectTo):
            rules.append(item)
        elif isinstance(item, str):
            rules.append(parse_connect_to(item, option=f"connect_to[{index}]"))
        else:
            raise TypeError(
                f"connect_to[{index}]: expected a ConnectTo or a "
                f"'HOST1:PORT1:HOST2:PORT2' string, not {type(item).__name__}"
            )
    return tuple(rules)


def is_public_address(address: str) -> bool:
    """False for private, loopback, link-local, multicast, reserved and other special ranges."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@functools.lru_cache(maxsize=1024)  # the same override target is looked at for every site
def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class Resolver:
    """Turns a host and port into the addresses to dial, applying overrides and the policy.

    Addresses named by a :class:`ConnectTo` are the caller's explicit choice and are used
    as given; every other address must be public unless ``allow_private`` is set.
    """

    def __init__(self, connect_to: Sequence[ConnectTo] = (), *, allow_private: bool = False):
        self.connect_to = tuple(connect_to)
        self.allow_private = allow_private

    def known(self, host: str, port: int) -> list[tuple[str, int]] | None:
        """:meth:`resolve`'s answer when it needs no name lookup (an override or an address
        literal), checked the same way; None when a lookup is needed. A connection to such
        a target needs no time limit of its own until it dials."""
        for rule in self.connect_to:
            if rule.matches(host, port):
                literal = _literal(rule.address or host)
                return None if literal is None else [(literal, rule.target_port or port)]
        literal = _literal(host)
        return None if literal is None else self._allowed(host, port, [literal])

    async def resolve(self, host: str, port: int) -> list[tuple[str, int]]:
        """The ``(address, port)`` pairs to try, in order; raises OSError when there are none."""
        known = self.known(host, port)
        if known is not None:
            return known
        for rule in self.connect_to:
            if rule.matches(host, port):
                target = rule.address or host
                target_port = rule.target_port or port
                return [(a, target_port) for a in await self._lookup(target, target_port)]
        return self._allowed(host, port, await self._lookup(host, port))

    def _allowed(self, host: str, port: int, found: list[str]) -> list[tuple[str, int]]:
        """The addresses of ``found`` that the policy allows; BlockedAddressError if none."""
        allowed = found if self.allow_private else [a for a in found if is_public_address(a)]
        if not allowed:
            raise BlockedAddressError(host, found[0])
        return [(a, port) for a in allowed]

    @staticmethod
    async def _lookup(host: str, port: int) -> list[str]:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise OSError(f"{host} has no address")
        return addresses
