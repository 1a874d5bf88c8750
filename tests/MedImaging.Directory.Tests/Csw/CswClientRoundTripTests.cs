using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MedImaging.Directory;
using MedImaging.Gateway;
using MedImaging.ServiceDefaults.Node;
using MedImaging.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// OWSLib, a real CSW client, against the node's gateway (Kestrel, loopback) in front of a Directory host (Kestrel):
/// GetCapabilities → GetRecords → GetRecordById, each request going where the capabilities told it to.
/// </summary>
public sealed class CswClientRoundTripTests : IAsyncLifetime
{
    private DirectoryNode _node = null!;
    private Uri _gateway = null!;

    public async Task InitializeAsync()
    {
        _node = await DirectoryNode.CreateAsync();
        var directory = _node.Own(new ServiceFactory<DirectoryServiceMarker>(_node.Node));
        var directoryUrl = OnKestrel(directory);
        // The gateway routes by the node file: point it at the port the Directory host got.
        var tier = _node.Node.Node;
        tier["endpoints"]![ServiceNames.Directory] = directoryUrl.AbsoluteUri;
        await File.WriteAllTextAsync(_node.Node.TierFile, tier.ToJsonString());
        _gateway = OnKestrel(_node.Own(new ServiceFactory<GatewayMarker>(_node.Node)));

        await _node.ApplyAsync(
            _node.Published("胸部CT平扫 肺结节随访") with { Abstract = "低剂量CT筛查发现的肺部结节", Keywords = ["肺结节", "随访"] },
            _node.Published("头颅CT 出血") with { Abstract = "急诊头颅CT" },
            _node.Published("腹部MR 肝脏结节") with { Modalities = ["MR"] },
            _node.Published("胸部CT 结节 内部", MedImaging.ServiceDefaults.Auth.SecurityLevels.Internal));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static Uri OnKestrel<T>(ServiceFactory<T> factory) where T : class
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task OWSLib_reads_the_capabilities_finds_a_Chinese_term_and_fetches_the_record_through_the_gateway()
    {
        var endpoint = new Uri(_gateway, "/api/directory/csw");
        var result = await RunOwsLibAsync(endpoint.AbsoluteUri, "结节");

        Assert.Equal("2.0.2", result["version"]!.GetValue<string>());
        Assert.Equal("CSW", result["serviceType"]!.GetValue<string>());
        Assert.Equal(["DescribeRecord", "GetCapabilities", "GetRecordById", "GetRecords"], result["operations"]!.AsArray().Select(o => o!.GetValue<string>()));
        // Every operation URL is the gateway's, so the two requests below went through it.
        Assert.Equal([endpoint.AbsoluteUri], result["urls"]!.AsArray().Select(u => u!.GetValue<string>()));

        // AnyText 结节 AND modality CT, as an anonymous caller: the public chest CT only (not the MR, not the internal one).
        Assert.Equal((1, 1, 0), (result["matches"]!.GetValue<int>(), result["returned"]!.GetValue<int>(), result["nextrecord"]!.GetValue<int>()));
        var (id, record) = Assert.Single(result["records"]!.AsObject());
        Assert.Equal("胸部CT平扫 肺结节随访", record!["title"]!.GetValue<string>());
        Assert.Equal("低剂量CT筛查发现的肺部结节", record["abstract"]!.GetValue<string>());
        Assert.Equal("ImagingStudy", record["type"]!.GetValue<string>());
        Assert.Contains("肺结节", record["subjects"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("胸部CT平扫 肺结节随访", result["byId"]![id]!.GetValue<string>());
    }

    private static async Task<JsonObject> RunOwsLibAsync(string url, string term)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Csw", "owslib_round_trip.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, url, term }) start.ArgumentList.Add(a);
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"OWSLib failed ({process.ExitCode}): {await stderr}\n{await stdout}");
        return JsonNode.Parse(await stdout)!.AsObject();
    }
}
