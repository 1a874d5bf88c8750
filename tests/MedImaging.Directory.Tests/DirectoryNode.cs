using MedImaging.Contracts.Registration;
using MedImaging.Directory;
using MedImaging.Directory.Catalog;
using MedImaging.Directory.Infrastructure;
using MedImaging.ServiceDefaults.Auth;
using MedImaging.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace MedImaging.Directory.Tests;

/// <summary>
/// A test node with its Directory host on the real servers (PostgreSQL, Redis, RabbitMQ), and what the tests need
/// around it: entries published straight into the read model through the real <see cref="CatalogWriter"/>, and
/// clients holding tokens of a given clearance and scope.
/// </summary>
public sealed class DirectoryNode : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _hosts = [];

    private DirectoryNode(NodeTestEnvironment node, ServiceFactory<DirectoryServiceMarker> directory)
    {
        Node = node;
        Directory = directory;
        _hosts.Add(directory);
    }

    public NodeTestEnvironment Node { get; }
    public ServiceFactory<DirectoryServiceMarker> Directory { get; }
    public string NodeId => Node.Node["nodeId"]!.GetValue<string>();

    public static async Task<DirectoryNode> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var node = await NodeTestEnvironment.CreateAsync();
        var directory = new ServiceFactory<DirectoryServiceMarker>(node, settings);
        _ = directory.Server; // start (and migrate) now, not in the first request
        return new DirectoryNode(node, directory);
    }

    /// <summary>Another host of the node, disposed with it (before the node's database goes).</summary>
    public T Own<T>(T host) where T : IAsyncDisposable
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>Applies registration facts through the read model's writer, in one transaction, as a consumer would.</summary>
    public async Task ApplyAsync(params object[] facts)
    {
        await using var scope = Directory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DirectoryDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<CatalogWriter>();
        await using var tx = await db.Database.BeginTransactionAsync();
        foreach (var fact in facts)
        {
            _ = fact switch
            {
                ResourcePublished p => await writer.ApplyAsync(p, CancellationToken.None),
                ResourceRevised r => await writer.ApplyAsync(r, CancellationToken.None),
                ResourceWithdrawn w => await writer.ApplyAsync(w, CancellationToken.None),
                _ => throw new ArgumentException($"Not a registration fact: {fact.GetType().Name}", nameof(facts)),
            };
            await db.SaveChangesAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>A publication of a new entry of this node, with sensible values; change what the test is about.</summary>
    public ResourcePublished Published(string title, string classification = SecurityLevels.Public, string? institution = null, Guid? id = null,
        int version = 1) => new()
    {
        OriginNode = NodeId, ResourceId = id ?? Guid.CreateVersion7(), RecordVersion = version, Actor = "publisher", Title = title,
        Format = "DICOM", SecurityClassification = classification, Institution = institution ?? FirstInstitution,
        Modalities = ["CT"], BodyParts = ["CHEST"], StudyDate = new DateOnly(2025, 3, 14), ClassificationCode = "2.2.1",
    };

    /// <summary>The first institution of the node's registry (tier file <c>institutions</c>).</summary>
    public string FirstInstitution => Node.Node["institutions"]!.AsArray()[0]!["code"]!.GetValue<string>();

    /// <summary>A client of the Directory host whose token has this clearance (and institution, when bound).</summary>
    public HttpClient Client(string clearance, string? institution = null, params string[] roles) =>
        Directory.CreateClient().WithToken(TestTokens.CreateScoped(Node, "tester", clearance, institution, roles.Length == 0 ? [Roles.Researcher] : roles));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts)) await host.DisposeAsync();
        await Node.DisposeAsync();
    }
}
