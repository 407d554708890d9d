"""The test servers of :mod:`tests.httpserver` in a process of their own, for tests that
must see only what the client side does in theirs (the garbage it leaves, say).

``python -m tests.behaviour_server CA_FILE`` writes its certificate authority to
``CA_FILE``, prints the HTTP and the HTTPS port on one line and serves until its standard
input closes. A host names what its file does: ``BEHAVIOUR-N.com`` (``ok``, ``hang``,
``reset``, ``close``, ``cut-head``, ``trickle``; ``ok`` files carry the ETag ``"N"`` and
answer 304 to a request that sends it back). The certificate is for ``tls-BEHAVIOUR-N.com``
(N below :data:`HOSTS`) only, so that an HTTPS handshake with any other host fails.
"""

from __future__ import annotations

import sys

from tests.httpserver import GOOD, LocalServers, Reply, Seen

BEHAVIOURS = ("ok", "hang", "reset", "close", "cut-head", "trickle")
#: How many hosts of each behaviour the certificate names.
HOSTS = 20


class BehaviourServers(LocalServers):
    """Every host's file as its name says."""

    def _route(self, seen: Seen) -> Reply:
        behaviour, _, number = seen.host.partition(".")[0].removeprefix("tls-").rpartition("-")
        if seen.path != "/ads.txt" or behaviour not in BEHAVIOURS:
            return super()._route(seen)
        if behaviour != "ok":
            return Reply(200, GOOD, behaviour=behaviour)
        etag = f'"{number}"'
        if seen.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        body = GOOD + f"examplessp.com, {number}, RESELLER\n".encode()
        return Reply(200, body, {"Content-Type": "text/plain", "ETag": etag})


def main() -> None:
    names = tuple(f"tls-{b}-{n}.com" for b in BEHAVIOURS for n in range(HOSTS))
    with BehaviourServers(names) as servers:
        servers.ca.cert_pem.write_to_path(sys.argv[1])
        print(servers.http_port, servers.https_port, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
