"""``parse(dumps(x))`` gives back ``x``; the fast and careful paths agree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import adstxt
from adstxt._engine import Engine
from tests.property.strategies import SETTINGS, records, variables


@SETTINGS
@given(st.lists(st.one_of(records, variables), max_size=20))
def test_dumps_round_trip(items: list[adstxt.Record | adstxt.Variable]) -> None:
    text = adstxt.dumps(items)
    result = adstxt.parse(text)
    assert list(result.records) == [i for i in items if isinstance(i, adstxt.Record)]
    assert list(result.variables) == [i for i in items if isinstance(i, adstxt.Variable)]


@SETTINGS
@given(records, st.sampled_from([", ", ",", " , ", ",\t"]), st.booleans())
def test_fast_and_careful_paths_agree(record: adstxt.Record, sep: str, comment: bool) -> None:
    fields = [record.domain, record.account_id, record.relationship.value]
    if record.certification_authority_id:
        fields.append(record.certification_authority_id)
    line = sep.join(fields) + (" # note" if comment else "")
    fast = Engine()
    fast.feed([line])
    fast.finish()
    careful = Engine()
    careful._careful_line(1, line, None)
    careful.finish()
    assert fast.records == careful.records
    assert fast.diagnostics == careful.diagnostics
    assert fast.comments == careful.comments
