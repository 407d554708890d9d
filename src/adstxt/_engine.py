"""The checker: lines in, records, variables, comments and diagnostics out.

Every line goes through :meth:`Engine.feed`. A line that is printable ASCII and holds a
plain record takes the fast path: one split, one look-up of the line's *shape* (field 1 and
everything after field 2, each distinct shape checked once), a check of the account ID and
one dictionary operation to remember the seller; a repeat of a canonically written record
is reported from what was remembered. Anything unusual (a problem, a variable, a TAB, a
non-ASCII character, an unusual repeat) takes the careful path,
:meth:`Engine._careful_line`, which tokenizes with positions and runs every check; its
outcome is memoized by line text, so a repeated line replays its findings and only runs
the cross-line checks again. The fast path only ever accepts lines that the careful path
would accept without a single diagnostic, and reports repeats exactly as the careful path
does, so results do not depend on which path a line took (``tests/property/test_paths.py``
checks this).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from adstxt._decode import is_plain
from adstxt._domains import DomainAnalysis, analyze_ad_system
from adstxt._engine_crossline import CrossLineChecks
from adstxt._engine_domains import plain_ad_systems
from adstxt._engine_lines import (
    MAX_LINE,
    _RecordArgs,
    _VariableArgs,
    line_deletion,
    moved,
    use_diagnostic_builders,
)
from adstxt._engine_memo import (
    _FAST_FIELD,
    PLACEHOLDER_DOMAIN,
    _DomainInfo,
    _Remembered,
    _Shape,
    new_seller_dict,
)
from adstxt._sniff import sniff
from adstxt.diagnostics import Diagnostic, Fix, Severity
from adstxt.model import Comment, FileKind, Record, Relationship, _make_comment, _make_record

__all__ = ["MAX_LINE", "Engine"]

#: How many characters from the start of a file are examined to recognise HTML and such.
_SNIFF_CHARS: Final = 4096

#: Account IDs that the careful path accepts without a word are made of these characters
#: and hold none of the template words or field names that
#: :func:`adstxt._fields.account_findings` reports (checked on the lower-cased ID).
_ID_CHARS: Final = re.compile(r"[0-9A-Za-z._-]+\Z")

#: (The line loop runs this only on IDs holding an "r" or "xxxx": keep that true.)
_TEMPLATE_WORDS: Final = re.compile("xxxx|insert|your|replace|placeholder")

_RESERVED_ACCOUNTS: Final = frozenset(
    [
        f"{word}{joint}id"
        for word in ("publisher", "account", "seller", "pub")
        for joint in ("", "_", "-")
    ]
    + ["direct", "reseller"]
)

_GOOGLE_ID: Final = re.compile(r"pub-[0-9]{16}\Z")

#: Account IDs whose digits are all zero (placeholders; :func:`adstxt._fields.account_findings`).
_ALL_ZERO: Final = re.compile(r"(?:pub-)?0+(?:[-_.]0+)*\Z")

#: What the line loop builds its records and comments with: the Python builders of
#: :mod:`adstxt.model`, or the same objects built in C once :func:`use_builders` is called.
_build_record: Callable[[str, str, Relationship, str | None, str | None, int], Record] = (
    _make_record
)
_build_comment: Callable[[int, int, str], Comment] = _make_comment


def use_builders(
    record: Callable[[str, str, Relationship, str | None, str | None, int], Record],
    comment: Callable[[int, int, str], Comment],
    diagnostic: Callable[[str, Severity, int, int, int, str, str | None, Fix | None], Diagnostic],
    fix: Callable[[str, bool, str, int, int, int, int], Fix],
) -> None:
    """Have the checker build records, comments, diagnostics and fixes with these from
    now on: the compiled checker's choice calls it with the C builders
    (``adstxt._engine_builders_c.SlotBuilder``), which make the very same objects."""
    global _build_record, _build_comment
    _build_record = record
    _build_comment = comment
    use_diagnostic_builders(diagnostic, fix)


#: Bound on each per-file memo (domains as written, unusable lines replayed).
_MEMO_LIMIT: Final = 4096

#: Longest line whose outcome is memoized for replay.
_MEMO_LINE: Final = 1024

_NO_DOMAIN: Final = DomainAnalysis(normalized=None, registrable=None, subdomain="", findings=())


class _LineOutcome:
    """The outcome of one line's text, to be given again to a repeat of the same text.

    Everything the careful path finds within a line is a pure function of its text; only
    the cross-line checks of a usable record or variable depend on what came before, so
    those are run again (``usable``) rather than replayed.
    """

    __slots__ = ("comments", "data_lines", "diagnostics", "line", "prose_lines", "usable")

    def __init__(
        self,
        line: int,
        diagnostics: list[Diagnostic],
        comments: list[Comment],
        data_lines: int,
        prose_lines: int,
        usable: _RecordArgs | _VariableArgs | None,
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
            engine.diagnostics.append(moved(d, shift))
        for c in self.comments:
            engine.comments.append(_build_comment(number, c.column, c.text))
        engine._data_lines += self.data_lines
        engine._prose_lines += self.prose_lines
        if isinstance(self.usable, _RecordArgs):
            engine._commit_record(number, self.usable)
        elif self.usable is not None:
            engine._commit_variable(number, self.usable)


class Engine(CrossLineChecks):
    """Checks one file, line by line. Feed it lines in order, then call :meth:`finish`.

    ``max_sellers`` bounds how many distinct (ad system, account ID) pairs, ad systems and
    variable values are remembered in string-keyed dicts for the cross-line checks (None:
    no bound). Past it, sellers and variable values are remembered in a compact table
    (:class:`adstxt._engine_sellers.SellerTable`, about 20 bytes each), so the findings
    are the same and the memory of a streamed check stays small on files of any size.

    The checks within one line are :class:`adstxt._engine_lines.LineChecks`, those across
    lines :class:`adstxt._engine_crossline.CrossLineChecks`; this class is the line loop
    that drives them and the memos that let it skip them for lines it has seen before.
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
        super().__init__(
            kind=kind,
            root_domain=root_domain,
            keep_records=keep_records,
            on_record=on_record,
            max_sellers=max_sellers,
        )
        self.line_count = 0
        self.not_ads_txt: str | None = None
        self._domains: dict[str, _DomainInfo] = {}
        # the quick field-1 analysis (held here: compiled code then calls it directly)
        self._plain = plain_ad_systems()
        # field 1 as written -> its first shape (which holds the others: see _Shape)
        self._shapes: dict[str, _Shape] = {}
        self._shape_count = 0
        self._line_memo: dict[str, _LineOutcome] = {}
        self._sniffed = False
        self._head: list[str] = []
        self._head_size = 0

    # -- the hot loop ------------------------------------------------------------------

    def feed(
        self,
        lines: list[str],
        byte_offsets: list[int] | None = None,
        *,
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
        make_record = _build_record
        make_comment = _build_comment
        id_chars = _ID_CHARS.match
        template = _TEMPLATE_WORDS.search
        reserved = _RESERVED_ACCOUNTS
        google_id = _GOOGLE_ID.match
        all_zero = _ALL_ZERO.match
        zeros = "0" * 16
        table = self._table
        fast = 0
        for text in lines:
            number += 1
            if not text:
                continue
            if not plain and not (text.isascii() and text.isprintable()):
                at = byte_offsets[number - base - 1] if byte_offsets else None
                self._careful_line_memoized(number, text, at)
                continue
            # 1. A plain record line: field 1 and all after field 2 are looked up as one
            #    memoized shape, so only the account ID is examined on every line.
            parts = text.split(",", 2)
            if len(parts) == 3:
                domain_text, account, tail_text = parts
                shape = shapes.get(domain_text)
                if shape is None or shape.tail != tail_text:
                    shape = self._other_shape(shape, domain_text, tail_text)
                if shape.plain:
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
                            (("r" in key or "xxxx" in key) and template(key))
                            or key in reserved
                            or (key[-1] == "0" and all_zero(key))
                        ):
                            key = None
                    else:
                        key = None
                    # 2. Cross-line checks: a second certification ID for the ad system or
                    #    an unusual repeat takes the careful path.
                    if key is not None and (
                        not shape.cert_pending or self._cert_is_first(shape, number)
                    ):
                        # Whether new sellers still go to the string-keyed memory (the
                        # bound is counted per batch, so it may overshoot by one batch).
                        remember = self._memory_left != 0
                        if key == account:
                            packed = number << 2 | shape.bits
                            found: _Remembered | None
                            if remember:
                                found = shape.sellers.setdefault(key, packed)
                            else:
                                # No default: compiled code would make an int object for it.
                                found = shape.sellers.get(key)
                                if found is None:
                                    # Past the bound: the compact memory.
                                    earlier = table.setdefault(shape.domain, key, packed)
                                    if earlier != packed:
                                        if earlier == 0:  # a record kept whole
                                            self._careful_line_memoized(number, text, None)
                                            continue
                                        self._report_packed_repeat(
                                            number, domain_text, account, earlier, shape, True
                                        )
                            if found is not None:
                                if type(found) is not int:  # a record kept whole
                                    self._careful_line_memoized(number, text, None)
                                    continue
                                # Narrowed to int, compiled code compares it unboxed; a
                                # seller just remembered is this line's own.
                                if found != packed:
                                    # A repeat of a record written canonically both times.
                                    self._report_packed_repeat(
                                        number, domain_text, account, found, shape, False
                                    )
                        elif not self._remember_new_seller(number, key, account, shape, remember):
                            self._careful_line_memoized(number, text, None)
                            continue
                        # 3. Commit: the line is a clean record.
                        fast += 1
                        if keep:
                            if shape.hash_at >= 0:
                                at = len(text) - len(tail_text) + shape.hash_at
                                comments.append(make_comment(number, at + 1, text[at + 1 :]))
                            record = make_record(
                                shape.domain,
                                account,
                                shape.relationship,
                                shape.cert,
                                None,
                                number,
                            )
                            records.append(record)
                            if on_record is not None:
                                on_record(record)
                        continue
            # 4. Anything else: a comment line, or the careful path.
            if text[0] == "#":
                if keep:
                    comments.append(make_comment(number, 1, text[1:]))
                continue
            self._careful_line_memoized(number, text, None)
        self.line_count = number
        self._data_lines += fast
        self._usable_lines += fast
        self.record_count += fast
        if self._memory_left > 0:
            self._memory_left = max(0, self._memory_limit - self._remembered_count())
        if self._memory_left == 0 and not self._sellers_moved:
            self._move_sellers_to_table()

    def _other_shape(self, first: _Shape | None, domain_text: str, tail_text: str) -> _Shape:
        """The shape of a line whose field 1 has no shape yet (``first`` None) or whose
        text after field 2 is not that of its first shape."""
        if first is not None:
            more = first.more
            if more is not None:
                found = more.get(tail_text)
                if found is not None:
                    return found
        info = first.info if first is not None else self._domain_info_as_written(domain_text)
        shape = info.shape(tail_text)
        self._shape_count += 1
        if self._shape_count > _MEMO_LIMIT:
            # Only a cache: on a stream of ever new shapes, start it afresh (in place: the
            # line loop holds it).
            self._shapes.clear()
            self._shape_count = 1
            first = None
        if first is None:
            self._shapes[domain_text] = shape
        elif first.more is None:
            first.more = {tail_text: shape}
        else:
            first.more[tail_text] = shape
        return shape

    def _careful_line_memoized(self, number: int, text: str, byte_offset: int | None) -> None:
        """:meth:`_careful_line`, replaying the outcome for a repeat of an unusable line.

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
        self._careful_line(number, text, byte_offset)
        committed, self._committed = self._committed, None
        if len(text) > _MEMO_LINE or not text.isascii() or len(self._line_memo) >= _MEMO_LIMIT:
            return
        pure = len(self.diagnostics)
        args: _RecordArgs | _VariableArgs | None = None
        if self._usable_lines != usable:
            if committed is None:
                return  # a placeholder record: not worth the trouble
            pure, args = committed
        self._line_memo[text] = _LineOutcome(
            number,
            self.diagnostics[diagnostics:pure],
            self.comments[comments:],
            self._data_lines - data,
            self._prose_lines - prose,
            args,
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
            # A field 1 first met on a plain record line is remembered by its shape only.
            first = self._shapes.get(text)
            if first is not None and first.info.text == text:
                info = first.info
            else:
                info = self._analyze_domain(text)
            self._domains[text] = info
            if len(self._domains) > _MEMO_LIMIT:
                # Only a cache: on a stream of ever new domains, start it afresh.
                self._domains = {text: info}
        return info

    def _analyze_domain(self, text: str) -> _DomainInfo:
        """The analysis of a stripped field-1 text, not memoized here."""
        plain = self._plain
        analysis = plain.analyze(text) if plain is not None and text else None
        if analysis is None:
            analysis = analyze_ad_system(text) if text else _NO_DOMAIN
        normalized = analysis.normalized
        sellers: dict[str, _Remembered] = {} if normalized is None else new_seller_dict()
        if normalized is None:
            pass
        elif self._memory_left < 0:
            # Unbounded (see _reserve_memory): one look-up.
            sellers = self._sellers.setdefault(normalized, sellers)
        else:
            known = self._sellers.get(normalized)
            if known is not None:
                sellers = known
            elif self._reserve_memory():
                self._sellers[normalized] = sellers
        return _DomainInfo(text, analysis, sellers)

    def _domain_info_as_written(self, raw: str) -> _DomainInfo:
        """The analysis of field 1 as written for a new shape: the shape keeps it (most
        field 1 texts of a file of distinct ad systems are never seen again)."""
        if len(raw) > _FAST_FIELD:
            return _DomainInfo("", _NO_DOMAIN, {})
        text = raw.strip()
        info = self._domains.get(text)
        return info if info is not None else self._analyze_domain(text)

    # -- the end -------------------------------------------------------------------------

    def finish(self) -> None:
        """Add the whole-file diagnostics once every line has been fed."""
        if not self._sniffed:
            self._sniff_now()
        if (
            self.not_ads_txt is None
            and self._prose_lines >= 3
            and (self._prose_lines * 2 >= self._data_lines)
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
                "ADS004",
                1,
                0,
                0,
                f"this file looks like {self.not_ads_txt}, not an ads.txt file{counts}",
                "serve the plain-text ads.txt file here",
            )
        elif self._data_lines == 0:
            self._diag(
                "ADS005",
                1,
                0,
                0,
                "the file has no records and no variables; consumers treat it as no ads.txt",
                "if no seller is authorized, write the line 'placeholder.example.com, "
                "placeholder, DIRECT, placeholder'",
            )
        elif self.record_count == 0 and self._usable_lines == self._data_lines:
            partners = list(
                dict.fromkeys(
                    v.value.lower() for v in self.variables if v.name == "INVENTORYPARTNERDOMAIN"
                )
            )
            if partners:
                # Not an empty file: it sends buyers to its partners' files (ads.txt 1.1
                # section 3.5.1), for bid requests that name one of them.
                shown = ", ".join(partners[:5]) + (", ..." if len(partners) > 5 else "")
                self._diag(
                    "ADS014",
                    1,
                    0,
                    0,
                    "the file has no records of its own: it authorizes the sellers of its "
                    f"inventory partners' ads.txt files ({shown}) for bid requests that "
                    "name that partner in inventorypartnerdomain, and no seller otherwise",
                    "if the site also sells inventory of its own, list those sellers here",
                )
            else:
                self._diag(
                    "ADS006",
                    1,
                    0,
                    0,
                    "the file has variables but no records, so it authorizes no seller",
                )
        if self._placeholders:
            if self.record_count > len(self._placeholders):
                for line in self._placeholders:
                    self._diag(
                        "ADS405",
                        line,
                        0,
                        len(PLACEHOLDER_DOMAIN),
                        "the 'no authorized sellers' placeholder contradicts the real "
                        "records in this file",
                        fix=line_deletion(line, False, "delete the placeholder"),
                    )
            else:
                self._diag(
                    "ADS406",
                    self._placeholders[0],
                    0,
                    len(PLACEHOLDER_DOMAIN),
                    "this file declares that no seller is authorized to sell its inventory",
                )
