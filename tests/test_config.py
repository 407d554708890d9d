"""Configuration files: discovery, validation, and command-line options winning over them."""

from __future__ import annotations

from pathlib import Path

from adstxt import Settings
from tests.cli import run
from tests.conftest import ROOT

SITE = ROOT / "examples" / "site"
RECORDS = (
    b"openx.com, 537120563, reseller, 6a698e2ec38604c6\n"
    b"appnexus.com, 1234, RESELLER, f5ab79cb980f11d0\n"
)


def test_the_example_site_configuration_applies() -> None:
    result = run(str(SITE))
    assert result.returncode == 1
    assert "error[ADS222]" in result.stdout  # severity override and output-format = "full"
    assert "ADS211" not in result.stdout  # ignored by name
    assert "ADS304" not in result.stdout  # SUBDOMAIN=shop.example.com is in the domain
    elsewhere = run("--domain", "example.org", str(SITE))
    assert "ADS304" in elsewhere.stdout
    isolated = run("--isolated", str(SITE))
    assert isolated.returncode == 0
    assert "ADS211" in isolated.stdout and "ADS222" in isolated.stdout


def test_nearest_configuration_wins_and_pyproject_without_table_is_passed_over(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.adstxt]\nignore = ["ADS2"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (nested / "ads.txt").write_bytes(RECORDS)
    assert "ADS2" not in run(str(nested / "ads.txt")).stdout
    (nested / ".adstxt.toml").write_text('select = ["ADS211"]\n')
    (nested / "pyproject.toml").write_text('[tool.adstxt]\nselect = ["ADS222"]\n')
    found = run(str(nested / "ads.txt")).stdout
    assert "ADS211" in found and "ADS222" not in found


def test_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / ".adstxt.toml").write_text(
        'strict = true\nselect = ["ADS211"]\nseverity = { ADS211 = "warning" }\n'
    )
    (tmp_path / "ads.txt").write_bytes(RECORDS)
    path = str(tmp_path / "ads.txt")
    assert run(path).returncode == 1  # ADS211 raised to a warning, and strict
    assert run(path, "--no-strict").returncode == 0
    assert "ADS222" in run(path, "--select", "ADS222").stdout
    assert "ADS211" not in run(path, "--ignore", "ADS211").stdout
    (tmp_path / ".adstxt.toml").write_text('ignore = ["invalid-relationship", "ADS211"]\n')
    (tmp_path / "ads.txt").write_bytes(b"mgid.com, 749656, DIRCT\n" + RECORDS)
    named = run(path, "--extend-select", "ADS210").stdout
    assert " ADS210 " in named and " ADS211 " not in named
    assert " ADS211 " in run(path, "--select", "ADS21").stdout
    other = tmp_path / "other.toml"
    other.write_text('select = ["ADS222"]\n')
    assert "ADS222" in run(path, "--config", str(other)).stdout


def test_bad_configuration_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "ads.txt").write_bytes(RECORDS)
    path = str(tmp_path / "ads.txt")
    config = tmp_path / ".adstxt.toml"
    cases = {
        'selct = ["ADS2"]\n': "unknown key 'selct'",
        'select = "ADS2"\n': "'select' must be a list",
        'ignore = ["ADS99X"]\n': "'ignore': 'ADS99X' is not a rule code",
        'severity = { ADS211 = "fatal" }\n': "'severity.ADS211' must be one of",
        "strict = 1\n": "'strict' must be true or false",
        'output-format = "xml"\n': "'output-format' must be one of",
        'domain = "https://"\n': "'domain' must be a domain name",
        "select = [\n": "not valid TOML",
    }
    for text, expected in cases.items():
        config.write_text(text)
        result = run(path)
        assert result.returncode == 2, text
        assert str(config) in result.stderr and expected in result.stderr, result.stderr
        assert result.stdout == ""


def test_a_layer_of_selection_over_settings_and_its_former_name() -> None:
    base = Settings(ignore=("ADS211",), strict=True)
    layered = base.with_selection(None, ["ADS211"], ["ADS3"])
    assert "ADS211" in layered.enabled_codes()
    assert not any(code.startswith("ADS3") for code in layered.enabled_codes())
    assert layered.strict
    assert base.then(None, ["ADS211"], ["ADS3"]) == layered
