#!/usr/bin/python3
"""Parse one page of the DCAT-AP export in both serialisations with rdflib (Debian python3-rdflib) and print what a
harvester would read from it, as JSON, for DcatExportTests to assert on.

usage: dcat_summary.py PAGE.ttl PAGE.jsonld

The two graphs must be isomorphic (the same triples) once the paging triples are set aside: those link each format to
its own pages. The summary is read from the Turtle graph. Paging is read the way ckanext-dcat's RDFParser.next_page()
reads it: hydra:next, else hydra:nextPage, of a hydra:PagedCollection.
"""
import json
import sys

from rdflib import Graph, Namespace, RDF
from rdflib.compare import isomorphic

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")


def literals(g, s, p):
    return sorted([str(o), o.language or (str(o.datatype) if o.datatype else None)] for o in g.objects(s, p))


def iris(g, s, p):
    return sorted(str(o) for o in g.objects(s, p))


def next_page(g):
    for page in g.subjects(RDF.type, HYDRA.PagedCollection):
        for o in g.objects(page, HYDRA.next):
            return str(o)
        for o in g.objects(page, HYDRA.nextPage):
            return str(o)
    return None


def without_paging(g):
    pages = set(g.subjects(RDF.type, HYDRA.PagedCollection))
    rest = Graph()
    for t in g:
        if t[0] not in pages:
            rest.add(t)
    return rest


def main(ttl_path, jsonld_path):
    ttl = Graph().parse(ttl_path, format="turtle")
    jsonld = Graph().parse(jsonld_path, format="json-ld")
    summary = {"triples": len(ttl), "jsonldTriples": len(jsonld), "isomorphic": isomorphic(without_paging(ttl), without_paging(jsonld)),
               "jsonldNext": next_page(jsonld)}

    summary["catalogs"] = sorted(str(c) for c in ttl.subjects(RDF.type, DCAT.Catalog))
    summary["catalogDatasets"] = sorted(str(d) for c in ttl.subjects(RDF.type, DCAT.Catalog) for d in ttl.objects(c, DCAT.dataset))
    summary["catalogTitles"] = sorted(literal for c in ttl.subjects(RDF.type, DCAT.Catalog) for literal in literals(ttl, c, DCT.title))

    summary["next"] = next_page(ttl)
    summary["totalItems"] = next((int(o) for page in ttl.subjects(RDF.type, HYDRA.PagedCollection) for o in ttl.objects(page, HYDRA.totalItems)), None)

    datasets = {}
    for ds in ttl.subjects(RDF.type, DCAT.Dataset):
        d = {
            "identifier": [v for v, _ in literals(ttl, ds, DCT.identifier)],
            "title": literals(ttl, ds, DCT.title),
            "description": literals(ttl, ds, DCT.description),
            "keyword": literals(ttl, ds, DCAT.keyword),
            "issued": literals(ttl, ds, DCT.issued),
            "modified": literals(ttl, ds, DCT.modified),
            "accessRights": iris(ttl, ds, DCT.accessRights),
            "numberOfRecords": literals(ttl, ds, HEALTH.numberOfRecords),
            "numberOfUniqueIndividuals": literals(ttl, ds, HEALTH.numberOfUniqueIndividuals),
            "theme": [{"notation": [v for v, _ in literals(ttl, t, SKOS.notation)], "prefLabel": literals(ttl, t, SKOS.prefLabel),
                       "inScheme": iris(ttl, t, SKOS.inScheme)} for t in ttl.objects(ds, DCAT.theme)],
            "publisher": [{"name": literals(ttl, p, FOAF.name), "identifier": [v for v, _ in literals(ttl, p, DCT.identifier)],
                           "type": iris(ttl, p, RDF.type)} for p in ttl.objects(ds, DCT.publisher)],
            "temporal": [{"start": literals(ttl, t, DCAT.startDate), "end": literals(ttl, t, DCAT.endDate)} for t in ttl.objects(ds, DCT.temporal)],
            "distribution": [{"accessURL": iris(ttl, x, DCAT.accessURL), "format": iris(ttl, x, DCT["format"]),
                              "mediaType": iris(ttl, x, DCAT.mediaType), "type": iris(ttl, x, RDF.type)} for x in ttl.objects(ds, DCAT.distribution)],
        }
        datasets[str(ds)] = d
    summary["datasets"] = datasets
    json.dump(summary, sys.stdout, ensure_ascii=False, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
