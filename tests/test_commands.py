"""The ``adstxt`` command: ``adstxt check`` is ``adstxt-check``, ``adstxt crawl`` is
``adstxt-crawl``, byte for byte, and ``python -m adstxt`` is ``adstxt``.

The console scripts' functions run in this process, as the wrappers pip writes call them
(import the ``[project.scripts]`` target and exit with what it returns), so the tests do not
depend on which scripts the environment happens to have installed; ``python -m adstxt`` runs
as a real subprocess beside them.
"""

from __future__ import annotations

import importlib
import json
import os
import pty
import runpy
import subprocess
import sys
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import pytest

from adstxt import _clidoc, _commands
from adstxt._commands import COMMANDS, Command, main
from tests.cli import run_main_bytes
from tests.conftest import ROOT
from tests.httpserver import GOOD, LocalServers, closed_port, text

SCRIPTS: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
    "scripts"
]

# Findings of every severity, two with safe fixes (letter case), one without.
BROKEN = b"MGID.com, 749656, direct\nexample.com, 1, DIRCT\nCONTACT=ads@example.com\n"


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}


def _command_line(how: str, args: Sequence[str]) -> list[str]:
    """``how`` is a console script name, or ``-m`` for ``python -m adstxt``."""
    if how == "-m":
        return [sys.executable, "-m", "adstxt", *args]
    module, _, function = SCRIPTS[how].partition(":")
    wrapper = (
        f"import sys; from {module} import {function}; "
        f"sys.argv[0] = {how!r}; sys.exit({function}())"
    )
    return [sys.executable, "-c", wrapper, *args]


def run(
    how: str,
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run a console script's function in this process, as its wrapper calls it, or
    ``python -m adstxt`` (``how`` is ``-m``) in a real subprocess; the output as the bytes
    written."""
    if how != "-m":
        function = cast(Callable[[list[str]], int], _load_target(SCRIPTS[how]))
        return run_main_bytes(function, *args, cwd=cwd, stdin=stdin)
    return subprocess.run(
        _command_line(how, args),
        input=stdin,
        capture_output=True,
        check=False,
        cwd=cwd or ROOT,
        timeout=120,
        env=_environment(),
    )


def _same(a: subprocess.CompletedProcess[bytes], b: subprocess.CompletedProcess[bytes]) -> None:
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


# Both spellings of the new command: the console script and the module.
ADSTXT = ["adstxt", "-m"]


def _tree(root: Path, data: bytes = BROKEN) -> Path:
    root.mkdir()
    (root / "ads.txt").write_bytes(data)
    (root / "app-ads.txt").write_bytes(b"example.com, 1, DIRECT\n")
    return root


# ---- adstxt check is adstxt-check ----------------------------------------------------------


@pytest.mark.parametrize("how", ADSTXT)
@pytest.mark.parametrize(
    "args",
    [
        ["ads.txt"],  # findings, exit 1
        ["app-ads.txt"],  # clean, exit 0
        ["."],  # a directory search
        ["--output-format", "json", "ads.txt"],
        ["--output-format", "full", "--color", "always", "ads.txt"],
        ["--statistics", "--strict", "."],
        ["--diff", "ads.txt"],
        ["--select", "ADS2", "--exit-zero", "-q", "ads.txt"],
        ["--fix", "--diff", "ads.txt"],  # the command's own usage error, exit 2
        ["--select", "NOPE", "ads.txt"],  # likewise
        ["missing.txt"],  # unreadable input, exit 2
        ["--version"],
        ["--show-rules"],
        ["--explain", "ADS210"],
    ],
    ids=lambda args: " ".join(args),
)
def test_check_is_adstxt_check_byte_for_byte(tmp_path: Path, how: str, args: list[str]) -> None:
    tree = _tree(tmp_path / "site")
    script = run("adstxt-check", *args, cwd=tree)
    command = run(how, "check", *args, cwd=tree)
    _same(script, command)
    assert script.stdout or script.stderr  # the case shows something to compare


def test_the_cases_cover_every_exit_status(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "site")
    statuses = {
        run("adstxt", "check", *args, cwd=tree).returncode
        for args in (["app-ads.txt"], ["ads.txt"], ["--fix", "--diff", "ads.txt"])
    }
    assert statuses == {0, 1, 2}
    listed = run("adstxt", "check", "--output-format", "json", "ads.txt", cwd=tree)
    assert {d["code"] for d in json.loads(listed.stdout)} >= {"ADS204", "ADS210", "ADS211"}


@pytest.mark.parametrize("how", ADSTXT)
def test_check_fix_writes_the_same_file_and_output(tmp_path: Path, how: str) -> None:
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    script = run("adstxt-check", "--fix", "ads.txt", cwd=first)
    command = run(how, "check", "--fix", "ads.txt", cwd=second)
    _same(script, command)
    assert script.returncode == 1  # a file was fixed
    assert (first / "ads.txt").read_bytes() == (second / "ads.txt").read_bytes() != BROKEN


@pytest.mark.parametrize("how", ADSTXT)
def test_check_fix_from_standard_input(how: str) -> None:
    script = run("adstxt-check", "--fix", "-", stdin=BROKEN)
    command = run(how, "check", "--fix", "-", stdin=BROKEN)
    _same(script, command)
    assert script.stdout.startswith(b"mgid.com, 749656, DIRECT\n")


@pytest.mark.parametrize("how", ADSTXT)
@pytest.mark.parametrize("args", [["--output-format", "bogus"], ["--no-such-option"]])
def test_check_argument_errors_differ_only_in_the_program_name(
    how: str,
    args: list[str],
) -> None:
    script = run("adstxt-check", *args)
    command = run(how, "check", *args)
    assert script.returncode == command.returncode == 2
    assert script.stdout == command.stdout == b""
    assert b"adstxt check" not in script.stderr
    assert command.stderr.replace(b"adstxt check", b"adstxt-check") == script.stderr
    assert command.stderr.startswith(b"usage: adstxt check ")


@pytest.mark.parametrize("how", ADSTXT)
@pytest.mark.parametrize("name", sorted(n for n, c in COMMANDS.items() if c.script))
def test_help_differs_only_in_the_program_name(how: str, name: str) -> None:
    script_name = COMMANDS[name].script
    assert script_name is not None
    script = run(script_name, "--help")
    forms = [run(how, name, "--help"), run(how, name, "-h"), run(how, "help", name)]
    for command in forms:
        assert command.returncode == script.returncode == 0
        assert command.stderr == script.stderr == b""
        assert command.stdout.startswith(f"usage: adstxt {name} ".encode())
        spelled = command.stdout.replace(f"adstxt {name}".encode(), script_name.encode())
        assert spelled == script.stdout


# ---- adstxt crawl is adstxt-crawl ----------------------------------------------------------


@pytest.mark.parametrize("how", ADSTXT)
def test_crawl_errors_are_adstxt_crawl_errors(tmp_path: Path, how: str) -> None:
    (tmp_path / "out.jsonl").write_text('{"domain": "example.com"}\n', encoding="utf-8")
    (tmp_path / "domains.txt").write_text("example.com\n", encoding="utf-8")
    for args in (
        ["missing.txt", "-o", "out.jsonl"],  # unreadable domains
        ["domains.txt", "-o", "out.jsonl"],  # output already holds results
        ["domains.txt", "-o", "x", "--connect-to", "nonsense"],
    ):
        script = run("adstxt-crawl", *args, cwd=tmp_path)
        command = run(how, "crawl", *args, cwd=tmp_path)
        _same(script, command)
        assert script.returncode == 2 and script.stderr.startswith(b"adstxt-crawl: ")
    # -o is required by adstxt-crawl; the subcommand writes its store instead.
    script = run("adstxt-crawl", "domains.txt", cwd=tmp_path)
    command = run(how, "crawl", "domains.txt", "--no-store", cwd=tmp_path)
    assert script.returncode == command.returncode == 2
    assert command.stderr.replace(b"adstxt crawl", b"adstxt-crawl") == script.stderr


def test_crawl_fetches_the_same_sites(tmp_path: Path) -> None:
    with LocalServers() as servers:
        servers.routes["*://site1.com/ads.txt"] = text(GOOD)
        servers.routes["*://site2.com/ads.txt"] = text(b"<html>not here</html>")
        (tmp_path / "domains.txt").write_text("site1.com\nsite2.com\nsite3.com\n", "utf-8")
        options = [
            "--connect-to",
            f":443:127.0.0.1:{closed_port()}",
            "--connect-to",
            f":80:127.0.0.1:{servers.http_port}",
            "--retries",
            "0",
            "--timeout",
            "5",
            "--processes",
            "1",
        ]
        script = run("adstxt-crawl", "domains.txt", "-o", "script.jsonl", *options, cwd=tmp_path)
        command = run(
            "adstxt", "crawl", "domains.txt", "-o", "command.jsonl", *options, cwd=tmp_path
        )
    assert script.returncode == command.returncode == 0, command.stderr
    assert script.stderr == command.stderr == b""

    def results(name: str) -> list[dict[str, object]]:
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) for line in lines]
        for entry in entries:
            entry.pop("fresh_until", None)  # when the crawl ran, plus the cache lifetime
        return sorted(entries, key=lambda e: str(e["domain"]))

    found = results("command.jsonl")
    assert found == results("script.jsonl")
    assert [e["outcome"] for e in found] == ["ok", "not-ads-txt", "not-found"]
    # The summary table is the same but for the elapsed time on its last line, and the
    # line that names the store the subcommand keeps (adstxt-crawl writes none).
    stored = command.stdout.splitlines()
    assert stored[-1] == b"stored in adstxt.sqlite as crawl 1"
    assert script.stdout.splitlines()[:-1] == stored[:-2]


# ---- adstxt PATH: the checker, as python -m adstxt has always run it -----------------------


@pytest.mark.parametrize("how", ADSTXT)
@pytest.mark.parametrize(
    "args",
    [
        [],
        ["ads.txt"],
        ["--fix", "--diff", "ads.txt"],
        ["-q", "."],
        ["--bogus"],
        ["--output-format", "json", "ads.txt"],
        ["-"],
    ],
    ids=lambda args: " ".join(args) or "(none)",
)
def test_without_a_command_name_it_is_adstxt_check(
    tmp_path: Path,
    how: str,
    args: list[str],
) -> None:
    tree = _tree(tmp_path / "site")
    script = run("adstxt-check", *args, cwd=tree, stdin=BROKEN)
    command = run(how, *args, cwd=tree, stdin=BROKEN)
    # Nothing is added to standard error when it is not a terminal: scripts see no change.
    _same(script, command)


def test_a_path_named_like_a_word_is_still_checked(tmp_path: Path) -> None:
    _tree(tmp_path / "public")
    script = run("adstxt-check", "public", cwd=tmp_path)
    command = run("adstxt", "public", cwd=tmp_path)
    _same(script, command)
    assert b"public/ads.txt:1:1: ADS204" in command.stdout


def test_a_note_on_standard_error_only_for_a_terminal(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "site")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            _command_line("-m", ["ads.txt"]),
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=tree,
            timeout=120,
            check=False,
            env=_environment(),
        )
        os.close(follower)
        follower = -1
        written = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO once the terminal has no writer left (Linux)
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 1
    assert done.stdout == run("adstxt-check", "ads.txt", cwd=tree).stdout
    assert written == (
        b"adstxt: running 'adstxt check' (the default command); 'adstxt help' lists the "
        b"commands\r\n"
    )


# ---- help, version, unknown commands -------------------------------------------------------


@pytest.mark.parametrize("how", ADSTXT)
def test_top_level_help_lists_every_command(how: str) -> None:
    shown = run(how, "--help")
    assert shown.returncode == 0 and shown.stderr == b""
    assert shown.stdout.startswith(b"usage: adstxt [-h] [--version] COMMAND [ARGS ...]\n")
    listed = " ".join(shown.stdout.decode().split())  # argparse wraps long summaries
    for command in COMMANDS.values():
        assert f"{command.name} {command.summary}" in listed
    assert "help show the options of a command" in listed
    for other in (
        run(how, "-h"),
        run(how, "help"),
        run(how, "help", "help"),
        run(how, "help", "--help"),
    ):
        _same(shown, other)


@pytest.mark.parametrize("how", ADSTXT)
def test_version_is_adstxt_check_version(how: str) -> None:
    version = run(how, "--version")
    _same(version, run("adstxt-check", "--version"))
    assert version.returncode == 0 and version.stdout.startswith(b"adstxt-check ")


@pytest.mark.parametrize("how", ADSTXT)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["chek", "ads.txt"],
            b"adstxt: 'chek' is not an adstxt command, nor a file or "
            b"directory; did you mean 'check'?\n",
        ),
        (
            ["crwal"],
            b"adstxt: 'crwal' is not an adstxt command, nor a file or directory; "
            b"did you mean 'crawl'?\n",
        ),
        (
            ["Check"],
            b"adstxt: 'Check' is not an adstxt command, nor a file or directory; "
            b"did you mean 'check'?\n",
        ),
        (
            ["zzz"],
            b"adstxt: 'zzz' is not an adstxt command, nor a file or directory; the "
            b"commands are check, crawl, history, diff, changes, export, authorized, apps, "
            b"audit, schain, report and help\n",
        ),
        (["help", "chekc"], b"adstxt: 'chekc' is not an adstxt command; did you mean 'check'?\n"),
        (
            ["help", "check", "crawl"],
            b"usage: adstxt help [COMMAND]\nadstxt help: give one command name\n",
        ),
    ],
)
def test_unknown_commands_are_usage_errors(
    tmp_path: Path,
    how: str,
    args: list[str],
    message: bytes,
) -> None:
    done = run(how, *args, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, b"", message)


# ---- in process ----------------------------------------------------------------------------


def test_main_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_tree(tmp_path / "site"))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert main(["check", "--output-format", "json", "ads.txt"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in found][:1] == ["ADS204"]
    assert main(["app-ads.txt"]) == 0  # no command name: the checker
    assert "Checked 1 file" in capsys.readouterr().out
    # argparse's exits come back as statuses rather than SystemExit.
    assert main(["check", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: adstxt check ")
    assert main(["crawl"]) == 2
    assert "usage: adstxt crawl " in capsys.readouterr().err
    assert main(["help", "crawl"]) == 0
    assert capsys.readouterr().out.startswith("usage: adstxt crawl ")
    assert main(["chek"]) == 2
    assert "did you mean 'check'?" in capsys.readouterr().err
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("adstxt-check ")


def test_main_reads_the_process_arguments(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "argv", ["adstxt", "help"])
    assert main() == 0
    assert capsys.readouterr().out.startswith("usage: adstxt ")


def _greet(argv: Sequence[str] | None = None, *, prog: str = "greet") -> int:
    print(f"{prog}: {' '.join(argv or ())}")
    return 3


def test_a_registered_command_is_run_listed_and_documented(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    greet = Command(
        name="greet",
        summary="say hello",
        main=f"{__name__}:_greet",
        parser="adstxt._commands:_parser",
    )
    monkeypatch.setattr(_commands, "COMMANDS", {**COMMANDS, "greet": greet})
    assert main(["greet", "a", "b"]) == 3
    assert capsys.readouterr().out == "adstxt greet: a b\n"
    assert main(["--help"]) == 0
    assert "say hello" in capsys.readouterr().out
    assert main(["gret"]) == 2
    assert "did you mean 'greet'?" in capsys.readouterr().err


def test_the_registry_points_at_real_functions() -> None:
    for name, command in COMMANDS.items():
        assert command.name == name
        assert command.summary and "\n" not in command.summary
        assert callable(_load_target(command.main))
        assert command.build_parser().prog == f"adstxt {name}"
        if command.script is not None:
            # The stand-alone script runs the same function.
            assert SCRIPTS[command.script] == command.main
            assert command.build_parser(command.script).prog == command.script


def test_every_console_script_is_a_real_callable() -> None:
    assert SCRIPTS["adstxt"] == "adstxt._commands:main"
    assert set(SCRIPTS) >= {"adstxt", "adstxt-check", "adstxt-crawl"}
    for target in SCRIPTS.values():
        assert callable(_load_target(target)), target


def _load_target(target: str) -> Callable[..., object]:
    module, _, attribute = target.partition(":")
    found: Callable[..., object] = getattr(importlib.import_module(module), attribute)
    return found


def test_the_reference_has_a_page_for_adstxt_linking_each_command() -> None:
    page = _clidoc.render_all()["adstxt.md"]
    for command in COMMANDS.values():
        assert f"| [`{command.name}`](" in page
        assert command.summary in page
    assert "`--version`" in page
    toctree = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert "reference/adstxt\n" in toctree


def test_python_m_adstxt_is_the_adstxt_command_in_process(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The module run as __main__, as `python -m adstxt help check` runs it; the real process
    # is compared with the console scripts above.
    monkeypatch.setattr(sys, "argv", ["adstxt", "help", "check"])
    with pytest.raises(SystemExit) as stop:
        runpy.run_module("adstxt", run_name="__main__")
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("usage: adstxt check ")
