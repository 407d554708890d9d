"""Network failures in the user's words, not in the words of the OS, OpenSSL or h11.

``[Errno 111] Connect call failed ('203.0.113.7', 443)`` or ``[SSL: WRONG_VERSION_NUMBER]
wrong version number (_ssl.c:1000)`` say what broke inside the machine; a finding should say
what the server did.
"""

from __future__ import annotations

import errno
import socket
import ssl

__all__ = ["os_failure", "tls_failure"]

_OS_WORDS = {
    errno.ECONNREFUSED: "the connection was refused (nothing listens on that port)",
    errno.ECONNRESET: "the server reset the connection",
    errno.ECONNABORTED: "the connection was aborted",
    errno.EPIPE: "the server closed the connection",
    errno.ETIMEDOUT: "the connection timed out",
    errno.EHOSTUNREACH: "the host is unreachable",
    errno.ENETUNREACH: "the network is unreachable",
    errno.ENETDOWN: "the network is down",
    errno.EADDRNOTAVAIL: "the address cannot be reached from this machine",
    errno.EACCES: "the connection is not permitted here (a firewall rule?)",
    errno.EPERM: "the connection is not permitted here (a firewall rule?)",
}
_HOST_DOWN = getattr(errno, "EHOSTDOWN", None)
if _HOST_DOWN is not None:
    _OS_WORDS[_HOST_DOWN] = "the host is down"

_NO_NAME = {
    code
    for code in (getattr(socket, name, None) for name in ("EAI_NONAME", "EAI_NODATA"))
    if code is not None
}

_NO_COMMON_GROUND = "the server and this client have no TLS version or cipher in common"
_TLS_WORDS = {
    "WRONG_VERSION_NUMBER": "the server does not speak TLS on this port (plain HTTP?)",
    "HTTP_REQUEST": "the server does not speak TLS on this port (plain HTTP?)",
    "UNEXPECTED_EOF_WHILE_READING": "the server closed the connection during the handshake",
    "EOF": "the server closed the connection during the handshake",
    "SSLV3_ALERT_HANDSHAKE_FAILURE": _NO_COMMON_GROUND,
    "TLSV1_ALERT_PROTOCOL_VERSION": _NO_COMMON_GROUND,
    "UNSUPPORTED_PROTOCOL": _NO_COMMON_GROUND,
    "NO_PROTOCOLS_AVAILABLE": _NO_COMMON_GROUND,
    "NO_SHARED_CIPHER": _NO_COMMON_GROUND,
    "NO_CIPHERS_AVAILABLE": _NO_COMMON_GROUND,
    "TLSV1_ALERT_UNRECOGNIZED_NAME": "the server has no certificate for this host name",
    "TLSV1_UNRECOGNIZED_NAME": "the server has no certificate for this host name",
    "TLSV1_ALERT_INTERNAL_ERROR": "the server reported an internal TLS error",
}


def os_failure(exc: OSError, host: str | None = None) -> str:
    """What an :class:`OSError` from resolving or connecting means for the user."""
    if isinstance(exc, socket.gaierror):
        name = f"the host name {host}" if host else "the host name"
        if exc.errno in _NO_NAME:
            return f"{name} does not resolve to any address"
        if exc.errno == getattr(socket, "EAI_AGAIN", None):
            return f"{name} could not be resolved now (the name server did not answer)"
        return f"{name} could not be resolved ({_lower(exc.strerror or str(exc))})"
    words = _OS_WORDS.get(exc.errno) if exc.errno is not None else None
    if words is not None:
        return words
    if exc.strerror:
        return _lower(exc.strerror)
    return str(exc) or type(exc).__name__


def tls_failure(exc: ssl.SSLError) -> str:
    """What a TLS failure means for the user (the ``verify_message`` or the OpenSSL reason)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = _lower(str(exc.verify_message or "").rstrip(".")) or "it failed verification"
        return f"the server's certificate is not trusted ({why})"
    reason = str(getattr(exc, "reason", None) or "")
    if reason in _TLS_WORDS:
        return _TLS_WORDS[reason]
    if reason:
        return f"the TLS connection failed ({reason.lower().replace('_', ' ')})"
    return "the TLS connection failed"


def _lower(text: str) -> str:
    """A sentence of the OS's (``Connection refused``) as part of one of ours."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
