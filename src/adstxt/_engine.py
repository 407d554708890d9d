"""The checker: lines in, records, variables, comments and diagnostics out.

Every line goes through :meth:`Engine.feed`. A line that is printable ASCII and holds a
plain record takes the fast path: one split, one look-up of the line's *shape* (field 1 and
everything after field 2, each distinct shape checked once), a check of the account ID and
one dictionary operation to remember the seller; a repeat of a canonically written record
is reported from what was remembered. Anything unusual (a problem, a variable, a TAB, a
non-ASCII character, an unusual repeat) goes to :meth:`Engine._slow_line`, which tokenizes
with positions and runs every check; its outcome is memoized by line text, so a repeated
line replays its findings and only runs the cross-line checks again. The fast path only
ever accepts lines that the slow path would accept without a single diagnostic, and
reports repeats exactly as the slow path does, so results do not depend on which path a
line took (``tests/property/test_paths.py`` checks this).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, NamedTuple

from adstxt import _fields, _known, _variables
from adstxt._chars import LOOKALIKES, ODD_CHAR, SAFE_LOOKALIKES, classify, describe
from adstxt._decode import clean_surrogates, is_plain
from adstxt._domains import DomainAnalysis, analyze_ad_system, analyze_host
from adstxt._finding import Finding
from adstxt._sniff import sniff
from adstxt.diagnostics import (
    Diagnostic,
    Fix,
    Severity,
    fast_positional_diagnostic,
    fast_positional_fix,
)
from adstxt.model import Comment, FileKind, Record, Relationship, Variable, _make_record
from adstxt.rules import RULES

__all__ = ["MAX_LINE", "Engine"]

#: Lines longer than this many characters are reported and not parsed field by field.
MAX_LINE: Final = 65536
#: At most this many character diagnostics of one code are reported for one line.
_CHAR_REPORT_LIMIT: Final = 20
PLACEHOLDER_DOMAIN: Final = "placeholder.example.com"
#: How many characters from the start of a file are examined to recognise HTML and such.
_SNIFF_CHARS: Final = 4096

_RELATIONSHIPS: Final = {"DIRECT": Relationship.DIRECT, "RESELLER": Relationship.RESELLER}
#: The text of each relationship (a dict look-up is cheaper than ``Enum.value``).
_WRITTEN: Final = {relationship: text for text, relationship in _RELATIONSHIPS.items()}
_VARIABLE: Final = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9_-]*)([ \t]*)=([ \t]*)")
_WORDS: Final = re.compile(r"[^\W\d_]{2,}")
_GLUED: Final = re.compile(
    r"(?i)(DIRECT|RESELLER|[0-9a-f]{16})([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+)\Z"
)

#: Longest field text the fast path takes (longer ones, however rare, go the careful way).
_FAST_FIELD: Final = 256
#: A field 1 that the fast path may take: a lower-case host name and nothing else.
_FAST_DOMAIN: Final = re.compile(r"[a-z0-9.-]{1,253}\Z")
#: Account IDs that the careful path accepts without a word are made of these characters
#: and hold none of the template words or field names that
#: :func:`adstxt._fields.account_findings` reports (checked on the lower-cased ID).
_ID_CHARS: Final = re.compile(r"[0-9A-Za-z._-]+\Z")
#: (The line loop runs this only on IDs holding an "r" or "xxxx": keep that true.)
_TEMPLATE_WORDS: Final = re.compile("xxxx|insert|your|replace|placeholder")
_RESERVED_ACCOUNTS: Final = frozenset(
    [f"{word}{joint}id" for word in ("publisher", "account", "seller", "pub")
     for joint in ("", "_", "-")] + ["direct", "reseller"]
)
_GOOGLE_ID: Final = re.compile(r"pub-[0-9]{16}\Z")
#: Account IDs whose digits are all zero (placeholders; :func:`adstxt._fields.account_findings`).
_ALL_ZERO: Final = re.compile(r"(?:pub-)?0+(?:[-_.]0+)*\Z")
#: Bound on each per-file memo (domains as written, unusable lines replayed).
_MEMO_LIMIT: Final = 4096
#: Longest line whose outcome is memoized for replay.
_MEMO_LINE: Final = 1024
_NO_DOMAIN: Final = DomainAnalysis(normalized=None, registrable=None, subdomain="", findings=())

_CHAR_CODES: Final = {
    "control": "ADS007",
    "invisible": "ADS008",
    "lookalike": "ADS009",
    "whitespace": "ADS010",
    "other": "ADS011",
}


class _DomainInfo:
    """Everything the fast path needs to know about one field-1 text, memoized per file."""

    __slots__ = (
        "analysis", "certs", "clean", "fast", "google", "normalized", "placeholder", "sellers",
        "text",
    )

    def __init__(self, text: str, analysis: DomainAnalysis, sellers: dict[str, _Remembered]):
        self.text = text
        self.analysis = analysis
        self.normalized = analysis.normalized
        self.clean = not analysis.findings and analysis.normalized is not None
        self.google = analysis.normalized == "google.com"
        self.placeholder = analysis.normalized == PLACEHOLDER_DOMAIN
        # A record line with this field 1 may take the fast path (the other fields permitting).
        self.fast = self.clean and not self.placeholder and _FAST_DOMAIN.match(text) is not None
        # certification ID as written -> its findings (empty when clean)
        self.certs: dict[str, list[Finding]] = {}
        # account ID key -> the first record of this ad system with it (shared by every
        # spelling of the same normalized domain)
        self.sellers = sellers

    def cert_findings(self, cert: str) -> list[Finding]:
        found = self.certs.get(cert)
        if found is None:
            found = self.certs[cert] = _fields.certification_findings(cert, self.normalized)
        return found

    def shape(self, raw: str) -> _Shape:
        """Read ``raw`` (all after the second comma) once: what a plain record line says."""
        if not self.fast or len(raw) > _FAST_FIELD:
            return _NOT_PLAIN
        hash_at = raw.find("#")
        body = raw if hash_at < 0 else raw[:hash_at]
        parts = body.split(",")
        relationship = _RELATIONSHIPS.get(parts[0].strip())
        cert = parts[1].strip() if len(parts) == 2 else None
        if (
            relationship is None
            or "=" in body
            or ";" in body
            or len(parts) > 2
            or (len(parts) == 2 and (not cert or self.cert_findings(cert)))
        ):
            return _NOT_PLAIN
        assert self.normalized is not None
        return _Shape(self.normalized, self.sellers, self.google, relationship, cert, hash_at)


class _Shape:
    """A plain record line but for its account ID: field 1 as written and all after field 2.

    Real files repeat a few dozen of these thousands of times, so each distinct one is read
    once and the line loop only examines the account ID.
    """

    __slots__ = (
        "bits", "cert", "cert_pending", "domain", "google", "hash_at", "relationship", "sellers",
    )

    def __init__(
        self, domain: str, sellers: dict[str, _Remembered], google: bool,
        relationship: Relationship, cert: str | None, hash_at: int,
    ) -> None:
        self.domain = domain
        self.sellers = sellers
        self.google = google
        self.relationship = relationship
        self.cert = cert
        # where the comment's '#' is in the text after field 2 (-1: no comment)
        self.hash_at = hash_at
        self.bits = _pack(0, relationship, cert is not None)
        # True until this certification ID is known to be the ad system's first one
        self.cert_pending = cert is not None


class _Seen:
    """The record kept for one (domain, account ID ignoring case) key: the first one seen,
    or a later repeat of it that says more (see :meth:`Engine._near_repeat`)."""

    __slots__ = ("account", "cert", "extension", "line", "relationship", "written")

    def __init__(
        self, line: int, account: str, relationship: Relationship, cert: str | None,
        written: tuple[str, str, str | None], extension: str | None = None,
    ) -> None:
        self.line = line
        self.account = account
        self.relationship = relationship
        self.cert = cert
        self.written = written
        self.extension = extension


#: What is remembered of a seller: a packed int when the record was written in its canonical
#: form (nearly always), else the whole story. See :func:`_pack`.
_Remembered = int | _Seen


def _pack(line: int, relationship: Relationship, cert: bool) -> int:
    """Pack a canonically written first record into one int: line, relationship, cert flag.

    Canonical means the account ID equals its key, field 1 is the normalized domain, the
    relationship is upper case and the certification ID, if any, is the domain's first one,
    so nothing else needs remembering. A small int costs far less memory than an object.
    """
    return line << 2 | (2 if relationship is Relationship.RESELLER else 0) | (1 if cert else 0)


#: The shape of every line that is not a plain record.
_NOT_PLAIN: Final = _Shape("", {}, False, Relationship.DIRECT, None, -1)


class _RecordArgs(NamedTuple):
    """A usable record line as the careful path read it, before the cross-line checks."""

    domain: str
    account: str
    relationship: Relationship
    cert: str | None
    domain_text: str
    rel_text: str
    d0: int
    extension: str | None


class _VariableArgs(NamedTuple):
    """A usable variable line as the careful path read it, before the cross-line checks."""

    name: str
    value: str
    country: str | None
    start: int
    known: bool


class _Replay:
    """The outcome of one line's text, to be given again to a repeat of the same text.

    Everything the careful path finds within a line is a pure function of its text; only
    the cross-line checks of a usable record or variable depend on what came before, so
    those are run again (``usable``) rather than replayed.
    """

    __slots__ = ("comments", "data_lines", "diagnostics", "line", "prose_lines", "usable")

    def __init__(
        self, line: int, diagnostics: list[Diagnostic], comments: list[Comment],
        data_lines: int, prose_lines: int, usable: _RecordArgs | _VariableArgs | None,
    ) -> None:
        self.line = line
        self.diagnostics = diagnostics
        self.comments = comments
        self.data_lines = data_lines
        self.prose_lines = prose_lines
        self.usable = usable

    def apply(self, engine: Engine, number: int) -> None:
        shift = number - self.line
        for d in self.diagnostics:
            # Positional fast constructors: every repeat of a cached line replays these.
            fix = d.fix
            if fix is not None:
                fix = fast_positional_fix(fix.replacement, fix.safe, fix.description,
                                          fix.line + shift, fix.column, fix.end_line + shift,
                                          fix.end_column)
            engine.diagnostics.append(
                fast_positional_diagnostic(d.code, d.severity, d.line + shift, d.column,
                                           d.end_column, d.message, d.hint, fix)
            )
        for c in self.comments:
            # Positional: per replayed line (keywords cost attrs' __init__ about 60% more).
            engine.comments.append(Comment(number, c.column, c.text))
        engine._data_lines += self.data_lines
        engine._prose_lines += self.prose_lines
        if isinstance(self.usable, _RecordArgs):
            engine._commit_record(number, self.usable)
        elif self.usable is not None:
            engine._commit_variable(number, self.usable)


def _root_of(domain: str) -> str:
    """The root domain (public suffix plus one label) that governs ``domain``'s ads.txt."""
    host = domain.lower().rstrip(".")
    return analyze_host(host).registrable or host


def _subdomain_of(domain: str, root: str) -> str | None:
    """``domain`` when it names a subdomain's own file, not the root domain's.

    ``www.`` counts as the root: crawlers reach the root's file there through the root
    domain's redirect, and people name a site by it.
    """
    host = domain.lower().rstrip(".")
    return None if host in (root, "www." + root) else host


def _record_shaped(body: str) -> bool:
    """A line laid out as a record (a domain-like first field, a one-word third field),
    however wrong its fields: a file of such lines is a broken ads.txt, not prose."""
    fields = body.split("#", 1)[0].split(";", 1)[0].split(",")
    return 3 <= len(fields) <= 4 and "." in fields[0] and len(fields[2].split()) == 1


class Engine:
    """Checks one file, line by line. Feed it lines in order, then call :meth:`finish`.

    ``max_sellers`` bounds how many distinct (ad system, account ID) pairs are remembered
    for the duplicate and conflict checks (None: no bound). Past it, later first-seen
    records are checked against the remembered ones but not remembered themselves, which
    keeps the memory of a streamed check bounded on files of any size.
    """

    def __init__(
        self,
        *,
        kind: FileKind = "ads.txt",
        root_domain: str | None = None,
        keep_records: bool = True,
        on_record: Callable[[Record], None] | None = None,
        max_sellers: int | None = None,
    ) -> None:
        self.kind = kind
        self.root_domain = _root_of(root_domain) if root_domain else None
        #: The subdomain the file is served from, when it is not the root domain's file.
        self.subdomain = (
            _subdomain_of(root_domain, self.root_domain)
            if root_domain and self.root_domain else None
        )
        self.keep_records = keep_records
        self.records: list[Record] = []
        self.variables: list[Variable] = []
        self.comments: list[Comment] = []
        self.diagnostics: list[Diagnostic] = []
        self.line_count = 0
        self.record_count = 0
        self.not_ads_txt: str | None = None
        self._domains: dict[str, _DomainInfo] = {}
        self._sellers: dict[str, dict[str, _Remembered]] = {}
        self._max_sellers = max_sellers if max_sellers is not None else -1
        self._seller_room = self._max_sellers
        # field 1 as written -> all after field 2 as written -> shape
        self._shapes: dict[str, dict[str, _Shape]] = {}
        self._shape_count = 0
        self._first_cert: dict[str, tuple[str, int]] = {}
        self._line_memo: dict[str, _Replay] = {}
        # where the careful path's own findings end and what it commits, for the memo
        self._committed: tuple[int, _RecordArgs | _VariableArgs] | None = None
        self._placeholders: list[int] = []
        self._owner: tuple[str, int] | None = None
        self._managers: dict[str | None, tuple[str, int]] = {}
        self._variable_values: dict[tuple[str, str], int] = {}
        self._data_lines = 0
        self._usable_lines = 0
        self._prose_lines = 0
        self._sniffed = False
        self._head: list[str] = []
        self._head_size = 0
        self._on_record = on_record
        self._other_chars: list[int] = []
        self._line_text = ""

    # -- the hot loop ------------------------------------------------------------------

    def feed(
        self, lines: list[str], byte_offsets: list[int] | None = None, *,
        plain: bool | None = None,
    ) -> None:
        """Check a batch of consecutive lines (without line endings).

        ``byte_offsets``, when given, holds the byte offset of each line's start in the
        file, used to locate invalid UTF-8. ``plain`` tells that every line is known to be
        printable ASCII (no TAB, no control character); None finds out.
        """
        if not self._sniffed:
            self._collect_head(lines)
        if plain is None:
            plain = is_plain("".join(lines))
        number = base = self.line_count
        shapes = self._shapes
        keep = self.keep_records
        records = self.records
        comments = self.comments
        on_record = self._on_record
        make_record = _make_record
        id_chars = _ID_CHARS.match
        template = _TEMPLATE_WORDS.search
        reserved = _RESERVED_ACCOUNTS
        google_id = _GOOGLE_ID.match
        all_zero = _ALL_ZERO.match
        zeros = "0" * 16
        # Whether new sellers are still remembered; checked per batch, so a bounded engine
        # overshoots its bound by at most one batch.
        remember = self._seller_room != 0
        not_plain = _NOT_PLAIN
        fast = 0
        for text in lines:
            number += 1
            if not text:
                continue
            if not plain and not (text.isascii() and text.isprintable()):
                at = byte_offsets[number - base - 1] if byte_offsets else None
                self._slow_cached(number, text, at)
                continue
            # 1. A plain record line: field 1 and all after field 2 are looked up as one
            #    memoized shape, so only the account ID is examined on every line.
            parts = text.split(",", 2)
            if len(parts) == 3:
                domain_text, account, tail_text = parts
                tails = shapes.get(domain_text)
                shape = tails.get(tail_text) if tails is not None else None
                if shape is None:
                    shape = self._shape(domain_text, tail_text)
                if shape is not not_plain:
                    account = account.strip()
                    key: str | None
                    # All-zero IDs are placeholders: they take the careful path (ADS216).
                    if shape.google:
                        key = account if google_id(account) and account[4:] != zeros else None
                    elif account.isdigit():
                        # see _FAST_FIELD
                        key = account if len(account) <= 256 and account.strip("0") else None
                    elif (account.isalnum() or id_chars(account)) and len(account) <= 256:
                        key = account.lower()
                        # Every template word but "xxxx" holds an "r": most IDs skip the regex.
                        # The regex finds words inside words too ('yourmedia'): the careful
                        # path then decides.
                        if (
                            (("r" in key or "xxxx" in key) and template(key)) or key in reserved
                            or (key[-1] == "0" and all_zero(key))
                        ):
                            key = None
                    else:
                        key = None
                    # 2. Cross-line checks: a second certification ID for the ad system or
                    #    an unusual repeat takes the careful path.
                    if key is not None and (not shape.cert_pending or self._settle(shape, number)):
                        if key == account:
                            packed = number << 2 | shape.bits
                            found = (
                                shape.sellers.setdefault(key, packed) if remember
                                else shape.sellers.get(key, packed)
                            )
                            if found != packed:  # not "is not": compiled code unboxes ints
                                if type(found) is not int:
                                    self._slow_cached(number, text, None)
                                    continue
                                # A repeat of a record written canonically both times.
                                self._packed_repeat(number, domain_text, account, found, shape)
                        elif not self._new_story(number, key, account, shape, remember):
                            self._slow_cached(number, text, None)
                            continue
                        # 3. Commit: the line is a clean record.
                        fast += 1
                        if keep:
                            if shape.hash_at >= 0:
                                at = len(text) - len(tail_text) + shape.hash_at
                                # Positional: the per-line loop (see _Replay.apply).
                                comments.append(Comment(number, at + 1, text[at + 1 :]))
                            record = make_record(
                                shape.domain, account, shape.relationship, shape.cert, None,
                                number,
                            )
                            records.append(record)
                            if on_record is not None:
                                on_record(record)
                        continue
            # 4. Anything else: a comment line, or the careful path.
            if text[0] == "#":
                if keep:
                    # Positional: the per-line loop (see _Replay.apply).
                    comments.append(Comment(number, 1, text[1:]))
                continue
            self._slow_cached(number, text, None)
        self.line_count = number
        self._data_lines += fast
        self._usable_lines += fast
        self.record_count += fast
        if self._seller_room > 0:
            self._seller_room = max(0, self._max_sellers - self._remembered())

    def _remembered(self) -> int:
        """How many things the cross-line checks remember: sellers, ad systems, values."""
        return (
            sum(map(len, self._sellers.values())) + len(self._sellers)
            + len(self._first_cert) + len(self._variable_values)
        )

    def _room(self) -> bool:
        """Whether one more thing may be remembered, counting it if so."""
        if self._seller_room == 0:
            return False
        if self._seller_room > 0:
            self._seller_room -= 1
        return True

    def _shape(self, domain_text: str, tail_text: str) -> _Shape:
        shape = self._raw_domain_info(domain_text).shape(tail_text)
        self._shape_count += 1
        if self._shape_count > _MEMO_LIMIT:
            # Only a cache: on a stream of ever new shapes, start it afresh (in place: the
            # line loop holds it).
            self._shapes.clear()
            self._shape_count = 1
        self._shapes.setdefault(domain_text, {})[tail_text] = shape
        return shape

    def _settle(self, shape: _Shape, number: int) -> bool:
        """Whether the certification ID of ``shape`` is its ad system's first one.

        The first certification ID of an ad system never changes, so once a shape agrees
        with it, it always does; a shape that disagrees takes the careful path (ADS404).
        """
        assert shape.cert is not None
        first = self._first_cert.get(shape.domain)
        if first is None:
            if not self._room():
                return False
            self._first_cert[shape.domain] = (shape.cert, number)
        elif first[0] != shape.cert:
            return False
        shape.cert_pending = False
        return True

    @staticmethod
    def _new_story(
        number: int, key: str, account: str, shape: _Shape, remember: bool
    ) -> bool:
        """Remember a first record whose account ID differs from its key, if it is new."""
        if key in shape.sellers:
            return False
        if remember:
            written = (shape.domain, shape.relationship.value, shape.cert)
            shape.sellers[key] = _Seen(number, account, shape.relationship, shape.cert, written)
        return True

    def _repeat(self, number: int, start: int, end: int, first: int) -> None:
        """Report a record that repeats line ``first`` exactly (ADS401)."""
        self._diag(
            "ADS401", number, start, end, f"this record repeats line {first}",
            fix=Fix(
                replacement="",
                safe=True,
                description=f"delete this repeat of line {first}",
                line=number,
                column=1,
                end_line=number + 1,
                end_column=1,
            ),
        )

    def _packed_repeat(
        self, number: int, raw: str, account: str, found: int, tail: _Shape
    ) -> None:
        """What :meth:`_cross_check` says of a canonical record whose seller is packed.

        Both records are written canonically, so they can differ only in the relationship
        (ADS403) or in having a certification ID (ADS402); else it is an exact repeat.
        """
        domain = tail.domain
        start = len(raw) - len(raw.lstrip())
        end = start + len(domain)
        first = found >> 2
        relationship = tail.relationship
        if found & 2 != tail.bits & 2:
            earlier = Relationship.DIRECT if relationship is Relationship.RESELLER else (
                Relationship.RESELLER
            )
            self._conflict(number, start, end, domain, account, relationship, earlier, first)
        elif found & 1 == tail.bits & 1:
            self._repeat(number, start, end, first)
        else:
            later_adds = tail.bits & 1 == 1
            self._near_repeat_diag(
                number, start, end, first, "the presence of the certification ID",
                later_adds, not later_adds,
            )
            if later_adds:
                tail.sellers[account] = number << 2 | tail.bits

    def _near_repeat_diag(
        self, number: int, start: int, end: int, first: int, difference: str,
        later_adds: bool, earlier_adds: bool,
    ) -> None:
        """ADS402: this record repeats line ``first`` but for how it is written or what it
        adds. The fix keeps the record that says more (a certification ID, an extension),
        else the first; when each says something the other does not, there is no fix."""
        verb = "differ" if " and " in difference else "differs"
        message = f"this record repeats line {first}; only {difference} {verb}"
        if later_adds and earlier_adds:
            self._diag(
                "ADS402", number, start, end, message,
                "each line has something the other lacks: merge them into one",
            )
        elif later_adds:
            self._diag(
                "ADS402", number, start, end, message,
                f"this line says more than line {first}",
                Fix(
                    replacement="",
                    safe=False,
                    description=f"delete line {first}, which this record completes",
                    line=first,
                    column=1,
                    end_line=first + 1,
                    end_column=1,
                ),
            )
        else:
            self._diag(
                "ADS402", number, start, end, message,
                fix=Fix(
                    replacement="",
                    safe=False,
                    description=f"delete this repeat of line {first}",
                    line=number,
                    column=1,
                    end_line=number + 1,
                    end_column=1,
                ),
            )

    def _conflict(
        self, number: int, start: int, end: int, domain: str, account: str,
        relationship: Relationship, earlier: Relationship, first: int,
    ) -> None:
        """ADS403: the same seller is DIRECT on one line and RESELLER on another."""
        self._diag(
            "ADS403", number, start, end,
            f"{domain} account '{account}' is {_WRITTEN[relationship]} here but "
            f"{_WRITTEN[earlier]} on line {first}",
            "an account is either directly controlled by the publisher or resold",
        )

    def _collect_head(self, lines: list[str]) -> None:
        """Gather the file's first non-comment characters, then sniff them once (see
        :func:`sniff`).

        The same characters are sniffed however the file arrives in batches, so streaming
        and whole-file parsing agree.
        """
        for text in lines:
            # Only what consumers read counts: a comment may mention '<html>' or '</p>'.
            hash_at = text.find("#")
            content = (text if hash_at < 0 else text[:hash_at])[:_SNIFF_CHARS]
            if not content.strip():
                continue
            self._head_size += len(content) + 1
            self._head.append(content)
            if self._head_size >= _SNIFF_CHARS:
                self._sniff_now()
                return

    def _sniff_now(self) -> None:
        self._sniffed = True
        self.not_ads_txt = sniff("\n".join(self._head)[:_SNIFF_CHARS])
        self._head = []

    def _domain_info(self, text: str) -> _DomainInfo:
        """The memoized analysis of a stripped field-1 text."""
        info = self._domains.get(text)
        if info is None:
            analysis = analyze_ad_system(text) if text else _NO_DOMAIN
            sellers: dict[str, _Remembered] = {}
            if analysis.normalized is not None:
                known = self._sellers.get(analysis.normalized)
                if known is not None:
                    sellers = known
                elif self._room():
                    self._sellers[analysis.normalized] = sellers
            info = self._domains[text] = _DomainInfo(text, analysis, sellers)
            if len(self._domains) > _MEMO_LIMIT:
                # Only a cache: on a stream of ever new domains, start it afresh.
                self._domains = {text: info}
        return info

    def _raw_domain_info(self, raw: str) -> _DomainInfo:
        if len(raw) > _FAST_FIELD:
            return _DomainInfo("", _NO_DOMAIN, {})
        return self._domain_info(raw.strip())

    def _seen(self, domain: str, key: str) -> _Seen | None:
        """The first record remembered for this seller, if any."""
        sellers = self._sellers.get(domain)
        found = sellers.get(key) if sellers is not None else None
        if found is None or isinstance(found, _Seen):
            return found
        relationship = Relationship.RESELLER if found & 2 else Relationship.DIRECT
        cert = self._first_cert[domain][0] if found & 1 else None
        return _Seen(found >> 2, key, relationship, cert, (domain, relationship.value, cert))

    def _remember(
        self, domain: str, key: str, number: int, account: str, relationship: Relationship,
        cert: str | None, written: tuple[str, str, str | None], extension: str | None,
        replace: bool = False,
    ) -> None:
        """Remember the record kept for a seller; ``replace`` puts a fuller repeat in the
        place of the remembered one (no more memory, so no bound applies)."""
        sellers = self._sellers.get(domain)
        if sellers is None or (not replace and not self._room()):
            return  # past the bound of an engine with bounded memory
        lowered = cert.lower() if cert else None
        first = self._first_cert.get(domain)
        canonical = (
            account == key
            and extension is None
            and written == (domain, relationship.value, lowered)
            and (lowered is None or (first is not None and first[0] == lowered))
        )
        sellers[key] = (
            _pack(number, relationship, lowered is not None) if canonical
            else _Seen(number, account, relationship, lowered, written, extension)
        )

    def _slow_cached(self, number: int, text: str, byte_offset: int | None) -> None:
        """:meth:`_slow_line`, replaying the outcome for a repeat of an unusable line.

        A line that yields neither a record nor a variable changes nothing but the
        diagnostics, the comments and two counters, so a repeat of its exact text (common
        in generated files: the same broken line for every site) gets the same outcome,
        moved to its own line number.
        """
        replay = self._line_memo.get(text)
        if replay is not None:
            replay.apply(self, number)
            return
        diagnostics = len(self.diagnostics)
        comments = len(self.comments)
        usable, data, prose = self._usable_lines, self._data_lines, self._prose_lines
        self._slow_line(number, text, byte_offset)
        committed, self._committed = self._committed, None
        if len(text) > _MEMO_LINE or not text.isascii() or len(self._line_memo) >= _MEMO_LIMIT:
            return
        pure = len(self.diagnostics)
        args: _RecordArgs | _VariableArgs | None = None
        if self._usable_lines != usable:
            if committed is None:
                return  # a placeholder record: not worth the trouble
            pure, args = committed
        self._line_memo[text] = _Replay(
            number, self.diagnostics[diagnostics:pure], self.comments[comments:],
            self._data_lines - data, self._prose_lines - prose, args,
        )

    # -- diagnostics -------------------------------------------------------------------

    def _diag(
        self, code: str, line: int, start: int, end: int, message: str,
        hint: str | None = None, fix: Fix | None = None, severity: Severity | None = None,
    ) -> Diagnostic:
        # Positional fast constructor: every diagnostic of the engine is built here.
        diagnostic = fast_positional_diagnostic(
            code, severity or RULES[code].severity, line, start + 1, end + 1,
            _sentence(message), hint, fix,
        )
        self.diagnostics.append(diagnostic)
        return diagnostic

    def _finding(self, line: int, offset: int, found: Finding) -> Diagnostic:
        fix = None
        if found.replacement is not None:
            # Positional fast constructor: every fix of a field check is built here.
            fix = fast_positional_fix(
                found.replacement, found.safe, found.fix_description or "apply the suggestion",
                line, offset + found.start + 1, line, offset + found.end + 1,
            )
        return self._diag(code=found.code, line=line, start=offset + found.start,
                          end=offset + found.end, message=found.message, hint=found.hint, fix=fix,
                          severity=found.severity)

    # -- the careful path --------------------------------------------------------------

    def _slow_line(self, number: int, text: str, byte_offset: int | None) -> None:
        """Tokenize one line with positions and run every check on it."""
        before = len(self.diagnostics)
        self._other_chars = []
        self._line_text = text
        if len(text) > MAX_LINE:
            self._diag(
                "ADS012", number, 0, 0,
                f"the line is {len(text):,} characters long or more; lines longer than "
                f"{MAX_LINE:,} characters are not parsed",
            )
            self._data_lines += 1
            text = text[:MAX_LINE]
            self._scan_characters(number, text, byte_offset)
            return
        work = self._scan_characters(number, text, byte_offset) if not (
            text.isascii() and text.isprintable()
        ) else text
        # 1. Comment: everything after the first '#'.
        hash_at = work.find("#")
        body = work
        if hash_at >= 0:
            comment_text = text[hash_at + 1 :]
            if not comment_text.isascii():
                comment_text = clean_surrogates(comment_text)
            self.comments.append(Comment(line=number, column=hash_at + 1, text=comment_text))
            body = work[:hash_at]
        if not body.strip():
            return
        self._data_lines += 1
        # 2. Variable: NAME= with no comma before the '='.
        match = _VARIABLE.match(body)
        if match and "," not in body[: match.end()]:
            self._variable(number, text, body, match, hash_at, before)
            return
        # 3. Record.
        self._record(number, body, before)

    def _scan_characters(self, number: int, text: str, byte_offset: int | None) -> str:
        """Report out-of-place characters; return the line with them neutralized.

        The returned text has the same length: control, invisible and odd whitespace
        characters become spaces, look-alike separators become the separator they imitate
        and invalid bytes become U+FFFD, so later steps see what the author meant and
        positions still match the original line.
        """
        chars = list(text)
        counts: dict[str, int] = {}
        invalid_at: list[int] = []
        for match in ODD_CHAR.finditer(text):
            char = match.group()
            if char == "\t":
                continue
            at = match.start()
            kind = classify(char)
            if kind == "invalid":
                invalid_at.append(at)
                chars[at] = "\ufffd"
                continue
            if kind == "lookalike":
                chars[at] = LOOKALIKES[char]
            elif kind != "other":
                chars[at] = " "
            else:
                # Reported only if it lands inside a record field (see _record).
                if char != "\ufffd":
                    self._other_chars.append(at)
                continue
            code = _CHAR_CODES[kind]
            seen = counts.get(code, 0) + 1
            counts[code] = seen
            if seen > _CHAR_REPORT_LIMIT:
                continue
            self._char_diag(number, at, char, kind, code)
        if invalid_at:
            first = invalid_at[0]
            where = ""
            if byte_offset is not None:
                prefix = text[:first].encode("utf-8", "surrogateescape")
                where = f" at byte offset {byte_offset + len(prefix):,}"
            value = ord(text[first]) - 0xDC00
            more = f" ({len(invalid_at) - 1} more on this line)" if len(invalid_at) > 1 else ""
            self._diag(
                "ADS001", number, first, first + 1,
                f"byte 0x{value:02X}{where} is not valid UTF-8{more}; it is shown as U+FFFD",
                "save the file as UTF-8",
            )
        for code, seen in counts.items():
            if seen > _CHAR_REPORT_LIMIT:
                self._diag(
                    code, number, 0, 0,
                    f"{seen - _CHAR_REPORT_LIMIT} more characters of this kind on this line "
                    "are not listed one by one",
                )
        return "".join(chars)

    def _char_diag(self, number: int, at: int, char: str, kind: str, code: str) -> None:
        name = describe(char)
        fix = None
        if kind == "lookalike":
            target = LOOKALIKES[char]
            message = f"{name} looks like '{target}' but is not a separator to consumers"
            fix = Fix(
                replacement=target,
                safe=char in SAFE_LOOKALIKES,
                description=f"replace {name} with '{target}'",
                line=number,
                column=at + 1,
                end_line=number,
                end_column=at + 2,
            )
        elif kind == "whitespace":
            message = f"{name} is not a plain space"
            fix = Fix(
                replacement=" ",
                safe=True,
                description=f"replace {name} with a space",
                line=number,
                column=at + 1,
                end_line=number,
                end_column=at + 2,
            )
        elif kind == "invisible":
            message = f"invisible character {name} can hide or disguise text"
            fix = Fix(
                replacement="",
                safe=False,
                description=f"remove {name}",
                line=number,
                column=at + 1,
                end_line=number,
                end_column=at + 2,
            )
        elif kind == "control":
            message = f"control character {name} does not belong in a text file"
        else:
            message = f"non-ASCII character {name}"
            if char in "\u2018\u2019\u201c\u201d":
                message += " (a curly quote from a word processor)"
            elif char in "\u2010\u2011\u2012\u2013\u2014\u2212":
                message += " (a typographic dash; field values use '-')"
        self._diag(code, number, at, at + 1, message, fix=fix)

    # -- variables -----------------------------------------------------------------------

    def _variable(
        self, number: int, text: str, body: str, match: re.Match[str], hash_at: int, before: int
    ) -> None:
        name = match.group(1)
        name_start = match.start(1)
        upper = name.upper()
        for found in _variables.name_findings(name):
            self._finding(number, name_start, found)
        if match.group(2) or match.group(3):
            self._finding(
                number, 0,
                Finding(
                    code="ADS303",
                    message="remove the spaces around '=' in a variable line",
                    start=match.end(1),
                    end=match.end(),
                    replacement="=",
                    safe=True,
                    fix_description="remove the spaces around '='",
                ),
            )
        raw_value = body[match.end() :]
        value = raw_value.strip()
        value_start = match.end() + (len(raw_value) - len(raw_value.lstrip()))
        country: str | None = None
        known = upper in _variables.KNOWN_VARIABLES
        if known:
            findings, country = _variables.check_value(
                upper, value, root=self.root_domain, app=self.kind == "app-ads.txt",
                subdomain=self.subdomain,
            )
            for found in findings:
                self._finding(number, value_start, found)
        if ";" in value:
            self._diag(
                "ADS310", number, value_start + value.index(";"),
                value_start + value.index(";") + 1,
                "';' has no special meaning in a variable value; it is kept as part of the value",
            )
        if hash_at > 0 and not text[hash_at - 1].isspace() and value:
            self._diag(
                "ADS310", number, hash_at, hash_at + 1,
                f"the value of {upper} stops at this '#', which starts a comment",
                "if the '#' belongs to the value, percent-encode it as %23",
            )
        if not self._has_error_since(before):
            args = _VariableArgs(upper, value, country, value_start, known)
            self._committed = (len(self.diagnostics), args)
            self._commit_variable(number, args)

    def _commit_variable(self, number: int, args: _VariableArgs) -> None:
        """The cross-line part of a usable variable line, and keeping it."""
        if args.known:
            self._repeats(number, args.name, args.value, args.country, args.start)
        self._usable_lines += 1
        self.variables.append(Variable(name=args.name, value=args.value, line=number))

    def _repeats(
        self, number: int, name: str, value: str, country: str | None, start: int
    ) -> None:
        key_value = value if name == "CONTACT" else value.lower()
        end = start + len(value)
        first_line = self._variable_values.get((name, key_value))
        if first_line is not None:
            self._diag(
                "ADS308", number, start, end,
                f"{name}={value} repeats line {first_line}",
                fix=Fix(
                    replacement="",
                    safe=True,
                    description=f"delete this repeat of line {first_line}",
                    line=number,
                    column=1,
                    end_line=number + 1,
                    end_column=1,
                ),
            )
            return
        if self._room():
            self._variable_values[(name, key_value)] = number
        if name == "OWNERDOMAIN":
            if self._owner is None:
                self._owner = (value, number)
            else:
                self._diag(
                    "ADS307", number, start, end,
                    f"OWNERDOMAIN is already set to '{self._owner[0]}' on line "
                    f"{self._owner[1]}; only the first one is used",
                )
        elif name == "MANAGERDOMAIN":
            previous = self._managers.get(country)
            if previous is None:
                self._managers[country] = (value, number)
            else:
                scope = f"country {country}" if country else "the global default (no country)"
                self._diag(
                    "ADS307", number, start, end,
                    f"MANAGERDOMAIN for {scope} is already given on line {previous[1]}; "
                    "consumers treat two managers for one market as none",
                )

    def _has_error_since(self, before: int) -> bool:
        return any(d.severity.value == "error" for d in self.diagnostics[before:])

    # -- records -------------------------------------------------------------------------

    def _record(self, number: int, body: str, before: int) -> None:
        fields = _split_fields(body, ",")
        semicolon = body.find(";")
        extension: str | None = None
        if semicolon >= 0:
            pre = body[:semicolon]
            extension = body[semicolon + 1 :].strip() or None
            fields = _split_fields(pre, ",")
        count = len(fields)
        if count >= 2 and " " in fields[0][0] and len(_WORDS.findall(body)) >= 4:
            stripped = body.strip()
            lead = len(body) - len(body.lstrip())
            self._diag(
                "ADS101", number, lead, lead + len(stripped),
                "this line is not a record, a variable or a comment",
                "comments start with '#'",
            )
            self._prose_lines += 1
            return
        if count < 3 or count > 4 or (count == 4 and not fields[3][0]):
            reshaped = self._reshape(number, body, fields, semicolon)
            if reshaped is None:
                self._note_unusable(body)
                return
            fields = reshaped
        (domain_text, d0, _), (account, a0, _), (rel_text, r0, r1) = fields[:3]
        for at in self._other_chars:
            # Quotation marks of any style are reported by the field checks, as straight
            # ones are, not as mere non-ASCII characters.
            char = self._line_text[at]
            if char not in _fields.QUOTES and any(
                start <= at < end for _, start, end in fields[1:]
            ):
                self._char_diag(number, at, char, "other", "ADS011")
        cert_field = fields[3] if len(fields) == 4 else None
        missing = [
            (label, end_of_previous)
            for label, (value, _, _), end_of_previous in (
                ("domain", fields[0], 0),
                ("account ID", fields[1], fields[0][2]),
                ("relationship", fields[2], fields[1][2]),
            )
            if not value
        ]
        for label, at in missing:
            comma = body.find(",", at)
            self._diag(
                "ADS104", number, comma if comma >= 0 else at, (comma if comma >= 0 else at) + 1,
                f"the {label} field is empty",
                "two commas in a row: is a value missing, or a comma extra?",
            )
        quoted = _fields.domain_quote_finding(domain_text) if domain_text else None
        info = self._domain_info(domain_text) if domain_text and quoted is None else None
        if quoted is not None:
            self._finding(number, d0, quoted)
        if info is not None:
            for found in info.analysis.findings:
                self._finding(number, d0, found)
        relationship: Relationship | None = None
        swapped = account.upper() in _fields.RELATIONSHIPS
        if swapped and rel_text:
            self._diag(
                "ADS218", number, a0, r1,
                f"the account ID field holds the relationship '{account}'; the fields are "
                "domain, account ID, relationship",
                "the account ID and the relationship seem to be swapped",
                Fix(
                    replacement=f"{rel_text}, {account}",
                    safe=False,
                    description="swap the two fields",
                    line=number,
                    column=a0 + 1,
                    end_line=number,
                    end_column=r1 + 1,
                ),
            )
        elif rel_text:
            for found in _fields.relationship_findings(rel_text):
                self._finding(number, r0, found)
            relationship = _RELATIONSHIPS.get(rel_text.upper())
        if info is not None and info.placeholder:
            self._placeholder(
                number, body, account, rel_text, relationship, cert_field, before, d0
            )
            return
        if account and not swapped:
            for found in _fields.account_findings(account, bool(info and info.google)):
                self._finding(number, a0, found)
        cert: str | None = None
        if cert_field is not None:
            cert, c0, _ = cert_field
            normalized = info.normalized if info is not None else None
            for found in _fields.certification_findings(cert, normalized):
                self._finding(number, c0, found)
        if self._has_error_since(before) or info is None or info.normalized is None:
            self._note_unusable(body)
            return
        if relationship is None or not account:
            self._note_unusable(body)
            return
        args = _RecordArgs(
            info.normalized, account, relationship, cert, domain_text, rel_text, d0,
            extension,
        )
        self._committed = (len(self.diagnostics), args)
        self._commit_record(number, args)

    def _commit_record(self, number: int, args: _RecordArgs) -> None:
        """The cross-line part of a usable record line, and keeping it."""
        domain, account, relationship, cert, domain_text, rel_text, d0, extension = args
        self._cross_check(number, domain, account, relationship, cert, domain_text, rel_text,
                          d0, extension)
        self._usable_lines += 1
        self.record_count += 1
        if self.keep_records:
            record = Record(
                domain=domain,
                account_id=account,
                relationship=relationship,
                certification_authority_id=cert,
                extension=extension,
                line=number,
            )
            self.records.append(record)
            if self._on_record is not None:
                self._on_record(record)

    def _note_unusable(self, body: str) -> None:
        if len(_WORDS.findall(body)) >= 4 and not _record_shaped(body):
            self._prose_lines += 1

    def _reshape(
        self, number: int, body: str, fields: list[tuple[str, int, int]], semicolon: int
    ) -> list[tuple[str, int, int]] | None:
        """Deal with a line that does not have three or four fields.

        Returns the fields to check when the line is still readable as a record (a trailing
        comma, TAB separators), or None after reporting why it is not a record.
        """
        count = len(fields)
        end = len(body.rstrip())
        # A trailing comma: the last field is empty and the rest is a record.
        if count in (4, 5) and not fields[-1][0]:
            comma = body.rfind(",", 0, fields[-1][1] + 1)
            self._diag(
                "ADS108", number, comma, comma + 1, "the record ends with a comma",
                fix=Fix(
                    replacement="",
                    safe=True,
                    description="remove the trailing comma",
                    line=number,
                    column=comma + 1,
                    end_line=number,
                    end_column=comma + 2,
                ),
            )
            return fields[:-1]
        empty = [i for i, field in enumerate(fields[:4]) if not field[0]]
        if count == 5 and len(empty) == 1 and empty[0] > 0:
            at = fields[empty[0]][1]
            comma = body.rfind(",", 0, at)
            self._diag(
                "ADS104", number, comma, comma + 1,
                f"field {empty[0] + 1} is empty, which pushes the record to 5 fields",
                "two commas in a row: this comma is probably extra",
                Fix(
                    replacement="",
                    safe=False,
                    description="remove the extra comma",
                    line=number,
                    column=comma + 1,
                    end_line=number,
                    end_column=comma + 2,
                ),
            )
            return None
        if count >= 5:
            glued = self._glued(number, body, fields)
            if not glued:
                start = fields[4][1]
                self._diag(
                    "ADS103", number, start, end,
                    f"a record has at most 4 comma-separated fields; found {count}",
                    "comments start with '#' and extensions with ';'",
                )
            return None
        if count == 2:
            self._diag(
                "ADS102", number, end, end,
                "a record needs at least 3 comma-separated fields (domain, account ID, "
                "relationship); found 2",
                _separator_hint(body),
            )
            return None
        # A single field: another separator, or not a record at all.
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        for separator, label in (("\t", "TAB"), (";", "';'"), ("|", "'|'"), (None, "spaces")):
            tokens = stripped.split(separator) if separator else stripped.split()
            tokens = [t.strip() for t in tokens if t.strip()]
            if not 3 <= len(tokens) <= 4 or tokens[2].upper() not in _fields.RELATIONSHIPS:
                continue
            if any("," in token for token in tokens):
                # Commas are there already: the other separator is not what splits fields.
                continue
            joined = ", ".join(tokens)
            if separator == "\t" and semicolon < 0:
                self._diag(
                    "ADS105", number, lead, lead + len(stripped),
                    "fields are separated by TABs; the spec separates them with commas",
                    fix=Fix(
                        replacement=joined,
                        safe=True,
                        description="separate the fields with ', '",
                        line=number,
                        column=lead + 1,
                        end_line=number,
                        end_column=lead + len(stripped) + 1,
                    ),
                )
                return _split_runs(body, "\t")
            span_end = len(body) if separator == ";" else lead + len(stripped)
            self._diag(
                "ADS106", number, lead, span_end,
                f"fields are separated by {label}; only ',' separates fields",
                "write the line as '" + joined + "'"
                + ("; ';' starts the extension" if separator == ";" else ""),
                Fix(
                    replacement=joined,
                    safe=False,
                    description="separate the fields with ', '",
                    line=number,
                    column=lead + 1,
                    end_line=number,
                    end_column=span_end + 1,
                ),
            )
            return None
        if count == 1 and semicolon < 0 and "=" not in stripped and " " not in stripped:
            self._diag(
                "ADS102", number, end, end,
                "a record needs at least 3 comma-separated fields (domain, account ID, "
                "relationship); found 1",
            )
            return None
        hint = "comments start with '#'"
        if "=" in stripped:
            hint = "variable lines are NAME=value, with a name of letters, digits, '_' and '-'"
        self._diag(
            "ADS101", number, lead, lead + len(stripped),
            "this line is not a record, a variable or a comment", hint,
        )
        return None

    def _glued(self, number: int, body: str, fields: list[tuple[str, int, int]]) -> bool:
        """Report two records run together on one line, if that is what this is."""
        for index in (2, 3):
            if index >= len(fields) - 2:
                break
            value, start, _ = fields[index]
            match = _GLUED.match(value)
            if not match:
                continue
            if index == 3 and not re.fullmatch(r"[0-9a-fA-F]{16}", match.group(1)):
                continue
            rest = fields[index + 1 :]
            if not 2 <= len(rest) <= 3 or rest[1][0].upper() not in _fields.RELATIONSHIPS:
                continue
            cut = start + match.end(1)
            self._diag(
                "ADS107", number, cut, cut + len(match.group(2)),
                f"two records are run together: '{match.group(2)}' starts a new record",
                "a line break was lost between the records",
                Fix(
                    replacement="\n",
                    safe=False,
                    description="split the line in two",
                    line=number,
                    column=cut + 1,
                    end_line=number,
                    end_column=cut + 1,
                ),
            )
            return True
        return False

    def _placeholder(
        self, number: int, body: str, account: str, rel_text: str,
        relationship: Relationship | None, cert_field: tuple[str, int, int] | None,
        before: int, start: int,
    ) -> None:
        exact = (
            account == "placeholder" and rel_text.upper() == "DIRECT"
            and cert_field is not None and cert_field[0] == "placeholder"
        )
        if not exact:
            self._diag(
                "ADS407", number, start, len(body.rstrip()),
                "the placeholder record must read 'placeholder.example.com, placeholder, "
                "DIRECT, placeholder'",
            )
        if self._has_error_since(before) or relationship is None:
            return
        if exact:
            self._placeholders.append(number)
        self._usable_lines += 1
        self.record_count += 1
        if self.keep_records:
            cert = cert_field[0] if cert_field else None
            # Kept as written: a misspelled placeholder is an ordinary record (ADS407).
            record = Record(
                domain=PLACEHOLDER_DOMAIN,
                account_id=account,
                relationship=relationship,
                certification_authority_id=cert,
                line=number,
            )
            self.records.append(record)
            if self._on_record is not None:
                self._on_record(record)

    def _cross_check(
        self, number: int, domain: str, account: str, relationship: Relationship,
        cert: str | None, domain_text: str, rel_text: str, d0: int, extension: str | None,
    ) -> None:
        end = d0 + len(domain_text)
        key = account if account.isdigit() else account.lower()
        first = self._seen(domain, key)
        fuller = False  # whether this record takes the place of the remembered one
        if first is None:
            pass  # remembered below, once the certification ID is settled
        elif first.account != account:
            self._diag(
                "ADS402", number, d0, end,
                f"this record repeats line {first.line} except for the case of the account "
                f"ID ('{first.account}' there, '{account}' here)",
                "account IDs are case-sensitive: one of the two is probably wrong",
            )
        elif first.relationship is not relationship:
            self._conflict(
                number, d0, end, domain, account, relationship, first.relationship, first.line
            )
        elif (cert.lower() if cert else None) != first.cert and cert and first.cert:
            pass  # reported below as a certification-ID conflict
        else:
            written = (domain_text, rel_text, cert)
            if written == first.written and extension == first.extension:
                self._repeat(number, d0, end, first.line)
            else:
                later_adds = (cert is not None and first.cert is None) or (
                    extension is not None and extension != first.extension
                )
                earlier_adds = (first.cert is not None and cert is None) or (
                    first.extension is not None and first.extension != extension
                )
                difference = _written_difference(
                    first.written, written, first.extension, extension
                )
                self._near_repeat_diag(
                    number, d0, end, first.line, difference, later_adds, earlier_adds
                )
                fuller = later_adds and not earlier_adds
        if cert is not None:
            lowered = _fields.comparable_cert(cert)
            earlier = self._first_cert.get(domain)
            if earlier is None:
                if self._room():
                    self._first_cert[domain] = (lowered, number)
            elif earlier[0] != lowered and earlier[1] != number:
                accepted = _known.certification_ids().accepted.get(domain, frozenset())
                if not (lowered in accepted and earlier[0] in accepted):
                    self._diag(
                        "ADS404", number, d0, end,
                        f"{domain} has the certification ID '{lowered}' here but "
                        f"'{earlier[0]}' on line {earlier[1]}",
                        "the certification ID identifies the ad system, so it is the same "
                        "on every record of one ad system",
                    )
        if first is None or fuller:
            self._remember(
                domain, key, number, account, relationship, cert, (domain_text, rel_text, cert),
                extension, replace=fuller,
            )

    # -- the end -------------------------------------------------------------------------

    def finish(self) -> None:
        """Add the whole-file diagnostics once every line has been fed."""
        if not self._sniffed:
            self._sniff_now()
        if self.not_ads_txt is None and self._prose_lines >= 3 and (
            self._prose_lines * 2 >= self._data_lines
        ):
            self.not_ads_txt = "prose text"
        if self.not_ads_txt is not None and 0 < self._data_lines == self._usable_lines:
            # Markup in an extension, say, where every line still reads as ads.txt: the
            # file is an ads.txt file, whatever its first characters look like.
            self.not_ads_txt = None
        if self.not_ads_txt is not None:
            counts = ""
            if self._data_lines:
                counts = (
                    f": {self._data_lines - self._usable_lines} of {self._data_lines} "
                    "non-comment lines are neither records nor variables"
                )
            self._diag(
                "ADS004", 1, 0, 0,
                f"this file looks like {self.not_ads_txt}, not an ads.txt file{counts}",
                "serve the plain-text ads.txt file here",
            )
        elif self._data_lines == 0:
            self._diag(
                "ADS005", 1, 0, 0,
                "the file has no records and no variables; consumers treat it as no ads.txt",
                "if no seller is authorized, write the line 'placeholder.example.com, "
                "placeholder, DIRECT, placeholder'",
            )
        elif self.record_count == 0 and self._usable_lines == self._data_lines:
            partners = list(dict.fromkeys(
                v.value.lower() for v in self.variables if v.name == "INVENTORYPARTNERDOMAIN"
            ))
            if partners:
                # Not an empty file: it sends buyers to its partners' files (ads.txt 1.1
                # section 3.5.1), for bid requests that name one of them.
                shown = ", ".join(partners[:5]) + (", ..." if len(partners) > 5 else "")
                self._diag(
                    "ADS014", 1, 0, 0,
                    "the file has no records of its own: it authorizes the sellers of its "
                    f"inventory partners' ads.txt files ({shown}) for bid requests that "
                    "name that partner in inventorypartnerdomain, and no seller otherwise",
                    "if the site also sells inventory of its own, list those sellers here",
                )
            else:
                self._diag(
                    "ADS006", 1, 0, 0,
                    "the file has variables but no records, so it authorizes no seller",
                )
        if self._placeholders:
            if self.record_count > len(self._placeholders):
                for line in self._placeholders:
                    self._diag(
                        "ADS405", line, 0, len(PLACEHOLDER_DOMAIN),
                        "the 'no authorized sellers' placeholder contradicts the real "
                        "records in this file",
                        fix=Fix(
                            replacement="",
                            safe=False,
                            description="delete the placeholder",
                            line=line,
                            column=1,
                            end_line=line + 1,
                            end_column=1,
                        ),
                    )
            else:
                self._diag(
                    "ADS406", self._placeholders[0], 0, len(PLACEHOLDER_DOMAIN),
                    "this file declares that no seller is authorized to sell its inventory",
                )


def _split_fields(text: str, separator: str) -> list[tuple[str, int, int]]:
    """Split on ``separator``; give each stripped field with its start and end offsets."""
    fields = []
    start = 0
    for piece in text.split(separator):
        stripped = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        fields.append((stripped, start + lead, start + lead + len(stripped)))
        start += len(piece) + len(separator)
    return fields


def _sentence(message: str) -> str:
    """Capitalize a message, unless it starts with quoted text or a domain name."""
    first = message.split(" ", 1)[0]
    return message[:1].upper() + message[1:] if first.isalpha() else message


def _written_difference(
    first: tuple[str, str, str | None], again: tuple[str, str, str | None],
    first_extension: str | None, extension: str | None,
) -> str:
    """Say which parts of two equivalent records are written differently."""
    parts = []
    if first[0] != again[0]:
        parts.append("the letter case of the domain")
    if first[1] != again[1]:
        parts.append("the letter case of the relationship")
    if (first[2] is None) != (again[2] is None):
        parts.append("the presence of the certification ID")
    elif first[2] != again[2]:
        parts.append("the letter case of the certification ID")
    if (first_extension is None) != (extension is None):
        parts.append("the presence of the extension")
    elif first_extension != extension:
        parts.append("the extension")
    return " and ".join(parts) or "the spacing"


def _split_runs(text: str, separator: str) -> list[tuple[str, int, int]]:
    """Like :func:`_split_fields`, but runs of ``separator`` count as one and are dropped."""
    fields = []
    for piece in re.finditer(f"[^{re.escape(separator)}]+", text):
        stripped = piece.group().strip()
        if stripped:
            lead = len(piece.group()) - len(piece.group().lstrip())
            start = piece.start() + lead
            fields.append((stripped, start, start + len(stripped)))
    return fields


def _separator_hint(body: str) -> str | None:
    if ";" in body:
        return "';' starts the extension; separate fields with ','"
    if "\t" in body.strip() or "  " in body.strip() or " " in body.strip():
        return "separate every field with a comma"
    return None
