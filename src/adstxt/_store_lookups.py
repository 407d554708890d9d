"""``--store S`` for ``adstxt authorized``, ``adstxt schain`` and ``adstxt audit``: the
lookups answered from a crawl store, offline.

The lookup commands live below the store; the command table (``adstxt._commands``) hands
them this :class:`adstxt._lookup_options.StoreAccess`, which opens the store they are told
to read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from adstxt._guard import UsageError

if TYPE_CHECKING:
    from adstxt.apps import AppSource
    from adstxt.authorization import Source
    from adstxt.store import Store

__all__ = ["CrawlStoreAccess"]


class CrawlStoreAccess:
    """Opens the store ``--store`` names once, for the files and the apps alike."""

    def __init__(self) -> None:
        self._store: Store | None = None

    def _open(self, location: str) -> Store:
        if self._store is None:
            from adstxt.store import StoreError, open_store

            try:
                self._store = open_store(location, create=False)
            except StoreError as error:
                raise UsageError(f"--store: {error}") from None
        return self._store

    def source(self, location: str, locations: Mapping[str, str], *, keep: bool) -> Source:
        """The store's current copies, as a lookup source."""
        from adstxt.store._source import StoreSource

        return StoreSource(self._open(location), locations=locations, keep=keep)

    def apps(self, location: str) -> AppSource:
        """The store's app resolutions."""
        from adstxt.store._apps import StoreApps

        return StoreApps(self._open(location))

    def close(self) -> None:
        """Close the store, when it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None
