"""The checks within one line: what the careful path finds in a line's own text.

:class:`LineChecks` tokenizes a line with positions and checks its characters, its fields
and its variable. Everything it reports depends on the line's text alone (and on the
file's kind and root domain); a usable record or variable is then handed to
:meth:`LineChecks._commit_record` or :meth:`LineChecks._commit_variable`, which the
cross-line checks (:mod:`adstxt._engine_crossline`) implement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, NamedTuple

from adstxt import _fields, _variables
from adstxt._chars import LOOKALIKES, ODD_CHAR, SAFE_LOOKALIKES, classify, describe
from adstxt._decode import clean_surrogates
from adstxt._domains import analyze_host
from adstxt._engine_memo import _RELATIONSHIPS, PLACEHOLDER_DOMAIN, _DomainInfo
from adstxt._finding import Finding
from adstxt.diagnostics import (
    Diagnostic,
    Fix,
    Severity,
    fast_positional_diagnostic,
    fast_positional_fix,
    fix_replacing_character,
)
from adstxt.model import Comment, FileKind, Record, Relationship, Variable
from adstxt.rules import RULES

#: Lines longer than this many characters are reported and not parsed field by field.
MAX_LINE: Final = 65536

#: What builds the checker's diagnostics and fixes: the Python builders of
#: :mod:`adstxt.diagnostics`, or the same objects built in C once
#: :func:`use_diagnostic_builders` is called (see :func:`adstxt._engine.use_builders`).
_build_diagnostic: Callable[
    [str, Severity, int, int, int, str, str | None, Fix | None], Diagnostic
] = fast_positional_diagnostic
_build_fix: Callable[[str, bool, str, int, int, int, int], Fix] = fast_positional_fix


def use_diagnostic_builders(
    diagnostic: Callable[[str, Severity, int, int, int, str, str | None, Fix | None], Diagnostic],
    fix: Callable[[str, bool, str, int, int, int, int], Fix],
) -> None:
    """Have the checker build diagnostics and fixes with these from now on."""
    global _build_diagnostic, _build_fix
    _build_diagnostic = diagnostic
    _build_fix = fix


def moved(d: Diagnostic, shift: int) -> Diagnostic:
    """``d`` (and its fix) ``shift`` lines further down, by the chosen builders: a repeat of
    a line's text gets the findings of its first occurrence."""
    fix = d.fix
    if fix is not None:
        fix = _build_fix(
            fix.replacement,
            fix.safe,
            fix.description,
            fix.line + shift,
            fix.column,
            fix.end_line + shift,
            fix.end_column,
        )
    return _build_diagnostic(
        d.code, d.severity, d.line + shift, d.column, d.end_column, d.message, d.hint, fix
    )


def line_deletion(line: int, safe: bool, description: str) -> Fix:
    """The fix that deletes line ``line`` whole, line ending included (the fix of every
    repeated record), by the chosen builder."""
    return _build_fix("", safe, description, line, 1, line + 1, 1)


#: At most this many character diagnostics of one code are reported for one line.
_CHAR_REPORT_LIMIT: Final = 20

_VARIABLE: Final = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9_-]*)([ \t]*)=([ \t]*)")

_WORDS: Final = re.compile(r"[^\W\d_]{2,}")

_GLUED: Final = re.compile(
    r"(?i)(DIRECT|RESELLER|[0-9a-f]{16})([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+)\Z"
)

_CHAR_CODES: Final = {
    "control": "ADS007",
    "invisible": "ADS008",
    "lookalike": "ADS009",
    "whitespace": "ADS010",
    "other": "ADS011",
}


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


class LineChecks:
    """The per-line checks of the checker, and what they produce (see :class:`Engine`)."""

    def __init__(
        self,
        *,
        kind: FileKind,
        root_domain: str | None,
        keep_records: bool,
        on_record: Callable[[Record], None] | None,
    ) -> None:
        self.kind = kind
        self.root_domain = _root_of(root_domain) if root_domain else None
        #: The subdomain the file is served from, when it is not the root domain's file.
        self.subdomain = (
            _subdomain_of(root_domain, self.root_domain)
            if root_domain and self.root_domain
            else None
        )
        self.keep_records = keep_records
        self.records: list[Record] = []
        self.variables: list[Variable] = []
        self.comments: list[Comment] = []
        self.diagnostics: list[Diagnostic] = []
        self.record_count = 0
        # where the careful path's own findings end and what it commits, for the memo
        self._committed: tuple[int, _RecordArgs | _VariableArgs] | None = None
        self._placeholders: list[int] = []
        self._data_lines = 0
        self._usable_lines = 0
        self._prose_lines = 0
        self._on_record = on_record
        self._other_chars: list[int] = []
        self._line_text = ""

    # -- what the other parts provide --------------------------------------------------
    # Declared here so the per-line checks type-check on their own; the cross-line checks
    # and the driver (the classes built on this one) define them. Only those classes are
    # ever instantiated, so reaching one of these bodies is a bug in the class chain.

    def _domain_info(self, text: str) -> _DomainInfo:
        """The memoized analysis of a stripped field-1 text (the engine's memo)."""
        raise TypeError(f"{type(self).__name__} lacks the engine's domain memo")

    def _commit_record(self, number: int, args: _RecordArgs) -> None:
        """The cross-line part of a usable record line, and keeping it."""
        raise TypeError(f"{type(self).__name__} lacks the cross-line record checks")

    def _commit_variable(self, number: int, args: _VariableArgs) -> None:
        """The cross-line part of a usable variable line, and keeping it."""
        raise TypeError(f"{type(self).__name__} lacks the cross-line variable checks")

    # -- diagnostics -------------------------------------------------------------------

    def _diag(
        self,
        code: str,
        line: int,
        start: int,
        end: int,
        message: str,
        hint: str | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Diagnostic:
        diagnostic = _build_diagnostic(
            code,
            severity or RULES[code].severity,
            line,
            start + 1,
            end + 1,
            _sentence(message),
            hint,
            fix,
        )
        self.diagnostics.append(diagnostic)
        return diagnostic

    def _finding(self, line: int, offset: int, found: Finding) -> Diagnostic:
        fix = None
        if found.replacement is not None:
            fix = _build_fix(
                found.replacement,
                found.safe,
                found.fix_description or "apply the suggestion",
                line,
                offset + found.start + 1,
                line,
                offset + found.end + 1,
            )
        return self._diag(
            code=found.code,
            line=line,
            start=offset + found.start,
            end=offset + found.end,
            message=found.message,
            hint=found.hint,
            fix=fix,
            severity=found.severity,
        )

    # -- one line, read with positions ------------------------------------------------

    def _careful_line(self, number: int, text: str, byte_offset: int | None) -> None:
        """Tokenize one line with positions and run every check on it."""
        before = len(self.diagnostics)
        self._other_chars = []
        self._line_text = text
        if len(text) > MAX_LINE:
            self._diag(
                "ADS012",
                number,
                0,
                0,
                f"the line is {len(text):,} characters long or more; lines longer than "
                f"{MAX_LINE:,} characters are not parsed",
            )
            self._data_lines += 1
            text = text[:MAX_LINE]
            self._scan_characters(number, text, byte_offset)
            return
        work = (
            self._scan_characters(number, text, byte_offset)
            if not (text.isascii() and text.isprintable())
            else text
        )
        # 1. Comment: everything after the first '#'.
        hash_at = work.find("#")
        body = work
        if hash_at >= 0:
            comment_text = text[hash_at + 1 :]
            if not comment_text.isascii():
                comment_text = clean_surrogates(comment_text)
            self.comments.append(Comment(number, hash_at + 1, comment_text))
            body = work[:hash_at]
        if not body.strip():
            return
        self._data_lines += 1
        # 2. Variable: NAME= with no comma before the '='.
        match = _VARIABLE.match(body)
        if match and "," not in body[: match.end()]:
            self._variable_line(number, text, body, match, hash_at, before)
            return
        # 3. Record.
        self._record_line(number, body, before)

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
                # Reported only if it lands inside a record field (see _record_line).
                if char != "\ufffd":
                    self._other_chars.append(at)
                continue
            code = _CHAR_CODES[kind]
            seen = counts.get(code, 0) + 1
            counts[code] = seen
            if seen > _CHAR_REPORT_LIMIT:
                continue
            self._report_character(number, at, char, kind, code)
        if invalid_at:
            first = invalid_at[0]
            where = ""
            if byte_offset is not None:
                prefix = text[:first].encode("utf-8", "surrogateescape")
                where = f" at byte offset {byte_offset + len(prefix):,}"
            value = ord(text[first]) - 0xDC00
            more = f" ({len(invalid_at) - 1} more on this line)" if len(invalid_at) > 1 else ""
            self._diag(
                "ADS001",
                number,
                first,
                first + 1,
                f"byte 0x{value:02X}{where} is not valid UTF-8{more}; it is shown as U+FFFD",
                "save the file as UTF-8",
            )
        for code, seen in counts.items():
            if seen > _CHAR_REPORT_LIMIT:
                self._diag(
                    code,
                    number,
                    0,
                    0,
                    f"{seen - _CHAR_REPORT_LIMIT} more characters of this kind on this line "
                    "are not listed one by one",
                )
        return "".join(chars)

    def _report_character(self, number: int, at: int, char: str, kind: str, code: str) -> None:
        name = describe(char)
        fix = None
        if kind == "lookalike":
            target = LOOKALIKES[char]
            message = f"{name} looks like '{target}' but is not a separator to consumers"
            fix = fix_replacing_character(
                number,
                at + 1,
                target,
                safe=char in SAFE_LOOKALIKES,
                description=f"replace {name} with '{target}'",
            )
        elif kind == "whitespace":
            message = f"{name} is not a plain space"
            fix = fix_replacing_character(
                number, at + 1, " ", safe=True, description=f"replace {name} with a space"
            )
        elif kind == "invisible":
            message = f"invisible character {name} can hide or disguise text"
            fix = fix_replacing_character(
                number, at + 1, "", safe=False, description=f"remove {name}"
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

    def _variable_line(
        self, number: int, text: str, body: str, match: re.Match[str], hash_at: int, before: int
    ) -> None:
        name = match.group(1)
        name_start = match.start(1)
        upper = name.upper()
        for found in _variables.name_findings(name):
            self._finding(number, name_start, found)
        if match.group(2) or match.group(3):
            self._finding(
                number,
                0,
                Finding(
                    "ADS303",
                    "remove the spaces around '=' in a variable line",
                    None,
                    match.end(1),
                    match.end(),
                    "=",
                    True,
                    "remove the spaces around '='",
                ),
            )
        raw_value = body[match.end() :]
        value = raw_value.strip()
        value_start = match.end() + (len(raw_value) - len(raw_value.lstrip()))
        country: str | None = None
        known = upper in _variables.KNOWN_VARIABLES
        if known:
            findings, country = _variables.check_value(
                upper,
                value,
                root=self.root_domain,
                app=self.kind == "app-ads.txt",
                subdomain=self.subdomain,
            )
            for found in findings:
                self._finding(number, value_start, found)
        if ";" in value:
            self._diag(
                "ADS310",
                number,
                value_start + value.index(";"),
                value_start + value.index(";") + 1,
                "';' has no special meaning in a variable value; it is kept as part of the value",
            )
        if hash_at > 0 and not text[hash_at - 1].isspace() and value:
            self._diag(
                "ADS310",
                number,
                hash_at,
                hash_at + 1,
                f"the value of {upper} stops at this '#', which starts a comment",
                "if the '#' belongs to the value, percent-encode it as %23",
            )
        if not self._has_error_since(before):
            args = _VariableArgs(upper, value, country, value_start, known)
            self._committed = (len(self.diagnostics), args)
            self._commit_variable(number, args)

    def _has_error_since(self, before: int) -> bool:
        return any(d.severity.value == "error" for d in self.diagnostics[before:])

    # -- records -------------------------------------------------------------------------

    def _record_line(self, number: int, body: str, before: int) -> None:
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
                "ADS101",
                number,
                lead,
                lead + len(stripped),
                "this line is not a record, a variable or a comment",
                "comments start with '#'",
            )
            self._prose_lines += 1
            return
        if count < 3 or count > 4 or (count == 4 and not fields[3][0]):
            reshaped = self._misshapen_record(number, body, fields, semicolon)
            if reshaped is None:
                self._count_if_prose(body)
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
                self._report_character(number, at, char, "other", "ADS011")
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
                "ADS104",
                number,
                comma if comma >= 0 else at,
                (comma if comma >= 0 else at) + 1,
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
                "ADS218",
                number,
                a0,
                r1,
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
            self._placeholder_record(
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
            self._count_if_prose(body)
            return
        if relationship is None or not account:
            self._count_if_prose(body)
            return
        args = _RecordArgs(
            info.normalized,
            account,
            relationship,
            cert,
            domain_text,
            rel_text,
            d0,
            extension,
        )
        self._committed = (len(self.diagnostics), args)
        self._commit_record(number, args)

    def _count_if_prose(self, body: str) -> None:
        if len(_WORDS.findall(body)) >= 4 and not _record_shaped(body):
            self._prose_lines += 1

    def _misshapen_record(
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
                "ADS108",
                number,
                comma,
                comma + 1,
                "the record ends with a comma",
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
                "ADS104",
                number,
                comma,
                comma + 1,
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
            glued = self._glued_records(number, body, fields)
            if not glued:
                start = fields[4][1]
                self._diag(
                    "ADS103",
                    number,
                    start,
                    end,
                    f"a record has at most 4 comma-separated fields; found {count}",
                    "comments start with '#' and extensions with ';'",
                )
            return None
        if count == 2:
            self._diag(
                "ADS102",
                number,
                end,
                end,
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
                    "ADS105",
                    number,
                    lead,
                    lead + len(stripped),
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
                "ADS106",
                number,
                lead,
                span_end,
                f"fields are separated by {label}; only ',' separates fields",
                "write the line as '"
                + joined
                + "'"
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
                "ADS102",
                number,
                end,
                end,
                "a record needs at least 3 comma-separated fields (domain, account ID, "
                "relationship); found 1",
            )
            return None
        hint = "comments start with '#'"
        if "=" in stripped:
            hint = "variable lines are NAME=value, with a name of letters, digits, '_' and '-'"
        self._diag(
            "ADS101",
            number,
            lead,
            lead + len(stripped),
            "this line is not a record, a variable or a comment",
            hint,
        )
        return None

    def _glued_records(self, number: int, body: str, fields: list[tuple[str, int, int]]) -> bool:
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
                "ADS107",
                number,
                cut,
                cut + len(match.group(2)),
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

    def _placeholder_record(
        self,
        number: int,
        body: str,
        account: str,
        rel_text: str,
        relationship: Relationship | None,
        cert_field: tuple[str, int, int] | None,
        before: int,
        start: int,
    ) -> None:
        exact = (
            account == "placeholder"
            and rel_text.upper() == "DIRECT"
            and cert_field is not None
            and cert_field[0] == "placeholder"
        )
        if not exact:
            self._diag(
                "ADS407",
                number,
                start,
                len(body.rstrip()),
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
            record = Record(PLACEHOLDER_DOMAIN, account, relationship, cert, None, number)
            self.records.append(record)
            if self._on_record is not None:
                self._on_record(record)


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
    head = message[:1]
    upper = head.upper()
    if upper == head:
        return message  # a capital already, a quote, a digit: nothing to change
    space = message.find(" ")
    first = message if space < 0 else message[:space]
    return upper + message[1:] if first.isalpha() else message


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
