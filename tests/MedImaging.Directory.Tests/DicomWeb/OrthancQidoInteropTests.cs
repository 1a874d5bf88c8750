using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MedImaging.Contracts.Registration;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.Gateway;
using MedImaging.Registration.Tests;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests.DicomWeb;

/// <summary>
/// Acceptance (issue 12): a DICOMweb client nobody here wrote — Debian's Orthanc 1.10 with its DICOMweb plugin 1.7 —
/// configured with our node as a DICOMweb server (its node gateway, on a real loopback port, routing GET /dicomweb/**
/// to the Directory host on another), searches the catalogue through Orthanc's own REST API. Orthanc runs with no DICOM
/// port and loopback-only HTTP behind a random password; our hosts listen on loopback only.
/// </summary>
public sealed class OrthancQidoInteropTests
{
    [OrthancFact]
    public async Task Orthanc_finds_a_study_by_a_Chinese_institution_name_with_a_wildcard_and_gets_its_Chinese_description_intact()
    {
        int directoryPort = OrthancDicomWebClient.FreeLoopbackPort(), gatewayPort = OrthancDicomWebClient.FreeLoopbackPort();
        var node = await NodeTestEnvironment.CreateAsync(editNode: n =>
        {
            n["endpoints"]!["directory"] = $"http://127.0.0.1:{directoryPort}/";
            n["endpoints"]!["gateway"] = $"http://127.0.0.1:{gatewayPort}";
        });
        await using var _ = node;
        await using var directory = OnKestrel(new ServiceFactory<DirectoryServiceMarker>(node), directoryPort);
        await using var gateway = OnKestrel(new ServiceFactory<GatewayMarker>(node), gatewayPort);

        var nodeId = node.Node["nodeId"]!.GetValue<string>();
        var institution = node.Node["institutions"]!.AsArray()[0]!["code"]!.GetValue<string>();
        ResourcePublished Study(string uid, string description, string institutionName, string classification) => new()
        {
            OriginNode = nodeId, ResourceId = Guid.CreateVersion7(), RecordVersion = 1, Actor = "publisher", Title = description, Format = "DICOM",
            SecurityClassification = classification, Institution = institution, InstitutionName = institutionName, StudyInstanceUid = uid,
            StudyDescription = description, Modalities = ["CT"], StudyDate = new DateOnly(2025, 3, 14), SeriesCount = 1, InstanceCount = 120,
            PatientPseudonym = "5f0c1e2d3a4b5c6d7e8f90a1b2c3d4e5",
            Series = [new PublishedSeries { SeriesInstanceUid = uid + ".1", Modality = "CT", SeriesDescription = "肺窗 1mm", SeriesNumber = 1, InstanceCount = 120 }],
        };
        var found = Study("1.2.156.600.7.1", "胸部CT平扫 肺结节随访", "河北医科大学第二医院", SecurityLevels.Public);
        var otherHospital = Study("1.2.156.600.7.2", "头颅MR增强", "河北省人民医院", SecurityLevels.Public);
        var hidden = Study("1.2.156.600.7.3", "腹部CT增强 内部", "河北医科大学第三医院", SecurityLevels.Internal);
        await ApplyAsync(directory.Services, found, otherHospital, hidden);

        // Orthanc holds a public caller's token, as a hospital's viewer configured for the open catalogue would.
        var token = TestTokens.CreateScoped(node, "orthanc-viewer", SecurityLevels.Public, null, Roles.Public);
        await using var orthanc = await OrthancDicomWebClient.StartAsync(OrthancDicomWebClient.FreeLoopbackPort(), new Uri(gateway.Url, "dicomweb/"), token);

        var studies = await QidoAsync(orthanc, new JsonObject
        {
            ["Uri"] = "/studies",
            ["Arguments"] = new JsonObject { ["InstitutionName"] = "河北医科大学*", ["includefield"] = "StudyDescription" },
        });
        var study = Assert.Single(studies)!;
        Assert.Equal(found.StudyInstanceUid, Tag(study, "0020000D"));
        Assert.Equal("胸部CT平扫 肺结节随访", Tag(study, "00081030"));
        Assert.Equal("河北医科大学第二医院", Tag(study, "00080080"));
        Assert.Equal("ISO_IR 192", Tag(study, "00080005"));
        Assert.Equal(found.PatientPseudonym, Tag(study, "00100020"));

        // The study's series, through the same client.
        var series = await QidoAsync(orthanc, new JsonObject { ["Uri"] = $"/studies/{found.StudyInstanceUid}/series" });
        Assert.Equal("肺窗 1mm", Tag(Assert.Single(series)!, "0008103E"));
    }

    private static async Task<JsonArray> QidoAsync(OrthancDicomWebClient orthanc, JsonObject request)
    {
        using var response = await orthanc.Http.PostAsync($"dicom-web/servers/{OrthancDicomWebClient.ServerName}/qido",
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Orthanc's QIDO-RS request {request.ToJsonString()}: {(int)response.StatusCode} {body}\n{orthanc.LogTail}");
        return JsonNode.Parse(body)!.AsArray();
    }

    // Orthanc answers its own simplified form: { "00081030": { "Name": "StudyDescription", "Value": "…", "vr": "LO" } }.
    private static string? Tag(JsonNode dataset, string tag) => dataset[tag]?["Value"] switch
    {
        JsonArray array => array.Count > 0 ? array[0]?.ToString() : null,
        { } value => value.ToString(),
        null => null,
    };

    private static async Task ApplyAsync(IServiceProvider services, params ResourcePublished[] facts)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<CatalogWriter>();
        foreach (var fact in facts) await writer.ApplyAsync(fact, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private static Host OnKestrel<TMarker>(ServiceFactory<TMarker> factory, int port) where TMarker : class
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return new Host(factory, new Uri($"http://127.0.0.1:{port}/"));
    }

    private sealed record Host(ITestHost Factory, Uri Url) : IAsyncDisposable
    {
        public IServiceProvider Services => Factory.Services;

        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }
}
