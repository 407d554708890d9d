"""The check pipeline: one decode, diffs built from the edits made, streamed checking."""

from __future__ import annotations

import difflib
import io
import json
import random
import tracemalloc
from pathlib import Path

import pytest

import adstxt
from adstxt import _decode
from adstxt._diff import _shown, unified_diff
from adstxt._engine_choice import MAX_LINE
from adstxt._lint import lint, lint_stream, scan_suppressions
from adstxt._report import FileReport, Spooled, Style, Writer, render, renderer
from adstxt._suppress import might_suppress
from adstxt._text import Text
from adstxt.cli import main

RECORDS = [
    "mgid.com, 749656, DIRECT\n",
    "openx.com, 1, direct\n",
    "# comment\n",
    "\n",
    "MGID.com , 749656 , DIRECT\n",
    "openx.com, 1, DIRECT\n",
    "a.com,1,DIRECT,\n",
    "pubmatic.com, 7, RESELLER\r\n",
    "x.com, 2, RESELLER # noqa\n",
    "\u00a0b.com, 3, DIRECT\n",
    "appnexus.com, 2, RESELLER\n",
    "appnexus.com, 2, RESELLER\n",
    "contact=a@b.com\n",
    "CONTACT=a@b.com\n",
    "placeholder.example.com, placeholder, DIRECT, placeholder\n",
    "# adstxt: noqa: ADS402\n",
    "inventorypartnerdomain=partner.com\n",
    "ownerdomain=a.com\n",
    "ownerdomain=b.com\n",
    "c.com, 4, DIRECT",
]


def _random_file(rng: random.Random, lines: int) -> bytes:
    text = "".join(rng.choice(RECORDS) for _ in range(lines))
    data = text.encode()
    if rng.random() < 0.1:
        data = b"\xef\xbb\xbf" + data
    return data


def _difflib_diff(name: str, before: Text, after: Text) -> str:
    """The diff as a whole-file comparison gives it."""

    def shown(text: Text) -> list[str]:
        return [_shown(body, ending) for body, ending in zip(text.lines, text.endings, strict=True)]

    def label(text: Text) -> str:
        return text.encoding.upper() + (" with a byte-order mark" if text.bom else "")

    body = "".join(difflib.unified_diff(shown(before), shown(after), n=3))
    body = body.split("\n", 2)[2] if body else ""
    return f"--- {name}\t({label(before)})\n+++ {name}\t({label(after)})\n" + body


def test_a_file_is_decoded_once_and_shared() -> None:
    text = Text.from_bytes(b"\xef\xbb\xbfmgid.com, 749656, DIRECT\r\nopenx.com, 1, DIRECT")
    assert (text.bom, text.encoding, text.document[0]) == (True, "utf-8", "\ufeff")
    assert text.lines == ["mgid.com, 749656, DIRECT", "openx.com, 1, DIRECT"]
    assert text.endings == ["\r\n", ""]
    assert text.starts == [1, 27, len(text.document)]
    assert text.lines is text.lines  # worked out once
    assert lint(text) == lint(text.encode())
    assert adstxt.check(text) == adstxt.check(text.encode())


def test_undecodable_bytes_keep_their_offsets_and_come_back_unchanged() -> None:
    data = b"# caf\xe9\nmgid.com, 749656, DIRECT\n"
    text = Text.from_bytes(data)
    assert text.invalid and text.encode() == data
    assert text.byte_offsets() == [0, 7]


def test_fixing_checks_the_fixed_file_once_and_says_what_it_found() -> None:
    data = b"mgid.com, 749656, direct\nmgid.com, 749656, DIRECT\nopenx.com, 1, DIRECT\n"
    result = adstxt.apply_fixes(data)
    assert result.data == b"mgid.com, 749656, DIRECT\nopenx.com, 1, DIRECT\n"
    assert result.remaining is not None
    assert list(result.remaining) == adstxt.lint(result.data)
    assert result.first is not None and list(result.first) == adstxt.lint(data)


def test_removing_the_byte_order_mark_is_an_edit_of_the_first_character() -> None:
    result = adstxt.apply_fixes(b"\xef\xbb\xbfmgid.com, 749656, DIRECT\n")
    assert result.data == b"mgid.com, 749656, DIRECT\n"
    assert [d.code for d in result.applied] == ["ADS002"]
    assert result.passes[0] == ((0, 1, 0, 0),)
    assert result.before is not None and result.after is not None
    # The mark is in no line: the diff names it in its header and shows no change.
    assert unified_diff("ads.txt", result.before, result.after, result.passes) == (
        "--- ads.txt\t(UTF-8 with a byte-order mark)\n+++ ads.txt\t(UTF-8)\n"
    )


def test_a_utf16_file_with_a_byte_order_mark_is_re_encoded_without_it() -> None:
    data = "mgid.com, 749656, direct\n".encode("utf-16")
    result = adstxt.apply_fixes(data)
    assert result.data == b"mgid.com, 749656, DIRECT\n"
    assert {d.code for d in result.applied} == {"ADS003", "ADS211"}


@pytest.mark.parametrize("seed", range(6))
def test_the_diff_of_the_edits_is_a_patch_of_the_whole_file(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        data = _random_file(rng, rng.randint(1, 60))
        result = adstxt.apply_fixes(data, unsafe=rng.random() < 0.5)
        if not result.changed:
            continue
        assert result.before is not None and result.after is not None
        diff = unified_diff("f", result.before, result.after, result.passes)
        old = [
            _shown(b, e) for b, e in zip(result.before.lines, result.before.endings, strict=True)
        ]
        new = [_shown(b, e) for b, e in zip(result.after.lines, result.after.endings, strict=True)]
        assert _patched(old, diff) == new


def _patched(old: list[str], diff: str) -> list[str]:
    """``old`` with the hunks of ``diff`` applied, as patch(1) would."""
    out: list[str] = []
    at = 0
    last = ""
    for line in diff.splitlines(keepends=True)[2:]:
        if line.startswith("@@"):
            start, _, count = line.split()[1][1:].partition(",")
            first = int(start) if count == "0" else int(start) - 1
            out.extend(old[at:first])
            at = first
        elif line.startswith("\\"):
            if last == "+":
                out[-1] += line  # the added line has no line ending
        elif line[0] == " ":
            out.append(old[at])
            at += 1
        elif line[0] == "-":
            at += 1
        else:
            out.append(line[1:])
        last = line[0]
    return out + old[at:]


def test_the_diff_is_the_one_a_whole_file_comparison_gives_for_scattered_edits() -> None:
    lines = [f"openx.com, {n}, DIRECT\n" for n in range(3000)]
    for n in range(5, 3000, 97):
        lines[n] = lines[n].replace("DIRECT", "direct")
    for n in range(50, 3000, 501):
        lines.insert(n, f"openx.com, {n}, DIRECT\n".replace(",", " ,", 1))
    for n in range(2000, 2003):
        lines.insert(n, "\n")  # in a run of blank lines, one is deleted...
    lines.insert(2003, "openx.com, 2003, DIRECT\n")
    data = "".join(lines).encode()
    result = adstxt.apply_fixes(data, unsafe=True)
    assert result.before is not None and result.after is not None
    assert unified_diff("ads.txt", result.before, result.after, result.passes) == (
        _difflib_diff("ads.txt", result.before, result.after)
    )


def test_the_diff_shows_the_repeat_removed_not_the_first_record() -> None:
    data = b"".join(b"openx.com, %d, DIRECT\n" % n for n in range(30))
    data += b"openx.com, 29, DIRECT\n" + b"".join(
        b"openx.com, %d, DIRECT\n" % n for n in range(30, 60)
    )
    result = adstxt.apply_fixes(data)
    assert result.before is not None and result.after is not None
    diff = unified_diff("ads.txt", result.before, result.after, result.passes)
    assert "@@ -28,7 +28,6 @@\n" in diff
    assert " openx.com, 29, DIRECT\n-openx.com, 29, DIRECT\n" in diff


def test_cli_diff_and_fix_check_each_version_once(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ads.txt"
    path.write_bytes(b"mgid.com, 749656, direct\nopenx.com, 1, DIRECT\n")
    assert main(["--diff", str(path)]) == 1
    out = capsys.readouterr()
    assert "-mgid.com, 749656, direct\n+mgid.com, 749656, DIRECT\n" in out.out
    assert "1 fix would be applied to 1 file." in out.err
    assert main(["--fix", str(path)]) == 1
    assert path.read_bytes() == b"mgid.com, 749656, DIRECT\nopenx.com, 1, DIRECT\n"
    assert "Checked 1 file: 0 errors, 0 warnings, 0 info; fixed 1 problem." in (
        capsys.readouterr().out
    )


def test_the_suppression_pre_check_is_cheap_and_still_case_blind() -> None:
    assert might_suppress("a.com, 1, DIRECT # NoQa")
    assert might_suppress("a.com, 1, DIRECT # noqa")
    assert not might_suppress("a.com, 1, DIRECT noqa")  # no comment, no suppression
    assert not might_suppress("a.com, 1, DIRECT # quality")
    assert might_suppress(b"a.com # NOQA")
    assert might_suppress("# x\n".encode("utf-16-le"))  # NUL bytes: decoded to be sure
    # Bytes: no q at all answers at once; any spelling of the word is still found.
    assert not might_suppress(b"a.com, 1, DIRECT # no suppression here\n")
    assert might_suppress(b"a.com, 1, DIRECT # nOqA\n")
    assert might_suppress(b"a.com, 1, DIRECT # NoQA: ADS101\n")
    assert not might_suppress(b"a.com, 1, DIRECT # quality noq a\n")


def _streamed(
    data: bytes, chunk_size: int, **options: object
) -> list[tuple[adstxt.Diagnostic, str]]:
    stream = io.BytesIO(data)
    suppressions = scan_suppressions(stream, chunk_size)
    stream.seek(0)
    in_order: list[tuple[adstxt.Diagnostic, str]] = []
    late: list[tuple[adstxt.Diagnostic, str]] = []
    for is_late, items in lint_stream(
        stream,
        suppressions=suppressions,
        chunk_size=chunk_size,
        reread=lambda: io.BytesIO(data),
        **options,  # type: ignore[arg-type]
    ):
        (late if is_late else in_order).extend(items)
    return sorted(in_order + late, key=lambda item: item[0].sort_key())


STREAM_CASES = {
    "whole-file suppression at the end": b"a.com, 1, DIRECT\na.com, 1, DIRECT\n"
    + b"b.com, 2, DIRECT\n" * 50
    + b"# adstxt: noqa: ADS401\n",
    "unused suppressions": b"a.com, 1, DIRECT # noqa\n# adstxt: noqa: ADS999\n",
    "placeholder among records": b"a.com, 1, DIRECT\n" * 20
    + b"placeholder.example.com, placeholder, DIRECT, placeholder\n",
    "mixed line endings": b"a.com, 1, DIRECT\n" * 30 + b"b.com, 2, DIRECT\r\nc.com, 3, DIRECT\r",
    "prose": b"Hello there, this is not an ads file.\nIt is prose.\nReally, it is.\n",
    "variables only": b"inventorypartnerdomain=one.com\n" * 3
    + b"".join(b"inventorypartnerdomain=p%d.com\n" % n for n in range(8)),
    "overlong line": b"a.com, 1, DIRECT\n" + b"x" * (MAX_LINE + 5000) + b"\nb.com, 2, DIRECT\n",
    "utf-16": "mgid.com, 749656, direct\n# noqa\n".encode("utf-16"),
    "invalid utf-8": b"a.com, 1, DIRECT\n# caf\xe9\nb.com\xff, 2, DIRECT\n",
    "empty": b"",
}


@pytest.mark.parametrize("name", list(STREAM_CASES))
@pytest.mark.parametrize("chunk_size", [5, 64, 1 << 20])
def test_a_streamed_check_finds_what_the_whole_file_check_finds(name: str, chunk_size: int) -> None:
    data = STREAM_CASES[name]
    items = _streamed(data, chunk_size)
    assert [d for d, _ in items] == lint(data)
    text = Text.from_bytes(data)
    assert [line for _, line in items] == [text.line(d.line)[: MAX_LINE + 1] for d in lint(data)]


@pytest.mark.parametrize("seed", range(4))
def test_streamed_and_whole_file_checks_agree_on_random_files(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        data = _random_file(rng, rng.randint(0, 80))
        assert [d for d, _ in _streamed(data, rng.choice([3, 50, 400]))] == lint(data)


def test_the_output_formats_write_the_documents_they_always_wrote(tmp_path: Path) -> None:
    data = b"mgid.com, 749656, direct\nmgid.com, 749656, direct\nbad line\n"
    report = FileReport("ads.txt", lint(data), data)
    json_out = render([report], "json", Style())
    assert json.loads(json_out)[0]["code"] == lint(data)[0].code
    assert json_out == json.dumps(json.loads(json_out), indent=2, ensure_ascii=True) + "\n"
    sarif = render([report], "sarif", Style())
    assert sarif == json.dumps(json.loads(sarif), indent=2, ensure_ascii=True) + "\n"
    empty = FileReport("ads.txt", [], b"")
    assert render([empty], "json", Style()) == "[]\n"
    assert json.loads(render([empty], "sarif", Style()))["runs"][0]["results"] == []
    with pytest.raises(ValueError, match="unknown output format"):
        Writer(io.StringIO(), "xml", Style())


@pytest.mark.parametrize("hold", [5, Spooled.HOLD])
@pytest.mark.parametrize("output_format", ["concise", "full", "json", "github", "sarif"])
def test_the_cli_streams_files_and_reports_them_as_before(
    tmp_path: Path,
    output_format: str,
    hold: int,
    capsys,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(Spooled, "HOLD", hold)  # 5: the findings go to disk
    rng = random.Random(7)
    paths = []
    for n in range(2):
        path = tmp_path / f"site{n}" / "ads.txt"
        path.parent.mkdir()
        path.write_bytes(_random_file(rng, 200))
        paths.append(path)
    status = main(["--output-format", output_format, "--isolated", *map(str, paths)])
    streamed = capsys.readouterr().out
    reports = [FileReport(str(p), lint(p.read_bytes()), p.read_bytes()) for p in paths]
    expected = render(reports, output_format, Style())
    assert streamed.startswith(expected)
    worst = max(d.severity.rank for r in reports for d in r.diagnostics)
    assert status == (1 if worst >= adstxt.Severity.ERROR.rank else 0)


def test_a_streamed_check_keeps_memory_bounded() -> None:
    """Memory of the check does not grow with the file: 4x the lines, about the same peak."""

    def peak(lines: int) -> int:
        # Sellers repeat, so the checker remembers few: what grows is only the findings.
        body = "".join(f"openx.com, {n % 500}, DIRECT\n" for n in range(lines)).encode()
        tracemalloc.start()
        try:
            for _ in lint_stream(io.BytesIO(body), chunk_size=1 << 16):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(20_000), peak(80_000)
    assert large < small * 2.5, (small, large)


def test_iter_decoded_lines_reports_the_length_of_cut_lines() -> None:
    data = b"short\n" + b"y" * (MAX_LINE + 100) + b"\nend"
    lengths: dict[int, int] = {}
    stream = io.BytesIO(data)
    lines = [
        line
        for batch, _, _ in _decode.iter_decoded_lines(
            stream, stream.read(1000), "utf-8", MAX_LINE, 1000, 0, lengths
        )
        for line in batch
    ]
    assert [len(line) for line in lines] == [5, MAX_LINE + 1, 3]
    assert lengths == {2: MAX_LINE + 100}


def test_json_and_sarif_are_laid_out_as_the_json_module_lays_them_out() -> None:
    """The documents are written field by field; they read as ``json.dumps`` writes them,
    for the findings of every rule's example (hints, fixes, escapes, file names)."""
    from adstxt.rules import RULES

    reports = [
        FileReport(f"dir/é {rule.code}.txt", lint(rule.bad), rule.bad)
        for rule in RULES.values()
        if isinstance(rule.bad, (str, bytes)) and rule.filename.endswith("ads.txt")
    ]
    assert sum(len(report.diagnostics) for report in reports) > 50
    for output_format in ("json", "sarif"):
        out = render(reports, output_format, Style())
        assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=True) + "\n"


def test_a_file_that_cannot_be_read_twice_is_checked_whole(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import os
    import threading

    fifo = tmp_path / "ads.txt"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as writer:
            writer.write(b"mgid.com, 749656, direct\n")

    thread = threading.Thread(target=feed)
    thread.start()
    status = main(["--isolated", str(fifo)])
    thread.join()
    assert status == 0
    assert f"{fifo}:1:19: ADS211" in capsys.readouterr().out


@pytest.mark.parametrize("hold", [3, Spooled.HOLD])
@pytest.mark.parametrize("output_format", ["concise", "full", "json", "github", "sarif"])
def test_late_findings_are_placed_among_spooled_batches_by_position(
    output_format: str,
    hold: int,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    """Findings known only at the end of a file land where their position puts them: before
    the first batch, inside a batch kept on disk (rendered or not), between two batches."""
    monkeypatch.setattr(Spooled, "HOLD", hold)
    rng = random.Random(11)
    data = _random_file(rng, 120)
    found = lint(data)
    report = FileReport("site/ads.txt", found, data)
    expected = render([report], output_format, Style())
    items = [(d, report.line(d.line)) for d in found]
    late = items[::7]  # every seventh finding arrives last; the rest in batches of four
    early = [item for item in items if item not in late]
    assert late and len(early) > 3 * 4
    style = Style()
    spool = Spooled(renderer(output_format, style, "site/ads.txt"))
    for start in range(0, len(early), 4):
        spool.add(early[start : start + 4])
    spool.finish(late)
    assert len(spool) == len(found)
    out = io.StringIO()
    fired = {d.code for d in found}
    writer = Writer(out, output_format, style, fired)
    spool.write_to(writer, "site/ads.txt")
    writer.close()
    spool.close()
    assert out.getvalue() == expected


def test_a_spool_of_rendered_findings_does_not_give_them_back() -> None:
    spool = Spooled(renderer("concise", Style(), "ads.txt"))
    with pytest.raises(TypeError, match="cannot give them back"):
        list(spool)
