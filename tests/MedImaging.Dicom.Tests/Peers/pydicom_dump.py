#!/usr/bin/python3
"""Dumps pydicom's view of many DICOM files as one JSON document (one process for the whole corpus).

Reads file paths from stdin, one per line. For each: {"path", "error" | "meta", "ds", "little"}.
Each element: {"t": tag hex, "vr": VR, and one of "s" (strings), "n" (numbers), "h" (sha1 of bytes,
little endian), "items" (list of element lists), "err" (pydicom could not convert the value)}.
"""
import hashlib
import json
import math
import sys

import pydicom
from pydicom.multival import MultiValue
from pydicom.valuerep import PersonName

WORDS = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
NUMS = {"US", "SS", "UL", "SL", "FL", "FD", "SV", "UV", "DS", "IS"}


def as_list(v):
    if v is None or v == "":
        return []
    if isinstance(v, (list, tuple, MultiValue)):
        return list(v)
    return [v]


def num(x):
    if x is None or x == "":
        return None
    f = float(x)
    if math.isnan(f) or math.isinf(f):
        return str(f)
    return int(x) if isinstance(x, int) else f


def swap(b, width):
    out = bytearray(b)
    for i in range(0, len(b) - len(b) % width, width):
        out[i:i + width] = b[i:i + width][::-1]
    return bytes(out)


def element(elem, little):
    e = {"t": "%08X" % elem.tag, "vr": elem.VR}
    try:
        v = elem.value
        if elem.VR == "SQ":
            e["items"] = [dataset(item, little) for item in v]
        elif isinstance(v, (bytes, bytearray)):
            b = bytes(v)
            if not little and elem.VR in WORDS:
                b = swap(b, WORDS[elem.VR])
            e["h"] = hashlib.sha1(b).hexdigest()
            e["len"] = len(b)
        elif elem.VR == "AT":
            e["s"] = ["%08X" % int(x) for x in as_list(v)]
        elif elem.VR in NUMS:
            e["n"] = [num(x) for x in as_list(v)]
        else:
            e["s"] = [str(x) if x is not None else "" for x in as_list(v)]
    except Exception as ex:  # pydicom could not convert this value
        e["err"] = "%s: %s" % (type(ex).__name__, ex)
    return e


def dataset(ds, little):
    out = []
    for tag in sorted(ds.keys()):
        try:
            out.append(element(ds[tag], little))
        except Exception as ex:
            out.append({"t": "%08X" % tag, "vr": "??", "err": "%s: %s" % (type(ex).__name__, ex)})
    return out


def main():
    stop = len(sys.argv) > 1 and sys.argv[1] == "--stop-before-pixels"
    results = []
    for path in (line.strip() for line in sys.stdin):
        if not path:
            continue
        r = {"path": path}
        try:
            ds = pydicom.dcmread(path, force=True, stop_before_pixels=stop)
            little = ds.is_little_endian if ds.is_little_endian is not None else True
            r["little"] = little
            r["meta"] = dataset(ds.file_meta, True) if hasattr(ds, "file_meta") else []
            r["ds"] = dataset(ds, little)
        except Exception as ex:
            r["error"] = "%s: %s" % (type(ex).__name__, ex)
        results.append(r)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
