"""The SupplyChain object of OpenRTB (supplychainobject.md 1.0) as plain tuples."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["Node", "SupplyChain"]


class Node(NamedTuple):
    """One SupplyChainNode: ``asi`` (the ad system's domain), ``sid`` (the seller's ID in
    it), ``hp`` (1 when the node is in the payment flow) and the optional fields. ``ext``
    is the decoded object, or in the string form the field's text as written."""

    asi: str
    sid: str
    hp: int | None = 1
    rid: str | None = None
    name: str | None = None
    domain: str | None = None
    ext: Any = None

    def to_json(self) -> dict[str, Any]:
        """The node as OpenRTB writes it (absent optional fields left out)."""
        out: dict[str, Any] = {"asi": self.asi, "sid": self.sid}
        if self.hp is not None:
            out["hp"] = self.hp
        for key in ("rid", "name", "domain", "ext"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


class SupplyChain(NamedTuple):
    """A SupplyChain: its version, whether it is complete, and its nodes in order (the
    last node is the sender of the bid request)."""

    ver: str
    complete: int
    nodes: tuple[Node, ...]
    ext: Any = None

    def to_json(self) -> dict[str, Any]:
        """The object as OpenRTB writes it."""
        out: dict[str, Any] = {
            "ver": self.ver,
            "complete": self.complete,
            "nodes": [node.to_json() for node in self.nodes],
        }
        if self.ext is not None:
            out["ext"] = self.ext
        return out
