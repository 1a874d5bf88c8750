namespace MedImaging.Dicom;

/// <summary>The writers go as deep as the reader may (<see cref="DicomReaderOptions.MaxDepthLimit"/>) and refuse deeper
/// datasets (built in memory) with an exception, rather than recursing until the stack overflows.</summary>
internal static class NestingGuard
{
    /// <summary>JSON levels for the deepest dataset: three per sequence level (element object, Value array, item
    /// object), the top object, and an enclosing array (QIDO-RS and WADO-RS metadata are arrays of datasets).</summary>
    public const int JsonDepth = 3 * DicomReaderOptions.MaxDepthLimit + 4;

    public static void Check(int depth)
    {
        if (depth > DicomReaderOptions.MaxDepthLimit)
            throw new InvalidOperationException($"Sequences nest deeper than {DicomReaderOptions.MaxDepthLimit} levels; the writers refuse what the reader would.");
    }
}
