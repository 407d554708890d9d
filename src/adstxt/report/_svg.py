"""Charts drawn as inline SVG: horizontal bars, each bar a stack of segments.

Every segment that stands for a count is one ``<rect class="mark">`` with a ``<title>``
(the tooltip, and what a screen reader reads); tracks, axes and labels are not marks. All
text is escaped here, because labels can come from checked files.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from adstxt.report._text import cell

__all__ = ["Bar", "Segment", "bar_chart"]

_LABEL_WIDTH = 220
_BAR_WIDTH = 260
_VALUE_WIDTH = 90
_ROW = 22
_BAR_HEIGHT = 14
_LABEL_CHARACTERS = 27


@attrs.frozen
class Segment:
    """One part of a bar: its size, its CSS class (its colour) and its tooltip."""

    value: float
    css: str
    title: str


@attrs.frozen
class Bar:
    """One row of a chart: a label, its segments and the figure printed after it."""

    label: str
    segments: tuple[Segment, ...]
    figure: str


def _short(label: str) -> str:
    if len(label) <= _LABEL_CHARACTERS:
        return label
    return label[: _LABEL_CHARACTERS - 1] + "\u2026"


def bar_chart(
    bars: Sequence[Bar], *, title: str, scale: float | None = None, track: bool = False
) -> str:
    """An SVG chart of ``bars``, one per row, drawn to ``scale`` (default: the largest bar).

    ``track`` draws the full length behind each bar, for shares of a whole.
    """
    largest = max((sum(s.value for s in bar.segments) for bar in bars), default=0.0)
    full = scale if scale is not None else largest
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    height = max(1, len(bars)) * _ROW + 4
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{cell(title)}"><title>{cell(title)}</title>'
    ]
    for index, bar in enumerate(bars):
        y = index * _ROW + 2
        middle = y + _BAR_HEIGHT / 2 + 1
        label = cell(bar.label)
        out.append(
            f'<g class="row"><title>{label}: {cell(bar.figure)}</title>'
            f'<text class="label" x="{_LABEL_WIDTH - 8}" y="{middle:.1f}" '
            f'text-anchor="end" dominant-baseline="middle">{cell(_short(bar.label))}</text>'
        )
        if track:
            out.append(
                f'<rect class="track" x="{_LABEL_WIDTH}" y="{y}" width="{_BAR_WIDTH}" '
                f'height="{_BAR_HEIGHT}"/>'
            )
        x = float(_LABEL_WIDTH)
        for segment in bar.segments:
            if segment.value <= 0 or full <= 0:
                continue
            length = max(1.0, _BAR_WIDTH * segment.value / full)
            out.append(
                f'<rect class="mark {segment.css}" x="{x:.1f}" y="{y}" width="{length:.1f}" '
                f'height="{_BAR_HEIGHT}"><title>{cell(segment.title)}</title></rect>'
            )
            x += length
        out.append(
            f'<text class="figure" x="{_LABEL_WIDTH + _BAR_WIDTH + 6}" y="{middle:.1f}" '
            f'dominant-baseline="middle">{cell(bar.figure)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)
