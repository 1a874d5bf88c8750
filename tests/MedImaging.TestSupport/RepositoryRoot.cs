namespace MedImaging.TestSupport;

public static class RepositoryRoot
{
    /// <summary>The checkout the tests run from (the folder holding MedImagingCatalog.sln).</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MedImagingCatalog.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"MedImagingCatalog.sln not found above {AppContext.BaseDirectory}.");
    }
}
