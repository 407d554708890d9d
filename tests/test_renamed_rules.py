"""A rule's former name keeps selecting it, in configuration files and on the command line."""

from __future__ import annotations

from pathlib import Path

from adstxt._settings import RENAMED_RULES, expand_selector
from adstxt.rules import RULES
from tests.cli import run

#: Two spellings of one record: ADS402 (near-duplicate-record, formerly case-variant-duplicate).
NEAR_DUPLICATE = (
    b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
    b"Google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
)


def test_every_former_name_points_at_a_rule_and_hides_none() -> None:
    names = {rule.name for rule in RULES.values()}
    for old, new in RENAMED_RULES.items():
        assert new in names
        assert old not in names
        assert expand_selector(old) == expand_selector(new) == expand_selector(old.upper())


def test_former_name_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_bytes(NEAR_DUPLICATE)
    reported = run(str(path), "--select", "ADS402")
    assert "ADS402" in reported.stdout
    ignored = run(str(path), "--ignore", "case-variant-duplicate", "--select", "ADS4")
    assert ignored.returncode == 0 and "0 warnings" in ignored.stdout, ignored.stderr
    assert "ADS402" not in ignored.stdout
    explained = run("--explain", "case-variant-duplicate")
    assert explained.returncode == 0 and "ADS402 near-duplicate-record" in explained.stdout


def test_former_name_in_a_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "ads.txt").write_bytes(NEAR_DUPLICATE)
    (tmp_path / ".adstxt.toml").write_text(
        'select = ["ADS4"]\nignore = ["case-variant-duplicate"]\n'
        '[severity]\ncase-variant-duplicate = "error"\n'
    )
    result = run("ads.txt", cwd=tmp_path)
    assert result.returncode == 0 and "0 warnings" in result.stdout, result.stderr
    assert "ADS402" not in result.stdout
    (tmp_path / ".adstxt.toml").write_text('[severity]\ncase-variant-duplicate = "error"\n')
    result = run("ads.txt", "--select", "ADS402", cwd=tmp_path)
    assert result.returncode == 1 and "1 error, 0 warnings" in result.stdout, result.stdout
