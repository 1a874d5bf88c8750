#!/usr/bin/python3
"""For each path on stdin: sha1 of pydicom's pixel_array (all frames, samples interleaved, little endian) or its error."""
import hashlib
import json
import sys
import warnings

warnings.simplefilter("ignore")
import pydicom  # noqa: E402

out = {}
for path in (l.strip() for l in sys.stdin):
    if not path:
        continue
    try:
        ds = pydicom.dcmread(path, force=True)
        arr = ds.pixel_array
        arr = arr.astype(arr.dtype.newbyteorder("<"))
        out[path] = {"sha": hashlib.sha1(arr.tobytes()).hexdigest(), "dtype": str(arr.dtype), "shape": list(arr.shape)}
    except Exception as ex:
        out[path] = {"error": "%s: %s" % (type(ex).__name__, ex)}
json.dump(out, sys.stdout)
