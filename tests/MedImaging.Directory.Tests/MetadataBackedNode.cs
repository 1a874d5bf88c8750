using System.Diagnostics;
using MedImaging.Metadata;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;

namespace MedImaging.Directory.Tests;

/// <summary>
/// A Directory node with the real Metadata host beside it (one database and vhost, as Registration's tests share a node):
/// the Metadata host seeds its sets and announces the active versions over RabbitMQ, and the tests start once the
/// directory has recorded both seeded sets with their elements. Shared by the tests of one class.
/// </summary>
public sealed class MetadataBackedNode : IAsyncLifetime
{
    public DirectoryNode Node { get; private set; } = null!;
    public ServiceFactory<MetadataServiceMarker> Metadata { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await DirectoryNode.CreateAsync();
        Metadata = Node.Own(new ServiceFactory<MetadataServiceMarker>(Node.Node));
        Metadata.CreateClient().Dispose(); // migrate, seed, announce
        await UntilAsync("SELECT count(*) FROM directory.schema_versions WHERE jsonb_array_length(elements) > 0 AND set_code IN ('basic-metadata', 'dicom-imaging')", 2);
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    public HttpClient MetadataAdmin => Metadata.CreateClient().WithToken(TestTokens.Create(Node.Node, "meta-admin", Roles.Admin));

    public HttpClient MetadataReader => Metadata.CreateClient().WithToken(TestTokens.Create(Node.Node, "cataloguer-1", Roles.Cataloguer));

    /// <summary>Waits (up to a minute: facts cross RabbitMQ) until the query counts <paramref name="expected"/>.</summary>
    public async Task UntilAsync(string sql, long expected)
    {
        var count = -1L;
        for (var i = 0; i < 600 && (count = await Node.ScalarAsync(sql)) != expected; i++) await Task.Delay(100);
        Assert.Equal(expected, count);
    }

    public static async Task<(int Code, string Output)> XmllintAsync(string xsd, string xml)
    {
        using var process = Process.Start(new ProcessStartInfo("xmllint", ["--noout", "--schema", xsd, xml]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
