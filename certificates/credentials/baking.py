"""Open Badges 3.0 baking: the signed credential inside the certificate's PNG.

An iTXt chunk with the keyword `openbadgecredential`, uncompressed, whose text is the
compact JWS, inserted before the image's last chunk (IEND). Splicing the chunk into the
drawn PNG costs nothing next to drawing it again.
"""

import struct
import zlib

KEYWORD = b"openbadgecredential"
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bake(png: bytes, credential: str) -> bytes:
    if not png.startswith(SIGNATURE) or png[-12:-8] != b"\x00\x00\x00\x00":
        raise ValueError("Not a PNG ending with IEND.")
    # keyword, NUL, not compressed, method 0, no language tag, no translated keyword, text
    data = KEYWORD + b"\x00\x00\x00" + b"\x00" + b"\x00" + credential.encode("utf-8")
    return png[:-12] + _chunk(b"iTXt", data) + png[-12:]


def unbake(png: bytes) -> str | None:
    """The credential a baked PNG carries, or None."""
    position = len(SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"iTXt" and data.startswith(KEYWORD + b"\x00"):
            rest = data[len(KEYWORD) + 1 :]
            compressed, rest = rest[0], rest[2:]
            _language, _translated, text = rest.split(b"\x00", 2)
            return (zlib.decompress(text) if compressed else text).decode("utf-8")
        position += 12 + length
    return None
