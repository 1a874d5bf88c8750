#!/usr/bin/python3
"""pydicom's own pixel pipeline on real files, one request per stdin line: "<mode>\t<path>".

modes (pydicom.pixel_data_handlers.util, pydicom 2.3):
  modality  apply_modality_lut(pixel_array, ds)
  voi       apply_voi_lut(apply_modality_lut(...), ds)             (VOI LUT preferred over a window)
  window    apply_voi_lut(apply_modality_lut(...), ds, prefer_lut=False)
  palette   apply_color_lut(pixel_array, ds)
  ybr       convert_color_space(pixel_array, PhotometricInterpretation, "RGB")
Prints one JSON object: {"<mode>\t<path>": {"values": [...], "dtype": "..."} or {"error": "..."}}; values flattened
in C order (frames, rows, columns, samples).
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")
import pydicom  # noqa: E402
from pydicom.pixel_data_handlers.util import (  # noqa: E402
    apply_color_lut, apply_modality_lut, apply_voi_lut, convert_color_space)


def run(mode, path):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    if mode == "modality":
        out = apply_modality_lut(arr, ds)
    elif mode == "voi":
        out = apply_voi_lut(apply_modality_lut(arr, ds), ds)
    elif mode == "window":
        out = apply_voi_lut(apply_modality_lut(arr, ds), ds, prefer_lut=False)
    elif mode == "palette":
        out = apply_color_lut(arr, ds)
    elif mode == "ybr":
        out = convert_color_space(arr, ds.PhotometricInterpretation, "RGB")
    else:
        raise ValueError("unknown mode " + mode)
    return {"values": out.ravel().tolist(), "dtype": str(out.dtype)}


result = {}
for line in (l.rstrip("\n") for l in sys.stdin):
    if not line:
        continue
    mode, path = line.split("\t", 1)
    try:
        result[line] = run(mode, path)
    except Exception as ex:  # the caller asserts on errors it expects and fails on others
        result[line] = {"error": "%s: %s" % (type(ex).__name__, ex)}
json.dump(result, sys.stdout)
