using MedImaging.Directory.Search;
using MedImaging.ServiceDefaults.Hosting;

namespace MedImaging.Directory.Concepts;

/// <summary>Loads the concept dictionary at start and makes concept expansion the catalogue's query expansion.</summary>
public static class ConceptRegistration
{
    /// <summary>Configuration key of the dictionary file; relative paths are relative to the content root.</summary>
    public const string PathKey = "Directory:ConceptsPath";

    /// <summary>The dictionary shipped with the service, copied next to its assembly.</summary>
    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, "Concepts", "concepts.json");

    public static WebApplicationBuilder AddConceptSearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(Load(builder));
        builder.Services.AddSingleton<IQueryExpansion, ConceptExpansion>();
        return builder;
    }

    /// <summary>
    /// The dictionary, read now so that a broken one stops the host with one line naming the concept at fault (as a
    /// bad node file does), instead of answering searches with a silently smaller vocabulary.
    /// </summary>
    private static ConceptVocabulary Load(WebApplicationBuilder builder)
    {
        var host = (ServiceHostContext)builder.Services.Single(d => d.ServiceType == typeof(ServiceHostContext)).ImplementationInstance!;
        // The migrator step searches nothing; a dictionary being edited must not hold back a migration.
        if (Environment.GetCommandLineArgs().Contains("--migrate")) return ConceptVocabulary.Empty;
        var configured = builder.Configuration[PathKey];
        var path = string.IsNullOrWhiteSpace(configured) ? ShippedPath : Path.GetFullPath(configured, builder.Environment.ContentRootPath);
        try
        {
            return ConceptDictionaryLoader.Load(path);
        }
        catch (ConceptDictionaryException ex)
        {
            host.Refuse($"{PathKey} {path}: {ex.Message}");
            return ConceptVocabulary.Empty;
        }
    }
}
