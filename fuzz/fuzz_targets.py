"""What the fuzzer checks on every input: no exception, and each component's promises.

Each target takes arbitrary bytes. They are plain functions, so the regression tests run
them without the fuzzer.
"""

from __future__ import annotations

import json

import adstxt
from adstxt import _api, _engine, _engine_choice
from adstxt._report import FileReport, Style, render

_CONTROL = {chr(c) for c in range(0x20)} - {"\n"} | {"\x7f", "\u202e", "\u2066", "\u200b"}


def _outcome(engine_class: type[_engine.Engine], data: bytes) -> tuple[object, ...]:
    engine, text = _api._run(data, None, None, None, True, engine_class)
    return (
        [(record, record.line) for record in engine.records],
        engine.variables,
        engine.comments,
        engine.diagnostics,
        text.document,
    )


def check_parse(data: bytes) -> None:
    """parse and check agree, positions are inside the file, and text is kept whole.

    Where the checker runs compiled, the interpreted engine (the one the fuzzer's coverage
    instrumentation sees) must give the very same outcome.
    """
    if _engine_choice.Engine is not _engine.Engine and (
        _outcome(_engine.Engine, data) != _outcome(_engine_choice.Engine, data)
    ):
        raise AssertionError("the compiled and the interpreted engines disagree")
    result = adstxt.parse(data)
    quick = adstxt.check(data)
    if tuple(result.diagnostics) != quick:
        raise AssertionError("parse and check disagree")
    count = sum(1 for _ in result.lines())
    for diagnostic in result.diagnostics:
        if not 1 <= diagnostic.line <= max(count, 1):
            raise AssertionError(f"line {diagnostic.line} outside the file: {diagnostic}")
        if diagnostic.end_column < diagnostic.column:
            raise AssertionError(f"span ends before it starts: {diagnostic}")
    if "".join(body + ending for _, body, ending in result.lines()) != result.text:
        raise AssertionError("lines() does not give back the text")


def check_fix(data: bytes) -> None:
    """Fixing reaches a fixpoint and never adds lines; unsafe fixes too."""
    for unsafe in (False, True):
        once = adstxt.apply_fixes(data, unsafe=unsafe)
        twice = adstxt.apply_fixes(once.data, unsafe=unsafe)
        if twice.data != once.data:
            raise AssertionError(f"fixing twice changed the file again (unsafe={unsafe})")


def check_report(data: bytes) -> None:
    """No output format lets a control or bidi character from the file through."""
    diagnostics = adstxt.lint(data)
    name = data[:40].decode("utf-8", "replace")
    reports = [FileReport(name, diagnostics, data)]
    for output_format in ("concise", "full", "github"):
        text = render(reports, output_format, Style(False))
        leaked = _CONTROL & set(text)
        if leaked:
            raise AssertionError(f"{output_format} output leaks {sorted(map(ord, leaked))}")
    for output_format in ("json", "sarif"):
        text = render(reports, output_format, Style(False))
        if not text.isascii():
            raise AssertionError(f"{output_format} output is not ASCII")
        json.loads(text)


TARGETS = {"parse": check_parse, "fix": check_fix, "report": check_report}
