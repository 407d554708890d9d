"""Where sellers.json documents come from: a directory, one file, a mapping or a callable.

A source answers one question, "the sellers.json of this ad-system domain, if any", through
:meth:`SellersSource.lookup`. Documents are parsed on first use and kept, so checking many
ads.txt files against one directory parses each sellers.json once. An online source only has
to implement the same method.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, TypeAlias, Union, runtime_checkable

from adstxt.sellers._document import SellersResult, parse

__all__ = [
    "CallableSource",
    "DirectorySource",
    "Document",
    "MappingSource",
    "SellersSource",
    "as_source",
    "open_source",
]

#: What a mapping or callable may give for one ad system: the file's bytes or text, a path
#: to it, an already parsed result, or None when the ad system has no sellers.json.
Document: TypeAlias = Union[bytes, str, "os.PathLike[str]", SellersResult, None]


@runtime_checkable
class SellersSource(Protocol):
    """Anything that finds the sellers.json of an ad-system domain."""

    def lookup(self, ad_system: str) -> SellersResult | None:
        """The parsed sellers.json of ``ad_system`` (lower case), or None if there is none."""


def _load(document: Document, name: str) -> SellersResult | None:
    if document is None or isinstance(document, SellersResult):
        return document
    if isinstance(document, (bytes, bytearray, memoryview)):
        return parse(bytes(document), filename=name)
    if isinstance(document, str) and document.lstrip().startswith(("{", "[")):
        return parse(document, filename=name)
    path = Path(document)
    return parse(path.read_bytes(), filename=os.fspath(path))


class _Cached:
    """Parses each document once: ``find`` is asked at most once per ad system."""

    def __init__(self, find: Callable[[str], SellersResult | None]) -> None:
        self._cache: dict[str, SellersResult | None] = {}
        self._find_once = find

    def lookup(self, ad_system: str) -> SellersResult | None:
        """The parsed sellers.json of ``ad_system``, or None if there is none."""
        key = ad_system.strip().lower().rstrip(".")
        if key not in self._cache:
            self._cache[key] = self._find_once(key)
        return self._cache[key]


class DirectorySource(_Cached):
    """A directory of files named by ad system: ``openx.com.json`` or ``openx.com/sellers.json``.

    Names are matched without regard to case. Files are read and parsed on first lookup.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        super().__init__(self._find)
        self.directory = Path(directory)
        self._names: dict[str, Path] | None = None

    def _listing(self) -> dict[str, Path]:
        if self._names is None:
            names: dict[str, Path] = {}
            for entry in sorted(self.directory.iterdir()):
                lower = entry.name.lower()
                if entry.is_file() and lower.endswith(".json"):
                    stem = lower[: -len(".json")]
                    if stem.endswith(".sellers"):
                        stem = stem[: -len(".sellers")]
                    names.setdefault(stem, entry)
                elif entry.is_dir() and (entry / "sellers.json").is_file():
                    names.setdefault(lower, entry / "sellers.json")
            self._names = names
        return self._names

    @property
    def ad_systems(self) -> frozenset[str]:
        """The ad-system domains the directory has a file for."""
        return frozenset(self._listing())

    def _find(self, ad_system: str) -> SellersResult | None:
        path = self._listing().get(ad_system)
        return None if path is None else parse(path.read_bytes(), filename=os.fspath(path))


class MappingSource(_Cached):
    """Documents given in a mapping from ad-system domain to a :data:`Document`."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        super().__init__(self._find)
        self._documents = {k.strip().lower().rstrip("."): v for k, v in documents.items()}

    def _find(self, ad_system: str) -> SellersResult | None:
        return _load(self._documents.get(ad_system), ad_system + ".json")


class CallableSource(_Cached):
    """Documents fetched by a function of the ad-system domain, such as a download.

    The function returns a :data:`Document` or None; it should report its own failures as
    None (or as an unusable document) rather than raise.
    """

    def __init__(self, function: Callable[[str], Document]) -> None:
        super().__init__(self._find)
        self._function = function

    def _find(self, ad_system: str) -> SellersResult | None:
        return _load(self._function(ad_system), ad_system + ".json")


def _ad_system_from_name(path: Path) -> str | None:
    """``openx.com.json`` or ``openx.com.sellers.json`` name the ad system openx.com."""
    lower = path.name.lower()
    if not lower.endswith(".json"):
        return None
    stem = lower[: -len(".json")]
    for suffix in (".sellers", "-sellers", "_sellers"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    if "." not in stem or stem.startswith("sellers"):
        if path.parent.name and "." in path.parent.name and lower == "sellers.json":
            return path.parent.name.lower()
        return None
    return stem


def open_source(path: str | os.PathLike[str], *, ad_system: str | None = None) -> SellersSource:
    """A source for a directory of sellers.json files, or for one file of one ad system.

    A single file serves the ad system ``ad_system``; without it the ad system is read from
    the file name (``openx.com.json``) or its folder (``openx.com/sellers.json``). Raises
    :class:`FileNotFoundError` for a missing path and :class:`ValueError` when a single
    file's ad system cannot be told.
    """
    location = Path(path)
    if location.is_dir():
        return DirectorySource(location)
    if not location.exists():
        raise FileNotFoundError(f"no such file or directory: {os.fspath(location)}")
    name = (ad_system or _ad_system_from_name(location) or "").strip().lower()
    if not name:
        raise ValueError(
            f"cannot tell which ad system {location.name} belongs to: name it after the "
            "ad system (such as openx.com.json) or give the ad system explicitly"
        )
    return MappingSource({name: location})


def as_source(
    source: SellersSource
    | Mapping[str, Document]
    | Callable[[str], Document]
    | str
    | os.PathLike[str],
) -> SellersSource:
    """Turn a directory or file path, a mapping or a callable into a source."""
    if isinstance(source, SellersSource):
        return source
    if isinstance(source, Mapping):
        return MappingSource(source)
    if isinstance(source, (str, os.PathLike)):
        return open_source(source)
    if callable(source):
        return CallableSource(source)
    raise TypeError(f"not a sellers.json source: {source!r}")
