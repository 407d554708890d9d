"""The record model: immutable attrs classes for what an ads.txt file declares."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from typing import Literal

import attrs

from adstxt._decode import split_lines_keepends
from adstxt._linetext import record_text
from adstxt.diagnostics import Diagnostic, Severity

__all__ = [
    "AdsTxt",
    "Comment",
    "FileKind",
    "ParseResult",
    "Record",
    "Relationship",
    "Variable",
]

FileKind = Literal["ads.txt", "app-ads.txt"]


class Relationship(str, enum.Enum):
    """Field 3 of a record: who controls the seller account."""

    DIRECT = "DIRECT"
    RESELLER = "RESELLER"

    def __str__(self) -> str:
        return self.value


class _RecordSlots:
    """The storage of :class:`Record`; see :func:`_make_record`."""

    __slots__ = (
        "__weakref__",
        "account_id",
        "certification_authority_id",
        "domain",
        "extension",
        "line",
        "relationship",
    )
    domain: str
    account_id: str
    relationship: Relationship
    certification_authority_id: str | None
    extension: str | None
    line: int


class _RecordBuilder(_RecordSlots):
    """A mutable :class:`Record` under construction, of the very same layout."""

    __slots__ = ()


@attrs.frozen
class Record(_RecordSlots):
    """One data record: ``<domain>, <account_id>, <relationship>[, <cert id>][;<extension>]``.

    ``domain`` is normalized (lower case, no trailing dot) because the spec compares it
    case-insensitively; ``account_id`` is kept exactly as written because it must match the
    value used in bid requests. ``line`` records where the record came from and takes no
    part in equality, so the same record on two lines compares equal.
    """

    domain: str
    account_id: str
    relationship: Relationship
    certification_authority_id: str | None = None
    extension: str | None = None
    line: int = attrs.field(default=0, eq=False, order=False, repr=False)

    @classmethod
    def from_line(cls, text: str) -> Record:
        """Parse one record line, raising :class:`~adstxt.AdsTxtError` if it is not one.

        >>> Record.from_line("mgid.com, 749656, DIRECT, d4c29acad76ce94f")
        Record(domain='mgid.com', account_id='749656', relationship=<Relationship.DIRECT: \
'DIRECT'>, certification_authority_id='d4c29acad76ce94f', extension=None)
        """
        return parse_record_line(text)

    def to_line(self) -> str:
        """The canonical text of this record, as :func:`adstxt.dumps` writes it."""
        return record_text(
            self.domain,
            self.account_id,
            self.relationship.value,
            self.certification_authority_id,
            self.extension,
        )


def _parser_not_installed(text: str) -> Record:
    raise RuntimeError("the record parser is installed by adstxt._api, which was not imported")


#: What :meth:`Record.from_line` calls: the checker, which is built on this module and so
#: cannot be imported by it. ``adstxt/__init__.py``, which runs before any module of the
#: package, installs a stand-in that imports ``adstxt._api`` at its first call, and
#: ``adstxt._api`` installs the checker's parser as it is imported.
parse_record_line: Callable[[str], Record] = _parser_not_installed


#: The fields :func:`_make_record` takes, in order (the C builders fill the same slots).
_RECORD_ARGUMENTS = (
    "domain",
    "account_id",
    "relationship",
    "certification_authority_id",
    "extension",
    "line",
)


def _make_record(
    domain: str,
    account_id: str,
    relationship: Relationship,
    cert: str | None,
    extension: str | None,
    line: int,
) -> Record:
    """Build exactly what ``Record(...)`` builds, for the parser's hot loop.

    The attrs ``__init__`` of a frozen class sets each field through
    ``object.__setattr__``. Here a mutable object of the same layout is filled with plain
    stores and then given its final class: the same instance (class, fields, equality,
    hash, repr) in less than half the time. CPython allows that class change only between
    classes that differ in no slot, hence the slots in a shared base class.
    """
    # Calling the builder class, which has no __init__ of its own, allocates through the
    # type's C slots: about half the cost of ``_RecordBuilder.__new__(_RecordBuilder)``.
    record = _RecordBuilder()
    record.domain = domain
    record.account_id = account_id
    record.relationship = relationship
    record.certification_authority_id = cert
    record.extension = extension
    record.line = line
    record.__class__ = Record  # type: ignore[assignment]
    return record  # type: ignore[return-value]


@attrs.frozen
class Variable:
    """A ``NAME=value`` line: ``name`` upper-cased, ``value`` trimmed but otherwise as written."""

    name: str
    value: str
    line: int = attrs.field(default=0, eq=False, order=False, repr=False)


class _CommentSlots:
    """The storage of :class:`Comment`; see :func:`_make_comment`."""

    __slots__ = ("__weakref__", "column", "line", "text")
    line: int
    column: int
    text: str


class _CommentBuilder(_CommentSlots):
    """A mutable :class:`Comment` under construction, of the very same layout."""

    __slots__ = ()


@attrs.frozen
class Comment(_CommentSlots):
    """The text after a ``#``, whether the comment fills its line or follows a record."""

    line: int
    column: int
    text: str


#: The fields :func:`_make_comment` takes, in order.
_COMMENT_ARGUMENTS = ("line", "column", "text")


def _make_comment(line: int, column: int, text: str) -> Comment:
    """Build exactly what ``Comment(...)`` builds, as :func:`_make_record` does for records."""
    comment = _CommentBuilder()
    comment.line = line
    comment.column = column
    comment.text = text
    comment.__class__ = Comment  # type: ignore[assignment]
    return comment  # type: ignore[return-value]


@attrs.frozen
class AdsTxt:
    """The declarations of a file: its records and variables, in file order."""

    records: tuple[Record, ...] = ()
    variables: tuple[Variable, ...] = ()

    def __iter__(self) -> Iterator[Record | Variable]:
        yield from self.records
        yield from self.variables


@attrs.frozen
class ParseResult:
    """Everything :func:`adstxt.parse` learned about a file.

    ``records`` and ``variables`` hold only lines that a consumer can use (no error on the
    line). ``text`` is the decoded file, so :meth:`lines` gives back every line, comments,
    blank lines and unusable lines included, with its original line ending.
    """

    records: tuple[Record, ...]
    variables: tuple[Variable, ...]
    comments: tuple[Comment, ...]
    diagnostics: tuple[Diagnostic, ...]
    kind: FileKind
    encoding: str
    text: str

    @property
    def ok(self) -> bool:
        """True when no diagnostic has error severity."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def file(self) -> AdsTxt:
        """The records and variables as one :class:`AdsTxt` value."""
        return AdsTxt(records=self.records, variables=self.variables)

    def lines(self) -> Iterator[tuple[int, str, str]]:
        """Yield ``(number, text, line_ending)`` for every line of the decoded file.

        Joining ``text + line_ending`` over all lines gives back :attr:`text` exactly.
        """
        for number, (body, ending) in enumerate(split_lines_keepends(self.text), start=1):
            yield number, body, ending
