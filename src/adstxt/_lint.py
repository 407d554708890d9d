"""The linter's pipeline: check a file, then apply settings and suppression comments."""

from __future__ import annotations

import os

from adstxt import _decode
from adstxt._api import check
from adstxt._settings import Settings
from adstxt._suppress import apply_suppressions, find_suppressions, might_suppress
from adstxt.diagnostics import Diagnostic
from adstxt.model import FileKind

__all__ = ["decoded_lines", "lint"]

_DEFAULT = Settings()


def decoded_lines(source: str | bytes) -> list[str]:
    """The file's lines as the checker numbers them (byte-order mark removed)."""
    text = source if isinstance(source, str) else _decode.decode(bytes(source)).text
    return _decode.split_lines(text.removeprefix("\ufeff"))


def lint(
    source: str | bytes, *, filename: str | os.PathLike[str] | None = None,
    kind: FileKind | None = None, domain: str | None = None, settings: Settings | None = None,
) -> list[Diagnostic]:
    """Check a file as ``adstxt-check`` does: selected rules, overridden severities, ``noqa``.

    ``settings`` defaults to every rule at its own severity. ``domain`` falls back to the
    settings' domain. The diagnostics come sorted by position.
    """
    settings = settings or _DEFAULT
    found = check(source, filename=filename, kind=kind, domain=domain or settings.domain)
    diagnostics = settings.apply(found)
    if might_suppress(source):
        suppressions = find_suppressions(decoded_lines(source))
        if suppressions:
            diagnostics = settings.apply(
                apply_suppressions(diagnostics, suppressions, settings.enabled_codes())
            )
    return sorted(diagnostics, key=Diagnostic.sort_key)
