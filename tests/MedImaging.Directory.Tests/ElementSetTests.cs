using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MedImaging.ServiceDefaults.Auth;

namespace MedImaging.Directory.Tests;

/// <summary>
/// Element sets brief / summary / full in JSON and in XML; the full XML record is the Metadata service's export of the
/// record's set version and validates against that version's XSD, fetched from the Metadata host and checked by xmllint.
/// </summary>
public sealed class ElementSetTests(MetadataBackedNode fx) : IClassFixture<MetadataBackedNode>
{
    private const string OidBase = "2.16.156.10011.2.9.130000.2.2.1.";
    private static readonly XNamespace Dicom = "urn:medimaging:metadata:dicom-imaging:1";

    [Fact]
    public async Task Brief_summary_and_full_hold_what_the_description_says()
    {
        await fx.Node.ApplyAsync(fx.Node.Complete("元素集 胸部CT平扫", OidBase + "7001"));
        var client = fx.Node.Client(SecurityLevels.Public);
        var session = await client.OpenSessionAsync();
        var rs = (await client.SearchAsync(session, new { text = "元素集" }))["resultSetId"].Str();

        var brief = (await client.RetrieveAsync(session, rs, elementSet: "brief")).Records().Single();
        Assert.Equal(["position", "status", "originNode", "resourceId", "identifier", "title", "kind", "classification", "date"], brief.Select(p => p.Key));
        Assert.Equal(("2.2.1", "平扫"), (brief["classification"]!["code"].Str(), brief["classification"]!["name"].Str()));
        Assert.Equal("2025-03-14", brief["date"].Str());

        var summary = (await client.RetrieveAsync(session, rs, elementSet: "summary")).Records().Single();
        Assert.Equal(["position", "status", "originNode", "resourceId", "identifier", "title", "kind", "classification", "date", "abstract", "keywords",
            "institution", "modalities", "bodyParts", "securityClassification", "onlineResourceLink", "format", "publishedAt"], summary.Select(p => p.Key));
        Assert.Equal("河北医科大学第二医院", summary["institution"]!["name"].Str());

        var full = (await client.RetrieveAsync(session, rs, elementSet: "full")).Records().Single();
        Assert.Equal(("dicom-imaging", 1), (full["metadataSet"]!["code"].Str(), full["metadataSet"]!["version"]!.GetValue<int>()));
        var basic = full["elements"]!["basic-metadata"]!;
        var dicom = full["elements"]!["dicom-imaging"]!;
        // Each value under the set that defines it, entity members inside their entity, typed as the element says.
        Assert.Equal("2.2.1", basic["resourceCategory"]!["categoryCode"].Str());
        Assert.Equal("河北医科大学第二医院", basic["pointOfContact"]!["organizationName"].Str());
        Assert.Equal(["胸部", "CT"], basic["keyword"]!.AsArray().Select(k => k.Str()));
        Assert.False(basic["chargeSign"]!.GetValue<bool>());
        Assert.Equal(["CT"], dicom["modality"]!.AsArray().Select(k => k.Str()));
        Assert.Equal(240, dicom["numberOfInstances"]!.GetValue<long>());
        Assert.Null(dicom["resourceTitle"]);
        Assert.Null(full["otherValues"]);
    }

    [Fact]
    public async Task A_full_xml_record_validates_against_the_metadata_services_xsd_and_a_brief_one_carries_only_the_brief_elements()
    {
        var oid = OidBase + "7002";
        await fx.Node.ApplyAsync(fx.Node.Complete("XML校验 胸部CT平扫", oid), fx.Node.Complete("XML校验 第二例", OidBase + "7003"));
        var client = fx.Node.Client(SecurityLevels.Public);
        var dir = System.IO.Directory.CreateTempSubdirectory("medcat-discovery-xsd-").FullName;
        var xsd = Path.Combine(dir, "schema.xsd");
        await File.WriteAllTextAsync(xsd, await fx.MetadataReader.GetStringAsync("/sets/dicom-imaging/versions/1/schema.xsd"));

        async Task<(int Code, string Output)> ValidateAsync(XElement record, string name)
        {
            var file = Path.Combine(dir, name);
            await File.WriteAllTextAsync(file, new XDocument(new XDeclaration("1.0", "utf-8", null), record).ToString());
            return await MetadataBackedNode.XmllintAsync(xsd, file);
        }

        var response = await client.GetAsync($"/records/{oid}?format=xml");
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        var entry = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(("entry", "available", "ImagingStudy"), (entry.Name.LocalName, (string?)entry.Attribute("status"), (string?)entry.Attribute("kind")));
        var record = entry.Element(Dicom + "record")!;
        Assert.Equal("XML校验 胸部CT平扫", (string?)record.Element(Dicom + "resourceTitle"));
        var (code, output) = await ValidateAsync(record, "record.xml");
        Assert.True(code == 0, output);
        Assert.Contains("validates", output, StringComparison.Ordinal);

        // Each record of a full retrieval validates too.
        var session = await client.OpenSessionAsync();
        var rs = (await client.SearchAsync(session, new { text = "XML校验" }))["resultSetId"].Str();
        var full = XDocument.Parse(await client.GetStringAsync($"/sessions/{session}/result-sets/{rs}?elementSet=full&format=xml")).Root!;
        Assert.Equal("2", (string?)full.Attribute("hits"));
        var records = full.Descendants(Dicom + "record").ToList();
        Assert.Equal(2, records.Count);
        foreach (var (r, i) in records.Select((r, i) => (r, i)))
        {
            var (c, o) = await ValidateAsync(r, $"full-{i}.xml");
            Assert.True(c == 0, o);
        }

        // The brief record uses the same schema's names but only the brief elements: the XSD (the check is real) refuses it.
        var brief = XDocument.Parse(await client.GetStringAsync($"/sessions/{session}/result-sets/{rs}?elementSet=brief&format=xml")).Root!
            .Descendants(Dicom + "record").First();
        Assert.Equal(["resourceId", "resourceTitle", "resourceCategory", "studyDate"], brief.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["categoryName", "categoryCode"], brief.Element(Dicom + "resourceCategory")!.Elements().Select(e => e.Name.LocalName));
        var (briefCode, briefOutput) = await ValidateAsync(brief, "brief.xml");
        Assert.NotEqual(0, briefCode);
        Assert.Contains("keyword", briefOutput, StringComparison.Ordinal);
        var summary = XDocument.Parse(await client.GetStringAsync($"/sessions/{session}/result-sets/{rs}?elementSet=summary&format=xml")).Root!
            .Descendants(Dicom + "record").First();
        Assert.NotNull(summary.Element(Dicom + "abstract"));
        Assert.Null(summary.Element(Dicom + "studyInstanceUid"));
    }

    [Fact]
    public async Task A_record_is_found_by_identifier_or_by_node_and_id_and_a_missing_one_is_404()
    {
        var p = fx.Node.Complete("按标识符 腹部CT", OidBase + "7004");
        await fx.Node.ApplyAsync(p);
        var client = fx.Node.Client(SecurityLevels.Public);

        var byOid = (await client.GetFromJsonAsync<JsonObject>($"/records/{OidBase}7004?elementSet=summary"))!;
        Assert.Equal("按标识符 腹部CT", byOid["title"].Str());
        var byKey = (await client.GetFromJsonAsync<JsonObject>($"/records/{p.OriginNode}/{p.ResourceId}"))!;
        Assert.Equal(OidBase + "7004", byKey["identifier"].Str());
        Assert.NotNull(byKey["elements"]);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/records/{OidBase}7999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/records/{p.OriginNode}/{Guid.CreateVersion7()}")).StatusCode);
        var bad = await client.GetAsync("/records/not-an-oid");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["identifier"]);
    }
}
