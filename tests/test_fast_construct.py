"""The checker's quick constructors build exactly what the attrs classes build."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest

from adstxt import Diagnostic, Fix, Record, Relationship, Severity
from adstxt.diagnostics import fast_positional_diagnostic, fast_positional_fix
from adstxt.model import Comment, _make_comment, _make_record


def _same(quick: Any, slow: Any) -> None:
    assert type(quick) is type(slow)
    assert quick == slow
    assert hash(quick) == hash(slow)
    assert repr(quick) == repr(slow)
    assert attrs.asdict(quick) == attrs.asdict(slow)
    assert pickle.loads(pickle.dumps(quick)) == slow


def test_record() -> None:
    quick = _make_record("mgid.com", "749656", Relationship.DIRECT, "d4c29acad76ce94f", None, 7)
    slow = Record(
        domain="mgid.com",
        account_id="749656",
        relationship=Relationship.DIRECT,
        certification_authority_id="d4c29acad76ce94f",
        line=7,
    )
    _same(quick, slow)
    assert quick.line == 7
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        quick.account_id = "1"  # type: ignore[misc]


def test_comment() -> None:
    quick = _make_comment(3, 28, " video")
    _same(quick, Comment(line=3, column=28, text=" video"))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        quick.text = "x"  # type: ignore[misc]


def test_diagnostic_and_fix() -> None:
    fix = fast_positional_fix("", True, "delete this repeat of line 2", 5, 1, 6, 1)
    _same(
        fix,
        Fix(
            replacement="",
            safe=True,
            description="delete this repeat of line 2",
            line=5,
            column=1,
            end_line=6,
            end_column=1,
        ),
    )
    quick = fast_positional_diagnostic(
        "ADS401", Severity.WARNING, 5, 1, 9, "This record repeats line 2", None, fix
    )
    slow = Diagnostic(
        code="ADS401",
        severity=Severity.WARNING,
        line=5,
        column=1,
        end_column=9,
        message="This record repeats line 2",
        fix=Fix(
            replacement="",
            safe=True,
            description="delete this repeat of line 2",
            line=5,
            column=1,
            end_line=6,
            end_column=1,
        ),
    )
    _same(quick, slow)
    assert quick.pointer is None
    assert quick.name == slow.name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        quick.line = 1  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fix.line = 1  # type: ignore[misc]
