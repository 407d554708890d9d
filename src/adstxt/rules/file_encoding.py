"""ADS0xx, file and encoding: what the file is, how it decodes, characters that do not belong."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import GOOD, OTHER
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS001",
        name="invalid-utf8",
        severity=Severity.WARNING,
        summary="Bytes that are not valid UTF-8.",
        explanation=(
            "The file is read as UTF-8. Bytes that do not decode (often a Latin-1 or Windows-1252 "
            "character saved by an old editor) are shown as U+FFFD and reported at their line "
            "with their byte offset in the file. Crawlers differ: some drop such lines, some drop "
            "the file. Re-save the file as UTF-8."
        ),
        spec="ads.txt 1.1 section 3.1 (charset=utf-8 advisable)",
        bad=b"# Caf\xe9 partners\n" + GOOD,
        good=b"# Cafe partners\n" + GOOD,
    ),
    Rule(
        code="ADS002",
        name="byte-order-mark",
        severity=Severity.WARNING,
        summary="A UTF-8 byte-order mark at the start of the file.",
        explanation=(
            "Editors on Windows often write the invisible bytes EF BB BF before the first line. "
            "Tolerant crawlers strip them, strict ones see them as part of the first ad-system "
            "domain, which then no longer matches. The fix removes the mark."
        ),
        spec="common mistakes observed in real files",
        bad=b"\xef\xbb\xbf" + GOOD,
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS003",
        name="non-utf8-encoding",
        severity=Severity.ERROR,
        summary="The file is encoded as UTF-16 or UTF-32.",
        explanation=(
            "Files saved as 'Unicode' by some editors are UTF-16. The checker decodes them so "
            "that every other rule still runs, but crawlers expect UTF-8 (or plain ASCII) and "
            "typically read such a file as garbage. The fix re-encodes the file as UTF-8."
        ),
        spec="ads.txt 1.1 section 3.1",
        bad="google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n".encode("utf-16"),
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS004",
        name="not-ads-txt",
        severity=Severity.ERROR,
        summary=(
            "The file is not an ads.txt file at all (HTML, RTF, JSON, XML, PDF, binary or prose)."
        ),
        explanation=(
            "Web servers often answer /ads.txt with an HTML error page, and word processors save "
            "RTF instead of plain text. A consumer that sees such a body ignores the whole file. "
            "Only what consumers read is examined: comments are skipped, and a file whose every "
            "non-comment line reads as a record or variable is an ads.txt file whatever it holds. "
            "This rule reports what the file looks like; the lines are still checked one by one."
        ),
        spec="ads.txt 1.1 sections 3.1 and 3.4.2",
        bad=b"<!DOCTYPE html>\n<html><body>Not found</body></html>\n",
        good=GOOD,
        also=("ADS101",),
    ),
    Rule(
        code="ADS005",
        name="empty-file",
        severity=Severity.ERROR,
        summary="The file declares nothing: no records and no variables.",
        explanation=(
            "Since ads.txt 1.0.2 an empty file no longer means 'no authorized sellers': consumers "
            "ignore it, as if the site had no ads.txt. A site that authorizes nobody must say so "
            "with the placeholder record."
        ),
        spec="ads.txt 1.1 section 3.2.1",
        bad=b"# nothing here yet\n",
        good=GOOD,
    ),
    Rule(
        code="ADS006",
        name="no-records",
        severity=Severity.WARNING,
        summary="The file has variables but no data records.",
        explanation=(
            "Variables describe the file, records authorize sellers. A file with only variables "
            "authorizes nobody; if that is intended, add the placeholder record. A file whose "
            "variables name inventory partners is reported as ADS014 instead."
        ),
        spec="ads.txt 1.1 sections 3.2.1 and 3.5",
        bad=b"CONTACT=adops@example.com\n",
        good=b"CONTACT=adops@example.com\n" + GOOD,
    ),
    Rule(
        code="ADS007",
        name="control-character",
        severity=Severity.ERROR,
        summary="A control character (such as NUL or ESC) in a line.",
        explanation=(
            "Control characters have no place in a text file. They come from binary junk or "
            "broken copy and paste, change how the line is split by consumers and can hide text "
            "in a terminal. TAB is allowed as whitespace and is not reported here."
        ),
        spec="ads.txt 1.1 section 3.4.2",
        bad=b"google.com, pub-1234567890123456, DIRECT\x00, f08c47fec0942fa0\n" + OTHER,
        good=GOOD,
    ),
    Rule(
        code="ADS008",
        name="invisible-character",
        severity=Severity.ERROR,
        summary="A zero-width or bidirectional-control character.",
        explanation=(
            "Zero-width spaces and joiners make two different strings look identical, and "
            "bidirectional overrides (U+202A to U+202E, U+2066 to U+2069) reorder what a reviewer "
            "sees on screen. Either can hide or spoof a record, so they are errors wherever they "
            "appear, comments included."
        ),
        spec="common mistakes observed in real files",
        bad="google.com, pub-1234567890123456,\u200b DIRECT, f08c47fec0942fa0\n".encode() + OTHER,
        good=GOOD,
        fix="unsafe",
    ),
    Rule(
        code="ADS009",
        name="lookalike-character",
        severity=Severity.ERROR,
        summary=(
            "A character that looks like a separator but is not one (such as a fullwidth comma)."
        ),
        explanation=(
            "Text pasted from documents or typed with an East Asian input method can carry "
            "U+FF0C FULLWIDTH COMMA or U+037E GREEK QUESTION MARK, which look like ',' and ';' "
            "but are not separators to a consumer. The fix replaces fullwidth and ideographic "
            "commas with ','."
        ),
        spec="ads.txt 1.1 section 3.4.2",
        bad="google.com\uff0c pub-1234567890123456, DIRECT, f08c47fec0942fa0\n".encode() + OTHER,
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS010",
        name="unusual-whitespace",
        severity=Severity.WARNING,
        summary="Whitespace other than space and TAB, such as a no-break space.",
        explanation=(
            "Rich-text editors and web pages insert U+00A0 NO-BREAK SPACE and other Unicode "
            "spaces. Some consumers do not treat them as whitespace, so the field keeps an "
            "invisible extra character. The fix replaces them with plain spaces."
        ),
        spec="common mistakes observed in real files",
        bad="google.com, pub-1234567890123456,\u00a0DIRECT, f08c47fec0942fa0\n".encode(),
        good=GOOD,
        fix="safe",
    ),
    Rule(
        code="ADS011",
        name="non-ascii-character",
        severity=Severity.WARNING,
        summary="A non-ASCII character inside a field, such as a curly quote or a dash.",
        explanation=(
            "Field values are ASCII in practice: domains are host names and account IDs are "
            "system identifiers. Curly quotes and typographic dashes come from word processors "
            "and make the value differ from what the ad system expects."
        ),
        spec="ads.txt 1.1 section 3.4.2",
        bad="appnexus.com, 12\u201334, RESELLER, f5ab79cb980f11d1\n".encode(),
        good=b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n",
    ),
    Rule(
        code="ADS012",
        name="line-too-long",
        severity=Severity.ERROR,
        summary="A line longer than 65,536 characters.",
        explanation=(
            "Real records are well under 200 characters. A line this long is minified HTML, "
            "binary data or a file that lost its line breaks, and it is not parsed field by "
            "field."
        ),
        spec="common mistakes observed in real files",
        bad=b"google.com, pub-1234567890123456, DIRECT, " + b"f" * 70000 + b"\n" + OTHER,
        good=GOOD,
    ),
    Rule(
        code="ADS013",
        name="mixed-line-endings",
        severity=Severity.INFO,
        summary="The file mixes line endings (LF, CRLF and CR).",
        explanation=(
            "All three endings are valid, but mixing them usually means lines were pasted from "
            "different sources and makes diffs noisy."
        ),
        spec="ads.txt 1.1 section 3.4.2",
        bad=(
            b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\r\n"
            b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d1\n"
        ),
        good=GOOD,
    ),
    Rule(
        code="ADS014",
        name="inventory-partners-only",
        severity=Severity.INFO,
        summary="The file has no records, only INVENTORYPARTNERDOMAIN (and other) variables.",
        explanation=(
            "Such a file authorizes no seller of its own: buyers follow each "
            "INVENTORYPARTNERDOMAIN to that partner's ads.txt and accept its sellers for bid "
            "requests that name the partner in inventorypartnerdomain. Every other bid request "
            "for the site finds no authorized seller. Fine for inventory that only partners "
            "sell; a site that also sells its own lists those sellers too."
        ),
        spec="ads.txt 1.1 sections 3.5.1 and 5.7",
        bad=b"INVENTORYPARTNERDOMAIN=partner-tv.com\n",
        good=b"INVENTORYPARTNERDOMAIN=partner-tv.com\n" + GOOD,
    ),
]
