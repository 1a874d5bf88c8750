namespace MedImaging.Cli.Push;

/// <summary>Cuts the files to push into batches bounded by a count and by a body size.</summary>
public static class Batches
{
    // Multipart boundary and part headers per file: a generous bound, so the body never exceeds the size by them.
    internal const long PartOverhead = 256;

    /// <summary>
    /// In order, at most <paramref name="maxFiles"/> files and <paramref name="maxBytes"/> bytes a batch; a file larger
    /// than <paramref name="maxBytes"/> goes alone (the node says whether it takes it).
    /// </summary>
    public static SourceFile[][] Split(IReadOnlyList<SourceFile> files, int maxFiles, long maxBytes)
    {
        var batches = new List<SourceFile[]>();
        var current = new List<SourceFile>();
        long bytes = 0;
        foreach (var file in files)
        {
            var size = file.Size + PartOverhead;
            if (current.Count > 0 && (current.Count == maxFiles || bytes + size > maxBytes))
            {
                batches.Add([.. current]);
                current.Clear();
                bytes = 0;
            }
            current.Add(file);
            bytes += size;
        }
        if (current.Count > 0) batches.Add([.. current]);
        return [.. batches];
    }
}
