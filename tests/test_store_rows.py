"""How the store writes a body's records and findings: the same JSON, written in C with the
compiled checker and with :mod:`json` otherwise (``adstxt.store._findings``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import adstxt
from adstxt import _engine_choice
from adstxt.model import ParseResult
from adstxt.store import _findings
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


def _by_json(result: ParseResult) -> tuple[str, str]:
    """What the records and findings are as json writes them."""
    records = [
        [
            r.line,
            r.domain,
            r.account_id,
            r.relationship.value,
            r.certification_authority_id,
            r.extension,
        ]
        for r in result.records
    ]
    findings = [
        [d.line, d.column, d.end_column, d.code, d.severity.value, d.message, d.hint]
        for d in result.diagnostics
    ]
    return _findings.compact_json(records), _findings.compact_json(findings)


def _written(result: ParseResult) -> tuple[str, str]:
    return _findings.encode_records(result.records), _findings.encode_findings(result.diagnostics)


def _samples() -> list[bytes]:
    files = [ROOT / "examples" / "ads.txt", ROOT / "examples" / "broken-ads.txt"]
    made = [
        b'a.com, "quoted"\\back, DIRECT, \t tab\x01 ; ext "x"\n',
        "é.com, ñ-1, RESELLER, 😀\n# comment\nCONTACT=x\n".encode(),
        b"\xff\xfe" + "a.com, 1, DIRECT\n".encode("utf-16-le"),
    ]
    return [path.read_bytes() for path in files] + made


def test_the_c_writer_is_used_exactly_when_the_c_builders_are() -> None:
    uses_c = _engine_choice.BUILDERS == "C"
    records, findings = _findings._writers()
    assert (records is not None) is uses_c
    assert (findings is not None) is uses_c


@pytest.mark.parametrize("body", _samples())
def test_records_and_findings_are_written_as_json_writes_them(body: bytes) -> None:
    result = adstxt.parse(body)
    assert _written(result) == _by_json(result)
    records, findings = _written(result)
    assert len(json.loads(records)) == len(result.records)
    assert len(json.loads(findings)) == len(result.diagnostics)


def test_every_real_file_is_written_as_json_writes_it() -> None:
    corpus = shared_path("corpus", "real")
    checked = 0
    for path in sorted(corpus.iterdir()):
        if path.name == "SOURCES.tsv":
            continue
        result = adstxt.parse(path.read_bytes(), filename=path.name)
        assert _written(result) == _by_json(result), path.name
        checked += 1
    assert checked >= 170


def test_what_the_c_writer_refuses_is_written_with_json(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuses(rows: object) -> str:
        raise TypeError("a row value is an int, a str or None, not bool")

    result = adstxt.parse(_samples()[0])
    expected = _by_json(result)
    monkeypatch.setattr(_findings, "_writers", lambda: (refuses, refuses))
    assert _written(result) == expected
    # An iterator the writer refuses (it takes lists and tuples) is left whole for json.
    assert _findings.encode_records(iter(result.records)) == expected[0]  # type: ignore[arg-type]
    monkeypatch.setattr(_findings, "_writers", lambda: (None, None))
    assert _written(result) == expected
