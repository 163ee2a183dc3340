"""HSDS ids: UUIDs derived from our primary keys (uuid5 in a namespace of our own), so a
record keeps its id across exports and a partner can match updates to what it holds."""

import hashlib
import uuid

# Fixed for good: changing it changes every id a partner holds.
NAMESPACE = uuid.UUID("3b6f1d2e-7c4a-5e8b-9f10-2a4c6e8b0d13")


def hsds_id(kind: str, *parts) -> str:
    """hsds_id("service", 42): the id of program 42's service; parts name the record.

    uuid.uuid5 written out (RFC 4122, version 5): a full service has dozens of ids, and
    building uuid.UUID objects was most of the cost of writing one (tests/hsds/test_ids.py
    checks the two agree)."""
    name = "/".join([kind, *map(str, parts)]).encode()
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
