"""Conformance of adstxt with the test vectors of other ads.txt parsers.

The vectors in ``../shared/peer-fixtures`` (see its README.md) come from the test suites of
other parsers: what each peer's tests expect and what the peer returned when run. Each vector
is one test here. The peer's expectation is mapped into our vocabulary (the record or variable
a line yields, the diagnostic codes on a line, the file's records and variables) and compared
with what :func:`adstxt.parse` reports.

Peers disagree with each other and several are wrong; our digest of IAB ads.txt 1.1
(``../shared/spec.md``) decides. Where we deliberately differ from a peer, the vector is listed
in ``DELIBERATE_DIFFERENCES`` with a one-sentence reason and *our* result for what differs. The
test then checks both that we still differ from the peer (so an entry cannot go stale) and that
we behave as stated. ``KNOWN_BUGS`` lists vectors where the library is wrong (strict xfails).

The oracle is the peer's actual output, which agrees with the peer's own tests for every
transcribed vector, with two exceptions the README points out: the miyaichi vectors whose test
mocked the parser or only printed its output use the author's stated intent, and the
tzafrirben vectors use the output *with* the peer's test setup (greenadexchange.com registered
as a known ad system).

Not covered here, because they belong to later features:

* ``iab-ads.txt-parser-urlcanonical``: app-ads.txt crawl-URL derivation (fetching);
* ``perry-mitchell-sellers.json``: sellers.json validation;
* miyaichi ``observed_cross_check``: ads.txt cross-checks against sellers.json;
* tzafrirben ``rootDomain``, ``NewRequest`` and ``vaidateAdSystemCName``: URL handling for
  fetching, and a hard-coded list of known exchanges (an unknown ad system is not wrong here).

miyaichi ``isValidEmail`` is mapped to our CONTACT check (ADS306); the perry-mitchell
generator vectors are mapped to :func:`adstxt.dumps`, except those writing comments, which
``dumps`` does not do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

import adstxt
from adstxt import Record, Relationship, Severity, Variable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

ROOT: Final = Path(__file__).resolve().parents[1]
PEERS: Final = ROOT.parent / "shared" / "peer-fixtures"

pytestmark = pytest.mark.skipif(
    not PEERS.is_dir(), reason=f"{PEERS} is not available (it sits beside the checkout)"
)

# ---- our vocabulary ----------------------------------------------------------------------

#: Diagnostics about the file as a whole. They are not part of any line's outcome: a peer
#: that checks one line alone never sees an "empty file".
FILE_LEVEL: Final = frozenset({"ADS004", "ADS005", "ADS006", "ADS013"})

DOMAIN_ERRORS: Final = frozenset({"ADS201", "ADS202"})
LINE_SHAPE_ERRORS: Final = frozenset({"ADS101", "ADS102", "ADS103", "ADS106"})


class _Any:
    """Matches anything: an extension or a line outcome the peer says nothing about."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Final = _Any()


@dataclass(frozen=True)
class Rec:
    """The line yields this record (domain lower case, relationship upper case)."""

    domain: str
    account: str
    relationship: str
    cert: str | None = None
    extension: str | _Any | None = ANY


@dataclass(frozen=True)
class Var:
    """The line yields this variable (name upper case, value as written)."""

    name: str
    value: str


@dataclass(frozen=True)
class Err:
    """The line is rejected with at least one error code from each group (no group: any)."""

    groups: tuple[frozenset[str], ...] = ()


def err(*groups: Iterable[str]) -> Err:
    return Err(tuple(frozenset(group) for group in groups))


Outcome = Rec | Var | Err | _Any | None  # None: nothing (a comment or a blank line)


@dataclass(frozen=True)
class Line:
    """What one line must give.

    ``also``: groups of codes of which at least one each must be reported on the line, at any
    severity. ``clean``: no warning or error on the line (the peer reports none).
    """

    outcome: Outcome
    also: tuple[frozenset[str], ...] = ()
    clean: bool = False


def line(outcome: Outcome, *also: Iterable[str], clean: bool = False) -> Line:
    return Line(outcome, tuple(frozenset(group) for group in also), clean)


@dataclass(frozen=True)
class Expect:
    """A peer's expectation in our vocabulary; ``None`` fields are not compared.

    ``records`` and ``variables`` list everything the file yields, in file order (variables
    are compared sorted when ``sort_variables``). ``comments`` maps a line to the text of its
    comment (stripped), or ``None`` for no comment. ``ok`` is :attr:`ParseResult.ok`.
    """

    lines: Mapping[int, Line] = field(default_factory=dict)
    records: Sequence[Rec] | None = None
    variables: Sequence[Var] | None = None
    sort_variables: bool = False
    comments: Mapping[int, str | None] = field(default_factory=dict)
    ok: bool | None = None
    raises_at: int | None = None  # loads(): the line of the AdsTxtError


@dataclass(frozen=True)
class Vector:
    """One peer vector: our input, the peer's expectation, and how to run it."""

    id: str
    text: str
    expect: Expect
    domain: str | None = None  # parse(domain=...): the domain the file is served from
    mode: str = "parse"  # "parse", "loads" (fail-fast) or "dumps" (writing)
    items: tuple[Record | Variable, ...] = ()  # dumps: what to write
    pattern: str | None = None  # dumps: a regular expression the output must contain
    skip: str | None = None  # why this vector is not run


# ---- observing what we report ----------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    outcome: Rec | Var | None = None
    errors: frozenset[str] = frozenset()
    warnings: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()


def rec(record: Record) -> Rec:
    return Rec(
        record.domain,
        record.account_id,
        record.relationship.value,
        record.certification_authority_id,
        record.extension,
    )


def observe(result: adstxt.ParseResult) -> dict[int, Seen]:
    outcomes: dict[int, Rec | Var] = {r.line: rec(r) for r in result.records}
    outcomes.update({v.line: Var(v.name, v.value) for v in result.variables})
    codes: dict[int, dict[Severity, set[str]]] = {}
    for d in result.diagnostics:
        if d.code not in FILE_LEVEL:
            codes.setdefault(d.line, {s: set() for s in Severity})[d.severity].add(d.code)
    seen = {}
    for number in set(outcomes) | set(codes):
        by = codes.get(number, {s: set() for s in Severity})
        seen[number] = Seen(
            outcomes.get(number),
            frozenset(by[Severity.ERROR]),
            frozenset(by[Severity.WARNING]),
            frozenset(set().union(*by.values())),
        )
    return seen


def matches(want: Outcome, got: Rec | Var | None) -> bool:
    """Whether a record or variable (or nothing) is what ``want`` describes."""
    if want is ANY:
        return True
    if isinstance(want, Rec) and isinstance(got, Rec) and want.extension is ANY:
        got = replace(got, extension=ANY)
    return want == got


def _line_problems(number: int, want: Line, got: Seen) -> list[str]:
    found = []
    outcome = want.outcome
    if isinstance(outcome, Err):
        if got.outcome is not None or not got.errors:
            found.append(f"expected an error, got {got.outcome} with errors {set(got.errors)}")
        for group in outcome.groups:
            if not group & got.errors:
                found.append(f"expected an error among {sorted(group)}, got {set(got.errors)}")
    elif not matches(outcome, got.outcome):
        found.append(f"expected {outcome}, got {got.outcome} (errors {set(got.errors)})")
    for group in want.also:
        if not group & got.codes:
            found.append(f"expected a code among {sorted(group)}, got {set(got.codes)}")
    if want.clean and (got.errors or got.warnings):
        found.append(f"expected no warning or error, got {set(got.errors | got.warnings)}")
    return [f"line {number}: {text}" for text in found]


def problems(expect: Expect, result: adstxt.ParseResult) -> list[str]:
    """How ``result`` differs from ``expect`` (empty when it conforms)."""
    found = []
    seen = observe(result)
    for number, want in sorted(expect.lines.items()):
        found += _line_problems(number, want, seen.get(number, Seen()))
    if expect.records is not None:
        records = [rec(r) for r in result.records]
        if len(records) != len(expect.records) or not all(
            matches(w, g) for w, g in zip(expect.records, records, strict=True)
        ):
            found.append(f"records: expected {list(expect.records)}, got {records}")
    if expect.variables is not None:
        variables = [Var(v.name, v.value) for v in result.variables]
        want_vars = list(expect.variables)
        if expect.sort_variables:
            variables, want_vars = sorted(variables, key=repr), sorted(want_vars, key=repr)
        if variables != want_vars:
            found.append(f"variables: expected {want_vars}, got {variables}")
    comments = {c.line: c.text.strip() for c in result.comments}
    for number, text in sorted(expect.comments.items()):
        if comments.get(number) != text:
            found.append(f"line {number}: expected comment {text!r}, got {comments.get(number)!r}")
    if expect.ok is not None and result.ok != expect.ok:
        errors = [f"{d.line}:{d.code}" for d in result.diagnostics if d.severity is Severity.ERROR]
        found.append(f"expected ok={expect.ok}, got errors {errors}")
    return found


# ---- where we differ from a peer, and why ------------------------------------------------


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


@dataclass(frozen=True)
class Ours:
    """Our result for one line, replacing the peer's; KEEP keeps the peer's outcome."""

    outcome: Outcome | _Keep = KEEP
    also: tuple[frozenset[str], ...] = ()


def ours(outcome: Outcome | _Keep = KEEP, *also: Iterable[str]) -> Ours:
    return Ours(outcome, tuple(frozenset(group) for group in also))


@dataclass(frozen=True)
class Deliberate:
    """A deliberate difference: why, and what we report instead (``None``: as the peer)."""

    reason: str
    lines: Mapping[int, Ours] = field(default_factory=dict)
    records: Sequence[Rec] | None = None
    variables: Sequence[Var] | None = None
    ok: bool | None = None

    def apply(self, expect: Expect) -> Expect:
        lines = dict(expect.lines)
        for number, mine in self.lines.items():
            peer = lines.get(number, Line(ANY))
            outcome = peer.outcome if isinstance(mine.outcome, _Keep) else mine.outcome
            lines[number] = Line(outcome, mine.also, clean=False)
        return replace(
            expect,
            lines=lines,
            records=expect.records if self.records is None else self.records,
            variables=expect.variables if self.variables is None else self.variables,
            ok=expect.ok if self.ok is None else self.ok,
        )


PERCENT: Final = (
    "Account IDs and variable values are kept exactly as written and never percent-decoded "
    "(spec digest section 3, step 6), since they must match the value used in bid requests."
)
GOOGLE_ID: Final = (
    "A google.com account ID must be 'pub-' plus 16 digits (Google's documented format, "
    "digest section 4 F2), so this line is an ADS217 error."
)
SUBDOMAIN_OK: Final = (
    "A subdomain is a valid ad-system domain unless it is a subdomain of a well-known ad "
    "system (digest section 4 F1); the peer's test intent rejects every subdomain."
)
WWW_WARNING: Final = (
    "A 'www.' ad-system domain is a warning (ADS203) that keeps the record, not an error."
)
FIELD_3: Final = (
    "Fields are positional and field 3 must be DIRECT or RESELLER (ADS210); the peer "
    "deliberately looks for the relationship in field 4 as well."
)
FIVE_FIELDS: Final = (
    "A record has at most four comma-separated fields (ADS103); the peer reads a "
    "relationship from field 4 and a certification ID from field 5."
)
NO_SYNTHESIS: Final = (
    "We report only what the file declares and synthesize no OWNERDOMAIN from the serving "
    "domain; also, google.com 'pub-1234567890' is an ADS217 error (Google's ID format)."
)
CONTACT_PROSE: Final = (
    "CONTACT is free text (ads.txt 1.1 section 3.5.1), so a value with spaces is read as "
    "prose, not as a malformed e-mail address."
)
UNKNOWN_VARIABLE: Final = (
    "Unknown variables are kept with a warning (ADS301), never an error or dropped, because "
    "the spec says more variables may be added (digest section 5)."
)
TAG_ID: Final = (
    "A certification ID that is not 16 hex digits (here the spec's own example '5jyxf8k54') "
    "gets the ADS220 warning and the record is kept; the peer only checks it is alphanumeric."
)
TRAILING_COMMA: Final = (
    "An empty fourth field left by a trailing comma is an ADS108 warning (record kept), "
    "which the peer accepts silently."
)
REPEAT_AND_TAG_ID: Final = (
    "Line 2 repeats line 1's seller with a certification ID added (ADS402) and that ID is "
    "not 16 hex digits (ADS220): both warnings, records kept; the peer reports neither."
)
TAG_ID_BODY: Final = (
    "Line 2's certification ID '5jyxf8k54' is not 16 hex digits, an ADS220 warning (record "
    "kept) that the peer does not give."
)
UNKNOWN_VARIABLE_KEPT: Final = (
    "The unknown variable 'subdomains' is kept with an ADS301 warning instead of being "
    "dropped, because the spec says more variables may be added."
)
NO_SUFFIX: Final = (
    "An ad-system domain must end in a known public suffix (ADS202); the peer does no "
    "domain validation at all."
)
EMPTY_NAME: Final = (
    "'=abc' has no variable name, so it is not a variable but an unrecognized line (ADS101)."
)
VARIABLE_SEMICOLON: Final = (
    "';' has no special meaning in a variable value (digest section 3, step 5), so it stays "
    "in the value (ADS310) instead of starting an extension."
)
UNDERSCORE: Final = (
    "Underscores are not allowed in RFC 1123 host names, so the '*_ssp.com' ad-system "
    "domains are invalid (ADS201) and their records are dropped."
)

_IAB_UNDERSCORE = Deliberate(
    UNDERSCORE, {2: ours(err({"ADS201"})), 3: ours(err({"ADS201"}))}, records=[], ok=False
)

DELIBERATE_DIFFERENCES: Final[Mapping[str, Deliberate]] = {
    # perry-mitchell-ads.txt
    "perry-mitchell-ads.txt/valid.ads.txt": Deliberate(
        PERCENT,
        {3: ours(Rec("website.org", "my%20name", "RESELLER", "fafdf38b16bf6"))},
        variables=[
            Var("CONTACT", "Jane%20Doe"),
            Var("SUBDOMAIN", "mysub.domain.com"),
            Var("TESTVAR", "value1"),
            Var("TESTVAR", "value2"),
            Var("TESTVAR", "value3"),
        ],
    ),
    **{
        f"perry-mitchell-ads.txt/inline-{n}-supports-splitting-lines-by-{ending}": Deliberate(
            PERCENT, {2: ours(Rec("website.org", "my%20name", "RESELLER", "fafdf38b16bf6"))}
        )
        for n, ending in ((1, "cr"), (2, "lf"), (3, "crlf"))
    },
    # miyaichi-adstxt-validator
    "miyaichi-adstxt-validator/00-google-com-pub-1234567890-direct": Deliberate(
        GOOGLE_ID, {1: ours(err({"ADS217"}))}
    ),
    "miyaichi-adstxt-validator/15-sub-example-com-12345-direct": Deliberate(
        SUBDOMAIN_OK, {4: ours(Rec("sub.example.com", "12345", "DIRECT"))}
    ),
    "miyaichi-adstxt-validator/23-example-com-12345-xyz-direct": Deliberate(
        FIELD_3, {1: ours(err({"ADS210"}))}
    ),
    "miyaichi-adstxt-validator/24-example-com-12345-xyz-reseller-abc123": Deliberate(
        FIVE_FIELDS, {2: ours(err({"ADS103"}))}
    ),
    "miyaichi-adstxt-validator/27-should-parse-a-complete-ads-txt-file": Deliberate(
        GOOGLE_ID,
        {2: ours(err({"ADS217"}))},
        records=[
            Rec("adnetwork.com", "abcd1234", "RESELLER", "f08c47fec0942fa0"),
            Rec("partner1.com", "12345", "DIRECT"),
            Rec("partner2.com", "67890", "RESELLER"),
        ],
    ),
    "miyaichi-adstxt-validator/28-should-parse-a-complete-ads-txt-file-with-variable": Deliberate(
        GOOGLE_ID, {4: ours(err({"ADS217"}))}
    ),
    "miyaichi-adstxt-validator/29-should-add-default-ownerdomain-when-not-specified": Deliberate(
        NO_SYNTHESIS,
        {3: ours(err({"ADS217"}))},
        variables=[Var("CONTACT", "support@example.com")],
    ),
    "miyaichi-adstxt-validator/43-sub-example-com-pub-123456789-direct-f08c47fec0942": Deliberate(
        SUBDOMAIN_OK,
        {2: ours(Rec("sub.example.com", "pub-123456789", "DIRECT", "f08c47fec0942fa0"))},
    ),
    "miyaichi-adstxt-validator/44-www-example-com-pub-123456789-direct-f08c47fec0942": Deliberate(
        WWW_WARNING,
        {
            3: ours(
                Rec("www.example.com", "pub-123456789", "DIRECT", "f08c47fec0942fa0"), {"ADS203"}
            )
        },
    ),
    "miyaichi-adstxt-validator/48-google-com-pub-123-direct-f08c47fec0942fa0-google": Deliberate(
        GOOGLE_ID, {7: ours(err({"ADS217"}))}
    ),
    "miyaichi-adstxt-validator/40-email-test-with-spaces-example-com": Deliberate(
        CONTACT_PROSE, {1: ours(KEEP)}
    ),
    # 10up-ads-txt
    "10up-ads-txt/05-invalid-var": Deliberate(
        UNKNOWN_VARIABLE, {3: ours(Var("RANDOMVAR", "subdomain.com"), {"ADS301"})}
    ),
    # tzafrirben-go-adstxt-crawler
    "tzafrirben-go-adstxt-crawler/01-parsedatarecord-greenadexchange-com-xf7342-direct-5jyxf8k54": Deliberate(
        TAG_ID, {1: ours(KEEP, {"ADS220"})}
    ),
    "tzafrirben-go-adstxt-crawler/06-parsedatarecord-advertising-com-17429-direct-video-us": Deliberate(
        TRAILING_COMMA, {1: ours(KEEP, {"ADS108"})}
    ),
    "tzafrirben-go-adstxt-crawler/10-parsedatarecord-greenadexchange-com-xf7342-direct-5jyxf8k54": Deliberate(
        TAG_ID, {1: ours(KEEP, {"ADS220"})}
    ),
    "tzafrirben-go-adstxt-crawler/14-parsevariable-notsupported-dev-example-com": Deliberate(
        UNKNOWN_VARIABLE, {1: ours(Var("NOTSUPPORTED", "dev.example.com"), {"ADS301"})}
    ),
    "tzafrirben-go-adstxt-crawler/18-parsebody-testparserecordssuccess": Deliberate(
        REPEAT_AND_TAG_ID, {2: ours(ANY, {"ADS402"}, {"ADS220"})}
    ),
    "tzafrirben-go-adstxt-crawler/19-parsebody-testparserecordsfailure-b1": Deliberate(
        TAG_ID_BODY, {2: ours(ANY, {"ADS220"})}
    ),
    "tzafrirben-go-adstxt-crawler/20-parsebody-testparserecordsfailure-b2": Deliberate(
        UNKNOWN_VARIABLE_KEPT,
        {2: ours(ANY, {"ADS220"}), 4: ours(Var("SUBDOMAINS", "dev.example.com"), {"ADS301"})},
        variables=[Var("SUBDOMAINS", "dev.example.com")],
    ),
    # suzuken-go-adstxt
    **{
        f"suzuken-go-adstxt/{n}-parserow-hoge-fuga-{rest}": Deliberate(
            NO_SUFFIX, {1: ours(err({"ADS202"}))}
        )
        for n, rest in ((11, "direct"), (12, "reseller"), (13, "direct-123456"))
    },
    # mechiru-adstxt
    "mechiru-adstxt/04-test-line-data-parse-record": Deliberate(
        NO_SUFFIX, {1: ours(err({"ADS202"}))}
    ),
    "mechiru-adstxt/16-test-parse-variable-abc-gives-empty-name": Deliberate(
        EMPTY_NAME, {1: ours(err({"ADS101"}))}
    ),
    "mechiru-adstxt/17-test-parse-variable-extension": Deliberate(
        VARIABLE_SEMICOLON, {1: ours(Var("NAME", "value ; ext-data"), {"ADS310"})}
    ),
    "mechiru-adstxt/19-test-parse-variable-extension-comment": Deliberate(
        VARIABLE_SEMICOLON, {1: ours(Var("NAME", "value ; ext-data"), {"ADS310"})}
    ),
    # iab-adstxtcrawler
    "iab-adstxtcrawler/content_blue_com_ads.txt": _IAB_UNDERSCORE,
    "iab-adstxtcrawler/mvpd_fuchsia_com_ads.txt": _IAB_UNDERSCORE,
    "iab-adstxtcrawler/mvpd_red_com_ads.txt": _IAB_UNDERSCORE,
}

#: Vectors where the library is wrong by the spec (strict xfails); empty when all are fixed.
KNOWN_BUGS: Final[Mapping[str, str]] = {}


# ---- helpers shared by the peers -------------------------------------------------------


def slug(text: str, limit: int = 50) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].rstrip("-") or "empty"


def load(folder: str, name: str) -> Any:
    return json.loads((PEERS / folder / name).read_text(encoding="utf-8"))


def case_vectors(
    folder: str, name: str, build: Callable[[int, Mapping[str, Any]], Vector | None]
) -> list[Vector]:
    """Build a vector from each entry of a peer file's ``cases`` list (none without data)."""
    if not PEERS.is_dir():
        return []
    vectors = (build(n, case) for n, case in enumerate(load(folder, name)["cases"]))
    return [vector for vector in vectors if vector is not None]


def at_line(text: str, number: int) -> str:
    """``text`` placed on line ``number`` (1-based), after blank lines."""
    return "\n" * (number - 1) + text


def body_of(text: str) -> str:
    """A line without its comment, stripped."""
    return text.split("#", 1)[0].strip()


def rec_from_fields(text: str) -> Rec:
    """The record a well-formed record line declares, as a peer without a parsed form means."""
    fields = [f.strip() for f in body_of(text).split(";", 1)[0].split(",")]
    cert = fields[3] if len(fields) > 3 else None
    return Rec(fields[0].lower(), fields[1], fields[2].upper(), cert)


def var_from_text(text: str) -> Var:
    name, _, value = body_of(text).partition("=")
    return Var(name.strip().upper(), value.strip())


def quiet_lines(text: str, numbers: Iterable[int] = ()) -> dict[int, Line]:
    """Comment and blank lines yield nothing; ``numbers`` are excluded."""
    skip = set(numbers)
    return {
        n: Line(None)
        for n, t in enumerate(text.splitlines(), start=1)
        if n not in skip and not body_of(t)
    }


def params(vectors: Iterable[Vector]) -> list[Any]:
    out = []
    for vector in vectors:
        marks = []
        if vector.id in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[vector.id]))
        if vector.skip is not None:
            marks.append(pytest.mark.skip(reason=vector.skip))
        out.append(pytest.param(vector, id=vector.id, marks=marks))
    return out


def run(vector: Vector) -> None:
    """Check one vector, honouring DELIBERATE_DIFFERENCES."""
    if vector.mode == "dumps":
        written = adstxt.dumps(vector.items)
        assert vector.pattern is not None
        assert re.search(vector.pattern, written), f"{vector.pattern!r} not in {written!r}"
        # and what we write reads back as the same records and variables
        back = adstxt.parse(written)
        assert back.records == tuple(i for i in vector.items if isinstance(i, Record))
        assert back.variables == tuple(i for i in vector.items if isinstance(i, Variable))
        return
    if vector.mode == "loads":
        if vector.expect.raises_at is None:
            adstxt.loads(vector.text)
        else:
            with pytest.raises(adstxt.AdsTxtError) as caught:
                adstxt.loads(vector.text)
            assert caught.value.lineno == vector.expect.raises_at
        return
    result = adstxt.parse(vector.text, domain=vector.domain)
    found = problems(vector.expect, result)
    deliberate = DELIBERATE_DIFFERENCES.get(vector.id)
    if deliberate is None:
        assert not found, "\n".join([f"{vector.id} differs from the peer:", *found])
        return
    assert found, (
        f"{vector.id} now agrees with the peer; remove it from DELIBERATE_DIFFERENCES "
        f"({deliberate.reason})"
    )
    mine = problems(deliberate.apply(vector.expect), result)
    assert not mine, "\n".join([f"{vector.id} differs from what we state:", *mine])


# ---- perry-mitchell-ads.txt (npm ads.txt 0.4.0) -----------------------------------------

PERRY: Final = "perry-mitchell-ads.txt"
#: Why the peer drops these lines of invalid.ads.txt (the README: 2 fields, bad type).
PERRY_DROPPED: Final = {
    "tooshort.com,something": {"ADS102"},
    "wrongvalue.org,456,UNKNOWN": {"ADS210"},
}


def perry_expect(text: str, output: Mapping[str, Any]) -> Expect:
    """Map ``{variables, fields}`` of parseAdsTxt in filter mode to lines, in file order."""
    lines = text.splitlines()
    record_lines = [n for n, t in enumerate(lines, 1) if body_of(t) and "=" not in body_of(t)]
    fields = list(output["fields"])
    expect_lines: dict[int, Line] = quiet_lines(text)
    comments: dict[int, str | None] = {}
    for number in record_lines:
        first = body_of(lines[number - 1]).split(",")[0].strip().lower()
        if fields and fields[0]["domain"].lower() == first:
            got = fields.pop(0)
            expect_lines[number] = Line(
                Rec(
                    got["domain"].lower(),  # compared case-insensitively (spec 3.3)
                    got["publisherAccountID"],
                    got["accountType"].upper(),  # case-insensitive too
                    got.get("certificateAuthorityID"),
                )
            )
            comments[number] = got.get("comment")
        else:  # filtered out by the peer
            expect_lines[number] = Line(err(PERRY_DROPPED[lines[number - 1].strip()]))
    assert not fields, f"peer fields not matched to lines: {fields}"
    variables = [
        Var(name.upper(), value)
        for name, values in output["variables"].items()
        for value in (values if isinstance(values, list) else [values])
    ]
    return Expect(expect_lines, variables=variables, sort_variables=True, comments=comments)


def perry_vectors() -> list[Vector]:
    if not PEERS.is_dir():
        return []
    spec = load(PERRY, "expected.json")
    vectors = []
    for name, data in spec["files"].items():
        text = (PEERS / PERRY / name).read_bytes().decode("utf-8")
        expect = perry_expect(text, data["peer_output_filter"])
        valid = "thrown" not in data["peer_output_throw"]
        if valid:  # "parses a valid file without error"
            expect = replace(expect, ok=True)
        vectors.append(Vector(f"{PERRY}/{name}", text, expect))
        raises_at = None
        if not valid:  # the message quotes the first bad line
            bad = re.search(r'Invalid line: "(.*)"', data["peer_output_throw"]["thrown"])
            assert bad is not None
            raises_at = text.splitlines().index(bad.group(1)) + 1
        vectors.append(
            Vector(f"{PERRY}/{name}-throw", text, Expect(raises_at=raises_at), mode="loads")
        )
    for n, case in enumerate(spec["inline_vectors"], 1):
        expect = perry_expect(case["input"], case["peer_output_filter"])
        records = [n for n, want in expect.lines.items() if isinstance(want.outcome, Rec)]
        assert len(records) == case["expect"]["fields_length"]  # the peer's assertion
        vectors.append(Vector(f"{PERRY}/inline-{n}-{slug(case['test'])}", case["input"], expect))
    for n, case in enumerate(spec["generator_vectors"], 1):
        manifest = case["manifest"]
        items: list[Record | Variable] = [
            Record(
                domain=f["domain"],
                account_id=f["publisherAccountID"],
                relationship=Relationship(f["accountType"]),
                certification_authority_id=f.get("certificateAuthorityID"),
            )
            for f in manifest.get("fields", [])
        ]
        items += [
            Variable(name=name, value=value)
            for name, values in manifest.get("variables", {}).items()
            for value in (values if isinstance(values, list) else [values])
        ]
        pattern = case.get("expect_output_matches") or re.escape(case["expect_output_contains"])
        writes_comments = (
            "header" in case
            or "footer" in case
            or any("comment" in f for f in manifest.get("fields", []))
        )
        vectors.append(
            Vector(
                f"{PERRY}/generator-{n}-{slug(case['test'])}",
                "",
                Expect(),
                mode="dumps",
                items=tuple(items),
                pattern=pattern,
                skip="adstxt.dumps writes records and variables, not comments"
                if writes_comments
                else None,
            )
        )
    return vectors


@pytest.mark.parametrize("vector", params(perry_vectors()))
def test_perry_mitchell_ads_txt(vector: Vector) -> None:
    run(vector)


# ---- miyaichi-adstxt-validator (npm adstxt-validator 1.2.10) ---------------------------

MIYAICHI: Final = "miyaichi-adstxt-validator"
MIYAICHI_ERRORS: Final = {
    "missingFields": {"ADS102"},
    # ADS101: a domain with a space, on a line of four or more words, is read as prose.
    "invalidDomain": DOMAIN_ERRORS | {"ADS101"},
    "emptyAccountId": {"ADS104"},
    "invalidRelationship": {"ADS210"},
}


def miyaichi_outcome(entry: Mapping[str, Any] | None) -> Outcome:
    """One parseAdsTxtLine / parseAdsTxtContent entry in our vocabulary."""
    if entry is None:  # a comment or a blank line
        return None
    if entry.get("is_variable"):
        return Var(entry["variable_type"], entry["value"])
    if not entry["is_valid"]:
        return err(MIYAICHI_ERRORS[entry.get("error") or entry["validation_key"]])
    return Rec(
        entry["domain"],
        entry["account_id"],
        entry["relationship"],
        entry.get("certification_authority_id") or None,
    )


def miyaichi_vector(n: int, case: Mapping[str, Any]) -> Vector:
    fn, args = case["fn"], case["args"]
    if fn == "isValidEmail":  # mapped to the CONTACT check: ADS306 for a bad address
        address = args[0]
        want = line(Var("CONTACT", address), clean=True)
        if not case["expected"]:
            want = line(Var("CONTACT", address), {"ADS306"})
        return Vector(
            f"{MIYAICHI}/{n:02d}-email-{slug(address)}", f"CONTACT={address}", Expect({1: want})
        )
    if fn == "parseAdsTxtLine":
        text, number = args
        if "MOCKED" in case["test"]:  # the test forced these results: use its intent
            outcome = miyaichi_outcome(case["expected"])
        else:
            outcome = miyaichi_outcome(case["peer_output"])
            expected = case["expected"]
            intent = expected.get("intent", "") if isinstance(expected, dict) else ""
            if "should fail" in intent and not isinstance(outcome, Err):  # print-only script
                outcome = err(DOMAIN_ERRORS)
        return Vector(
            f"{MIYAICHI}/{n:02d}-{slug(text)}",
            at_line(text, number),
            Expect({number: Line(outcome)}),
        )
    if fn == "parseAdsTxtContent":
        text = args[0]
        entries = case["peer_output"]
        lines = quiet_lines(text)
        lines.update(
            {e["line_number"]: Line(miyaichi_outcome(e)) for e in entries if e["line_number"] > 0}
        )
        variables = [Var(e["variable_type"], e["value"]) for e in entries if e.get("is_variable")]
        return Vector(
            f"{MIYAICHI}/{n:02d}-{slug(case['test'])}",
            text,
            Expect(lines, variables=variables),
            domain=args[1] if len(args) > 1 else None,
        )
    raise ValueError(f"unmapped miyaichi function {fn}")


def miyaichi_vectors() -> list[Vector]:
    return case_vectors(MIYAICHI, "vectors.json", miyaichi_vector)


@pytest.mark.parametrize("vector", params(miyaichi_vectors()))
def test_miyaichi_adstxt_validator(vector: Vector) -> None:
    run(vector)


# ---- 10up-ads-txt (WordPress plugin Ads.txt Manager 1.4.3) -----------------------------

TENUP: Final = "10up-ads-txt"
TENUP_ERRORS: Final = {
    "invalid_variable": {"ADS301"},
    "invalid_subdomain": {"ADS304"},
    "invalid_exchange": DOMAIN_ERRORS,
    "invalid_account_type": {"ADS210"},
    "invalid_record": LINE_SHAPE_ERRORS,
    "invalid_tagid": {"ADS220"},
}
TENUP_WARNINGS: Final = {"no_authorized_seller": {"ADS406"}}


def tenup_vector(n: int, case: Mapping[str, Any]) -> Vector:
    text, number, want = case["line"], case["line_number"], case["peer_output"]
    assert all(e["line"] == number for e in want["errors"])
    outcome: Outcome
    if want["errors"]:
        outcome = err(*(TENUP_ERRORS[e["type"]] for e in want["errors"]))
    elif want["is_empty_record"] or want["is_comment"]:
        outcome = None
    elif "=" in body_of(text):
        outcome = var_from_text(text)
    else:
        outcome = rec_from_fields(text)
    also = [TENUP_WARNINGS[w["type"]] for w in want["warnings"]]
    clean = not want["errors"] and not want["warnings"]
    return Vector(
        f"{TENUP}/{n:02d}-{slug(case['test'])}",
        at_line(text, number),
        Expect({number: line(outcome, *also, clean=clean)}),
    )


def tenup_vectors() -> list[Vector]:
    return case_vectors(TENUP, "validate-line-vectors.json", tenup_vector)


@pytest.mark.parametrize("vector", params(tenup_vectors()))
def test_10up_ads_txt(vector: Vector) -> None:
    run(vector)


# ---- tzafrirben-go-adstxt-crawler (Go) ----------------------------------------------------

TZAFRIRBEN: Final = "tzafrirben-go-adstxt-crawler"
#: Belong to the later fetch feature (see the module docstring).
TZAFRIRBEN_LATER: Final = frozenset({"rootDomain", "NewRequest", "vaidateAdSystemCName"})
#: The peer's warning messages, by fragment, and the codes we report for them.
TZAFRIRBEN_MESSAGES: Final = (
    ("could not parse this line", LINE_SHAPE_ERRORS),
    ("Data record must be declared as", frozenset({"ADS102", "ADS103"})),
    ("Missing type of account/relationship", frozenset({"ADS104"})),
    ("is not a valid account type", frozenset({"ADS210"})),
    ("is not a valid Variable type", frozenset({"ADS301"})),
    ("is a known exchange domain", DOMAIN_ERRORS),
    ("may not be correct as it is not alphanumeric", frozenset({"ADS220"})),
)
HIGH_SEVERITY: Final = 3  # the peer drops the line


def tzafrirben_codes(message: str) -> frozenset[str]:
    for fragment, codes in TZAFRIRBEN_MESSAGES:
        if fragment in message:
            return codes
    raise ValueError(f"unmapped tzafrirben message {message!r}")


def tzafrirben_rec(record: Mapping[str, str]) -> Rec:
    return Rec(
        record["adverterdomain"],
        record["publisheraccountid"],
        record["accountype"],
        record.get("certauthorityid") or None,
    )


def tzafrirben_line(kept: Outcome, warning: Mapping[str, Any] | None) -> Line:
    """A parsed item (``None`` when dropped) and its warning, as a line expectation."""
    if warning is None:
        return line(kept, clean=True)
    codes = tzafrirben_codes(warning["msg"])
    if kept is None:
        return line(Err((codes,)))
    return line(kept, codes)


def tzafrirben_vector(n: int, case: Mapping[str, Any]) -> Vector | None:
    fn, text = case["fn"], case["input"]
    out = case["peer_output_with_test_setup"]
    what = case["test"] if fn == "ParseBody" else text
    vid = f"{TZAFRIRBEN}/{n:02d}-{slug(fn.split('(')[0])}-{slug(what, 44)}"
    if fn in TZAFRIRBEN_LATER:
        return None
    kept: Outcome
    if fn.startswith("parseDataRecord"):  # also parseDataRecord(removeComment(input))
        kept = tzafrirben_rec(out["record"]) if out["record"] else None
        return Vector(vid, text, Expect({1: tzafrirben_line(kept, out["warning"])}))
    if fn == "parseVariable":
        variable = out["variable"]
        kept = Var(variable["type"].upper(), variable["value"]) if variable else None
        return Vector(vid, text, Expect({1: tzafrirben_line(kept, out["warning"])}))
    if fn == "removeComment":  # the comment is what removeComment removes
        comment = text[len(out) :].strip().removeprefix("#").strip()
        return Vector(vid, text, Expect(comments={1: comment}))
    if fn == "validateDomainName":  # the domain as field 1 of a record
        outcome = Rec(text.lower(), "12345", "DIRECT") if out else err(DOMAIN_ERRORS)
        return Vector(vid, f"{text}, 12345, DIRECT", Expect({1: Line(outcome)}))
    if fn == "ParseBody":
        records = out["records"]
        assert records["body"] == text.splitlines()
        warned = {w["index"]: w for w in records["warnings"]}
        lines = quiet_lines(text, warned)
        for number, source in enumerate(text.splitlines(), 1):
            if number in warned:
                w = warned[number]
                codes = tzafrirben_codes(w["msg"])
                lines[number] = line(Err((codes,)) if w["level"] >= HIGH_SEVERITY else ANY, codes)
            elif body_of(source):
                lines[number] = line(ANY, clean=True)
        return Vector(
            vid,
            text,
            Expect(
                lines,
                records=[tzafrirben_rec(r) for r in records["dataRecords"]],
                variables=[Var(v["type"].upper(), v["value"]) for v in records["variables"]],
            ),
        )
    raise ValueError(f"unmapped tzafrirben function {fn}")


def tzafrirben_vectors() -> list[Vector]:
    return case_vectors(TZAFRIRBEN, "vectors.json", tzafrirben_vector)


@pytest.mark.parametrize("vector", params(tzafrirben_vectors()))
def test_tzafrirben_go_adstxt_crawler(vector: Vector) -> None:
    run(vector)


# ---- suzuken-go-adstxt (Go, upstream and the yowcow fork) --------------------------------

SUZUKEN: Final = "suzuken-go-adstxt"
SUZUKEN_TYPES: Final = {0: "DIRECT", 1: "RESELLER"}  # 2 (AccountOther) is not a relationship


def suzuken_outcome(row: Mapping[str, Any]) -> Rec | Var | Err:
    if row.get("Variable"):
        return Var(row["Variable"]["Key"].upper(), row["Variable"]["Value"])
    record = row.get("Record", row)
    if record["AccountType"] not in SUZUKEN_TYPES:
        return err({"ADS210"})
    # ExchangeDomain is lower-cased by the peer; the extension is dropped (not compared).
    return Rec(
        record["ExchangeDomain"],
        record["PublisherAccountID"],
        SUZUKEN_TYPES[record["AccountType"]],
        record["AuthorityID"] or None,
    )


def suzuken_vector(n: int, case: Mapping[str, Any]) -> Vector:
    fn, text, want = case["fn"], case["input"], case["expected"]
    vid = f"{SUZUKEN}/{n:02d}-{slug(fn)}-{slug(text, 40)}"
    if fn == "parseRow":
        return Vector(vid, text, Expect({1: Line(suzuken_outcome(want["row"]))}))
    rows = want["records"] if fn == "Parse" else want["rows"]
    outcomes = [suzuken_outcome(row) for row in rows]
    return Vector(
        vid,
        text,
        Expect(
            records=[o for o in outcomes if isinstance(o, Rec)],
            # Parse returns records only; ParseRows returns variables as well.
            variables=None if fn == "Parse" else [o for o in outcomes if isinstance(o, Var)],
            ok=want["error"] is None,  # any malformed line makes the peer fail the whole file
        ),
    )


def suzuken_vectors() -> list[Vector]:
    return case_vectors(SUZUKEN, "vectors.json", suzuken_vector)


@pytest.mark.parametrize("vector", params(suzuken_vectors()))
def test_suzuken_go_adstxt(vector: Vector) -> None:
    run(vector)


# ---- mechiru-adstxt (Rust crate adstxt 0.1.1) --------------------------------------------

MECHIRU: Final = "mechiru-adstxt"


def mechiru_outcome(data: Mapping[str, Any]) -> Outcome:
    kind = data["kind"]
    if kind in ("comment", "empty"):
        return None
    if kind == "unknown":
        return err(LINE_SHAPE_ERRORS)
    if kind == "variable":  # the peer's variable extension is not ours: see VARIABLE_SEMICOLON
        return Var(data["name"].upper(), data["value"])
    relation = data["relation"]
    if not isinstance(relation, str):  # {"unknown": text}: not DIRECT or RESELLER
        return err({"ADS210"})
    return Rec(
        data["domain"].lower(),
        data["account_id"],
        relation,
        data["authority_id"],
        data["extension"],
    )


def mechiru_comment(data: Mapping[str, Any]) -> str | None:
    """The comment on a line, without its '#' (the peer keeps it)."""
    text = data["text"] if data["kind"] == "comment" else data.get("comment")
    return text.removeprefix("#").strip() if text else None


def mechiru_vector(n: int, case: Mapping[str, Any]) -> Vector:
    text = case["input"]
    outputs = case["peer_output_lines"]  # one per '\n'-separated line
    assert len(outputs) == len(text.split("\n"))
    lines = {number: Line(mechiru_outcome(data)) for number, data in enumerate(outputs, 1)}
    comments = {
        number: mechiru_comment(data)
        for number, data in enumerate(outputs, 1)
        if data["kind"] != "unknown"  # the peer keeps no comment apart on an unknown line
    }
    return Vector(f"{MECHIRU}/{n:02d}-{slug(case['test'])}", text, Expect(lines, comments=comments))


def mechiru_vectors() -> list[Vector]:
    return case_vectors(MECHIRU, "vectors.json", mechiru_vector)


@pytest.mark.parametrize("vector", params(mechiru_vectors()))
def test_mechiru_adstxt(vector: Vector) -> None:
    run(vector)


# ---- geronimod-ads_txt (Ruby gem ads_txt) -------------------------------------------------

GERONIMOD: Final = "geronimod-ads_txt"


def geronimod_vector(n: int, case: Mapping[str, Any]) -> Vector:
    text, out = case["input"], case["peer_output"]
    source = text.splitlines()
    # errors are the raw offending lines, without numbers or reasons
    lines = {source.index(raw) + 1: Line(Err()) for raw in out["errors"]}
    return Vector(
        f"{GERONIMOD}/{n:02d}-{slug(case['test'])}",
        text,
        Expect(
            lines,
            records=[
                Rec(
                    r["domain_name"].lower(),
                    r["publisher_account_id"],
                    r["account_type"].upper(),
                    r["certificate_authority_id"],
                )
                for r in out["data_records"]
            ],
            variables=[Var(k.upper(), v) for k, values in out["variables"].items() for v in values],
            ok=out["valid"],
        ),
    )


def geronimod_vectors() -> list[Vector]:
    return case_vectors(GERONIMOD, "vectors.json", geronimod_vector)


@pytest.mark.parametrize("vector", params(geronimod_vectors()))
def test_geronimod_ads_txt(vector: Vector) -> None:
    run(vector)


# ---- iab-adstxtcrawler (IAB reference crawler, Python 2; derived expectations) -----------

IAB: Final = "iab-adstxtcrawler"


def _as_is(text: str) -> str:
    return text


def _hyphenated(text: str) -> str:
    return text.replace("_", "-")


def iab_vectors() -> list[Vector]:
    """Each file: its rows as the crawler would store them, and the directive lines.

    The expectations are derived, not asserted (the crawler has no tests): per the fixture's
    ``for_a_spec_parser``, two DIRECT records per file, and CONTENT*DOMAIN lines that are
    unknown variables in ads.txt 1.1 (a warning at most). A second, ``-hyphenated`` vector
    per file writes '-' for '_' in the ad-system domains, to show that the underscore is the
    only difference (see UNDERSCORE).
    """
    if not PEERS.is_dir():
        return []
    spec = load(IAB, "expected.json")
    vectors = []
    for name, data in spec["files"].items():
        text = (PEERS / IAB / name).read_bytes().decode("utf-8")
        source = text.splitlines(keepends=True)
        record_lines = [n for n, t in enumerate(source, 1) if body_of(t) and "=" not in t]
        variable_lines = [n for n, t in enumerate(source, 1) if "=" in body_of(t)]
        variables = [var_from_text(source[n - 1]) for n in variable_lines]
        for variant, fix in (("", _as_is), ("-hyphenated", _hyphenated)):
            records = [
                Rec(
                    fix(row["EXCHANGE_DOMAIN"]),
                    row["SELLER_ACCOUNT_ID"],
                    row["ACCOUNT_TYPE"].upper(),
                    row["TAG_ID"] or None,
                )
                for row in data["expected_db_rows"]["adstxt"]
            ]
            lines = quiet_lines(text)
            lines.update(zip(record_lines, map(Line, records), strict=True))
            lines.update(
                (n, line(v, {"ADS301"})) for n, v in zip(variable_lines, variables, strict=True)
            )
            fixed = "".join(fix(t) if n in record_lines else t for n, t in enumerate(source, 1))
            vectors.append(
                Vector(
                    f"{IAB}/{name}{variant}",
                    fixed,
                    Expect(lines, records=records, variables=variables, ok=True),
                )
            )
    return vectors


@pytest.mark.parametrize("vector", params(iab_vectors()))
def test_iab_adstxtcrawler(vector: Vector) -> None:
    run(vector)


# ---- the registries themselves ------------------------------------------------------------


def all_vector_ids() -> set[str]:
    return {
        v.id
        for vectors in (
            perry_vectors(),
            miyaichi_vectors(),
            tenup_vectors(),
            tzafrirben_vectors(),
            suzuken_vectors(),
            mechiru_vectors(),
            geronimod_vectors(),
            iab_vectors(),
        )
        for v in vectors
    }


def test_registries_name_existing_vectors() -> None:
    """Every DELIBERATE_DIFFERENCES and KNOWN_BUGS key is a vector id (no silent typos)."""
    ids = all_vector_ids()
    assert set(DELIBERATE_DIFFERENCES) <= ids, set(DELIBERATE_DIFFERENCES) - ids
    assert set(KNOWN_BUGS) <= ids, set(KNOWN_BUGS) - ids
    assert not set(DELIBERATE_DIFFERENCES) & set(KNOWN_BUGS)
    assert all(d.reason.endswith(".") for d in DELIBERATE_DIFFERENCES.values())
