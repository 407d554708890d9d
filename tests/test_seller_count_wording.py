"""ADS702 counts the sellers of a sellers.json in good English: '1 seller', '2 sellers'."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import run


def _sellers(path: Path, count: int) -> None:
    sellers = [
        {"seller_id": str(n), "seller_type": "PUBLISHER", "name": "A", "domain": "example.com"}
        for n in range(1, count + 1)
    ]
    path.write_text(json.dumps({"version": "1.0", "sellers": sellers}), encoding="utf-8")


def test_seller_counts(tmp_path: Path) -> None:
    (tmp_path / "sellers").mkdir()
    _sellers(tmp_path / "sellers" / "openx.com.json", 1)
    _sellers(tmp_path / "sellers" / "pubmatic.com.json", 2)
    ads = tmp_path / "ads.txt"
    ads.write_text("openx.com, 9, DIRECT\npubmatic.com, 9, DIRECT\n", encoding="utf-8")
    result = run(str(ads), "--sellers-json", str(tmp_path / "sellers"), "--select", "ADS702")
    assert "is not in the openx.com sellers.json (1 seller)" in result.stdout, result.stdout
    assert "is not in the pubmatic.com sellers.json (2 sellers)" in result.stdout
