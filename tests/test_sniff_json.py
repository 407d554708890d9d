"""A file that starts like JSON is named the same whatever the caller's stack depth.

json's decoder recurses per level of nesting and gives up when the interpreter's stack runs
out, so deciding by its RecursionError made the answer depend on how deep the caller was:
the interpreted engine (more Python frames) and the compiled one disagreed on the same file.
(From Python 3.12 json's decoder counts its own depth apart from the caller's frames, so
there the tests near the stack limit pass either way; 3.11 is where the answer moved.)
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from typing import TypeVar

from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt import _engine, _engine_choice
from adstxt._api import _run
from adstxt._sniff import _JSON_DEPTH_LIMIT, _nesting_depth, sniff

T = TypeVar("T")

# Room left on the stack when a call is made "deep": json's decoder needs one level per
# nesting level it reads (up to _JSON_DEPTH_LIMIT), plus the few frames of sniff itself.
_ROOM = _JSON_DEPTH_LIMIT + 40


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    return depth


def near_the_stack_limit(call: Callable[[], T]) -> T:
    """Run ``call`` with only ``_ROOM`` frames left before the recursion limit."""

    def descend(levels: int) -> T:
        return call() if levels <= 0 else descend(levels - 1)

    return descend(sys.getrecursionlimit() - _depth() - _ROOM)


def _diagnostics(engine_class: type[_engine.Engine], data: bytes) -> object:
    engine, _text = _run(data, None, None, None, True, engine_class)
    return engine.diagnostics


# A bracket run a little shorter than the default recursion limit, then text that is not
# JSON: at a shallow depth the decoder used to read it all and fail on the text (not named),
# from a deeper caller it ran out of stack (named JSON).
DEEP_THEN_TEXT = "[" * 950 + " not json\n"


def test_deep_nesting_is_named_json_at_any_depth() -> None:
    assert sniff(DEEP_THEN_TEXT) == "a JSON document"
    assert near_the_stack_limit(lambda: sniff(DEEP_THEN_TEXT)) == "a JSON document"


def test_both_engines_agree_on_deep_nesting() -> None:
    data = DEEP_THEN_TEXT.encode()
    interpreted = _diagnostics(_engine.Engine, data)
    assert interpreted == _diagnostics(_engine_choice.Engine, data)
    assert near_the_stack_limit(lambda: _diagnostics(_engine.Engine, data)) == interpreted
    [finding] = [d for d in adstxt.parse(data).diagnostics if d.code == "ADS004"]
    assert "looks like a JSON document" in finding.message


def test_nesting_up_to_the_limit_is_decoded() -> None:
    inside = "[" * _JSON_DEPTH_LIMIT + "]" * _JSON_DEPTH_LIMIT
    assert near_the_stack_limit(lambda: sniff(inside)) == "a JSON document"
    # Decoded, not guessed from depth: the same nesting, broken, is not named.
    broken = "[" * _JSON_DEPTH_LIMIT + "x"
    assert near_the_stack_limit(lambda: sniff(broken)) is None


def test_brackets_inside_strings_do_not_nest() -> None:
    assert _nesting_depth('["[[[", {"a": "]]]{"}]') == 2
    assert _nesting_depth(r'["\"[[[" [[') == 3
    # An unterminated string hides what follows (the decoder stops there too).
    assert _nesting_depth('["abc' + "[" * 300) == 1
    assert _nesting_depth('["a\\') == 1


_JSONISH = st.text(alphabet='[]{}",:\\ a1\n', max_size=400)


@given(
    st.one_of(
        _JSONISH,
        st.builds(lambda n, tail: "[" * n + tail, st.integers(0, 300), _JSONISH),
        st.builds(lambda n, tail: "{" + '"k":[' * n + tail, st.integers(0, 150), _JSONISH),
    )
)
def test_the_answer_does_not_depend_on_the_callers_depth(text: str) -> None:
    assert near_the_stack_limit(lambda: sniff(text)) == sniff(text)


@given(_JSONISH)
def test_the_depth_bound_covers_what_the_decoder_reads(text: str) -> None:
    # Whatever the decoder makes of text within the bound, it never runs out of a stack
    # with that much room: so the bound is at least the depth it recursed to.
    if _nesting_depth(text) <= _JSON_DEPTH_LIMIT:
        # Not JSON is fine; a RecursionError is not a ValueError and fails the test.
        with contextlib.suppress(ValueError):
            near_the_stack_limit(lambda: json.loads(text))


@given(st.integers(1, 4000))
def test_deep_runs_of_escaped_quotes_are_read_as_one_string(count: int) -> None:
    # Each of these once started a string the scan followed to the end.
    assert _nesting_depth("[" + '"\\' * count) == 1
