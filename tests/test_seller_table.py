"""The compact seller memory of streamed checks: every repeat is found past the bound."""

from __future__ import annotations

import importlib.util
import io
import json
import random
from pathlib import Path

import pytest

import adstxt
from adstxt._api import STREAM_SELLERS
from adstxt._engine_choice import Engine
from adstxt._engine_sellers import SellerMemory, SellerTable
from tests.cli import run

ROOT = Path(__file__).resolve().parents[1]


def _c_table() -> type[SellerMemory] | None:
    """The seller table written in C, when this install built it."""
    if importlib.util.find_spec("adstxt._engine_sellers_c") is None:
        return None
    c_table: type[SellerMemory] = importlib.import_module("adstxt._engine_sellers_c").SellerTable
    return c_table


C_TABLE = _c_table()


@pytest.fixture(params=["Python", "C"])
def table_class(request: pytest.FixtureRequest) -> type[SellerMemory]:
    """Each table: the one written in Python and, when built, the one written in C."""
    if request.param == "Python":
        return SellerTable
    if C_TABLE is None:
        pytest.skip("the C seller table is not built in this install")
    return C_TABLE


def test_table_remembers_the_first_record_of_each_seller(
    table_class: type[SellerMemory],
) -> None:
    table = table_class()
    assert table.get("a.com", "1") == -1
    assert table.setdefault("a.com", "1", 4) == 4
    assert table.setdefault("a.com", "1", 8) == 4
    assert table.setdefault("b.com", "1", 12) == 12  # another ad system, another seller
    assert table.get("a.com", "1") == 4
    table.put("a.com", "1", 16)
    assert table.get("a.com", "1") == 16
    assert len(table) == 2


def test_table_grows_and_keeps_every_seller(table_class: type[SellerMemory]) -> None:
    table = table_class()
    sellers = [(f"d{n % 7}.com", f"{n:x}") for n in range(50_000)]
    for number, (domain, key) in enumerate(sellers, start=1):
        assert table.setdefault(domain, key, number << 2) == number << 2
    assert len(table) == len(sellers)
    for number, (domain, key) in enumerate(sellers, start=1):
        assert table.setdefault(domain, key, 3) == number << 2
    assert table.get("d0.com", "not remembered") == -1


def test_a_table_sized_ahead_grows_past_its_size(table_class: type[SellerMemory]) -> None:
    table = table_class()
    table.expect(5_000)  # sized when the first entry comes
    sellers = [f"{n}" for n in range(1, 20_001)]
    for key in sellers:
        assert table.setdefault("a.com", key, int(key) << 2) == int(key) << 2
    assert all(table.get("a.com", key) == int(key) << 2 for key in sellers)
    assert len(table) == 20_000


def test_table_keeps_records_past_line_two_billion(table_class: type[SellerMemory]) -> None:
    # They do not fit beside the second hash; a dict holds them.
    far = (3 << 31) << 2 | 3
    table = table_class()
    assert table.setdefault("a.com", "1", far) == far
    assert table.get("a.com", "1") == far
    assert table.setdefault("a.com", "2", 8) == 8
    table.put("a.com", "2", far + 4)
    assert table.get("a.com", "2") == far + 4
    table.put("a.com", "1", 20)
    assert table.get("a.com", "1") == 20
    assert len(table) == 2


@pytest.mark.skipif(C_TABLE is None, reason="the C seller table is not built in this install")
@pytest.mark.parametrize("expected", [0, 40_000])
def test_the_c_table_answers_as_the_python_table_does(expected: int) -> None:
    # The same operations on both, with repeats, replacements, look-ups of unknown sellers
    # and records past line 2**31, through growth of the index (or sized ahead).
    assert C_TABLE is not None
    rng = random.Random(expected)
    python, c = SellerTable(), C_TABLE()
    python.expect(expected)
    c.expect(expected)
    domains = [f"d{n}.com" for n in range(20)]
    for number in range(1, 150_001):
        domain, key = rng.choice(domains), f"{rng.randrange(40_000):x}"
        packed = number << 2 | rng.randrange(4)
        if rng.random() < 0.02:
            packed = rng.choice([0, (3 << 31) << 2 | 1, number << 2])
        operation = rng.random()
        if operation < 0.6:
            assert c.setdefault(domain, key, packed) == python.setdefault(domain, key, packed)
        elif operation < 0.8:
            assert c.get(domain, key) == python.get(domain, key)
        else:
            c.put(domain, key, packed)
            python.put(domain, key, packed)
    assert len(c) == len(python) > 100_000


@pytest.mark.skipif(C_TABLE is None, reason="the C seller table is not built in this install")
@pytest.mark.parametrize("expected", [0, 300_000])
def test_the_c_table_finds_sellers_it_has_not_placed_yet(expected: int) -> None:
    # New sellers (the usual case) are added without a look at the index and placed in it
    # later, all together: a repeat, a look-up, a replacement or the growth of the index
    # that comes meanwhile must still see every one of them.
    assert C_TABLE is not None
    rng = random.Random(5)
    python, c = SellerTable(), C_TABLE()
    python.expect(expected)
    c.expect(expected)
    far = (3 << 31) << 2
    for number in range(1, 200_001):
        key = f"{number:x}"
        packed = (far if number % 997 == 0 else number << 2) | 1
        assert c.setdefault("a.com", key, packed) == packed
        python.setdefault("a.com", key, packed)
        if number % 1000 == 0:  # now and then, a repeat of an earlier seller, unplaced or not
            earlier = f"{rng.randrange(1, number + 1):x}"
            assert c.setdefault("a.com", earlier, 8) == python.setdefault("a.com", earlier, 8)
            assert c.get("b.com", earlier) == -1
        if number % 1500 == 0:
            c.put("a.com", key, 12)
            python.put("a.com", key, 12)
    assert len(c) == len(python) == 200_000
    for number in range(1, 200_001, 7):
        key = f"{number:x}"
        assert c.get("a.com", key) == python.get("a.com", key) != -1


@pytest.mark.skipif(C_TABLE is None, reason="the C seller table is not built in this install")
def test_the_c_table_refuses_bad_arguments() -> None:
    assert C_TABLE is not None
    table: object = C_TABLE()
    with pytest.raises(TypeError):
        table.setdefault("a.com", "1")  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        table.setdefault("a.com", "1", "4")  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        table.get(["unhashable"], "1")  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="not negative"):
        table.put("a.com", "1", -4)  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        C_TABLE(1)  # type: ignore[call-arg]
    assert len(table) == 0  # type: ignore[arg-type]


def _mixed_lines(count: int, seed: int) -> list[str]:
    """Records that repeat, conflict and differ in how they are written, and variables."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        if rng.random() < 0.03:
            lines.append(f"CONTACT=ops{rng.randrange(40)}@example.com")
            continue
        domain = rng.choice(["a.com", "b.com", "A.com", "google.com", "c.com", "d.com"])
        account = rng.choice(["1", "x", "X", "ab", "AB", "Ab"]) + str(rng.randrange(60))
        if domain == "google.com":
            account = f"pub-{rng.randrange(60):016d}"
        relationship = rng.choice(["DIRECT", "RESELLER", "direct", " DIRECT", "RESELLER "])
        cert = rng.choice(["", "", ", f08c47fec0942fa0", ", abc", ", F08C47FEC0942FA0"])
        extension = rng.choice(["", "", ", ext"]) if cert else ""
        separator = rng.choice([", ", ",", "\t, "])
        comment = rng.choice(["", "", " # note"])
        lines.append(
            f"{domain}{separator}{account}{separator}{relationship}{cert}{extension}{comment}"
        )
    return lines


def _diagnostics(lines: list[str], max_sellers: int | None, batch: int) -> list[adstxt.Diagnostic]:
    engine = Engine(keep_records=False, max_sellers=max_sellers)
    for start in range(0, len(lines), batch):
        engine.feed(lines[start : start + batch])
    engine.finish()
    return sorted(engine.diagnostics, key=adstxt.Diagnostic.sort_key)


@pytest.mark.parametrize("max_sellers", [0, 1, 40, 300])
def test_a_bounded_engine_reports_what_an_unbounded_one_does(max_sellers: int) -> None:
    lines = _mixed_lines(4_000, seed=max_sellers)
    whole = _diagnostics(lines, None, len(lines))
    codes = {d.code for d in whole}
    assert {"ADS401", "ADS402", "ADS403", "ADS404", "ADS308"} <= codes
    for batch in (1, 997):
        assert _diagnostics(lines, max_sellers, batch) == whole


def test_account_ids_in_capitals_past_the_bound_are_remembered_quickly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Past the bound, a new seller whose account ID is not in lower case is remembered by
    # the line loop itself, as before the bound, not by re-reading its line with the careful
    # path (ten times the work on a file of such IDs); repeats of it are still reported.
    from adstxt import _engine

    lines = [f"criteo.com, Ab{n}C, DIRECT" for n in range(400)]
    lines += [f"criteo.com, ab{n}c, DIRECT" for n in range(0, 400, 37)]  # the case differs
    lines += ["criteo.com, Ab5C, RESELLER", "criteo.com, Ab399C, DIRECT"]
    careful: list[int] = []
    plain_careful = _engine.Engine._careful_line

    def counted(self: _engine.Engine, number: int, text: str, at: int | None) -> None:
        careful.append(number)
        plain_careful(self, number, text, at)

    monkeypatch.setattr(_engine.Engine, "_careful_line", counted)
    engine = _engine.Engine(keep_records=False, max_sellers=10)
    for start in range(0, len(lines), 50):
        engine.feed(lines[start : start + 50])
    engine.finish()
    assert careful == list(range(401, len(lines) + 1))  # only the repeats
    found = sorted(engine.diagnostics, key=adstxt.Diagnostic.sort_key)
    assert found == _diagnostics(lines, None, len(lines))
    assert [d.code for d in found].count("ADS403") == 1
    assert [d.code for d in found].count("ADS401") == 1


def test_the_string_keyed_memory_stays_bounded() -> None:
    engine = Engine(keep_records=False, max_sellers=100)
    for start in range(1, 20_001, 1_000):
        engine.feed([f"a.com, {n}, DIRECT" for n in range(start, start + 1_000)])
    engine.feed(["a.com, 5, RESELLER", "a.com, 19999, RESELLER"])
    engine.finish()
    assert engine._remembered_count() <= 100 + 1_000  # overshot by at most one batch
    assert [(d.code, d.line) for d in engine.diagnostics] == [
        ("ADS403", 20_001),
        ("ADS403", 20_002),
    ]


def _generated(lines: int, pool: int = 200_000) -> bytes:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    data: bytes = generate.generate(lines, pool=pool)
    return data


def test_streamed_check_reports_every_repeat_past_the_bound() -> None:
    # More distinct sellers than a streamed check keeps in its string-keyed memory.
    data = _generated(300_000)
    whole = adstxt.check(data)
    streamed = list(adstxt.iter_parse(io.BytesIO(data), records=False))
    assert all(isinstance(d, adstxt.Diagnostic) for d in streamed)
    assert len({d.line for d in whole if d.code in ("ADS401", "ADS403")}) > 5_000
    assert sorted(streamed, key=adstxt.Diagnostic.sort_key) == sorted(  # type: ignore[arg-type]
        whole, key=adstxt.Diagnostic.sort_key
    )


def test_adstxt_check_of_a_big_file_reports_every_repeat(tmp_path: Path) -> None:
    # adstxt-check streams a local file: past the sellers it keeps in dicts, the table.
    data = _generated(60_000, pool=1_000)  # 30 ad systems: 30,000 sellers at most
    path = tmp_path / "ads.txt"
    path.write_bytes(data)
    whole = adstxt.check(data)
    assert len({d.line for d in whole if d.code.startswith("ADS40")}) > 1_000
    assert len(set(data.split(b"\n"))) > 2 * STREAM_SELLERS
    reported = json.loads(run(str(path), "--output-format", "json").stdout)
    assert [(r["line"], r["column"], r["code"], r["message"]) for r in reported] == [
        (d.line, d.column, d.code, d.message) for d in whole
    ]
