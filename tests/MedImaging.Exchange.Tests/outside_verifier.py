#!/usr/bin/env python3
"""An outside verifier of a MedImagingCatalog audit chain, written from docs/adr/0020-audit-trail.md ("Canonical
form") alone, with the Python standard library: reads rows as JSON lines on stdin (PostgreSQL's row_to_json of
exchange.audit_records, in sequence order) and prints "ok <rows>" or "broken <sequence> <kind>". Anchor signatures
(ES256) need an ECDSA library the standard library lacks; they are checked by the C# tests with .NET's own ECDsa."""
import hashlib
import json
import struct
import sys
from datetime import datetime, timezone

ABSENT = b"\xff\xff\xff\xff"


def field(value):
    if value is None:
        return ABSENT
    data = value if isinstance(value, bytes) else value.encode("utf-8")
    return struct.pack(">I", len(data)) + data


def time(text):
    t = datetime.fromisoformat(text).astimezone(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def details_map(obj):
    entries = []
    for key, value in obj.items():
        if value is not None and not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        entries.append((key.encode("utf-8"), value))
    entries.sort(key=lambda e: e[0])
    out = struct.pack(">I", len(entries))
    for key, value in entries:
        out += field(key) + field(value)
    return out


def bytea(text):
    assert text.startswith("\\x")
    return bytes.fromhex(text[2:])


def canonical(row):
    out = field("medcat-audit-row/1") + field(str(row["sequence"])) + field(row["event_id"].lower())
    out += field(time(row["recorded_at"])) + field(time(row["occurred_at"]))
    for name in ("node", "service", "actor_id", "actor_name"):
        out += field(row[name])
    roles = row["actor_roles"] or []
    out += struct.pack(">I", len(roles)) + b"".join(field(r) for r in roles)
    for name in ("client_id", "actor_node", "actor_institution", "actor_clearance", "action", "resource_kind",
                 "resource_id", "resource_identifier", "resource_classification", "resource_institution", "outcome",
                 "outcome_reason", "source_address", "user_agent", "correlation_id"):
        out += field(row[name])
    out += details_map(row["details"])
    out += field(bytea(row["previous_hash"]))
    return out


def main():
    expected, previous, rows = 1, bytes(32), 0
    for line in sys.stdin:
        if not line.strip():
            continue
        row = json.loads(line)
        if row["sequence"] != expected:
            print(f"broken {expected} sequence-gap")
            return 1
        if hashlib.sha256(canonical(row)).digest() != bytea(row["hash"]):
            print(f"broken {row['sequence']} content-changed")
            return 1
        if bytea(row["previous_hash"]) != previous:
            print(f"broken {row['sequence']} row-missing")
            return 1
        previous, expected, rows = bytea(row["hash"]), expected + 1, rows + 1
    print(f"ok {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
