"""What one fetch does to the current copy of a file: the stale-copy rules of the spec.

From ads.txt 1.1 section 3.6, sellers.json 1.0 ("on 404 or any error, keep the last
good copy") and Google's documented crawler behaviour (5 days through soft 404s and 5xx):

- a file served and read (outcome ``ok``) becomes the current copy; a 304 Not Modified
  confirms the current one;
- a hard 404 ends the file: consumers treat the site as making no declarations;
- any other failure (a 5xx, a timeout, a refused connection, a soft 404 such as an HTML page
  served with 200, another 4xx) keeps the last good copy current, marked stale from the
  first failure, for at most :data:`STALE_LIMIT`; a failure after that ends it;
- sellers.json keeps its last good copy on any error, 404 included, for as long as it fails.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

__all__ = ["ENDING_OUTCOMES", "STALE_LIMIT", "Action", "Decision", "decide"]

#: How long a last good copy stays current while its fetches fail (Google: 5 days).
STALE_LIMIT = dt.timedelta(days=5)

#: Outcomes that end an ads.txt or app-ads.txt file at once: a 404 says it does not exist.
ENDING_OUTCOMES = frozenset({"not-found", "invalid-domain"})


class Action(enum.Enum):
    """What becomes of the file's current copy."""

    REPLACE = "replace"  # the fetched body is the current copy (perhaps the same one)
    CONFIRM = "confirm"  # 304: the current copy stays, fresh again
    KEEP_STALE = "keep-stale"  # the fetch failed: the current copy stays, stale
    END = "end"  # there is no current copy any more
    NOTHING = "nothing"  # the fetch failed and there was no copy to keep


@attrs.frozen
class Decision:
    action: Action
    stale_since: str | None
    why: str


def decide(
    kind: str,
    outcome: str,
    *,
    has_body: bool,
    unchanged: bool,
    has_copy: bool,
    stale_since: str | None,
    now: str,
) -> Decision:
    """The effect of a fetch with ``outcome`` at ``now`` (store timestamps) on a file whose
    current copy exists (``has_copy``) and has been stale since ``stale_since``."""
    if outcome == "ok" and unchanged:
        if has_copy:
            return Decision(Action.CONFIRM, None, "not modified")
        return Decision(Action.NOTHING, None, "not modified, but no copy is held")
    if outcome == "ok" and has_body:
        return Decision(Action.REPLACE, None, "served")
    if not has_copy:
        return Decision(Action.NOTHING, None, outcome)
    if kind != "sellers.json" and outcome in ENDING_OUTCOMES:
        return Decision(Action.END, None, outcome)
    since = stale_since or now
    if kind != "sellers.json" and _elapsed(since, now) >= STALE_LIMIT:
        return Decision(Action.END, None, f"{outcome}; stale since {since}, over the limit")
    return Decision(Action.KEEP_STALE, since, outcome)


def _elapsed(since: str, now: str) -> dt.timedelta:
    return dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(since)
