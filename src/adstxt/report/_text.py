"""Text from checked files made safe for HTML: visible escapes, then HTML escapes.

File content is hostile. Control, bidi and invisible characters are first shown as escapes
(the same escapes as every other output format), so an override character cannot reorder
the page around it; then ``&``, ``<``, ``>`` and both quotes become entities, so no text can
open a tag or leave an attribute.
"""

from __future__ import annotations

import html

from adstxt._report import escape

__all__ = ["cell"]


def cell(text: str) -> str:
    """``text`` as HTML character data or attribute value."""
    return html.escape(escape(text), quote=True)
