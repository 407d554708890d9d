"""robots.txt: whether a crawler that obeys it may read the file."""

from __future__ import annotations

__all__ = ["AGENTS", "blocked_agents"]

#: Google's ads.txt crawler token, every other crawler, and this library's own token.
AGENTS = ("Google-adstxt", "*", "adstxt")


def blocked_agents(robots_txt: str, path: str) -> list[str]:
    """The user agents among :data:`AGENTS` that ``robots_txt`` forbids to fetch ``path``."""
    # Imported here: it brings in urllib.request, http.client and the email package (about
    # 12 ms of every crawl's start-up), and only crawls that read robots.txt need it.
    from urllib.robotparser import RobotFileParser

    parser = RobotFileParser()
    parser.parse(robots_txt.splitlines())
    return [agent for agent in AGENTS if not parser.can_fetch(agent, path)]
