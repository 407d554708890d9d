"""Configuration files: ``.adstxt.toml`` or ``[tool.adstxt]`` in ``pyproject.toml``.

The nearest configuration above a checked file applies to it. In one directory,
``.adstxt.toml`` wins over ``pyproject.toml``; a ``pyproject.toml`` without a
``[tool.adstxt]`` table is passed over, so the search goes on upward.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from adstxt._settings import Settings, expand_selector, normalize_domain
from adstxt.diagnostics import Severity

__all__ = [
    "OUTPUT_FORMATS",
    "Config",
    "ConfigError",
    "find_config",
    "forget_found_configs",
    "load_config",
]

OUTPUT_FORMATS = ("concise", "full", "json", "github", "sarif")

_LIST_KEYS = {
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "extend-ignore": "extend_ignore",
}
_BOOL_KEYS = {"strict": "strict", "unsafe-fixes": "unsafe_fixes"}
_KNOWN_KEYS = (*_LIST_KEYS, *_BOOL_KEYS, "severity", "domain", "output-format", "sellers-locations")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@attrs.frozen
class Config:
    """A loaded configuration: the settings it gives and the file it came from."""

    path: Path | None
    settings: Settings
    output_format: str | None = None
    #: Where ad systems publish sellers.json, when not at their root domain (domain to URL).
    sellers_locations: Mapping[str, str] = attrs.field(factory=dict)


def _table(path: Path) -> Mapping[str, Any] | None:
    import tomllib

    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        tool = document.get("tool")
        table = tool.get("adstxt") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.adstxt] must be a table")
        return table
    return document


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: '{key}' must be a list of rule codes, such as [\"ADS2\"]")
    for item in value:
        try:
            expand_selector(item)
        except ValueError as error:
            raise ConfigError(f"{path}: '{key}': {error}") from None
    return tuple(value)


def _severities(path: Path, value: object) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: 'severity' must be a table such as {{ ADS220 = \"error\" }}")
    choices = ", ".join(repr(s.value) for s in Severity)
    out = {}
    for selector, level in value.items():
        try:
            expand_selector(selector)
        except ValueError as error:
            raise ConfigError(f"{path}: 'severity': {error}") from None
        if not isinstance(level, str) or level.lower() not in {s.value for s in Severity}:
            raise ConfigError(
                f"{path}: 'severity.{selector}' must be one of {choices}; found {level!r}"
            )
        out[selector] = Severity(level.lower())
    return out


def _locations(path: Path, value: object) -> dict[str, str]:
    example = '{ "google.com" = "https://realtimebidding.google.com/sellers.json" }'
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: 'sellers-locations' must be a table such as {example}")
    from adstxt.sellers._locations import parse_location

    out = {}
    for domain, url in value.items():
        try:
            if not isinstance(url, str):
                raise ValueError(f"the URL must be a string; found {url!r}")
            name, checked = parse_location(f"{domain}={url}")
        except ValueError as error:
            raise ConfigError(f"{path}: 'sellers-locations.{domain}': {error}") from None
        out[name] = checked
    return out


def load_config(path: Path) -> Config | None:
    """Read one configuration file; ``None`` for a pyproject.toml with no adstxt table."""
    table = _table(path)
    if table is None:
        return None
    fields: dict[str, Any] = {}
    output_format = None
    locations: dict[str, str] = {}
    for key, value in table.items():
        if key in _LIST_KEYS:
            fields[_LIST_KEYS[key]] = _strings(path, key, value)
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{path}: '{key}' must be true or false; found {value!r}")
            fields[_BOOL_KEYS[key]] = value
        elif key == "severity":
            fields["severity"] = _severities(path, value)
        elif key == "domain":
            try:
                fields["domain"] = normalize_domain(value if isinstance(value, str) else "")
            except ValueError:
                raise ConfigError(
                    f"{path}: 'domain' must be a domain name such as 'example.com'; found {value!r}"
                ) from None
        elif key == "output-format":
            if value not in OUTPUT_FORMATS:
                raise ConfigError(
                    f"{path}: 'output-format' must be one of {', '.join(OUTPUT_FORMATS)}; "
                    f"found {value!r}"
                )
            output_format = value
        elif key == "sellers-locations":
            locations = _locations(path, value)
        else:
            raise ConfigError(
                f"{path}: unknown key '{key}'; expected one of {', '.join(_KNOWN_KEYS)}"
            )
    return Config(path, Settings(**fields), output_format, locations)


@functools.lru_cache(maxsize=256)
def _config_in(directory: Path) -> Config | None:
    for name in (".adstxt.toml", "pyproject.toml"):
        candidate = directory / name
        if candidate.is_file():
            found = load_config(candidate)
            if found is not None:
                return found
    return None


def forget_found_configs() -> None:
    """Make the next :func:`find_config` read the files again (each run of a command does)."""
    _config_in.cache_clear()


def find_config(start: Path) -> Config | None:
    """The nearest configuration in ``start`` (a directory or file) or any parent of it."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        found = _config_in(candidate)
        if found is not None:
            return found
    return None
