"""ADS7xx, sellers.json cross-checks: ads.txt records against their ad system's sellers.json."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import EXAMPLE_SSP, MANAGER, SELLER_1001, sellers_json
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS701",
        name="no-sellers-json",
        severity=Severity.INFO,
        summary="An ad system has no usable sellers.json, so its records cannot be cross-checked.",
        explanation=(
            "Every ad system listed in ads.txt should publish sellers.json at its root domain. "
            "It is missing from the sellers.json files given, or it is not valid."
        ),
        spec="sellers.json 1.0 section 3; ads.txt 1.1 section 3.3",
        bad=b"otherssp.com, 1001, DIRECT\n",
        good=b"examplessp.com, 1001, DIRECT\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS702",
        name="seller-not-found",
        severity=Severity.WARNING,
        summary="The record's account ID is not a seller_id in the ad system's sellers.json.",
        explanation=(
            "Buyers that check sellers.json drop inventory sold through an account the ad "
            "system does not list: a typo in field 2, a closed account, or a line copied from "
            "another site."
        ),
        spec="sellers.json 1.0 section 4.2; ads.txt 1.1 section 3.3",
        bad=b"examplessp.com, 9999, DIRECT\n",
        good=b"examplessp.com, 1001, DIRECT\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS703",
        name="seller-id-case-mismatch",
        severity=Severity.WARNING,
        summary="The account ID matches a seller_id only when letter case is ignored.",
        explanation=(
            "Account IDs are compared exactly; 'abc4' and 'AbC4' are different accounts to a "
            "buyer. Copy the ID exactly as the ad system lists it."
        ),
        spec="ads.txt 1.1 section 3.3",
        bad=b"examplessp.com, abc4, RESELLER\n",
        good=b"examplessp.com, AbC4, RESELLER\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS704",
        name="direct-not-publisher",
        severity=Severity.WARNING,
        summary="A DIRECT record whose seller is an INTERMEDIARY in sellers.json.",
        explanation=(
            "DIRECT says the publisher controls the account; the ad system says the account "
            "belongs to an intermediary. Misrepresented DIRECT lines are a known fraud pattern "
            "and buyers discount them. Use RESELLER, or the publisher's own account."
        ),
        spec="ads.txt 1.1 section 3.3; sellers.json 1.0 section 4.2",
        bad=b"examplessp.com, 2002, DIRECT\n",
        good=b"examplessp.com, 2002, RESELLER\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS705",
        name="reseller-not-intermediary",
        severity=Severity.WARNING,
        summary="A RESELLER record whose seller is a PUBLISHER in sellers.json.",
        explanation=(
            "RESELLER says someone else controls the account; the ad system says the account "
            "belongs to a publisher selling its own inventory. One of the two is wrong."
        ),
        spec="ads.txt 1.1 section 3.3; sellers.json 1.0 section 4.2",
        bad=b"examplessp.com, 1001, RESELLER\n",
        good=b"examplessp.com, 1001, DIRECT\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS706",
        name="seller-domain-mismatch",
        severity=Severity.WARNING,
        summary="A DIRECT record's seller is a publisher whose domain is not this site's owner.",
        explanation=(
            "For a DIRECT record the seller should be the site's owner: its sellers.json domain "
            "should equal OWNERDOMAIN (or the site's root domain when OWNERDOMAIN is absent) or "
            "one of the MANAGERDOMAIN values. Otherwise the account belongs to another "
            "publisher."
        ),
        spec="ads.txt 1.1 implementation guidance, publisher guidance",
        bad=b"examplessp.com, 5005, DIRECT\n",
        good=b"OWNERDOMAIN=other.com\nexamplessp.com, 5005, DIRECT\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS707",
        name="confidential-seller",
        severity=Severity.INFO,
        summary=(
            "The record's seller is confidential in sellers.json, so its identity cannot be "
            "checked."
        ),
        explanation=(
            "A confidential seller has no name or domain to compare with the site's owner. "
            "Buyers may treat such inventory with more caution."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=b"examplessp.com, 3003, DIRECT\n",
        good=b"examplessp.com, 1001, DIRECT\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS708",
        name="certification-id-differs",
        severity=Severity.WARNING,
        summary="Field 4 differs from the TAG-ID in the ad system's sellers.json.",
        explanation=(
            "Since ads.txt 1.1 the identifiers object of sellers.json is the authoritative "
            "place for the ad system's TAG-ID; field 4 should repeat it."
        ),
        spec="ads.txt 1.1 section 3.3; sellers.json 1.0 section 4.3",
        bad=b"examplessp.com, 1001, DIRECT, fedcba9876543210\n",
        good=b"examplessp.com, 1001, DIRECT, 0123456789abcdef\n",
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS709",
        name="ambiguous-seller-id",
        severity=Severity.WARNING,
        summary="The record's account appears more than once in the ad system's sellers.json.",
        explanation=(
            "One seller_id must map to exactly one entity. When the ad system lists it twice, "
            "buyers cannot tell which entry the record refers to."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=b"examplessp.com, 1001, DIRECT\n",
        good=b"examplessp.com, 2002, RESELLER\n",
        domain="example.com",
        sellers_json=(
            (
                "examplessp.com",
                sellers_json(
                    SELLER_1001,
                    SELLER_1001.replace("Example Media", "Example Media Ltd"),
                    '{"seller_id": "2002", "seller_type": "INTERMEDIARY", '
                    '"name": "Resale Partners", "domain": "resale.net"}',
                ),
            ),
        ),
    ),
    Rule(
        code="ADS710",
        name="manager-without-sellers-json",
        severity=Severity.INFO,
        summary="A MANAGERDOMAIN whose ad system has no usable sellers.json.",
        explanation=(
            "The manager's sellers.json should list the publisher as a PUBLISHER under the "
            "site's OWNERDOMAIN. Without it the management relationship cannot be verified."
        ),
        spec="ads.txt 1.1 section 3.5.1 and implementation guidance",
        bad=(b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nexamplessp.com, 1001, DIRECT\n"),
        good=(
            b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=examplessp.com\nexamplessp.com, 1001, DIRECT\n"
        ),
        domain="example.com",
        sellers_json=EXAMPLE_SSP,
    ),
    Rule(
        code="ADS711",
        name="manager-seller-not-publisher",
        severity=Severity.WARNING,
        summary="A record with the manager's ad system whose seller is not a PUBLISHER there.",
        explanation=(
            "When the manager sells through its own ad system, its sellers.json should list the "
            "publisher's account as a PUBLISHER (the inventory is the publisher's own)."
        ),
        spec="ads.txt 1.1 implementation guidance",
        bad=b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 77, DIRECT\n",
        good=b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 78, DIRECT\n",
        domain="example.com",
        sellers_json=MANAGER,
    ),
    Rule(
        code="ADS712",
        name="manager-seller-domain-mismatch",
        severity=Severity.WARNING,
        summary=(
            "A record with the manager's ad system whose seller's domain is not the OWNERDOMAIN."
        ),
        explanation=(
            "The manager's sellers.json entry for the publisher's account should carry the "
            "publisher's business domain, the OWNERDOMAIN of the site (or its root domain)."
        ),
        spec="ads.txt 1.1 implementation guidance",
        bad=b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 79, DIRECT\n",
        good=b"OWNERDOMAIN=example.com\nMANAGERDOMAIN=manager.com\nmanager.com, 78, DIRECT\n",
        domain="example.com",
        sellers_json=MANAGER,
    ),
]
