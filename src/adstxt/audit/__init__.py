"""Coverage audits across many publishers.

The forward audit asks whether each publisher's ads.txt carries a set of expected lines;
the reverse audit asks whether each seller of a sellers.json is listed back in its
domain's ads.txt. Both read files from an :class:`adstxt.authorization.Source` and yield
one result at a time:

>>> from adstxt.authorization import MemorySource
>>> from adstxt.audit import ExpectedLine, PublisherLine, audit_publishers
>>> source = MemorySource({("example.com", "ads.txt"): "exchange.com, 1, RESELLER\\n"})
>>> wanted = [ExpectedLine(1, 1, "exchange.com, 1, DIRECT", "exchange.com", "1", "DIRECT")]
>>> [result] = audit_publishers([PublisherLine(1, "example.com", "example.com")], wanted, source)
>>> result.status, [finding.status for finding in result.findings]
('incomplete', ['relationship-differs'])
"""

from adstxt.audit._expected import ExpectedLine, ExpectedLines, read_expected
from adstxt.audit._forward import Finding, PublisherResult, audit_publishers, compare
from adstxt.audit._patch import appending_diff, creating_diff, patch_for
from adstxt.audit._publishers import InputProblem, PublisherLine, read_publishers
from adstxt.audit._reverse import SellerResult, audit_seller, audit_sellers

__all__ = [
    "ExpectedLine",
    "ExpectedLines",
    "Finding",
    "InputProblem",
    "PublisherLine",
    "PublisherResult",
    "SellerResult",
    "appending_diff",
    "audit_publishers",
    "audit_seller",
    "audit_sellers",
    "compare",
    "creating_diff",
    "patch_for",
    "read_expected",
    "read_publishers",
]
