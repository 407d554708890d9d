"""The test servers of :mod:`tests.httpserver` in a process of their own, for tests that
must see only what the client side does in theirs (the garbage it leaves, say).

``python -m tests.behaviour_server`` prints the HTTP and the HTTPS port on one line and
serves until its standard input closes. A host names what its file does: ``BEHAVIOUR-N.com``
(``ok``, ``hang``, ``reset``, ``close``, ``cut-head``, ``trickle``; ``ok`` files carry the
ETag ``"N"`` and answer 304 to a request that sends it back). The certificate is for the
``example`` names only, so that every HTTPS handshake with these hosts fails.
"""

from __future__ import annotations

import sys

from tests.httpserver import GOOD, LocalServers, Reply, Seen

BEHAVIOURS = ("ok", "hang", "reset", "close", "cut-head", "trickle")


class BehaviourServers(LocalServers):
    """Every host's file as its name says."""

    def _route(self, seen: Seen) -> Reply:
        behaviour, _, number = seen.host.partition(".")[0].rpartition("-")
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
    with BehaviourServers() as servers:
        print(servers.http_port, servers.https_port, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
