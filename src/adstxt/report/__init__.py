"""``adstxt report``: a check of files, or an audit's result, as one self-contained HTML page.

The layers of the package: :mod:`._model` (the figures and rows a report shows),
:mod:`._check` (files checked with the checker's API) and :mod:`._audit` (an audit's JSON
result read), :mod:`._svg` (the charts), :mod:`._html` and :mod:`._page` (the page), and
:mod:`._cli` (the command).
"""

from __future__ import annotations

from adstxt.report._audit import AuditFormatError, read_audit
from adstxt.report._check import check_paths, find_files
from adstxt.report._html import render
from adstxt.report._model import Report

__all__ = ["AuditFormatError", "Report", "check_paths", "find_files", "read_audit", "render"]
