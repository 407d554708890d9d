"""The rule registry: every diagnostic code, its name, default severity and documentation.

Codes are public API. They are never renumbered or reused; a retired rule keeps its entry.
Each rule carries a failing and a passing example file, which the documentation shows and
the test suite checks (the failing example yields exactly the rule's code, plus any codes in
``also``; the passing example yields nothing at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from adstxt.diagnostics import Severity

__all__ = ["RULES", "Rule"]

FixKind = Literal["safe", "unsafe", "none"]

_GOOD = b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
# A second clean record, so that a failing example that loses its only record does not
# also report an empty file.
_OTHER = b"pubmatic.com, 156439, RESELLER, 5d62403b186f2ace\n"


@attrs.frozen
class Rule:
    """What one diagnostic code means."""

    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    spec: str
    bad: bytes
    good: bytes
    fix: FixKind = "none"
    also: tuple[str, ...] = ()
    filename: str = "ads.txt"
    domain: str | None = None
    #: For cross-check rules: the sellers.json files the examples are checked against, as
    #: (ad-system domain, file contents) pairs.
    sellers_json: tuple[tuple[str, bytes], ...] = ()
    #: The severity of a finding whose evidence is weak, when the rule has such findings.
    weak_severity: Severity | None = None

    @property
    def category(self) -> str:
        """The family the code belongs to, from its first digit."""
        return _CATEGORIES[self.code[3]]


_CATEGORIES = {
    "0": "File and encoding",
    "1": "Line shape",
    "2": "Record fields",
    "3": "Variables",
    "4": "Whole file",
    "5": "Fetching and serving",
    "6": "sellers.json",
    "7": "sellers.json cross-checks",
    "9": "Suppression comments",
}

def _sj(*sellers: str, version: str = '"1.0"', identifiers: str | None = None) -> bytes:
    """A sellers.json example: one seller per line, in the layout ad systems publish."""
    head = f'{{\n  "version": {version},\n'
    if identifiers is not None:
        head += f'  "identifiers": {identifiers},\n'
    if not sellers:
        return (head + '  "sellers": []\n}\n').encode()
    body = ",\n".join(f"    {seller}" for seller in sellers)
    return (head + '  "sellers": [\n' + body + "\n  ]\n}\n").encode()


_SELLER_1001 = (
    '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
    '"domain": "example.com"}'
)
_SJ_GOOD = _sj(_SELLER_1001)
# The sellers.json of a fictitious ad system, for the cross-check examples.
_XSSP = (("examplessp.com", _sj(
    _SELLER_1001,
    '{"seller_id": "2002", "seller_type": "INTERMEDIARY", "name": "Resale Partners", '
    '"domain": "resale.net"}',
    '{"seller_id": "3003", "seller_type": "PUBLISHER", "is_confidential": 1}',
    '{"seller_id": "AbC4", "seller_type": "BOTH", "name": "Mixed Sales", "domain": "mixed.com"}',
    '{"seller_id": "5005", "seller_type": "PUBLISHER", "name": "Other Media", '
    '"domain": "other.com"}',
    identifiers='[{"name": "TAG-ID", "value": "0123456789abcdef"}]',
)),)
_MANAGER = (("manager.com", _sj(
    '{"seller_id": "77", "seller_type": "INTERMEDIARY", "name": "Manager Sales", '
    '"domain": "manager.com"}',
    '{"seller_id": "78", "seller_type": "PUBLISHER", "name": "Example Media", '
    '"domain": "example.com"}',
    '{"seller_id": "79", "seller_type": "PUBLISHER", "name": "Someone Else", '
    '"domain": "someone-else.com"}',
)),)

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULE_LIST = [
    # ---- 0xx: file and encoding ------------------------------------------------------
    Rule(
        "ADS001", "invalid-utf8", W,
        "Bytes that are not valid UTF-8.",
        "The file is read as UTF-8. Bytes that do not decode (often a Latin-1 or Windows-1252 "
        "character saved by an old editor) are shown as U+FFFD and reported at their line "
        "with their byte offset in the file. Crawlers differ: some drop such lines, some drop "
        "the file. Re-save the file as UTF-8.",
        "ads.txt 1.1 section 3.1 (charset=utf-8 advisable)",
        b"# Caf\xe9 partners\n" + _GOOD,
        b"# Cafe partners\n" + _GOOD,
    ),
    Rule(
        "ADS002", "byte-order-mark", W,
        "A UTF-8 byte-order mark at the start of the file.",
        "Editors on Windows often write the invisible bytes EF BB BF before the first line. "
        "Tolerant crawlers strip them, strict ones see them as part of the first ad-system "
        "domain, which then no longer matches. The fix removes the mark.",
        "common mistakes observed in real files",
        b"\xef\xbb\xbf" + _GOOD,
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS003", "non-utf8-encoding", E,
        "The file is encoded as UTF-16 or UTF-32.",
        "Files saved as 'Unicode' by some editors are UTF-16. The checker decodes them so "
        "that every other rule still runs, but crawlers expect UTF-8 (or plain ASCII) and "
        "typically read such a file as garbage. The fix re-encodes the file as UTF-8.",
        "ads.txt 1.1 section 3.1",
        "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n".encode("utf-16"),
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS004", "not-ads-txt", E,
        "The file is not an ads.txt file at all (HTML, RTF, JSON, XML, PDF, binary or prose).",
        "Web servers often answer /ads.txt with an HTML error page, and word processors save "
        "RTF instead of plain text. A consumer that sees such a body ignores the whole file. "
        "Only what consumers read is examined: comments are skipped, and a file whose every "
        "non-comment line reads as a record or variable is an ads.txt file whatever it holds. "
        "This rule reports what the file looks like; the lines are still checked one by one.",
        "ads.txt 1.1 sections 3.1 and 3.4.2",
        b"<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
        _GOOD,
        also=("ADS101",),
    ),
    Rule(
        "ADS005", "empty-file", E,
        "The file declares nothing: no records and no variables.",
        "Since ads.txt 1.0.2 an empty file no longer means 'no authorized sellers': consumers "
        "ignore it, as if the site had no ads.txt. A site that authorizes nobody must say so "
        "with the placeholder record.",
        "ads.txt 1.1 section 3.2.1",
        b"# nothing here yet\n",
        _GOOD,
    ),
    Rule(
        "ADS006", "no-records", W,
        "The file has variables but no data records.",
        "Variables describe the file, records authorize sellers. A file with only variables "
        "authorizes nobody; if that is intended, add the placeholder record. A file whose "
        "variables name inventory partners is reported as ADS014 instead.",
        "ads.txt 1.1 sections 3.2.1 and 3.5",
        b"CONTACT=adops@example.com\n",
        b"CONTACT=adops@example.com\n" + _GOOD,
    ),
    Rule(
        "ADS007", "control-character", E,
        "A control character (such as NUL or ESC) in a line.",
        "Control characters have no place in a text file. They come from binary junk or "
        "broken copy and paste, change how the line is split by consumers and can hide text "
        "in a terminal. TAB is allowed as whitespace and is not reported here.",
        "ads.txt 1.1 section 3.4.2",
        b"google.com, pub-1234567890123456, DIRECT\x00, f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
    ),
    Rule(
        "ADS008", "invisible-character", E,
        "A zero-width or bidirectional-control character.",
        "Zero-width spaces and joiners make two different strings look identical, and "
        "bidirectional overrides (U+202A to U+202E, U+2066 to U+2069) reorder what a reviewer "
        "sees on screen. Either can hide or spoof a record, so they are errors wherever they "
        "appear, comments included.",
        "common mistakes observed in real files",
        "google.com, pub-1234567890123456,\u200b DIRECT, f08c47fec0942fa0\n".encode() + _OTHER,
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS009", "lookalike-character", E,
        "A character that looks like a separator but is not one (such as a fullwidth comma).",
        "Text pasted from documents or typed with an East Asian input method can carry "
        "U+FF0C FULLWIDTH COMMA or U+037E GREEK QUESTION MARK, which look like ',' and ';' "
        "but are not separators to a consumer. The fix replaces fullwidth and ideographic "
        "commas with ','.",
        "ads.txt 1.1 section 3.4.2",
        "google.com\uff0c pub-1234567890123456, DIRECT, f08c47fec0942fa0\n".encode() + _OTHER,
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS010", "unusual-whitespace", W,
        "Whitespace other than space and TAB, such as a no-break space.",
        "Rich-text editors and web pages insert U+00A0 NO-BREAK SPACE and other Unicode "
        "spaces. Some consumers do not treat them as whitespace, so the field keeps an "
        "invisible extra character. The fix replaces them with plain spaces.",
        "common mistakes observed in real files",
        "google.com, pub-1234567890123456,\u00a0DIRECT, f08c47fec0942fa0\n".encode(),
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS011", "non-ascii-character", W,
        "A non-ASCII character inside a field, such as a curly quote or a dash.",
        "Field values are ASCII in practice: domains are host names and account IDs are "
        "system identifiers. Curly quotes and typographic dashes come from word processors "
        "and make the value differ from what the ad system expects.",
        "ads.txt 1.1 section 3.4.2",
        "appnexus.com, 12\u201334, RESELLER, f5ab79cb980f11d1\n".encode(),
        b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    ),
    Rule(
        "ADS012", "line-too-long", E,
        "A line longer than 65,536 characters.",
        "Real records are well under 200 characters. A line this long is minified HTML, "
        "binary data or a file that lost its line breaks, and it is not parsed field by "
        "field.",
        "common mistakes observed in real files",
        b"google.com, pub-1234567890123456, DIRECT, " + b"f" * 70000 + b"\n" + _OTHER,
        _GOOD,
    ),
    Rule(
        "ADS013", "mixed-line-endings", INFO,
        "The file mixes line endings (LF, CRLF and CR).",
        "All three endings are valid, but mixing them usually means lines were pasted from "
        "different sources and makes diffs noisy.",
        "ads.txt 1.1 section 3.4.2",
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\r\n"
        b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
        _GOOD,
    ),
    Rule(
        "ADS014", "inventory-partners-only", INFO,
        "The file has no records, only INVENTORYPARTNERDOMAIN (and other) variables.",
        "Such a file authorizes no seller of its own: buyers follow each "
        "INVENTORYPARTNERDOMAIN to that partner's ads.txt and accept its sellers for bid "
        "requests that name the partner in inventorypartnerdomain. Every other bid request "
        "for the site finds no authorized seller. Fine for inventory that only partners "
        "sell; a site that also sells its own lists those sellers too.",
        "ads.txt 1.1 sections 3.5.1 and 5.7",
        b"INVENTORYPARTNERDOMAIN=partner-tv.com\n",
        b"INVENTORYPARTNERDOMAIN=partner-tv.com\n" + _GOOD,
    ),
    # ---- 1xx: line shape -------------------------------------------------------------
    Rule(
        "ADS101", "unrecognized-line", E,
        "A line that is neither a record, a variable, a comment nor blank.",
        "Prose, headings and template instructions must be comments, starting with '#'. "
        "Consumers skip lines they cannot parse, and some give up on the whole file.",
        "ads.txt 1.1 sections 3.2 and 3.4.1",
        b"Our advertising partners\n" + _GOOD,
        b"# Our advertising partners\n" + _GOOD,
    ),
    Rule(
        "ADS102", "too-few-fields", E,
        "A record with fewer than three comma-separated fields.",
        "A record needs the ad-system domain, the seller account ID and the relationship "
        "(DIRECT or RESELLER), in that order, separated by commas.",
        "ads.txt 1.1 section 3.4",
        b"google.com, pub-1234567890123456\n" + _OTHER,
        _GOOD,
    ),
    Rule(
        "ADS103", "too-many-fields", E,
        "A record with more than four comma-separated fields.",
        "A record has three required fields and an optional fourth. Extra fields usually "
        "mean a comment without '#', or an extension written after ',' instead of ';'.",
        "ads.txt 1.1 sections 3.4 and 3.4.3",
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0, display\n" + _OTHER,
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0; display\n",
    ),
    Rule(
        "ADS104", "empty-field", E,
        "A required field is empty.",
        "Two commas in a row leave a field empty. The domain, account ID and relationship "
        "are all required.",
        "ads.txt 1.1 section 3.4",
        b"google.com, , DIRECT, f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
    ),
    Rule(
        "ADS105", "tab-separator", W,
        "Fields separated by TABs instead of commas.",
        "The spec separates fields with commas. Some crawlers also split on TAB, others do "
        "not, so the line is read here but may be lost elsewhere. The fix writes ', '.",
        "ads.txt 1.1 section 3.4.2",
        b"google.com\tpub-1234567890123456\tDIRECT\tf08c47fec0942fa0\n",
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS106", "wrong-separator", E,
        "Fields separated by spaces, semicolons or pipes instead of commas.",
        "Only ',' separates fields; ';' starts the extension, so 'a.com;1;DIRECT' is one "
        "field followed by an extension. The line is not a usable record.",
        "ads.txt 1.1 sections 3.4.2 and 3.4.3",
        b"google.com pub-1234567890123456 DIRECT f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS107", "glued-records", E,
        "Two records on one line, with the line break between them lost.",
        "When files are concatenated without a final newline, the relationship or "
        "certification ID of one record runs into the domain of the next, as in "
        "'RESELLERwaardex.com'. Both records are lost. The fix splits the line.",
        "common mistakes observed in real files",
        b"advlion.com, 584, RESELLERwaardex.com, 99236, RESELLER\n" + _OTHER,
        b"advlion.com, 584, RESELLER\nwaardex.com, 99236, RESELLER\n",
        fix="unsafe",
    ),
    Rule(
        "ADS108", "trailing-comma", W,
        "A record that ends with a comma.",
        "A trailing comma adds an empty field. Lenient consumers ignore it, strict ones "
        "reject the line. The fix removes the comma.",
        "ads.txt 1.1 section 3.4",
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0,\n",
        _GOOD,
        fix="safe",
    ),
    # ---- 2xx: record fields ----------------------------------------------------------
    Rule(
        "ADS201", "invalid-domain", E,
        "The ad-system domain is not a valid host name (a URL, an IP address, bad characters).",
        "Field 1 must be the bare domain name of the advertising system, valid under "
        "RFC 1123: letters, digits and hyphens in dot-separated labels. URLs, paths, ports, "
        "e-mail addresses, wildcards and quotation marks (straight or curly) are not domains. "
        "Where a URL names a host unambiguously, the fix keeps only the host; a domain "
        "wrapped in quotes gets a fix that removes them.",
        "ads.txt 1.1 sections 3.3 and 3.4.2",
        b"https://google.com/, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS202", "unknown-public-suffix", E,
        "The ad-system domain does not end in a known public suffix.",
        "A domain must end in a suffix from the Public Suffix List (such as .com or "
        ".co.uk). A bare name such as 'appnexus' or a misspelt suffix cannot be resolved. "
        "Suffixes newer than the bundled list can be added in configuration.",
        "ads.txt 1.1 sections 3.1 and 3.3",
        b"appnexus, 1234, RESELLER, f5ab79cb980f11d1\n" + _OTHER,
        b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    ),
    Rule(
        "ADS203", "ad-system-subdomain", W,
        "The ad-system domain is a subdomain (such as www.) of a well-known ad system.",
        "Ad systems publish one canonical domain; buyers compare field 1 against it "
        "exactly, so 'www.google.com' does not match 'google.com'.",
        "ads.txt 1.1 section 3.3",
        b"www.google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS204", "domain-not-normalized", INFO,
        "The ad-system domain has upper-case letters or a trailing dot.",
        "Domains compare case-insensitively, so 'Google.com' works, but the lower-case form "
        "without a trailing dot is what tools and people expect to see. The fix rewrites it.",
        "ads.txt 1.1 section 3.3",
        b"Google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS205", "non-canonical-ad-system", W,
        "A known alias of an ad system is used instead of its canonical domain.",
        "Some ad systems are known under several domains (openx.net for openx.com, "
        "rubicon.com for rubiconproject.com). Buyers match the canonical one.",
        "IAB Tech Lab ads.txt normalization mappings",
        b"openx.net, 537120563, RESELLER, 6a698e2ec38604c6\n",
        b"openx.com, 537120563, RESELLER, 6a698e2ec38604c6\n",
        fix="unsafe",
    ),
    Rule(
        "ADS206", "misspelled-ad-system", W,
        "The ad-system domain is one typo away from, or reads like, a well-known ad system.",
        "Typos such as 'critero.com' or 'indexexchnage.com' silently authorize nobody, "
        "because no bid request ever comes from that domain. Plain-ASCII look-alikes are "
        "reported too: 'rn' for 'm' ('rnediamath.com'), the digit 0 for 'o', 1 for 'l'.",
        "common mistakes observed in real files",
        b"rubiconprojects.com, 12345, RESELLER, 0bfd66d529a55807\n",
        b"rubiconproject.com, 12345, RESELLER, 0bfd66d529a55807\n",
        fix="unsafe",
    ),
    Rule(
        "ADS207", "internationalized-domain", W,
        "The ad-system domain contains non-ASCII letters.",
        "Internationalized domain names must be written in their ASCII (punycode) form in "
        "protocol fields. The fix gives the punycode spelling.",
        "ads.txt 1.1 section 3.4.2 (RFC 1123 host names)",
        "b\u00fccher.de, 1234, DIRECT\n".encode(),
        b"xn--bcher-kva.de, 1234, DIRECT\n",
        fix="unsafe",
    ),
    Rule(
        "ADS208", "lookalike-ad-system", E,
        "The ad-system domain imitates a well-known one with characters from another script.",
        "A domain such as 'g\u043eogle.com' (with a Cyrillic \u043e) or its punycode "
        "form 'xn--ggle-0nda.com' reads as 'google.com' to a reviewer, but it is a "
        "different domain: buyers never match it with the real ad system, and whoever "
        "registered it may be posing as a seller. The message names the domain it imitates "
        "and each look-alike character. There is no automatic fix: find out where the line "
        "came from before changing it.",
        "ads.txt 1.1 section 3.3 (field 1 is the ad system's canonical domain); Unicode "
        "Technical Standard 39 (confusable detection)",
        "g\u043eogle.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n".encode(),
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n",
    ),
    Rule(
        "ADS210", "invalid-relationship", E,
        "Field 3 is neither DIRECT nor RESELLER.",
        "The relationship says who controls the account: DIRECT (the publisher) or "
        "RESELLER (an authorized third party). Anything else, including typos and "
        "'DIRECT/RESELLER', makes consumers drop the line.",
        "ads.txt 1.1 section 3.3",
        b"google.com, pub-1234567890123456, DIRCT, f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS211", "relationship-case", INFO,
        "DIRECT or RESELLER written in lower or mixed case.",
        "The spec reads field 3 case-insensitively, so this works, but upper case is the "
        "documented form and some strict parsers accept nothing else.",
        "ads.txt 1.1 section 3.3",
        b"google.com, pub-1234567890123456, direct, f08c47fec0942fa0\n",
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS215", "invalid-account-id", E,
        "The seller account ID contains whitespace, quotes or other characters it cannot have.",
        "Field 2 must equal the publisher ID used in bid requests and in the ad system's "
        "sellers.json. Spaces, quotation marks of any style (straight, curly, guillemets and "
        "the like) and brackets are never part of such IDs; they come from templates, word "
        "processors and copy and paste, and a record that keeps them can never match a "
        "seller. An ID wrapped in quotes or brackets, such as '<148395>', gets a fix that "
        "removes them.",
        "ads.txt 1.1 sections 3.3 and 3.4.2",
        b'appnexus.com, "1234", RESELLER, f5ab79cb980f11d1\n' + _OTHER,
        b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    fix="unsafe",
    ),
    Rule(
        "ADS216", "placeholder-account-id", E,
        "The seller account ID is template text such as 'INSERT PUBLISHER ID', or all zeros.",
        "Templates handed out by ad networks ask the publisher to replace a placeholder "
        "with their own account ID. Left as is, the line authorizes nobody. Template words "
        "count only as whole words ('INSERT', 'your_id', 'XXXX', 'YourPublisherID', "
        "'[publisher-account-id]'), so IDs such as 'yourmedia123' or 'replaced' are not "
        "mistaken for templates. An ID whose digits are all zero, such as "
        "'pub-0000000000000000', is a placeholder too.",
        "common mistakes observed in real files",
        b"appnexus.com, [your-account-id], RESELLER, f5ab79cb980f11d1\n" + _OTHER,
        b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    ),
    Rule(
        "ADS217", "invalid-google-publisher-id", E,
        "A google.com record whose account ID is not 'pub-' followed by 16 digits.",
        "Google's ads.txt guidance requires the publisher ID in the form pub-0000000000000000, "
        "without product prefixes such as 'ca-' or 'ca-video-'.",
        "Google Ad Manager help on ads.txt syntax errors (F2)",
        b"google.com, ca-pub-1234567890123456, DIRECT, f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS218", "swapped-fields", E,
        "The relationship appears in the account-ID field: fields are in the wrong order.",
        "Fields are positional: domain, account ID, relationship. A relationship word in "
        "field 2 means two fields were swapped.",
        "ads.txt 1.1 section 3.4",
        b"google.com, DIRECT, pub-1234567890123456, f08c47fec0942fa0\n" + _OTHER,
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS220", "malformed-certification-id", W,
        "The certification authority ID is not in the usual TAG-ID form of 16 hex digits.",
        "The spec defines no format for field 4, but every TAG-ID in use is 16 hexadecimal "
        "digits. Anything else is usually a truncated ID, a decorated one such as "
        "'<5d62403b186f2ace>', or a value copied from the wrong place.",
        "ads.txt 1.1 section 3.3",
        b"google.com, pub-1234567890123456, DIRECT, <f08c47fec0942fa0>\n",
        _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS221", "certification-id-case", INFO,
        "The certification authority ID has upper-case hex digits.",
        "TAG-IDs are published in lower case; most tools compare them exactly.",
        "common mistakes observed in real files",
        b"google.com, pub-1234567890123456, DIRECT, F08C47FEC0942FA0\n",
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS222", "certification-id-mismatch", W,
        "A well-known ad system listed with a certification ID other than the one observed "
        "for it in real files.",
        "Each ad system has one TAG-ID (a few have a small set). A different value is "
        "usually a typo, a truncated copy or another system's ID. The IDs compared with are "
        "not the ad systems' own statements: they were observed in a survey of real ads.txt "
        "and app-ads.txt files, and the package ships the evidence per ad system (how many "
        "surveyed files carry the ID, from how many repositories, and the share of the files "
        "giving the ad system any ID that agree; data/certification_evidence.csv, with the "
        "method in data/SOURCES.md). The finding is a warning only when that evidence is "
        "strong: an ID the spec digest ranks in its top tier, seen in at least 10 "
        "repositories and in at least 95% of the surveyed IDs for the ad system. Otherwise it "
        "is information, and the fix is offered only for a value one edit away. Ad systems "
        "whose observed IDs disagree are not checked. The TAG-ID in the ad system's own "
        "sellers.json is the authority: with --sellers-json or --fetch-sellers, a record "
        "whose field 4 was compared with it gets ADS708 (or nothing, when they agree) "
        "instead of this finding.",
        "ads.txt 1.1 section 3.3; sellers.json 1.0 identifiers",
        b"openx.com, 537120563, RESELLER, a698e2ec38604c6\n",
        b"openx.com, 537120563, RESELLER, 6a698e2ec38604c6\n",
        fix="unsafe",
        also=("ADS220",),
        weak_severity=INFO,
    ),
    # ---- 3xx: variables --------------------------------------------------------------
    Rule(
        "ADS301", "unknown-variable", W,
        "A variable name the spec does not define.",
        "ads.txt 1.1 defines CONTACT, SUBDOMAIN, INVENTORYPARTNERDOMAIN, OWNERDOMAIN and "
        "MANAGERDOMAIN. Consumers ignore other names, so a misspelt one has no effect.",
        "ads.txt 1.1 section 3.5",
        b"CONTACTS=adops@example.com\n" + _GOOD,
        b"CONTACT=adops@example.com\n" + _GOOD,
    ),
    Rule(
        "ADS302", "variable-name-case", INFO,
        "A variable name written in lower or mixed case.",
        "Names are matched case-insensitively here, as the spec's own examples mix cases, "
        "but upper case is the form every consumer understands.",
        "ads.txt 1.1 section 3.5",
        b"contact=adops@example.com\n" + _GOOD,
        b"CONTACT=adops@example.com\n" + _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS303", "space-around-equals", W,
        "Spaces around the '=' of a variable.",
        "The syntax is NAME=value with nothing around '='. Some consumers read "
        "'OWNERDOMAIN = example.com' as an unknown name 'OWNERDOMAIN '.",
        "ads.txt 1.1 section 3.5",
        b"OWNERDOMAIN = example.com\n" + _GOOD,
        b"OWNERDOMAIN=example.com\n" + _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS304", "invalid-variable-value", E,
        "A variable whose value is not what the spec requires (usually a domain).",
        "SUBDOMAIN takes a host name inside the file's root domain; OWNERDOMAIN, "
        "MANAGERDOMAIN and INVENTORYPARTNERDOMAIN take a registrable domain (public suffix "
        "plus one label), never a URL. The whole Public Suffix List counts, its private "
        "section too, so 'x.blogspot.com' is a registrable domain and 'blogspot.com' is not.",
        "ads.txt 1.1 section 3.5.1",
        b"OWNERDOMAIN=https://www.example.com/\n" + _GOOD,
        b"OWNERDOMAIN=example.com\n" + _GOOD,
        fix="unsafe",
    ),
    Rule(
        "ADS305", "invalid-country-code", E,
        "A MANAGERDOMAIN country that is not an ISO 3166-1 alpha-2 code.",
        "MANAGERDOMAIN takes an optional second part, the two-letter ISO 3166-1 code of the "
        "country the manager covers, such as 'FR'.",
        "ads.txt 1.1 section 3.5.1",
        b"MANAGERDOMAIN=manager.com, France\n" + _GOOD,
        b"MANAGERDOMAIN=manager.com, FR\n" + _GOOD,
    ),
    Rule(
        "ADS306", "invalid-contact", W,
        "A CONTACT value that is empty or a malformed e-mail address or URL.",
        "CONTACT is free text, but it is meant to reach the file's owner: an e-mail "
        "address, a URL or a phone number. A value that tries to be one of these and is "
        "malformed reaches nobody.",
        "ads.txt 1.1 section 3.5.1",
        b"CONTACT=adops@@example.com\n" + _GOOD,
        b"CONTACT=adops@example.com\n" + _GOOD,
    ),
    Rule(
        "ADS307", "repeated-variable", W,
        "OWNERDOMAIN given twice, or MANAGERDOMAIN given twice for one country.",
        "Only the first OWNERDOMAIN is used. Two MANAGERDOMAIN entries for the same country "
        "(or two without a country) cancel out: consumers treat that market as having no "
        "manager.",
        "ads.txt 1.1 section 3.5.1; ads.txt 1.1 implementation guidance",
        b"OWNERDOMAIN=example.com\nOWNERDOMAIN=example.org\n" + _GOOD,
        b"OWNERDOMAIN=example.com\n" + _GOOD,
    ),
    Rule(
        "ADS308", "duplicate-variable", INFO,
        "The same variable with the same value appears twice.",
        "Repeating a CONTACT, SUBDOMAIN or INVENTORYPARTNERDOMAIN line adds nothing. The fix "
        "deletes the later copy.",
        "ads.txt 1.1 section 3.5",
        b"CONTACT=adops@example.com\nCONTACT=adops@example.com\n" + _GOOD,
        b"CONTACT=adops@example.com\n" + _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS309", "ignored-subdomain", W,
        "A SUBDOMAIN line that consumers will ignore.",
        "SUBDOMAIN is unused in app-ads.txt. In ads.txt only the root domain's file may "
        "declare subdomains, one level down: a subdomain's own file (as given with --domain, "
        "or as fetched) cannot refer further, and a referral to the root domain itself "
        "points nowhere new.",
        "app-ads.txt 1.0; ads.txt 1.1 sections 3.5.1 and 5.5",
        b"SUBDOMAIN=sports.example.com\n" + _GOOD,
        b"CONTACT=adops@example.com\n" + _GOOD,
        filename="app-ads.txt",
    ),
    Rule(
        "ADS310", "suspicious-variable-value", INFO,
        "A variable value that contains ';' or looks cut short by a '#'.",
        "Variable values run to the end of the line; ';' has no special meaning there, and "
        "'#' starts a comment, so a URL with a fragment loses everything after it.",
        "ads.txt 1.1 sections 3.4.1 and 3.5",
        b"CONTACT=https://example.com/ads#contact\n" + _GOOD,
        b"CONTACT=https://example.com/ads/contact\n" + _GOOD,
    ),
    # ---- 4xx: whole file -------------------------------------------------------------
    Rule(
        "ADS401", "duplicate-record", W,
        "The same record appears more than once.",
        "Duplicates add nothing and make the file harder to audit; they often show that "
        "partner lists were pasted twice. The first occurrence is kept and the fix deletes "
        "the later ones.",
        "common mistakes observed in real files",
        _GOOD + _GOOD,
        _GOOD,
        fix="safe",
    ),
    Rule(
        "ADS402", "near-duplicate-record", W,
        "A record that repeats an earlier one but for letter case, a certification ID or an "
        "extension.",
        "Domains and relationships ignore case, so such lines say the same thing twice; so "
        "do two lines for one seller of which only one carries a certification ID or an "
        "extension. The fix keeps the line that says more (the one with the certification "
        "ID or the extension; of two that say as much, the first) and deletes the other; "
        "when each line has something the other lacks, there is no fix: merge them by hand. "
        "Account IDs do not ignore case: when only the account ID's case differs, one of the "
        "two is probably wrong, and there is no fix either.",
        "ads.txt 1.1 section 3.3",
        _GOOD + b"Google.com, pub-1234567890123456, direct, f08c47fec0942fa0\n",
        _GOOD,
        also=("ADS204", "ADS211"),
    fix="unsafe",
    ),
    Rule(
        "ADS403", "conflicting-relationship", W,
        "One seller account is listed as both DIRECT and RESELLER.",
        "An account is either controlled by the publisher or by someone else. Listing both "
        "is contradictory; buyers that check sellers.json will flag one of them.",
        "ads.txt 1.1 section 3.3",
        _GOOD + b"google.com, pub-1234567890123456, RESELLER, f08c47fec0942fa0\n",
        _GOOD,
    ),
    Rule(
        "ADS404", "conflicting-certification-id", W,
        "One ad system appears with different certification IDs.",
        "The certification ID identifies the ad system, not the seller, so every record of "
        "one ad system should carry the same ID.",
        "ads.txt 1.1 section 3.3",
        b"examplessp.com, 1, DIRECT, 0123456789abcdef\n"
        b"examplessp.com, 2, RESELLER, fedcba9876543210\n",
        b"examplessp.com, 1, DIRECT, 0123456789abcdef\n"
        b"examplessp.com, 2, RESELLER, 0123456789abcdef\n",
    ),
    Rule(
        "ADS405", "placeholder-with-records", W,
        "The 'no authorized sellers' placeholder record appears beside real records.",
        "The placeholder says nobody is authorized; real records say somebody is. "
        "Consumers will disagree on which to believe. Remove the placeholder.",
        "ads.txt 1.1 section 3.2.1",
        b"placeholder.example.com, placeholder, DIRECT, placeholder\n" + _GOOD,
        _GOOD,
    fix="unsafe",
    ),
    Rule(
        "ADS406", "placeholder-only", INFO,
        "The file declares that no seller is authorized.",
        "This is the spec's way to say that the site sells no programmatic inventory. "
        "Reported so that it is never a surprise.",
        "ads.txt 1.1 section 3.2.1",
        b"placeholder.example.com, placeholder, DIRECT, placeholder\n",
        _GOOD,
    ),
    Rule(
        "ADS407", "malformed-placeholder", W,
        "A placeholder record that is not written exactly as the spec gives it.",
        "The placeholder is recognized only as 'placeholder.example.com, placeholder, "
        "DIRECT, placeholder'. Any other spelling is read as an ordinary record for an ad "
        "system that does not exist.",
        "ads.txt 1.1 section 3.2.1",
        b"placeholder.example.com, placeholder, DIRECT\n",
        b"placeholder.example.com, placeholder, DIRECT, placeholder\n",
    ),
    # ---- 6xx: sellers.json -----------------------------------------------------------
    Rule(
        "ADS601", "invalid-json", E,
        "The sellers.json file is not valid JSON (a syntax error, a truncated file, HTML).",
        "Buyers decode sellers.json with a JSON parser; one stray character or a file cut "
        "short during upload makes every seller in it unreadable. The diagnostic points at "
        "the first character the parser could not accept.",
        "sellers.json 1.0 section 2; RFC 8259",
        b'{"version": "1.0", "sellers": [\n  {"seller_id": "1001", "seller_type": "PUBLISHER",\n',
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS602", "sellers-json-not-utf8", E,
        "The sellers.json file is encoded as UTF-16 or UTF-32, or has bytes that are not UTF-8.",
        "JSON exchanged between systems must be UTF-8. Files saved as 'Unicode' by some "
        "editors are UTF-16, and legacy exports can carry Latin-1 bytes in seller names. "
        "The checker decodes what it can so that every other rule still runs.",
        "RFC 8259 section 8.1",
        _SJ_GOOD.decode().encode("utf-16"),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS603", "sellers-json-bom", W,
        "The sellers.json file starts with a UTF-8 byte-order mark.",
        "JSON text must not begin with a byte-order mark. Lenient parsers skip it, strict ones "
        "(including Python's json module) reject the whole file.",
        "RFC 8259 section 8.1",
        b"\xef\xbb\xbf" + _SJ_GOOD,
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS604", "sellers-json-not-object", E,
        "The sellers.json file holds an array or a single value instead of an object.",
        "The file is one object with a 'sellers' array and a 'version'. A bare array of "
        "sellers has no version and no identifiers, and buyers reject it.",
        "sellers.json 1.0 section 4.1",
        b'[{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
        b'"domain": "example.com"}]\n',
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS605", "missing-required-field", E,
        "A required field is missing: 'sellers' or 'version' in the file, 'seller_id' or "
        "'seller_type' in a seller, 'name' or 'value' in an identifier.",
        "Without a seller_id the entry cannot be matched with ads.txt records or bid "
        "requests; without a seller_type buyers cannot tell publishers from intermediaries.",
        "sellers.json 1.0 sections 4.1 to 4.3",
        _sj('{"seller_id": "1001", "name": "Example Media", "domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS606", "wrong-json-type", E,
        "A field has the wrong JSON type, such as a number where a string belongs.",
        "Each field has one type: strings for IDs, names and domains, integers for the "
        "flags, an array for 'sellers' and 'identifiers', objects for sellers and 'ext'. "
        "Consumers written against the spec skip or reject values of another type.",
        "sellers.json 1.0 sections 4.1 to 4.3",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": ["Example Media"], '
            '"domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS607", "invalid-sellers-json-version", E,
        "The 'version' is not the string \"1.0\".",
        "sellers.json 1.0 is the only version. Files written against the pre-release draft "
        "often give the number 1.0, which strict consumers reject.",
        "sellers.json 1.0 section 4.1",
        _sj(_SELLER_1001, version="1.0"),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS608", "numeric-seller-id", W,
        "A seller_id written as a JSON number instead of a string.",
        "seller_id is a string. Numbers lose leading zeros and precision beyond 2^53, and "
        "consumers that compare strings with ads.txt field 2 may miss the seller.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": 1001, "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS609", "empty-seller-id", E,
        "A seller_id that is empty.",
        "An empty seller_id matches no ads.txt record and no bid request.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS610", "missing-seller-name", E,
        "A seller that is not confidential has no name.",
        "The name (the legal entity paid for the inventory) is required unless "
        "is_confidential is 1. Buyers use it to know whom they are paying.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS611", "missing-seller-domain", W,
        "A seller that is not confidential has no domain.",
        "The domain is required when the seller has a web presence and is not "
        "confidential; buyers compare it with the OWNERDOMAIN of the publisher's ads.txt. "
        "Only a seller without any web presence may leave it out.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS612", "invalid-seller-type", E,
        "A seller_type other than PUBLISHER, INTERMEDIARY or BOTH.",
        "seller_type says whether the seller owns the inventory (PUBLISHER), resells it "
        "(INTERMEDIARY) or both. Values from the pre-release draft (DIRECT, RESELLER) and "
        "misspellings leave buyers unable to verify ads.txt relationships.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHR", "name": "Example Media", '
            '"domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS613", "seller-type-case", INFO,
        "A seller_type written in lower or mixed case.",
        "The spec makes seller_type case-insensitive, but upper case is what every consumer "
        "expects and what the spec's own examples use.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "Publisher", "name": "Example Media", '
            '"domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS614", "invalid-flag", E,
        "is_confidential or is_passthrough is not the integer 0 or 1.",
        "Both flags are integers, 0 by default. Strings such as \"1\" and booleans such as "
        "true are read differently by different consumers.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com", "is_confidential": "0"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS615", "duplicate-seller-id", W,
        "The same seller_id appears in more than one seller entry.",
        "One seller_id must map to exactly one paid entity. With two entries, buyers cannot "
        "tell which name, domain and seller_type apply to the account.",
        "sellers.json 1.0 section 4.2",
        _sj(_SELLER_1001, '{"seller_id": "1001", "seller_type": "INTERMEDIARY", '
            '"name": "Resale Partners", "domain": "resale.net"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS616", "invalid-seller-domain", E,
        "A seller's domain is a URL, an e-mail address or not a domain name at all.",
        "The domain is the root domain of the seller's business (such as example.com), "
        "compared by buyers with the publisher's ads.txt. A URL never matches.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "https://example.com/"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS617", "seller-domain-not-root", W,
        "A seller's domain is a www. host name instead of the root domain.",
        "The domain is the business's root domain (public suffix plus one label), the same "
        "value as OWNERDOMAIN in the publisher's ads.txt, so 'www.example.com' does not "
        "match 'example.com'.",
        "sellers.json 1.0 section 4.2; ads.txt 1.1 OWNERDOMAIN",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "www.example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS618", "seller-id-whitespace", W,
        "A seller_id with spaces around it.",
        "ads.txt field 2 and bid requests carry the ID without spaces. Lenient consumers "
        "trim it, strict ones do not find the seller.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": " 1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS619", "malformed-identifier", W,
        "A TAG-ID that is not 16 hexadecimal digits, or a DUNS number that is not 9 digits.",
        "The identifiers object names the ad system's business identifiers. The TAG-ID is "
        "what ads.txt field 4 should carry, so a truncated one spreads into every ads.txt "
        "file that copies it.",
        "sellers.json 1.0 section 4.3",
        _sj(_SELLER_1001, identifiers='[{"name": "TAG-ID", "value": "0123456789abcde"}]'),
        _sj(_SELLER_1001, identifiers='[{"name": "TAG-ID", "value": "0123456789abcdef"}]'),
        filename="sellers.json",
    ),
    Rule(
        "ADS620", "draft-field", W,
        "A field of the pre-release sellers.json draft, such as 'directness'.",
        "Early files described sellers by 'directness' (DIRECT, RESELLER, BOTH). sellers.json "
        "1.0 replaced it with seller_type (PUBLISHER, INTERMEDIARY, BOTH); consumers ignore "
        "the old field.",
        "sellers.json 1.0 section 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "directness": "DIRECT", '
            '"name": "Example Media", "domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS621", "unknown-sellers-json-field", INFO,
        "A field that sellers.json 1.0 does not define.",
        "Consumers ignore unknown fields, so a misspelt one ('seller_domain') has no effect. "
        "Custom data belongs inside 'ext'.",
        "sellers.json 1.0 sections 4.1 and 4.2",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com", "sellerid": "1001"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS622", "oversized-value", W,
        "A string longer than 4,096 characters, or a value too large to check.",
        "Names, IDs and domains are short. A value this long is corrupt data, and many "
        "consumers cap field sizes and drop the entry.",
        "common mistakes observed in real files",
        _sj('{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "' + "E" * 5000
            + '", "domain": "example.com"}'),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    Rule(
        "ADS623", "empty-sellers-list", INFO,
        "The 'sellers' array is empty.",
        "A valid file, but every ads.txt record that names this ad system then points at an "
        "account that is not listed.",
        "sellers.json 1.0 section 4.1",
        _sj(),
        _SJ_GOOD,
        filename="sellers.json",
    ),
    # ---- 7xx: ads.txt records against sellers.json -----------------------------------
    Rule(
        "ADS701", "no-sellers-json", INFO,
        "An ad system has no usable sellers.json, so its records cannot be cross-checked.",
        "Every ad system listed in ads.txt should publish sellers.json at its root domain. "
        "It is missing from the sellers.json files given, or it is not valid.",
        "sellers.json 1.0 section 3; ads.txt 1.1 section 3.3",
        b"otherssp.com, 1001, DIRECT\n",
        b"examplessp.com, 1001, DIRECT\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS702", "seller-not-found", W,
        "The record's account ID is not a seller_id in the ad system's sellers.json.",
        "Buyers that check sellers.json drop inventory sold through an account the ad "
        "system does not list: a typo in field 2, a closed account, or a line copied from "
        "another site.",
        "sellers.json 1.0 section 4.2; ads.txt 1.1 section 3.3",
        b"examplessp.com, 9999, DIRECT\n",
        b"examplessp.com, 1001, DIRECT\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS703", "seller-id-case-mismatch", W,
        "The account ID matches a seller_id only when letter case is ignored.",
        "Account IDs are compared exactly; 'abc4' and 'AbC4' are different accounts to a "
        "buyer. Copy the ID exactly as the ad system lists it.",
        "ads.txt 1.1 section 3.3",
        b"examplessp.com, abc4, RESELLER\n",
        b"examplessp.com, AbC4, RESELLER\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS704", "direct-not-publisher", W,
        "A DIRECT record whose seller is an INTERMEDIARY in sellers.json.",
        "DIRECT says the publisher controls the account; the ad system says the account "
        "belongs to an intermediary. Misrepresented DIRECT lines are a known fraud pattern "
        "and buyers discount them. Use RESELLER, or the publisher's own account.",
        "ads.txt 1.1 section 3.3; sellers.json 1.0 section 4.2",
        b"examplessp.com, 2002, DIRECT\n",
        b"examplessp.com, 2002, RESELLER\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS705", "reseller-not-intermediary", W,
        "A RESELLER record whose seller is a PUBLISHER in sellers.json.",
        "RESELLER says someone else controls the account; the ad system says the account "
        "belongs to a publisher selling its own inventory. One of the two is wrong.",
        "ads.txt 1.1 section 3.3; sellers.json 1.0 section 4.2",
        b"examplessp.com, 1001, RESELLER\n",
        b"examplessp.com, 1001, DIRECT\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS706", "seller-domain-mismatch", W,
        "A DIRECT record's seller is a publisher whose domain is not this site's owner.",
        "For a DIRECT record the seller should be the site's owner: its sellers.json domain "
        "should equal OWNERDOMAIN (or the site's root domain when OWNERDOMAIN is absent) or "
        "one of the MANAGERDOMAIN values. Otherwise the account belongs to another "
        "publisher.",
        "ads.txt 1.1 implementation guidance, publisher guidance",
        b"examplessp.com, 5005, DIRECT\n",
        b"OWNERDOMAIN=other.com\nexamplessp.com, 5005, DIRECT\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS707", "confidential-seller", INFO,
        "The record's seller is confidential in sellers.json, so its identity cannot be checked.",
        "A confidential seller has no name or domain to compare with the site's owner. "
        "Buyers may treat such inventory with more caution.",
        "sellers.json 1.0 section 4.2",
        b"examplessp.com, 3003, DIRECT\n",
        b"examplessp.com, 1001, DIRECT\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS708", "certification-id-differs", W,
        "Field 4 differs from the TAG-ID in the ad system's sellers.json.",
        "Since ads.txt 1.1 the identifiers object of sellers.json is the authoritative "
        "place for the ad system's TAG-ID; field 4 should repeat it.",
        "ads.txt 1.1 section 3.3; sellers.json 1.0 section 4.3",
        b"examplessp.com, 1001, DIRECT, fedcba9876543210\n",
        b"examplessp.com, 1001, DIRECT, 0123456789abcdef\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS709", "ambiguous-seller-id", W,
        "The record's account appears more than once in the ad system's sellers.json.",
        "One seller_id must map to exactly one entity. When the ad system lists it twice, "
        "buyers cannot tell which entry the record refers to.",
        "sellers.json 1.0 section 4.2",
        b"examplessp.com, 1001, DIRECT\n",
        b"examplessp.com, 2002, RESELLER\n",
        domain="example.com",
        sellers_json=(("examplessp.com", _sj(
            _SELLER_1001, _SELLER_1001.replace("Example Media", "Example Media Ltd"),
            '{"seller_id": "2002", "seller_type": "INTERMEDIARY", "name": "Resale Partners", '
            '"domain": "resale.net"}',
        )),),
    ),
    Rule(
        "ADS710", "manager-without-sellers-json", INFO,
        "A MANAGERDOMAIN whose ad system has no usable sellers.json.",
        "The manager's sellers.json should list the publisher as a PUBLISHER under the "
        "site's OWNERDOMAIN. Without it the management relationship cannot be verified.",
        "ads.txt 1.1 section 3.5.1 and implementation guidance",
        b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\n"
        b"examplessp.com, 1001, DIRECT\n",
        b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=examplessp.com\n"
        b"examplessp.com, 1001, DIRECT\n",
        domain="example.com", sellers_json=_XSSP,
    ),
    Rule(
        "ADS711", "manager-seller-not-publisher", W,
        "A record with the manager's ad system whose seller is not a PUBLISHER there.",
        "When the manager sells through its own ad system, its sellers.json should list the "
        "publisher's account as a PUBLISHER (the inventory is the publisher's own).",
        "ads.txt 1.1 implementation guidance",
        b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 77, DIRECT\n",
        b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 78, DIRECT\n",
        domain="example.com", sellers_json=_MANAGER,
    ),
    Rule(
        "ADS712", "manager-seller-domain-mismatch", W,
        "A record with the manager's ad system whose seller's domain is not the OWNERDOMAIN.",
        "The manager's sellers.json entry for the publisher's account should carry the "
        "publisher's business domain, the OWNERDOMAIN of the site (or its root domain).",
        "ads.txt 1.1 implementation guidance",
        b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 79, DIRECT\n",
        b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 78, DIRECT\n",
        domain="example.com", sellers_json=_MANAGER,
    ),
    # ---- 9xx: suppression comments ---------------------------------------------------
    Rule(
        "ADS901", "unused-noqa", W,
        "A suppression comment that silences nothing.",
        "'# noqa' at the end of a line silences the findings on that line ('# noqa: ADS220' "
        "only that code), and '# adstxt: noqa' silences the whole file. Once the line is "
        "corrected, a comment left behind would hide the next real problem there, so a "
        "suppression that no longer silences anything (or names a code that is not a rule) "
        "is reported. The fix removes it, or keeps only the codes still in use.",
        "adstxt suppression comments (comments are ignored by consumers, ads.txt 1.1 section 3)",
        b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0 # noqa: ADS220\n",
        b"pubmatic.com, 156439, Reseller, 5d62403b186f2ace # noqa: ADS211\n",
        fix="safe",
    ),
]

# ---- 5xx: fetching and serving ---------------------------------------------------------
# These rules are about how a site serves its file, so their examples are HTTP exchanges:
# a request line, then the responses a crawler receives. The rule tests serve each example
# from real local servers and fetch it (tests/fetch_replay.py).

HTTP_EXCHANGE = "HTTP exchange"
"""The ``filename`` of rules whose examples are HTTP exchanges rather than files."""

_OK_RESPONSE = (
    b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n" + _GOOD
)


def _get(url: str, *responses: bytes) -> bytes:
    """An illustrative exchange: ``GET url`` and the response(s) it leads to."""
    return f"GET {url}\n".encode() + b"\n".join(responses)


def _fetch_rule(
    code: str, name: str, severity: Severity, summary: str, explanation: str, spec: str,
    bad: bytes, good: bytes, also: tuple[str, ...] = (),
) -> Rule:
    return Rule(code, name, severity, summary, explanation, spec, bad, good, also=also,
                filename=HTTP_EXCHANGE)


_FETCH_RULES = [
    _fetch_rule(
        "ADS501", "connection-failed", E,
        "No connection could be made, or it broke before a response arrived.",
        "The host name does not resolve, the port refuses connections, or the connection was "
        "reset. A crawler that cannot connect keeps its last good copy for a while and then "
        "drops the site's sellers.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt", b"(connection refused)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS502", "timeout", E,
        "The server did not answer, or not completely, within the time limit.",
        "Crawlers give up on slow servers. A connection that never answers and a body that "
        "trickles in forever are both stopped by the connect, read and total time limits.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt", b"(no response within 30 s)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS503", "tls-error", E,
        "The HTTPS certificate could not be verified.",
        "An expired, self-signed or wrong-host certificate makes HTTPS unusable. Crawlers "
        "then fall back to HTTP if it works, losing the protection against spoofing that "
        "HTTPS gives.",
        "ads.txt 1.1 sections 3.1 and 5.4",
        _get("https://example.com/ads.txt", b"(certificate issued for another.example)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS504", "not-found", E,
        "The file does not exist (404).",
        "A 404 means no declarations exist: the spec then holds no ad system unauthorized, "
        "so the site gets none of the protection ads.txt gives against sellers it never "
        "authorized. Buyers that require an ads.txt file may pass over its inventory, and "
        "Google drops the entries it saw before.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt", b"HTTP/1.1 404 Not Found\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS505", "restricted", E,
        "Access to the file is restricted (401).",
        "The spec reads 401 as 'restricted: contact the site for access'. Public crawlers "
        "have no credentials, so for them the file does not exist.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"staff\"\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS506", "http-error", E,
        "The server answers with a client error other than 401 and 404.",
        "A 403 (often a firewall or bot filter), 410 or 429 is an error: crawlers keep "
        "their last good copy for a while, if they have one, and then stop using it.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt", b"HTTP/1.1 403 Forbidden\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS507", "server-error", E,
        "The server answers with a 5xx error.",
        "A server error is treated like a temporary outage: crawlers keep the last good "
        "copy (Google for about five days) and then drop the entries.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt", b"HTTP/1.1 503 Service Unavailable\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS508", "non-200-success", INFO,
        "A success status other than 200.",
        "The spec says to use the content of any 2xx response, but Google asks for a "
        "200. A 203 or 206 is usually a proxy or a range request gone wrong.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 203 Non-Authoritative Information\n"
             b"Content-Type: text/plain; charset=utf-8\n\n" + _GOOD),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS509", "redirect-not-in-spec", W,
        "A 303 or 308 redirect, which the spec does not list.",
        "The spec lists 301, 302 and 307. Most crawlers follow 308 too, but some may not; "
        "a permanent move is best served as 301.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 308 Permanent Redirect\nLocation: https://www.example.com/ads.txt\n",
             _OK_RESPONSE),
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/ads.txt\n",
             _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS510", "invalid-redirect", E,
        "A redirect that cannot be followed: no Location, an invalid one, or a 3xx that "
        "is not a redirect.",
        "A 301 without a Location header, a Location that is not a URL, or a status such "
        "as 300 or 304 leaves a crawler with no file.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt", b"HTTP/1.1 301 Moved Permanently\n"),
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/ads.txt\n",
             _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS511", "redirect-after-leaving-root", E,
        "A redirect after the chain has already left the root domain.",
        "Redirects within the root domain may chain freely, and one redirect to another "
        "domain is allowed. Any redirect after that makes the file unauthoritative; Google "
        "does not crawl it.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://cdn.example.net/ads.txt\n",
             b"HTTP/1.1 302 Found\nLocation: https://files.example.org/ads.txt\n"),
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://files.example.org/ads.txt\n",
             _OK_RESPONSE),
        also=("ADS515",),
    ),
    _fetch_rule(
        "ADS512", "too-many-redirects", E,
        "More redirects than the limit (10 by default).",
        "Long chains waste crawler time and usually point at a misconfiguration. Redirect "
        "straight to the file.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 302 Found\nLocation: /ads.txt?step=1\n",
             b"HTTP/1.1 302 Found\nLocation: /ads.txt?step=2\n",
             b"(... and so on, past the limit)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS513", "redirect-loop", E,
        "The redirects come back to a URL already visited.",
        "A loop never ends in a file. It often comes from an HTTP to HTTPS rule meeting an "
        "HTTPS to HTTP rule on a proxy.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/ads.txt\n",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://example.com/ads.txt\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS514", "redirect-to-other-path", W,
        "The redirects end at a URL whose path is not /ads.txt (or /app-ads.txt).",
        "A redirect to the home page or an error page is a common way of 'not having' the "
        "file while still answering 200.",
        "common mistakes observed in real sites",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 302 Found\nLocation: https://example.com/files/sellers.txt\n",
             _OK_RESPONSE),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS515", "off-domain-delegation", INFO,
        "The file is served from another domain through the one allowed redirect.",
        "Delegating to a third party (an ad-ops provider) is allowed, but nothing may "
        "redirect again from there. Reported so that the delegation is visible. The file "
        "still speaks for the site that delegated to it: its SUBDOMAIN lines are that "
        "site's, and are followed.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 301 Moved Permanently\nLocation: https://cdn.example.net/ads.txt\n",
             _OK_RESPONSE),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS516", "wrong-content-type", E,
        "The file is not served as text/plain.",
        "The spec requires Content-Type text/plain and tells crawlers to ignore anything "
        "else. Servers often default to application/octet-stream or text/html for a .txt "
        "file that was uploaded through a CMS.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: application/octet-stream\n\n" + _GOOD),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS517", "missing-charset", INFO,
        "text/plain without a charset.",
        "Without a charset some clients guess an encoding. The spec advises "
        "'charset=utf-8'.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\n" + _GOOD),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS518", "non-utf8-charset", W,
        "The file is served with a charset other than UTF-8.",
        "The body is decoded with the declared charset, but crawlers expect UTF-8 and may "
        "misread any non-ASCII character.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=iso-8859-1\n\n" + _GOOD),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS519", "unknown-charset", W,
        "The declared charset is not a known encoding.",
        "A misspelt charset such as 'utf8mb4' or 'none' leaves each client to guess; the "
        "body is read as UTF-8.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf8mb4\n\n" + _GOOD),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS520", "body-too-large", E,
        "The body is larger than the size limit (10 MiB by default).",
        "The limit is checked while the body streams in, so an endless or huge response "
        "is cut off early. Real files are well below it; such a body is almost always a "
        "misconfigured server.",
        "ads.txt 1.1 section 3.1 (crawlers limit what they download)",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 52428800\n\n"
             b"(50 MiB of records)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS521", "decompression-bomb", E,
        "A compressed body expands past the size limit.",
        "A few kilobytes of gzip can expand to gigabytes. Decompression stops as soon as "
        "the output passes the limit.",
        "ads.txt 1.1 section 3.1 (crawlers limit what they download)",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Encoding: gzip\n\n"
             b"(20 KiB of gzip that expands to 20 MiB)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS522", "bad-content-encoding", E,
        "The body's Content-Encoding is corrupt or was not asked for.",
        "Only gzip and deflate are requested. A Brotli body sent anyway, or a truncated "
        "gzip stream, cannot be read.",
        "RFC 9110 section 8.4",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Encoding: br\n\n(Brotli)"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS523", "private-address", E,
        "The host resolves to a private, loopback, link-local or multicast address.",
        "Following such an address from a public name would let a site make the checker "
        "probe internal networks, so it is refused unless private addresses are allowed "
        "(--allow-private-addresses). Public crawlers cannot reach it either.",
        "safety of the checker",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 302 Found\nLocation: http://10.0.0.7/ads.txt\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
        also=("ADS515",),
    ),
    _fetch_rule(
        "ADS524", "unsupported-scheme", E,
        "A redirect to something other than http or https.",
        "Crawlers fetch only over HTTP and HTTPS; a redirect to ftp:, file: or a data: URL "
        "is never followed.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 302 Found\nLocation: ftp://files.example.com/ads.txt\n"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS525", "soft-404", E,
        "A web page or other non-ads.txt body served with a success status.",
        "Many sites answer every path with their home page, a 'not found' page or a bot "
        "challenge, with status 200. Crawlers treat such a response as a missing file. The "
        "body's own check reports ADS004 beside this.",
        "ads.txt 1.1 section 3.1",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n"
             b"<!DOCTYPE html><html><body>Page not found</body></html>"),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
        also=("ADS004", "ADS101"),
    ),
    _fetch_rule(
        "ADS526", "robots-blocked", W,
        "robots.txt forbids crawlers to fetch the file.",
        "Google's ads.txt crawler obeys robots.txt, and a rule as broad as 'Disallow: /ads' "
        "also blocks /ads.txt. Checked only when robots.txt checking is on.",
        "Google Ad Manager and AdSense help on ads.txt crawling",
        _get("https://example.com/robots.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\nUser-agent: *\nDisallow: /ads\n"),
        _get("https://example.com/robots.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain\n\n"
             b"User-agent: *\nDisallow: /ads/\n"),
    ),
    _fetch_rule(
        "ADS527", "http-only", W,
        "The file is available over HTTP but not over HTTPS.",
        "Crawlers prefer HTTPS and the spec recommends it against spoofing; Google asks "
        "for the file on both.",
        "ads.txt 1.1 sections 3.1 and 5.4",
        _get("https://example.com/ads.txt", b"(connection refused)\n") + b"\n"
        + _get("http://example.com/ads.txt", _OK_RESPONSE),
        _get("https://example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS528", "subdomain-without-file", INFO,
        "A SUBDOMAIN= entry points at a host with no usable file of its own.",
        "When a declared subdomain has no ads.txt, the root domain's file governs it. "
        "That may be intended; reported so that the governing file is clear.",
        "ads.txt 1.1 sections 3.1 and 5.5",
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n" + _GOOD
             + b"SUBDOMAIN=shop.example.com\n")
        + b"\n" + _get("https://shop.example.com/ads.txt", b"HTTP/1.1 404 Not Found\n"),
        _get("https://example.com/ads.txt",
             b"HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\n\n" + _GOOD
             + b"SUBDOMAIN=shop.example.com\n")
        + b"\n" + _get("https://shop.example.com/ads.txt", _OK_RESPONSE),
    ),
    _fetch_rule(
        "ADS529", "invalid-fetch-target", E,
        "What was given to fetch is not a domain under a public suffix, or not an http(s) URL.",
        "The file lives on the root domain, which is derived with the whole Public Suffix "
        "List, private section included (the root domain of 'www.alice.github.io' is "
        "'alice.github.io'); an IP address, a bare name or a made-up suffix has none. A "
        "URL to check directly must use http or https.",
        "ads.txt 1.1 section 3.1",
        b"fetch localhost\n",
        b"fetch example.com\n",
    ),
]
_RULE_LIST.extend(_FETCH_RULES)

from adstxt.schain._rules import CATEGORY as _SCHAIN, SCHAIN_RULES  # noqa: E402, I001

_CATEGORIES["8"] = _SCHAIN
_RULE_LIST.extend(SCHAIN_RULES)

RULES: Mapping[str, Rule] = {
    rule.code: rule for rule in sorted(_RULE_LIST, key=lambda rule: rule.code)
}
"""Every rule by code, in code order."""
