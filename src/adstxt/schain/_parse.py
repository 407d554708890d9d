"""Reading a supply chain from any of its three forms, and validating it.

One validator serves all three: the string form is first turned into the object it
stands for (remembering where each field was), then validated like a JSON object. Each
problem is an issue at a JSON path; for JSON input the path is located in the text (line
and column, plus the JSON pointer), for the string form at the field's character offset.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple
from urllib.parse import quote

from adstxt.diagnostics import Diagnostic, Severity
from adstxt.schain._model import Node, SupplyChain
from adstxt.sellers._schema import Issue, Path, json_type, pointer

__all__ = [
    "MAX_NODES",
    "CheckResult",
    "check",
    "find_chain",
    "parse_string",
    "serialize",
    "validate",
]

#: The longest chain accepted. Real chains have one to five nodes; each node is a company
#: that resold the impression, so a chain longer than this is an error or an attack.
MAX_NODES = 20
#: Only version of the SupplyChain object.
VERSION = "1.0"
#: "sid should be limited to 64 characters" (supplychainobject.md).
MAX_SID = 64
_NODE_FIELDS = ("asi", "sid", "hp", "rid", "name", "domain", "ext")
_TEXT_FIELDS = ("rid", "name", "domain")
_SIMPLE_DOMAIN = re.compile(
    r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+"
)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

# Stands for a node of the string form that could not be split into fields.
_UNREADABLE: dict[str, Any] = {}

Form = Literal["object", "bid-request", "string"]


class CheckResult(NamedTuple):
    """What :func:`check` found: the form of the input, the chain (None when no usable
    chain could be read), every diagnostic, the bid request when one was given, and the
    JSON path of the chain inside it."""

    form: Form | None
    chain: SupplyChain | None
    diagnostics: tuple[Diagnostic, ...]
    request: dict[str, Any] | None = None
    path: Path = ()

    @property
    def ok(self) -> bool:
        """True when no diagnostic has error severity."""
        return self.chain is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics
        )


@functools.lru_cache(maxsize=4096)
def _domain_problem(value: str) -> str | None:
    """Why ``value`` is no bare domain under a public suffix, or None when it is one."""
    if "://" in value or "/" in value:
        return "a URL; the field holds a bare domain such as exchange.com"
    text = value.strip().lower().rstrip(".")
    if text != value:
        return "not written as a bare lower-case domain"
    from adstxt._domains import analyze_host

    if analyze_host(text or ".").registrable is None:
        return "not a domain under a public suffix"
    return None


def _domain_ok(value: str) -> str | None:
    # Nearly every asi is a plain lower-case host: one regular-expression match, and the
    # Public Suffix List only for what is left (cached per value).
    if _SIMPLE_DOMAIN.fullmatch(value) is not None and value.rsplit(".", 1)[1] in _COMMON:
        return None
    return _domain_problem(value)


_COMMON = frozenset({"com", "net", "org", "io", "tv", "co", "de", "fr", "jp", "uk", "ai", "me"})


def _flag(
    value: object,
    path: Path,
    name: str,
    issues: list[Issue],
    from_string: bool,
) -> int | None:
    """An integer 0/1 field (``complete``, ``hp``): its value, after reporting problems."""
    if value is True or value is False:
        issues.append(
            Issue(
                "ADS806",
                f"'{name}' is the boolean {str(value).lower()}; "
                f"OpenRTB writes the integer {int(value)}",
                path,
                hint=f"write {int(value)}",
            )
        )
        return int(value)
    if type(value) is not int:
        if from_string:
            issues.append(
                Issue("ADS805", f"'{name}' must be the integer 0 or 1; found '{value}'", path)
            )
        else:
            issues.append(
                Issue(
                    "ADS803",
                    f"'{name}' must be an integer (0 or 1); found {json_type(value)}",
                    path,
                )
            )
        return None
    if value != 0 and value != 1:
        issues.append(Issue("ADS805", f"'{name}' must be 0 or 1; found {value}", path))
        return None
    return value


def _node(value: object, path: Path, issues: list[Issue], from_string: bool) -> Node | None:
    if type(value) is not dict:
        issues.append(Issue("ADS803", f"a node must be an object; found {json_type(value)}", path))
        return None
    asi = value.get("asi")
    sid = value.get("sid")
    hp = value.get("hp")
    usable = True
    if type(asi) is not str:
        usable = False
        if asi is None and "asi" not in value:
            issues.append(
                Issue("ADS802", "the node has no 'asi' (the ad system's domain)", path, "object")
            )
        else:
            issues.append(
                Issue("ADS803", f"'asi' must be a string; found {json_type(asi)}", (*path, "asi"))
            )
    elif not asi:
        usable = False
        issues.append(
            Issue("ADS802", "'asi' is empty; it names the ad system's domain", (*path, "asi"))
        )
    else:
        problem = _domain_ok(asi)
        if problem is not None:
            issues.append(Issue("ADS809", f"'asi' is '{asi[:80]}': {problem}", (*path, "asi")))
        elif len(_GOOD_DOMAINS) < 100_000:
            _GOOD_DOMAINS.add(asi)
    if type(sid) is not str:
        if sid is None and "sid" not in value:
            if type(value.get("pid")) is str:
                sid = value["pid"]
                issues.append(
                    Issue(
                        "ADS815",
                        "the node names the seller in 'pid', an early "
                        "draft's field; the spec calls it 'sid'",
                        (*path, "pid"),
                        "key",
                        hint="rename 'pid' to 'sid'",
                    )
                )
            else:
                usable = False
                issues.append(
                    Issue(
                        "ADS802",
                        "the node has no 'sid' (the seller's ID in the ad system)",
                        path,
                        "object",
                    )
                )
        else:
            usable = False
            shown = f" {sid}" if isinstance(sid, (int, float)) and type(sid) is not bool else ""
            issues.append(
                Issue(
                    "ADS803",
                    f"'sid' must be a string; found {json_type(sid)}{shown}",
                    (*path, "sid"),
                    hint=f'write it as a string: "{sid}"' if shown else None,
                )
            )
    if type(sid) is str:
        if not sid.strip():
            usable = False
            issues.append(
                Issue(
                    "ADS802",
                    "'sid' is empty; it is the seller's ID in the ad system",
                    (*path, "sid"),
                )
            )
        elif len(sid) > MAX_SID:
            issues.append(
                Issue(
                    "ADS813",
                    f"'sid' has {len(sid)} characters; the spec limits it to {MAX_SID}",
                    (*path, "sid"),
                )
            )
    if hp is None:
        if "hp" not in value:
            issues.append(
                Issue(
                    "ADS807",
                    "the node has no 'hp'; supplychainobject.md requires "
                    "it (1 when the ad system pays the seller)",
                    path,
                    "object",
                    hint='add "hp": 1',
                )
            )
        else:
            issues.append(
                Issue("ADS803", "'hp' must be an integer (0 or 1); found null", (*path, "hp"))
            )
    else:
        hp = _flag(hp, (*path, "hp"), "hp", issues, from_string)
        if hp == 0:
            issues.append(
                Issue(
                    "ADS808",
                    "'hp' is 0: in version 1.0 every node is in the "
                    "payment flow, so hp should always be 1",
                    (*path, "hp"),
                )
            )
    if len(value) > 3:
        for key in _TEXT_FIELDS:
            field = value.get(key)
            if field is not None and type(field) is not str:
                issues.append(
                    Issue(
                        "ADS803",
                        f"'{key}' must be a string; found {json_type(field)}",
                        (*path, key),
                    )
                )
        domain = value.get("domain")
        if type(domain) is str and domain:
            problem = _domain_ok(domain)
            if problem is not None:
                issues.append(
                    Issue("ADS810", f"'domain' is '{domain[:80]}': {problem}", (*path, "domain"))
                )
        ext = value.get("ext")
        if ext is not None and type(ext) is not dict and not from_string:
            issues.append(
                Issue("ADS803", f"'ext' must be an object; found {json_type(ext)}", (*path, "ext"))
            )
    if not usable:
        return None
    assert isinstance(asi, str) and isinstance(sid, str)
    return Node(
        asi,
        sid.strip(),
        hp,
        _text(value.get("rid")),
        _text(value.get("name")),
        _text(value.get("domain")),
        value.get("ext"),
    )


def _text(value: object) -> str | None:
    return value if type(value) is str else None


# Ad-system domains already found valid: most streams name a few dozen ad systems.
_GOOD_DOMAINS: set[str] = set()
_SIMPLE_KEYS = frozenset({"asi", "sid", "hp", "rid"})
_new = tuple.__new__


def _clean(value: dict[str, Any]) -> SupplyChain | None:
    """The chain, when it is the common clean case (checked quickly); None to make the
    full validation decide (and report)."""
    if value.get("ver") != VERSION or "ext" in value:
        return None
    complete = value.get("complete")
    nodes = value.get("nodes")
    if (
        type(complete) is not int
        or (complete != 1 and complete != 0)
        or type(nodes) is not list
        or not nodes
        or len(nodes) > MAX_NODES
    ):
        return None
    made = []
    good = _GOOD_DOMAINS
    for node in nodes:
        if type(node) is not dict or not _SIMPLE_KEYS.issuperset(node):
            return None
        asi = node.get("asi")
        sid = node.get("sid")
        rid = node.get("rid")
        if (
            asi not in good
            or type(sid) is not str
            or node.get("hp") != 1
            or type(node["hp"]) is not int
            or not sid
            or len(sid) > MAX_SID
            or (rid is not None and type(rid) is not str)
            or sid[0] == " "
            or sid[-1] == " "
        ):
            return None
        # tuple.__new__ builds the very same Node without the keyword-defaults frame.
        made.append(_new(Node, (asi, sid, 1, rid, None, None, None)))
    return _new(SupplyChain, (VERSION, complete, tuple(made), None))


def validate(
    value: object,
    path: Path = (),
    *,
    from_string: bool = False,
) -> tuple[SupplyChain | None, list[Issue]]:
    """Validate a decoded SupplyChain object; the chain (None when unusable) and issues."""
    if type(value) is dict and not from_string:
        chain = _clean(value)
        if chain is not None:
            return chain, []
    issues: list[Issue] = []
    if type(value) is not dict:
        issues.append(
            Issue("ADS803", f"the SupplyChain must be an object; found {json_type(value)}", path)
        )
        return None, issues
    ver = value.get("ver")
    complete = value.get("complete")
    nodes = value.get("nodes")
    if type(ver) is not str:
        if "ver" not in value:
            issues.append(
                Issue(
                    "ADS802",
                    "the SupplyChain has no 'ver'; it is \"1.0\"",
                    path,
                    "object",
                    hint='add "ver": "1.0"',
                )
            )
        else:
            issues.append(
                Issue(
                    "ADS803",
                    f"'ver' must be a string; found {json_type(ver)}",
                    (*path, "ver"),
                    hint='write "1.0"',
                )
            )
    elif ver != VERSION:
        issues.append(
            Issue(
                "ADS804",
                f"'ver' is '{ver[:20]}'; the only SupplyChain version is \"{VERSION}\"",
                (*path, "ver"),
            )
        )
    if complete is None and "complete" not in value:
        issues.append(
            Issue(
                "ADS802",
                "the SupplyChain has no 'complete' (1 when the chain "
                "goes back to the inventory's owner, else 0)",
                path,
                "object",
            )
        )
        flag = None
    else:
        flag = _flag(complete, (*path, "complete"), "complete", issues, from_string)
    ext = value.get("ext")
    if ext is not None and type(ext) is not dict:
        issues.append(
            Issue("ADS803", f"'ext' must be an object; found {json_type(ext)}", (*path, "ext"))
        )
    if type(nodes) is not list:
        if nodes is None and "nodes" not in value:
            issues.append(Issue("ADS802", "the SupplyChain has no 'nodes'", path, "object"))
        else:
            issues.append(
                Issue(
                    "ADS803",
                    f"'nodes' must be an array; found {json_type(nodes)}",
                    (*path, "nodes"),
                )
            )
        return None, issues
    if not nodes:
        issues.append(
            Issue(
                "ADS811",
                "'nodes' is empty: a chain has at least the node of "
                "the system that sends the request",
                (*path, "nodes"),
            )
        )
        return None, issues
    checked = nodes
    if len(nodes) > MAX_NODES:
        issues.append(
            Issue(
                "ADS812",
                f"the chain has {len(nodes):,} nodes; more than "
                f"{MAX_NODES} is no real supply path (only the first {MAX_NODES} "
                "are checked)",
                (*path, "nodes"),
            )
        )
        checked = nodes[:MAX_NODES]
    parsed = []
    for number, item in enumerate(checked):
        parsed.append(_node(item, (*path, "nodes", number), issues, from_string))
    if flag is None or None in parsed or len(nodes) > MAX_NODES:
        return None, issues
    return SupplyChain(ver if type(ver) is str else VERSION, flag, tuple(parsed), ext), issues  # type: ignore[arg-type]


# ---- bid requests ---------------------------------------------------------------------------

_PLACES: tuple[Path, ...] = (("source", "schain"), ("source", "ext", "schain"), ("ext", "schain"))


def find_chain(request: Mapping[str, Any]) -> tuple[Path | None, list[Issue]]:
    """Where the chain of a bid request is: 2.6 ``source.schain`` first, then 2.5
    ``source.ext.schain``, then 2.4 ``ext.schain``; a warning when two differ."""
    found: list[tuple[Path, object]] = []
    for place in _PLACES:
        value: object = request
        for step in place:
            value = value.get(step) if type(value) is dict else None
            if value is None:
                break
        if value is not None:
            found.append((place, value))
    if not found:
        return None, [
            Issue(
                "ADS817",
                "the bid request has no supply chain (no source.schain, "
                "source.ext.schain or ext.schain)",
                (),
                "object",
            )
        ]
    issues = [
        Issue(
            "ADS816",
            f"the bid request also has a supply chain at {pointer(place)} that "
            f"differs from the one at {pointer(found[0][0])}, which is the one checked",
            place,
        )
        for place, value in found[1:]
        if value != found[0][1]
    ]
    return found[0][0], issues


# ---- the string form ------------------------------------------------------------------------


def _decode_field(
    text: str, start: int, issues: list[Issue], path: Path, spans: dict[Path, tuple[int, int]]
) -> str:
    from urllib.parse import unquote

    spans[path] = (start, start + len(text))
    bad = _PERCENT.search(text)
    if bad is not None:
        issues.append(
            Issue(
                "ADS814",
                f"'%' at offset {start + bad.start()} does not start a percent-encoded byte (%XX)",
                path,
            )
        )
        return text
    try:
        return unquote(text, errors="strict") if "%" in text else text
    except UnicodeDecodeError:
        issues.append(Issue("ADS814", "the percent-encoded bytes are not UTF-8", path))
        return unquote(text)


def parse_string(
    text: str,
) -> tuple[dict[str, Any] | None, list[Issue], dict[Path, tuple[int, int]]]:
    """The object a string-form chain stands for, the issues of its syntax, and the span
    (start and end offset) of each field, by JSON path.

    Grammar (supplychainobject.md, "SupplyChain for Non-OpenRTB Requests"):
    ``ver,complete!asi,sid,hp,rid,name,domain,ext!...``; trailing empty fields may be left
    out and every value is percent-encoded where it holds ``,`` ``!`` or characters that
    need URL encoding.
    """
    issues: list[Issue] = []
    spans: dict[Path, tuple[int, int]] = {(): (0, len(text))}
    segments = text.split("!")
    offsets = []
    position = 0
    for segment in segments:
        offsets.append(position)
        position += len(segment) + 1
    header = segments[0].split(",")
    if len(header) != 2:
        spans[("ver",)] = (0, len(segments[0]))
        issues.append(
            Issue(
                "ADS814",
                f"the string must start with 'ver,complete' such as "
                f"'1.0,1'; found '{segments[0][:40]}'",
                ("ver",),
            )
        )
        return None, issues, spans
    obj: dict[str, Any] = {}
    obj["ver"] = _decode_field(header[0], 0, issues, ("ver",), spans)
    complete = _decode_field(header[1], len(header[0]) + 1, issues, ("complete",), spans)
    obj["complete"] = int(complete) if complete.isdigit() and complete.isascii() else complete
    nodes: list[Any] = []
    obj["nodes"] = nodes
    spans[("nodes",)] = (offsets[1] if len(offsets) > 1 else len(text), len(text))
    for number, (segment, start) in enumerate(zip(segments[1:], offsets[1:], strict=True)):
        path: Path = ("nodes", number)
        spans[path] = (start, start + len(segment))
        if number >= MAX_NODES:
            nodes.append({})  # counted, not read: the chain is refused for its length
            continue
        if not segment:
            spans[path] = (start - 1, start)  # the '!' that opens an empty node
            issues.append(
                Issue("ADS814", f"node {number} is empty: a stray '!' at offset {start - 1}", path)
            )
            nodes.append(_UNREADABLE)
            continue
        fields = segment.split(",")
        if len(fields) > len(_NODE_FIELDS):
            extra = start + sum(len(f) + 1 for f in fields[: len(_NODE_FIELDS)]) - 1
            issues.append(
                Issue(
                    "ADS814",
                    f"node {number} has {len(fields)} fields; a node has "
                    f"at most {len(_NODE_FIELDS)} (asi,sid,hp,rid,name,domain,ext): "
                    f"a stray ',' at offset {extra}, or a ',' that should be "
                    "written %2C",
                    path,
                )
            )
            nodes.append(_UNREADABLE)
            continue
        node: dict[str, Any] = {}
        field_start = start
        for key, raw in zip(_NODE_FIELDS, fields, strict=False):
            value = _decode_field(raw, field_start, issues, (*path, key), spans)
            field_start += len(raw) + 1
            if key == "hp":
                if value:
                    node["hp"] = int(value) if value.isdigit() and value.isascii() else value
            elif value or key in ("asi", "sid"):
                node[key] = value
        nodes.append(node)
    return obj, issues, spans


def serialize(chain: SupplyChain) -> str:
    """The string form of a chain, every value percent-encoded as the spec asks (hp 0 is
    written as 0, not left empty)."""

    def enc(value: object) -> str:
        if value is None:
            return ""
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return quote(text, safe="")

    parts = [f"{enc(chain.ver)},{chain.complete}"]
    for node in chain.nodes:
        fields = [
            enc(node.asi),
            enc(node.sid),
            "" if node.hp is None else str(node.hp),
            enc(node.rid),
            enc(node.name),
            enc(node.domain),
            enc(node.ext),
        ]
        while len(fields) > 3 and not fields[-1]:
            fields.pop()
        parts.append(",".join(fields))
    return "!".join(parts)


# ---- any input ------------------------------------------------------------------------------


def _string_diagnostics(
    issues: list[Issue],
    spans: dict[Path, tuple[int, int]],
) -> list[Diagnostic]:
    from adstxt.rules import RULES

    out = []
    for issue in issues:
        path = issue.path
        while path not in spans and path:
            path = path[:-1]
        start, end = spans.get(path, (0, 0))
        if issue.part == "object" or issue.part == "key":
            end = max(end, start)
        out.append(
            Diagnostic(
                issue.code,
                RULES[issue.code].severity,
                1,
                start + 1,
                end + 1,
                issue.message,
                issue.hint,
                None,
                pointer(issue.path),
            )
        )
    return out


def _decode_bytes(data: bytes) -> tuple[str | None, Diagnostic | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return None, _whole(
            "ADS801",
            f"invalid UTF-8 byte 0x{data[error.start]:02X} at offset "
            f"{error.start}; a supply chain is UTF-8 text",
        )


def _whole(code: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    from adstxt.rules import RULES

    return Diagnostic(code, RULES[code].severity, line, column, column, message)


def check(data: bytes | str | Mapping[str, Any], *, form: Form | None = None) -> CheckResult:
    """Read and validate a supply chain in any form. Never raises on bad content.

    ``data`` is the string form, a JSON text (a SupplyChain object or a whole bid request,
    told apart by their members), their UTF-8 bytes, or an already decoded object.
    ``form`` forces the reading.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        text, problem = _decode_bytes(bytes(data))
        if problem is not None:
            return CheckResult(None, None, (problem,))
        assert text is not None
        data = text
    if isinstance(data, str):
        stripped = data.strip()
        if form == "string" or (form is None and not stripped.startswith(("{", "["))):
            return _check_string(stripped)
        try:
            document = json.loads(stripped)
        except json.JSONDecodeError as error:
            return CheckResult(
                None,
                None,
                (
                    _whole(
                        "ADS801",
                        f"not valid JSON: {error.msg.lower()} (line {error.lineno}, "
                        f"column {error.colno})",
                        error.lineno,
                        error.colno,
                    ),
                ),
            )
        except RecursionError:
            return CheckResult(
                None, None, (_whole("ADS801", "the JSON is nested too deeply to read"),)
            )
        return _check_document(document, stripped, form)
    return _check_document(data, None, form)


def _is_request(document: Mapping[str, Any]) -> bool:
    return not ("nodes" in document or "ver" in document or "complete" in document)


def _check_document(document: Any, text: str | None, form: Form | None) -> CheckResult:
    if type(document) is not dict:
        message = (
            f"expected a JSON object (a SupplyChain or a bid request); found {json_type(document)}"
        )
        return CheckResult(None, None, (_whole("ADS801", message),))
    request = None
    path: Path = ()
    issues: list[Issue] = []
    if form == "bid-request" or (form is None and _is_request(document)):
        request = document
        place, issues = find_chain(document)
        if place is None:
            return CheckResult("bid-request", None, tuple(_locate(text, issues)), request)
        path = place
        value: Any = document
        for step in place:
            value = value[step]
    else:
        value = document
    chain, found = validate(value, path)
    issues.extend(found)
    diagnostics = _locate(text, issues) if issues else []
    return CheckResult(
        "bid-request" if request is not None else "object", chain, tuple(diagnostics), request, path
    )


def _locate(text: str | None, issues: list[Issue]) -> list[Diagnostic]:
    from adstxt.rules import RULES

    if text is not None:
        from adstxt.sellers._locate import diagnostics_at

        root = len(text) - len(text.lstrip(" \t\r\n"))
        found = diagnostics_at(text, issues, root=root)
        return sorted(found, key=Diagnostic.sort_key)
    return [
        Diagnostic(
            i.code, RULES[i.code].severity, 1, 1, 1, i.message, i.hint, None, pointer(i.path)
        )
        for i in issues
    ]


def _check_string(text: str) -> CheckResult:
    if "!" not in text and "," not in text and "%2" in text.upper():
        # The whole string was URL-encoded once more (a query parameter read raw): the
        # separators arrive as %21 and %2C. Decoded once, then read as usual.
        from urllib.parse import unquote

        text = unquote(text)
    obj, issues, spans = parse_string(text)
    chain = None
    if obj is not None:
        chain, found = validate(obj, from_string=True)
        # A node whose syntax is broken was reported as such; what the validator says of
        # the stand-in would only repeat it.
        unreadable = {("nodes", n) for n, node in enumerate(obj["nodes"]) if node is _UNREADABLE}
        issues.extend(i for i in found if i.path[:2] not in unreadable)
        if any(i.code == "ADS814" for i in issues):
            chain = None
    diagnostics = sorted(_string_diagnostics(issues, spans), key=Diagnostic.sort_key)
    return CheckResult("string", chain, tuple(diagnostics))
