"""Example lines and sellers.json files that the examples of several families share."""

from __future__ import annotations

__all__ = [
    "EXAMPLE_SSP",
    "GOOD",
    "MANAGER",
    "OTHER",
    "SELLERS_JSON_GOOD",
    "SELLER_1001",
    "sellers_json",
]

#: A clean record.
GOOD = b"google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"
#: A second clean record, so that a failing example that loses its only record does not
#: also report an empty file.
OTHER = b"pubmatic.com, 156439, RESELLER, 5d62403b186f2ace\n"


def sellers_json(*sellers: str, version: str = '"1.0"', identifiers: str | None = None) -> bytes:
    """A sellers.json example: one seller per line, in the layout ad systems publish."""
    head = f'{{\n  "version": {version},\n'
    if identifiers is not None:
        head += f'  "identifiers": {identifiers},\n'
    if not sellers:
        return (head + '  "sellers": []\n}\n').encode()
    body = ",\n".join(f"    {seller}" for seller in sellers)
    return (head + '  "sellers": [\n' + body + "\n  ]\n}\n").encode()


SELLER_1001 = (
    '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
    '"domain": "example.com"}'
)
SELLERS_JSON_GOOD = sellers_json(SELLER_1001)
#: The sellers.json of a fictitious ad system, for the cross-check examples.
EXAMPLE_SSP = (
    (
        "examplessp.com",
        sellers_json(
            SELLER_1001,
            '{"seller_id": "2002", "seller_type": "INTERMEDIARY", "name": "Resale Partners", '
            '"domain": "resale.net"}',
            '{"seller_id": "3003", "seller_type": "PUBLISHER", "is_confidential": 1}',
            '{"seller_id": "AbC4", "seller_type": "BOTH", "name": "Mixed Sales", '
            '"domain": "mixed.com"}',
            '{"seller_id": "5005", "seller_type": "PUBLISHER", "name": "Other Media", '
            '"domain": "other.com"}',
            identifiers='[{"name": "TAG-ID", "value": "0123456789abcdef"}]',
        ),
    ),
)
#: The sellers.json of a fictitious manager (MANAGERDOMAIN) ad system.
MANAGER = (
    (
        "manager.com",
        sellers_json(
            '{"seller_id": "77", "seller_type": "INTERMEDIARY", "name": "Manager Sales", '
            '"domain": "manager.com"}',
            '{"seller_id": "78", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}',
            '{"seller_id": "79", "seller_type": "PUBLISHER", "name": "Someone Else", '
            '"domain": "someone-else.com"}',
        ),
    ),
)
