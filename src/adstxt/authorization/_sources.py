"""Where lookups read ads.txt, app-ads.txt and sellers.json: a mirror directory, or the web.

A source answers two questions: "what does this host serve as its ads.txt (or
app-ads.txt)?" (:meth:`Source.ads_file`) and "what is this ad system's sellers.json?"
(:meth:`Source.sellers_file`). Both answers say what happened (a file, a 404, a 401, a
body that is no such file, a failed fetch) so that a lookup can give the spec's verdict for
each. A later crawl store (SQLite, PostgreSQL) plugs in by implementing the same two
methods, and :meth:`Source.hosts` when it can list what it holds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

import attrs

from adstxt.model import FileKind, ParseResult

if TYPE_CHECKING:
    from adstxt.sellers import SellersResult

__all__ = [
    "AdsFile",
    "FileState",
    "MemorySource",
    "MirrorSource",
    "SellersFile",
    "Source",
    "classify",
    "raw_bytes",
    "status_path",
]

#: What a host's file turned out to be. ``ok``: a file to read; ``not-found``: a 404 or
#: none in the source; ``restricted``: a 401; ``invalid``: a body that is no ads.txt (HTML,
#: prose, the deprecated empty file, the wrong Content-Type); ``unavailable``: the fetch
#: failed and there is no last good copy.
FileState = Literal["ok", "not-found", "restricted", "invalid", "unavailable"]

# Fetch outcomes (adstxt.fetch.OUTCOMES) in the source's words. A server's definitive answer
# (404, 401, a body that is not the file) replaces any earlier copy; any other failure
# leaves the last good copy in use, as ads.txt 1.1 section 3.6 asks.
_DEFINITIVE: Mapping[str, FileState] = {
    "not-found": "not-found",
    "restricted": "restricted",
    "not-ads-txt": "invalid",
    "wrong-content-type": "invalid",
    "bad-encoding": "invalid",
    "invalid-domain": "not-found",
}
# Whole-file findings that make consumers ignore the file (ads.txt 1.1 sections 3.1, 3.2.1).
_IGNORED_FILE = frozenset({"ADS004", "ADS005"})
#: A line that is not a record, a variable or a comment.
_NOT_A_LINE = "ADS101"


@attrs.frozen
class AdsFile:
    """One host's ads.txt or app-ads.txt as a source knows it.

    ``where`` is the file's path or URL; ``parsed`` is set when ``state`` is ``ok``;
    ``problem`` says in words what went wrong otherwise; ``stale`` marks a last good copy
    used because the latest fetch failed. ``raw`` holds the file's bytes when they are not
    its decoded text in UTF-8 (a byte-order mark, bytes that are no UTF-8, UTF-16): what a
    patch to the file must match. It is None for the usual file, to keep no second copy.
    """

    host: str
    kind: FileKind
    state: FileState
    where: str | None = None
    parsed: ParseResult | None = None
    problem: str | None = None
    stale: bool = False
    raw: bytes | None = None


@attrs.frozen
class SellersFile:
    """One ad system's sellers.json as a source knows it (``result`` is None when absent)."""

    ad_system: str
    where: str | None
    result: SellersResult | None
    problem: str | None = None

    @property
    def usable(self) -> bool:
        """True when there is a sellers array to look sellers up in."""
        return self.result is not None and self.result.usable


@runtime_checkable
class Source(Protocol):
    """Anything that finds what hosts serve as ads.txt/app-ads.txt and ad systems' sellers.json.

    Hosts and ad-system domains are given lower case, without a trailing dot. ``hosts``
    may return an empty iterable when the source cannot list its files (the web).
    """

    def ads_file(self, host: str, kind: FileKind) -> AdsFile:
        """What ``host`` serves at ``/ads.txt`` (or ``/app-ads.txt``)."""

    def sellers_file(self, ad_system: str) -> SellersFile:
        """The sellers.json of ``ad_system``."""

    def hosts(self, kind: FileKind) -> Iterable[str]:
        """Every host the source has a file (or a recorded fetch outcome) for."""


def classify(
    host: str, kind: FileKind, data: bytes | str, where: str | None, *, stale: bool = False
) -> AdsFile:
    """Parse a body and say whether consumers may read it (``ok``) or must ignore it."""
    from adstxt._api import parse

    parsed = parse(data, kind=kind, domain=host)
    ignored = next((d for d in parsed.diagnostics if d.code in _IGNORED_FILE), None)
    if ignored is not None:
        return AdsFile(
            host, kind, "invalid", where, parsed, f"{where or host}: {ignored.message}", stale
        )
    raw = raw_bytes(data, parsed)
    if not parsed.records and not parsed.variables:
        # Too short to be told apart as prose or a page (ADS004), yet not one line of it is a
        # record or a variable: it is no ads.txt either.
        unreadable = next((d for d in parsed.diagnostics if d.code == _NOT_A_LINE), None)
        if unreadable is not None:
            reason = f"{where or host}: no line is a record or a variable (line {unreadable.line}: "
            reason += f"{unreadable.message[0].lower()}{unreadable.message[1:]})"
            return AdsFile(host, kind, "invalid", where, parsed, reason, stale, raw)
    return AdsFile(host, kind, "ok", where, parsed, None, stale, raw)


def raw_bytes(data: bytes | str, parsed: ParseResult) -> bytes | None:
    """The file's bytes when its decoded text, encoded in UTF-8, would not give them back."""
    if isinstance(data, str):
        return None
    return None if data == parsed.text.encode("utf-8", "surrogatepass") else data


def status_path(path: Path) -> Path:
    """Where a mirror records how a file's latest fetch went: ``ads.txt.fetch.json``."""
    return path.with_name(path.name + ".fetch.json")


def _read_status(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(status_path(path).read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _normal(name: str) -> str:
    return name.strip().lower().rstrip(".")


class MirrorSource:
    """A directory laid out as ``DIR/<domain>/ads.txt``, ``DIR/<domain>/app-ads.txt`` and
    ``DIR/<ad-system domain>/sellers.json`` (what ``adstxt crawl --mirror DIR`` writes).

    Directory names are matched without regard to case. Beside a file, ``<file>.fetch.json``
    (written by the crawl) records the latest fetch: its outcome, status and URL. Without
    it, a file present is a file served, and a file absent is a site without one (no-file).
    Each file is read and parsed once.

    A sellers.json is looked for under the ad system's own name, then under the domain the
    known locations table files it under (``google.com`` for ``realtimebidding.google.com``),
    then under its root domain.

    With ``keep`` false, an ads.txt or app-ads.txt is read afresh on every request and not
    kept: a run that reads each file once (an audit of many publishers) then holds only the
    file in use.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        locations: Mapping[str, str] | None = None,
        *,
        keep: bool = True,
    ) -> None:
        self.directory = Path(directory)
        self.keep = keep
        self._locations = dict(locations or {})
        self._names: dict[str, Path] | None = None
        self._ads: dict[tuple[str, FileKind], AdsFile] = {}
        self._sellers: dict[str, SellersFile] = {}

    def _listing(self) -> dict[str, Path]:
        if self._names is None:
            names: dict[str, Path] = {}
            try:
                entries = sorted(os.scandir(self.directory), key=lambda e: e.name)
            except OSError:
                entries = []
            for entry in entries:
                if entry.is_dir():
                    names.setdefault(entry.name.lower(), Path(entry.path))
            self._names = names
        return self._names

    def hosts(self, kind: FileKind) -> Iterator[str]:
        """Every host directory with a ``kind`` file or a recorded fetch of one."""
        for name, folder in self._listing().items():
            path = folder / kind
            if path.is_file() or status_path(path).is_file():
                yield name

    def ads_file(self, host: str, kind: FileKind) -> AdsFile:
        """What the mirror holds for ``host``'s ``kind`` file."""
        key = (_normal(host), kind)
        if not self.keep:
            return self._read_ads(*key)
        found = self._ads.get(key)
        if found is None:
            found = self._ads[key] = self._read_ads(*key)
        return found

    def _read_ads(self, host: str, kind: FileKind) -> AdsFile:
        folder = self._listing().get(host)
        if folder is None:
            return AdsFile(
                host,
                kind,
                "not-found",
                None,
                None,
                f"the mirror {self.directory} has no {host}/{kind}",
            )
        path = folder / kind
        status = _read_status(path)
        outcome = str(status.get("outcome", "ok")) if status else "ok"
        url = status.get("final_url") or status.get("url") if status else None
        where = str(url) if url else os.fspath(path)
        state = _DEFINITIVE.get(outcome)
        if state is not None:
            return AdsFile(
                host, kind, state, where, None, f"{where}: the latest fetch found {outcome}"
            )
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            if outcome != "ok":
                return AdsFile(
                    host,
                    kind,
                    "unavailable",
                    where,
                    None,
                    f"{where}: the latest fetch failed ({outcome}) and the "
                    "mirror holds no earlier copy",
                )
            return AdsFile(
                host,
                kind,
                "not-found",
                where,
                None,
                f"the mirror {self.directory} has no {host}/{kind}",
            )
        except OSError as exc:
            return AdsFile(
                host,
                kind,
                "unavailable",
                os.fspath(path),
                None,
                f"cannot read {path}: {exc.strerror}",
            )
        return classify(host, kind, data, where, stale=outcome != "ok")

    def sellers_file(self, ad_system: str) -> SellersFile:
        """The mirror's sellers.json for ``ad_system``."""
        name = _normal(ad_system)
        found = self._sellers.get(name)
        if found is None:
            found = self._sellers[name] = self._read_sellers(name)
        return found

    def _read_sellers(self, name: str) -> SellersFile:
        from adstxt.sellers import parse, sellers_json_location

        location = sellers_json_location(name, self._locations)
        keys = [name]
        if location is not None:
            keys.append(location.key)
        for key in dict.fromkeys(keys):
            folder = self._listing().get(key)
            if folder is None:
                continue
            path = folder / "sellers.json"
            try:
                data = path.read_bytes()
            except OSError:
                continue
            result = parse(data, filename=os.fspath(path))
            return SellersFile(
                name, os.fspath(path), result, None if result.usable else result.problem
            )
        return SellersFile(
            name, None, None, f"the mirror {self.directory} has no sellers.json for {name}"
        )


class MemorySource:
    """Files given in mappings: ``{(host, kind): bytes}`` and ``{ad_system: bytes}``.

    For tests and for callers that hold files already; a host absent from ``ads`` has no
    file (not-found).
    """

    def __init__(
        self,
        ads: Mapping[tuple[str, FileKind], bytes | str] | None = None,
        sellers: Mapping[str, bytes | str] | None = None,
    ) -> None:
        self._raw = {(_normal(h), k): v for (h, k), v in (ads or {}).items()}
        self._raw_sellers = {_normal(k): v for k, v in (sellers or {}).items()}
        self._ads: dict[tuple[str, FileKind], AdsFile] = {}
        self._sellers: dict[str, SellersFile] = {}

    def hosts(self, kind: FileKind) -> list[str]:
        """The hosts given a ``kind`` file."""
        return [host for host, k in self._raw if k == kind]

    def ads_file(self, host: str, kind: FileKind) -> AdsFile:
        """The file given for ``host``, parsed once."""
        key = (_normal(host), kind)
        if key not in self._ads:
            data = self._raw.get(key)
            self._ads[key] = (
                AdsFile(key[0], kind, "not-found", None, None, f"no {kind} for {key[0]}")
                if data is None
                else classify(key[0], kind, data, f"{key[0]}/{kind}")
            )
        return self._ads[key]

    def sellers_file(self, ad_system: str) -> SellersFile:
        """The sellers.json given for ``ad_system``, parsed once."""
        from adstxt.sellers import parse

        name = _normal(ad_system)
        if name not in self._sellers:
            data = self._raw_sellers.get(name)
            if data is None:
                self._sellers[name] = SellersFile(name, None, None, f"no sellers.json for {name}")
            else:
                result = parse(data, filename=f"{name}/sellers.json")
                self._sellers[name] = SellersFile(
                    name, f"{name}/sellers.json", result, None if result.usable else result.problem
                )
        return self._sellers[name]
