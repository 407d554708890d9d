"""ADS6xx, sellers.json: the sellers.json file of an ad system, on its own."""

from __future__ import annotations

from adstxt.diagnostics import Severity
from adstxt.rules._examples import SELLER_1001, SELLERS_JSON_GOOD, sellers_json
from adstxt.rules._rule import Rule

#: The rules of this family, in code order.
RULES = [
    Rule(
        code="ADS601",
        name="invalid-json",
        severity=Severity.ERROR,
        summary="The sellers.json file is not valid JSON (a syntax error, a truncated file, HTML).",
        explanation=(
            "Buyers decode sellers.json with a JSON parser; one stray character or a file cut "
            "short during upload makes every seller in it unreadable. The diagnostic points at "
            "the first character the parser could not accept."
        ),
        spec="sellers.json 1.0 section 2; RFC 8259",
        bad=(
            b'{"version": "1.0", "sellers": [\n'
            b'  {"seller_id": "1001", "seller_type": "PUBLISHER",\n'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS602",
        name="sellers-json-not-utf8",
        severity=Severity.ERROR,
        summary=(
            "The sellers.json file is encoded as UTF-16 or UTF-32, or has bytes that are not UTF-8."
        ),
        explanation=(
            "JSON exchanged between systems must be UTF-8. Files saved as 'Unicode' by some "
            "editors are UTF-16, and legacy exports can carry Latin-1 bytes in seller names. "
            "The checker decodes what it can so that every other rule still runs."
        ),
        spec="RFC 8259 section 8.1",
        bad=SELLERS_JSON_GOOD.decode().encode("utf-16"),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS603",
        name="sellers-json-bom",
        severity=Severity.WARNING,
        summary="The sellers.json file starts with a UTF-8 byte-order mark.",
        explanation=(
            "JSON text must not begin with a byte-order mark. Lenient parsers skip it, strict ones "
            "(including Python's json module) reject the whole file."
        ),
        spec="RFC 8259 section 8.1",
        bad=b"\xef\xbb\xbf" + SELLERS_JSON_GOOD,
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS604",
        name="sellers-json-not-object",
        severity=Severity.ERROR,
        summary="The sellers.json file holds an array or a single value instead of an object.",
        explanation=(
            "The file is one object with a 'sellers' array and a 'version'. A bare array of "
            "sellers has no version and no identifiers, and buyers reject it."
        ),
        spec="sellers.json 1.0 section 4.1",
        bad=(
            b'[{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            b'"domain": "example.com"}]\n'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS605",
        name="missing-required-field",
        severity=Severity.ERROR,
        summary=(
            "A required field is missing: 'sellers' or 'version' in the file, 'seller_id' or "
            "'seller_type' in a seller, 'name' or 'value' in an identifier."
        ),
        explanation=(
            "Without a seller_id the entry cannot be matched with ads.txt records or bid "
            "requests; without a seller_type buyers cannot tell publishers from intermediaries."
        ),
        spec="sellers.json 1.0 sections 4.1 to 4.3",
        bad=sellers_json('{"seller_id": "1001", "name": "Example Media", "domain": "example.com"}'),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS606",
        name="wrong-json-type",
        severity=Severity.ERROR,
        summary="A field has the wrong JSON type, such as a number where a string belongs.",
        explanation=(
            "Each field has one type: strings for IDs, names and domains, integers for the "
            "flags, an array for 'sellers' and 'identifiers', objects for sellers and 'ext'. "
            "Consumers written against the spec skip or reject values of another type."
        ),
        spec="sellers.json 1.0 sections 4.1 to 4.3",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": ["Example Media"], '
            '"domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS607",
        name="invalid-sellers-json-version",
        severity=Severity.ERROR,
        summary="The 'version' is not the string \"1.0\".",
        explanation=(
            "sellers.json 1.0 is the only version. Files written against the pre-release draft "
            "often give the number 1.0, which strict consumers reject."
        ),
        spec="sellers.json 1.0 section 4.1",
        bad=sellers_json(SELLER_1001, version="1.0"),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS608",
        name="numeric-seller-id",
        severity=Severity.WARNING,
        summary="A seller_id written as a JSON number instead of a string.",
        explanation=(
            "seller_id is a string. Numbers lose leading zeros and precision beyond 2^53, and "
            "consumers that compare strings with ads.txt field 2 may miss the seller."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": 1001, "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS609",
        name="empty-seller-id",
        severity=Severity.ERROR,
        summary="A seller_id that is empty.",
        explanation="An empty seller_id matches no ads.txt record and no bid request.",
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS610",
        name="missing-seller-name",
        severity=Severity.ERROR,
        summary="A seller that is not confidential has no name.",
        explanation=(
            "The name (the legal entity paid for the inventory) is required unless "
            "is_confidential is 1. Buyers use it to know whom they are paying."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS611",
        name="missing-seller-domain",
        severity=Severity.WARNING,
        summary="A seller that is not confidential has no domain.",
        explanation=(
            "The domain is required when the seller has a web presence and is not "
            "confidential; buyers compare it with the OWNERDOMAIN of the publisher's ads.txt. "
            "Only a seller without any web presence may leave it out."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS612",
        name="invalid-seller-type",
        severity=Severity.ERROR,
        summary="A seller_type other than PUBLISHER, INTERMEDIARY or BOTH.",
        explanation=(
            "seller_type says whether the seller owns the inventory (PUBLISHER), resells it "
            "(INTERMEDIARY) or both. Values from the pre-release draft (DIRECT, RESELLER) and "
            "misspellings leave buyers unable to verify ads.txt relationships."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHR", "name": "Example Media", '
            '"domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS613",
        name="seller-type-case",
        severity=Severity.INFO,
        summary="A seller_type written in lower or mixed case.",
        explanation=(
            "The spec makes seller_type case-insensitive, but upper case is what every consumer "
            "expects and what the spec's own examples use."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "Publisher", "name": "Example Media", '
            '"domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS614",
        name="invalid-flag",
        severity=Severity.ERROR,
        summary="is_confidential or is_passthrough is not the integer 0 or 1.",
        explanation=(
            'Both flags are integers, 0 by default. Strings such as "1" and booleans such as '
            "true are read differently by different consumers."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com", "is_confidential": "0"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS615",
        name="duplicate-seller-id",
        severity=Severity.WARNING,
        summary="The same seller_id appears in more than one seller entry.",
        explanation=(
            "One seller_id must map to exactly one paid entity. With two entries, buyers cannot "
            "tell which name, domain and seller_type apply to the account."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            SELLER_1001,
            '{"seller_id": "1001", "seller_type": "INTERMEDIARY", '
            '"name": "Resale Partners", "domain": "resale.net"}',
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS616",
        name="invalid-seller-domain",
        severity=Severity.ERROR,
        summary="A seller's domain is a URL, an e-mail address or not a domain name at all.",
        explanation=(
            "The domain is the root domain of the seller's business (such as example.com), "
            "compared by buyers with the publisher's ads.txt. A URL never matches."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "https://example.com/"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS617",
        name="seller-domain-not-root",
        severity=Severity.WARNING,
        summary="A seller's domain is a www. host name instead of the root domain.",
        explanation=(
            "The domain is the business's root domain (public suffix plus one label), the same "
            "value as OWNERDOMAIN in the publisher's ads.txt, so 'www.example.com' does not "
            "match 'example.com'."
        ),
        spec="sellers.json 1.0 section 4.2; ads.txt 1.1 OWNERDOMAIN",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "www.example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS618",
        name="seller-id-whitespace",
        severity=Severity.WARNING,
        summary="A seller_id with spaces around it.",
        explanation=(
            "ads.txt field 2 and bid requests carry the ID without spaces. Lenient consumers "
            "trim it, strict ones do not find the seller."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": " 1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS619",
        name="malformed-identifier",
        severity=Severity.WARNING,
        summary=(
            "A TAG-ID that is not 16 hexadecimal digits, or a DUNS number that is not 9 digits."
        ),
        explanation=(
            "The identifiers object names the ad system's business identifiers. The TAG-ID is "
            "what ads.txt field 4 should carry, so a truncated one spreads into every ads.txt "
            "file that copies it."
        ),
        spec="sellers.json 1.0 section 4.3",
        bad=sellers_json(
            SELLER_1001, identifiers='[{"name": "TAG-ID", "value": "0123456789abcde"}]'
        ),
        good=sellers_json(
            SELLER_1001, identifiers='[{"name": "TAG-ID", "value": "0123456789abcdef"}]'
        ),
        filename="sellers.json",
    ),
    Rule(
        code="ADS620",
        name="draft-field",
        severity=Severity.WARNING,
        summary="A field of the pre-release sellers.json draft, such as 'directness'.",
        explanation=(
            "Early files described sellers by 'directness' (DIRECT, RESELLER, BOTH). sellers.json "
            "1.0 replaced it with seller_type (PUBLISHER, INTERMEDIARY, BOTH); consumers ignore "
            "the old field."
        ),
        spec="sellers.json 1.0 section 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "directness": "DIRECT", '
            '"name": "Example Media", "domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS621",
        name="unknown-sellers-json-field",
        severity=Severity.INFO,
        summary="A field that sellers.json 1.0 does not define.",
        explanation=(
            "Consumers ignore unknown fields, so a misspelt one ('seller_domain') has no effect. "
            "Custom data belongs inside 'ext'."
        ),
        spec="sellers.json 1.0 sections 4.1 and 4.2",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "Example Media", '
            '"domain": "example.com", "sellerid": "1001"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS622",
        name="oversized-value",
        severity=Severity.WARNING,
        summary="A string longer than 4,096 characters, or a value too large to check.",
        explanation=(
            "Names, IDs and domains are short. A value this long is corrupt data, and many "
            "consumers cap field sizes and drop the entry."
        ),
        spec="common mistakes observed in real files",
        bad=sellers_json(
            '{"seller_id": "1001", "seller_type": "PUBLISHER", "name": "'
            + "E" * 5000
            + '", "domain": "example.com"}'
        ),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
    Rule(
        code="ADS623",
        name="empty-sellers-list",
        severity=Severity.INFO,
        summary="The 'sellers' array is empty.",
        explanation=(
            "A valid file, but every ads.txt record that names this ad system then points at an "
            "account that is not listed."
        ),
        spec="sellers.json 1.0 section 4.1",
        bad=sellers_json(),
        good=SELLERS_JSON_GOOD,
        filename="sellers.json",
    ),
]
