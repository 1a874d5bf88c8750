"""A real CSW client's round trip against the catalogue: OWSLib (Debian python3-owslib) reads the capabilities from
the URL it is given, then sends GetRecords (POST, Filter XML) and GetRecordById (GET, key-value pairs) to the operation
URLs the capabilities name. Prints what it understood as one JSON object."""
import json
import sys

from owslib.csw import CatalogueServiceWeb
from owslib.fes import PropertyIsLike, PropertyIsEqualTo, And

url, term = sys.argv[1], sys.argv[2]
csw = CatalogueServiceWeb(url, version="2.0.2", timeout=60)
out = {
    "version": csw.version,
    "serviceType": csw.identification.type,
    "operations": sorted(op.name for op in csw.operations),
    "urls": sorted({m["url"] for op in csw.operations for m in op.methods}),
}

csw.getrecords2(constraints=[And([PropertyIsLike("csw:AnyText", "%" + term + "%"), PropertyIsEqualTo("mi:modality", "CT")])],
                esn="full", maxrecords=10, typenames="csw:Record")
out["matches"] = csw.results["matches"]
out["returned"] = csw.results["returned"]
out["nextrecord"] = csw.results["nextrecord"]
out["records"] = {k: {"title": r.title, "type": r.type, "subjects": r.subjects, "abstract": r.abstract, "format": r.format}
                  for k, r in csw.records.items()}

first = next(iter(csw.records))
csw.getrecordbyid(id=[first], esn="summary")
out["byId"] = {k: r.title for k, r in csw.records.items()}
print(json.dumps(out, ensure_ascii=False))
