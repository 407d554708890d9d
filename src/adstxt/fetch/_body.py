"""Reading a response body with a hard size cap, decompressing with bounded output."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

__all__ = ["BodyError", "read_body"]


class BodyError(Exception):
    """The body could not be read within the limits; ``code`` is the fetch rule broken."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than it is allowed."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        # gzip: header-checked; deflate: zlib-wrapped, retried as raw deflate (both are seen).
        wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._decoder = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``, producing at most ``room + 1`` bytes (one more means too much)."""
        out = bytearray()
        while data and len(out) <= room:
            try:
                chunk = self._decoder.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self._started or self._encoding != "deflate":
                    raise
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                chunk = self._decoder.decompress(data, room + 1 - len(out))
            self._started = True
            out += chunk
            data = self._decoder.unconsumed_tail
            if self._decoder.eof:
                break
        return bytes(out)


async def read_body(chunks: AsyncIterator[bytes], content_encoding: str, limit: int) -> bytes:
    """The decoded body, raising :class:`BodyError` past ``limit`` bytes (raw or decoded).

    The cap is enforced chunk by chunk as the body arrives, so an endless or huge body costs
    at most ``limit`` bytes of memory, and a small compressed body that would expand past the
    limit (a decompression bomb) is stopped after producing ``limit + 1`` bytes.
    """
    encoding = content_encoding.strip().lower()
    inflater: _Inflater | None = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = _Inflater(encoding)
    elif encoding not in ("", "identity"):
        raise BodyError(
            "ADS522",
            f"the body uses Content-Encoding {encoding!r}, which was not "
            "requested and cannot be decoded",
        )
    raw = 0
    body = bytearray()
    async for chunk in chunks:
        raw += len(chunk)
        if raw > limit:
            raise BodyError("ADS520", f"the body is larger than the {limit:,}-byte limit")
        if inflater is None:
            body += chunk
            continue
        try:
            body += inflater.feed(chunk, limit - len(body))
        except zlib.error as exc:
            # zlib's own words ("Error -3 while decompressing data: incorrect header check")
            # say nothing a server's operator can act on.
            raise BodyError(
                "ADS522",
                f"the body is declared {encoding} but is not valid "
                f"{encoding} data after {raw:,} bytes",
            ) from exc
        if len(body) > limit:
            raise BodyError(
                "ADS521",
                f"the {encoding} body expands past the {limit:,}-byte limit after "
                f"{raw:,} compressed bytes (a decompression bomb)",
            )
    return bytes(body)
