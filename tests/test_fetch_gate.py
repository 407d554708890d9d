"""A host's turn (``adstxt.fetch._gate.HostGate``): one request at a time to a host, others
at once, the pause between two, and a gate that forgets a host once nobody waits for it,
through cancellations too."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from adstxt.fetch._gate import HostGate


async def _visit(
    gate: HostGate, host: str, inside: dict[str, int], most: dict[str, int], stay: float
) -> None:
    async with gate(host):
        inside[host] = inside.get(host, 0) + 1
        most[host] = max(most.get(host, 0), inside[host])
        try:
            await asyncio.sleep(stay)
        finally:
            inside[host] -= 1


def test_requests_to_one_host_take_turns_and_other_hosts_go_at_once() -> None:
    async def main() -> tuple[dict[str, int], int, dict[str, object]]:
        gate = HostGate()
        inside: dict[str, int] = {}
        most: dict[str, int] = {}
        together = {"now": 0, "most": 0}

        async def counted(host: str) -> None:
            together["now"] += 1
            together["most"] = max(together["most"], together["now"])
            try:
                await _visit(gate, host, inside, most, 0.01)
            finally:
                together["now"] -= 1

        visits = [counted(host) for host in ("a.com", "b.com", "c.com") for _ in range(6)]
        await asyncio.wait_for(asyncio.gather(*visits), 10.0)  # a lost turn fails
        return most, together["most"], dict(gate._slots)

    most, together, left = asyncio.run(main())
    assert most == {"a.com": 1, "b.com": 1, "c.com": 1}
    assert together == 18  # every visit started at once; only each host's took turns
    assert left == {}  # nobody waits: no host is remembered


def test_a_request_cancelled_while_waiting_for_its_turn_leaves_the_gate_working() -> None:
    async def main() -> None:
        gate = HostGate()
        inside: dict[str, int] = {}
        most: dict[str, int] = {}
        holder = asyncio.ensure_future(_visit(gate, "a.com", inside, most, 0.05))
        await asyncio.sleep(0)
        waiting = [
            asyncio.ensure_future(_visit(gate, "a.com", inside, most, 0.0)) for _ in range(3)
        ]
        await asyncio.sleep(0)
        waiting[1].cancel()
        await asyncio.gather(holder, *waiting, return_exceptions=True)
        assert waiting[1].cancelled()
        assert most == {"a.com": 1}
        assert gate._slots == {}
        # The host is taken at once again, and in turns again.
        await asyncio.wait_for(
            asyncio.gather(*(_visit(gate, "a.com", inside, most, 0.0) for _ in range(3))), 5.0
        )
        assert most == {"a.com": 1}
        assert gate._slots == {}

    asyncio.run(main())


def test_the_holder_cancelled_hands_the_turn_on() -> None:
    async def main() -> None:
        gate = HostGate()
        inside: dict[str, int] = {}
        most: dict[str, int] = {}
        holder = asyncio.ensure_future(_visit(gate, "a.com", inside, most, 60.0))
        await asyncio.sleep(0)
        nexts = [asyncio.ensure_future(_visit(gate, "a.com", inside, most, 0.0)) for _ in range(2)]
        await asyncio.sleep(0)
        holder.cancel()
        await asyncio.wait_for(asyncio.gather(*nexts), 5.0)
        assert holder.cancelled() and most == {"a.com": 1}
        assert gate._slots == {}

    asyncio.run(main())


@pytest.mark.parametrize("together", [1, 3])
def test_requests_to_one_host_are_spaced_by_the_delay(together: int) -> None:
    async def main() -> list[float]:
        gate = HostGate(0.1)
        entered: list[float] = []

        async def visit() -> None:
            async with gate("a.com"):
                entered.append(time.monotonic())

        for _ in range(3 // together):
            await asyncio.gather(*(visit() for _ in range(together)))
        return entered

    entered = asyncio.run(main())
    assert len(entered) == 3
    gaps = [later - earlier for earlier, later in itertools.pairwise(entered)]
    assert all(gap >= 0.09 for gap in gaps), gaps


def test_a_hosts_lock_made_for_two_requests_serves_the_rounds_after() -> None:
    """Two requests meet (the lock is made), then more rounds come while the host is
    still remembered for its delay: each round takes turns through the same lock."""

    async def main() -> tuple[list[float], dict[str, int]]:
        gate = HostGate(0.05)
        inside: dict[str, int] = {}
        most: dict[str, int] = {}
        entered: list[float] = []

        async def visit() -> None:
            async with gate("a.com"):
                entered.append(time.monotonic())
            await _visit(gate, "a.com", inside, most, 0.0)

        for _ in range(3):
            await asyncio.wait_for(asyncio.gather(visit(), visit()), 10.0)
        return entered, most

    entered, most = asyncio.run(main())
    assert most == {"a.com": 1}
    assert len(entered) == 6
    gaps = [later - earlier for earlier, later in itertools.pairwise(entered)]
    assert all(gap >= 0.045 for gap in gaps), gaps
