"""sellers.json against the vectors of other validators (``../shared/peer-fixtures``).

Peers can be wrong; the spec digest decides. Deliberate differences:

* perry-mitchell/sellers.json validates the pre-release draft (``directness``, a numeric
  ``version``). Its "valid" file is therefore not a valid sellers.json 1.0 file here: every
  seller lacks ``seller_type`` (ADS605), carries the draft field (ADS620), and the version is
  a number (ADS607). The one error the peer finds in its invalid file, a seller without a
  name that is not confidential, is found here too (ADS610 at ``/sellers/5``).
* miyaichi's cross-check also reports a domain mismatch for a DIRECT record whose seller is an
  INTERMEDIARY; the spec (8.3 rule 4) compares domains for PUBLISHER sellers only, because an
  intermediary's domain is expected to differ, so only ADS704 is reported. Its "implemented
  entry" note for consistent records has no counterpart: consistent records are silent. The
  record for ``nosellers.example`` is an error line here (an unknown public suffix), so it
  is not cross-checked at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import adstxt
from adstxt.sellers import cross_check, parse
from tests.conftest import shared_path


def _peer(*parts: str) -> Path:
    return shared_path("peer-fixtures", *parts)


def test_perry_mitchell_valid_file_is_draft_era() -> None:
    folder = _peer("perry-mitchell-sellers.json")
    expected = json.loads((folder / "expected.json").read_text())
    assert expected["files"]["sellers.valid.json"]["peer_output"] == []
    result = parse((folder / "sellers.valid.json").read_bytes())
    codes = [d.code for d in result.diagnostics]
    assert codes.count("ADS605") == 7 and codes.count("ADS620") == 7
    assert set(codes) == {"ADS605", "ADS607", "ADS620"}
    assert "ADS610" not in codes  # every non-confidential seller has a name
    assert result.usable and result.tag_ids == {"a670c89d4a324e47"}


def test_perry_mitchell_invalid_file_reports_the_peers_error() -> None:
    folder = _peer("perry-mitchell-sellers.json")
    expected = json.loads((folder / "expected.json").read_text())
    peer = expected["files"]["sellers.invalid.json"]["peer_output"]
    assert [p["path"] for p in peer] == ["sellers.5.name"]
    result = parse((folder / "sellers.invalid.json").read_bytes())
    named = [d for d in result.diagnostics if d.code == "ADS610"]
    assert [(d.pointer, d.line) for d in named] == [("/sellers/5", 42)]
    valid = {d.code for d in parse((folder / "sellers.valid.json").read_bytes()).diagnostics}
    assert {d.code for d in result.diagnostics} - valid == {"ADS610"}


# miyaichi warning key -> our code, for the records of its observed cross-check.
MIYAICHI = {
    "resellerNotIntermediary": "ADS705",
    "directNotPublisher": "ADS704",
    "resellerAccountIdNotInSellersJson": "ADS702",
    "directAccountIdNotInSellersJson": "ADS702",
    "sellerIdNotUnique": "ADS709",
    "noSellersJson": "ADS701",
}


def test_miyaichi_observed_cross_check() -> None:
    vectors = json.loads(_peer("miyaichi-adstxt-validator", "vectors.json").read_text())
    case = vectors["observed_cross_check"]
    documents = {k: json.dumps(v).encode() for k, v in case["sellers_json_by_domain"].items()}
    result = adstxt.parse(case["content"])
    ours: dict[int, set[str]] = {}
    for d in cross_check(result, documents, domain=case["publisher_domain"]):
        ours.setdefault(d.line, set()).add(d.code)
    for entry in case["peer_output"]:
        if entry.get("is_variable") or not entry.get("is_valid", True):
            continue
        keys = [w["key"] for w in entry.get("all_warnings", [])] or [entry.get("warning")]
        theirs = {MIYAICHI[k] for k in keys if k in MIYAICHI}
        assert ours.get(entry["line_number"], set()) == theirs, entry["raw_line"]
    # The peer's domainMismatch on line 4 is a deliberate difference (see the module doc).
    line4 = next(e for e in case["peer_output"] if e.get("line_number") == 4)
    assert "domainMismatch" in [w["key"] for w in line4["all_warnings"]]
    assert ours[4] == {"ADS704"}
    # The peer's invalid line is an error here too, and is not cross-checked.
    assert {d.code for d in result.diagnostics if d.line == 7} == {"ADS202"}
    assert 7 not in ours
