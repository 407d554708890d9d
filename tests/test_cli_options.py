"""``adstxt-check``'s option checks, colour choice and repeated runs in one process.

Each case runs ``adstxt.cli.main`` in this process as its console script would, and checks
the exit status and exactly what is written.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from adstxt import cli
from tests.cli import run

# An information (a safe fix) and an error (a fix only with --unsafe-fixes).
DIRTY = b"mgid.com, 749656, direct\n"
ERROR = b"mgid.com, 749656, DIRCT\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "0"], "--timeout: expected a number of seconds above 0, not 0"),
        (["--timeout", "inf"], "--timeout: expected a number of seconds above 0, not inf"),
        (["--ignore", "ADS99"], "--ignore: 'ADS99' is not a rule code"),
        (["--extend-select", "no-such-rule"], "--extend-select: "),
        (["--explain", "ADS2"], "--explain: 'ADS2' names "),
        (["--explain", "nothing-like-it"], "--explain: "),
        (
            ["--sellers-location", "examplessp.com=https://examplessp.com/s.json"],
            "--sellers-location needs --fetch-sellers",
        ),
        (
            ["--sellers-json", "sellers", "--fetch-sellers"],
            "--sellers-json and --fetch-sellers cannot be used together",
        ),
        (["--sellers-json", "no-such-folder"], "--sellers-json: "),
        (["--fetch-sellers", "--sellers-location", "nonsense"], "--sellers-location: "),
        (
            ["--diff", "https://example.com/ads.txt"],
            "--fix and --diff work on local files, not on what a site serves",
        ),
        (["--config", "missing.toml"], "missing.toml"),
        (["--config", "other/pyproject.toml"], "other/pyproject.toml: has no [tool.adstxt] table"),
        (["--config", "bad.toml"], "bad.toml: unknown key 'colour'"),
    ],
)
def test_usage_errors_name_the_option(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "ads.txt").write_bytes(DIRTY)
    (tmp_path / "sellers").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pyproject.toml").write_text("[tool.other]\nx = 1\n", "utf-8")
    (tmp_path / "bad.toml").write_text('colour = "always"\n', encoding="utf-8")
    done = run(*args, "ads.txt", cwd=tmp_path)
    assert done.returncode == 2, done
    assert done.stdout == ""
    assert done.stderr.startswith(f"adstxt-check: {message}"), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert (tmp_path / "ads.txt").read_bytes() == DIRTY


def test_an_option_that_is_not_one_is_argparse_usage(tmp_path: Path) -> None:
    done = run("--output-format", "xml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: adstxt-check ")
    assert "argument --output-format: invalid choice: 'xml'" in done.stderr


def test_help_is_printed_and_exits_zero() -> None:
    done = run("--help")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: adstxt-check ")
    assert "--sellers-json PATH" in done.stdout


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),  # not a terminal
        ([], {"FORCE_COLOR": "1"}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "auto"], {"TERM": "dumb"}, False),
        (["--output-format", "json"], {"FORCE_COLOR": "1"}, False),  # never in JSON
    ],
)
def test_colour_follows_the_option_then_the_environment(
    tmp_path: Path,
    args: list[str],
    env: dict[str, str],
    coloured: bool,
) -> None:
    (tmp_path / "ads.txt").write_bytes(ERROR)
    done = run(*args, "ads.txt", cwd=tmp_path, env=env)
    assert done.returncode == 1
    assert ("\x1b[" in done.stdout) is coloured
    if "json" in args:
        assert [d["code"] for d in json.loads(done.stdout)] == ["ADS210"]
    else:
        assert "ADS210" in done.stdout


def test_quiet_and_statistics(tmp_path: Path) -> None:
    (tmp_path / "ads.txt").write_bytes(DIRTY * 2)
    quiet = run("-q", "ads.txt", cwd=tmp_path)
    assert quiet.returncode == 0  # information and a warning only
    assert sorted(line.split()[1] for line in quiet.stdout.splitlines()) == [
        "ADS211",
        "ADS211",
        "ADS401",
    ]  # findings only, no summary line
    assert run("-q", "--strict", "ads.txt", cwd=tmp_path).returncode == 1
    table = run("--statistics", "--output-format", "full", "ads.txt", cwd=tmp_path)
    assert table.returncode == 0
    lines = table.stdout.splitlines()
    assert "2  ADS211  [*] relationship-case" in lines
    assert lines[-1].startswith("Checked 1 file: ")


def test_the_output_format_comes_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "ads.txt").write_bytes(DIRTY)
    (tmp_path / ".adstxt.toml").write_text('output-format = "json"\n', encoding="utf-8")
    configured = run("ads.txt", cwd=tmp_path)
    assert [d["code"] for d in json.loads(configured.stdout)] == ["ADS211"]
    flag = run("--output-format", "concise", "ads.txt", cwd=tmp_path)
    assert flag.stdout.startswith("ads.txt:1:19: ADS211 ")
    assert run("--isolated", "ads.txt", cwd=tmp_path).stdout == flag.stdout


def test_a_configuration_edited_between_two_runs_in_one_process_is_read_again(
    tmp_path: Path,
) -> None:
    (tmp_path / "ads.txt").write_bytes(ERROR)
    config = tmp_path / ".adstxt.toml"
    config.write_text('ignore = ["ADS210"]\n', encoding="utf-8")
    first = run("ads.txt", cwd=tmp_path)
    assert (first.returncode, first.stdout) == (
        0,
        "Checked 1 file: 0 errors, 0 warnings, 0 info.\n",
    )
    config.write_text('ignore = ["ADS4"]\n', encoding="utf-8")
    again = run("ads.txt", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stdout.startswith("ads.txt:1:19: ADS210 ")


def test_library_warnings_are_the_commands_own_and_never_repeated(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("h11")
    # The handler main() adds is taken away again after this test.
    logger = logging.getLogger("adstxt")
    monkeypatch.setattr(logger, "handlers", list(logger.handlers))
    from tests.httpserver import LocalServers, closed_port, text

    sellers = {
        "version": "1.0",
        "sellers": [
            {
                "seller_id": "1",
                "seller_type": "PUBLISHER",
                "name": "Example",
                "domain": "example.com",
            }
        ],
    }
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    (tmp_path / "ads.txt").write_bytes(b"examplessp.com, 1, DIRECT\n")
    with LocalServers() as servers:
        servers.routes["*://examplessp.com/sellers.json"] = text(
            json.dumps(sellers).encode(), "application/json"
        )
        args = [
            "--fetch-sellers",
            "--sellers-cache",
            str(blocker / "cache"),
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{servers.http_port}",
            str(tmp_path / "ads.txt"),
        ]
        # main() called twice in one process: the second run's warnings are not doubled.
        for _ in range(2):
            status = cli.main(args)
            captured = capsys.readouterr()
            assert status == 0, captured.err
            warnings = [line for line in captured.err.splitlines() if "warning" in line]
            assert warnings, captured.err
            assert all(
                line.startswith("adstxt-check: warning: cannot write the sellers.json cache ")
                for line in warnings
            ), warnings
            assert len(warnings) == len(set(warnings)), warnings
