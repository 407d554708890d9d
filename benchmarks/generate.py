"""A deterministic generator of realistic ads.txt files for the benchmarks."""

from __future__ import annotations

import io
import itertools
import random
from collections.abc import Iterator

# (ad system, certification ID or "" when it has none in practice, account ID style)
AD_SYSTEMS = [
    ("google.com", "f08c47fec0942fa0", "google"),
    ("rubiconproject.com", "0bfd66d529a55807", "digits"),
    ("pubmatic.com", "5d62403b186f2ace", "digits"),
    ("appnexus.com", "f5ab79cb980f11d1", "digits"),
    ("openx.com", "6a698e2ec38604c6", "digits"),
    ("indexexchange.com", "50b1c356f2c5c8fc", "digits"),
    ("triplelift.com", "6c33edb13117fd86", "digits"),
    ("sovrn.com", "fafdf38b16bf6b2b", "digits"),
    ("lijit.com", "fafdf38b16bf6b2b", "digits"),
    ("sharethrough.com", "d53b998a7bd4ecd2", "alnum"),
    ("smartadserver.com", "060d053dcf45cbf3", "digits"),
    ("criteo.com", "9fac4a4a87c2a44f", "alnum"),
    ("33across.com", "bbea06d9c4d2853c", "alnum"),
    ("yahoo.com", "e1a5b5b6e3255540", "digits"),
    ("teads.tv", "15a9c44f6d26cbe1", "digits"),
    ("adform.com", "9f5210a2f0999e32", "digits"),
    ("onetag.com", "", "alnum"),
    ("mgid.com", "d4c29acad76ce94f", "digits"),
    ("media.net", "", "alnum"),
    ("amazon-adsystem.com", "", "alnum"),
    ("inmobi.com", "83e75a7ae333ca9d", "alnum"),
    ("smaato.com", "07bcf65f187117b4", "digits"),
    ("sonobi.com", "d1a215d9eb5aee9e", "alnum"),
    ("yieldmo.com", "", "digits"),
    ("gumgum.com", "ffdef49475d318a9", "alnum"),
    ("districtm.io", "3fd707be9c4527c3", "digits"),
    ("contextweb.com", "89ff185a4c4e857c", "digits"),
    ("emxdgt.com", "1e1d41537f7cad7f", "digits"),
    ("beachfront.com", "e2541279e8e2ca4d", "alnum"),
    ("conversantmedia.com", "03113cd04947736d", "digits"),
]

MALFORMED = [
    "https://openx.com/, 537120563, RESELLER, 6a698e2ec38604c6",
    "appnexus.com, 1234, RESELER, f5ab79cb980f11d1",
    "google.com pub-1234567890123456 DIRECT",
    "pubmatic.com, , RESELLER, 5d62403b186f2ace",
    "advlion.com, 584, RESELLERwaardex.com, 99236, RESELLER",
    "Our partners are listed below",
    "openx.com, 537120563, RESELLER, a698e2ec38604c6",
    "rubiconproject.com, INSERT PUBLISHER ID, RESELLER, 0bfd66d529a55807",
]


def _account(rng: random.Random, style: str, pool: int) -> str:
    n = rng.randrange(pool)
    if style == "google":
        return f"pub-{(n * 7919) % 10**16:016d}"
    if style == "alnum":
        return f"{n:x}a{n % 97}"
    return str(100000 + n)


def generate_lines(
    lines: int, *, dirty: bool = False, seed: int = 2024, pool: int = 200_000
) -> Iterator[str]:
    """The lines of :func:`generate`, one at a time (for files too big to hold)."""
    rng = random.Random(seed)
    head = ["# ads.txt generated for benchmarking", "OWNERDOMAIN=example.com"]
    yield from head[:lines]
    for _ in range(lines - len(head)):
        roll = rng.random()
        if dirty and roll < 0.01:
            yield rng.choice(MALFORMED)
        elif roll < 0.04:
            yield "# " + rng.choice(["video", "display", "partner list", "managed by ops"])
        elif roll < 0.06:
            yield ""
        elif roll < 0.07:
            yield rng.choice(
                [
                    "CONTACT=adops@example.com",
                    "MANAGERDOMAIN=manager.com, FR",
                    "INVENTORYPARTNERDOMAIN=partner.com",
                ]
            )
        else:
            domain, cert, style = rng.choice(AD_SYSTEMS)
            fields = [domain, _account(rng, style, pool), rng.choice(("DIRECT", "RESELLER"))]
            if cert and rng.random() < 0.8:
                fields.append(cert)
            line = rng.choice((", ", ",")).join(fields)
            if rng.random() < 0.03:
                line += " # " + rng.choice(["video", "banner", "app"])
            yield line


def generate(lines: int, *, dirty: bool = False, seed: int = 2024, pool: int = 200_000) -> bytes:
    """About 93% records, the rest comments, blank lines and variables; 1% bad when dirty."""
    text = "\n".join(generate_lines(lines, dirty=dirty, seed=seed, pool=pool))
    return (text + "\n").encode("utf-8")


class GeneratedStream(io.RawIOBase):
    """A binary stream of :func:`generate_lines`, made as it is read: memory stays small."""

    def __init__(self, lines: int, *, dirty: bool = False) -> None:
        self._lines = generate_lines(lines, dirty=dirty)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = size if size is not None and size >= 0 else 1 << 62
        parts = [self._buffer]
        have = len(self._buffer)
        while have < want:
            batch = list(itertools.islice(self._lines, 4096))
            if not batch:
                break
            chunk = ("\n".join(batch) + "\n").encode("utf-8")
            parts.append(chunk)
            have += len(chunk)
        data = b"".join(parts)
        self._buffer = data[want:]
        return data[:want]
