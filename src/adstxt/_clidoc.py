"""Render the command-line reference from the argument parsers themselves.

``python -m adstxt._clidoc docs/reference`` rewrites one page per command; a test keeps them
current, so the documented options cannot drift from what the commands accept.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from adstxt._commands import COMMANDS as _SUBCOMMANDS

__all__ = ["COMMANDS", "render_all", "render_command", "write_pages"]

#: Each documented command and the function that builds its parser, as ``module:function``:
#: ``adstxt`` itself, then each of its subcommands under its stand-alone script's name.
COMMANDS: dict[str, str] = {
    "adstxt": "adstxt._commands:_parser",
    **{
        command.script or f"adstxt-{name}": command.parser for name, command in _SUBCOMMANDS.items()
    },
}

# A fixed width, so that the page does not depend on the terminal that generated it.
_WIDTH = 88


def _load(target: str) -> argparse.ArgumentParser:
    for command in _SUBCOMMANDS.values():
        if command.parser == target and command.store_access is not None:
            return command.build_parser()  # with what it is handed: --store among its options
    module, _, function = target.partition(":")
    build: Callable[[], argparse.ArgumentParser] = getattr(
        importlib.import_module(module), function
    )
    return build()


def _cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _invocation(action: argparse.Action) -> str:
    """How the option is written: ``--select CODES``, ``--strict, --no-strict``, ``PATH ...``."""
    if not action.option_strings:
        name = action.metavar if isinstance(action.metavar, str) else action.dest
        return f"`{name} ...`" if action.nargs in ("*", "+") else f"`{name}`"
    if action.nargs == 0:
        return ", ".join(f"`{option}`" for option in action.option_strings)
    if action.choices is not None:
        value = "{" + ",".join(str(choice) for choice in action.choices) + "}"
    elif isinstance(action.metavar, str):
        value = action.metavar
    else:
        value = action.dest.upper()
    return ", ".join(f"`{option} {value}`" for option in action.option_strings)


def _help(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    """The option's help text with argparse's ``%(default)s``-style fields filled in."""
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    params = dict(vars(action), prog=parser.prog)
    return _cell(action.help % params if "%" in action.help else action.help)


def _usage(name: str, parser: argparse.ArgumentParser) -> str:
    """The usage line, wrapped at a fixed width.

    Built here rather than by argparse, whose wrapping differs between Python versions.
    """
    words = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        shown = _invocation(action).split("`, `")[0].strip("`")
        if isinstance(action, argparse._SubParsersAction):
            shown = f"{action.metavar} [ARGS ...]"
        elif isinstance(action, argparse.BooleanOptionalAction):
            shown = "[" + " | ".join(action.option_strings) + "]"
        elif action.option_strings or action.nargs in ("*", "?"):
            shown = f"[{shown}]"
        words.append(shown)
    # Positional arguments go last, as argparse writes them.
    words.sort(key=lambda word: not word.startswith("[-"))
    # Each option wraps as a unit: its inner spaces are protected while wrapping.
    wrapped = textwrap.wrap(
        " ".join(word.replace(" ", "\0") for word in words),
        width=_WIDTH,
        initial_indent=f"usage: {name} ",
        subsequent_indent=" " * len(f"usage: {name} "),
        break_on_hyphens=False,
        break_long_words=False,
    )
    return "\n".join(wrapped).replace("\0", " ")


def _page(name: str) -> str | None:
    """The reference page of an ``adstxt`` subcommand, if it has one."""
    command = _SUBCOMMANDS.get(name)
    return None if command is None else f"{command.script or f'adstxt-{name}'}.md"


def _commands_table(action: argparse._SubParsersAction[argparse.ArgumentParser]) -> str:
    """A subcommand per row, linked to its own page."""
    rows = []
    for choice in action._get_subactions():
        page = _page(choice.dest)
        shown = f"[`{choice.dest}`]({page})" if page else f"`{choice.dest}`"
        rows.append(f"| {shown} | {_cell(choice.help or '')} |")
    return "| Command | Meaning |\n|---|---|\n" + "\n".join(rows) + "\n"


def _also(name: str) -> str:
    """The sentence naming the ``adstxt`` subcommand that runs the same command, if any."""
    for command in _SUBCOMMANDS.values():
        if command.script == name:
            return (
                f" `{command.prog}` is the same command: the same options, output and exit status."
            )
    return ""


def _nested(name: str, action: argparse._SubParsersAction[argparse.ArgumentParser]) -> list[str]:
    """The options of a command's own subcommands (``adstxt apps resolve``), which have no
    page of their own: each as a section of the command's page, its headings one level down."""
    sections = []
    for choice, subparser in action.choices.items():
        if _page(choice) is not None:
            continue
        page = render_command(f"{name} {choice}", subparser).split("\n", 3)[-1]
        lines = [f"#{line}" if line.startswith("#") else line for line in page.splitlines()]
        sections.append(f"\n## `{name} {choice}`\n\n" + "\n".join(lines).strip() + "\n")
    return sections


def render_command(name: str, parser: argparse.ArgumentParser) -> str:
    """The Markdown reference page of one command."""
    usage = _usage(name, parser)
    parts = [
        f"# `{name}` reference\n\n"
        "This page is generated from the command's argument parser "
        f"(`python -m adstxt._clidoc`), so it lists exactly what `{name} --help` does."
        f"{_also(name)}\n\n"
        f"{_cell(parser.description or '')}\n\n```text\n{usage}\n```\n"
    ]
    for group in parser._action_groups:
        actions = [a for a in group._group_actions if a.help != argparse.SUPPRESS]
        if not actions:
            continue
        title = (group.title or "options").capitalize()
        if isinstance(subcommands := actions[0], argparse._SubParsersAction):
            parts.append(f"\n## {title}\n\n{_commands_table(subcommands)}")
            parts.extend(_nested(name, subcommands))
            continue
        rows = [f"| {_invocation(a)} | {_help(a, parser)} |" for a in actions]
        parts.append(f"\n## {title}\n\n| Option | Meaning |\n|---|---|\n" + "\n".join(rows) + "\n")
    if parser.epilog:
        parts.append(f"\n{_cell(parser.epilog)}\n")
    return "".join(parts)


def write_pages(directory: Path) -> list[Path]:
    """Write one page per command into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, target in COMMANDS.items():
        path = directory / f"{name}.md"
        path.write_text(render_command(name, _load(target)), encoding="utf-8")
        written.append(path)
    return written


def render_all() -> dict[str, str]:
    """Each command's page text, by file name."""
    return {f"{name}.md": render_command(name, _load(t)) for name, t in COMMANDS.items()}


if __name__ == "__main__":
    for written_path in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/reference")):
        print(written_path)
