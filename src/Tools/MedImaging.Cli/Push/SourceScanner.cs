namespace MedImaging.Cli.Push;

/// <summary>One file to push: where it is, as the journal names it (relative to the pushed folder), and its stamp.</summary>
public sealed record SourceFile(string FullPath, string RelativePath, long Size, long ModifiedTicks);

/// <summary>
/// Walks the folder (or takes the one file) and keeps what looks like Part-10: a 128-byte preamble followed by "DICM".
/// STOW-RS needs the file meta information, so a raw dataset without it would be refused by the server anyway.
/// </summary>
public static class SourceScanner
{
    public sealed record Result(IReadOnlyList<SourceFile> Dicom, IReadOnlyList<string> NotDicom);

    public static Result Scan(string source, string? journalPath)
    {
        var root = Directory.Exists(source) ? source : Path.GetDirectoryName(source)!;
        IEnumerable<string> paths = Directory.Exists(source)
            ? Directory.EnumerateFiles(source, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.System })
            : [source];
        var dicom = new List<SourceFile>();
        var other = new List<string>();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            if (journalPath is not null && string.Equals(Path.GetFullPath(path), journalPath, StringComparison.Ordinal)) continue;
            if (Path.GetFileName(path).StartsWith(".medcat-push.journal", StringComparison.Ordinal)) continue;
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(root, path);
            if (HasPart10Prefix(path)) dicom.Add(new SourceFile(info.FullName, relative, info.Length, info.LastWriteTimeUtc.Ticks));
            else other.Add(relative);
        }
        return new Result(dicom, other);
    }

    public static bool HasPart10Prefix(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            Span<byte> head = stackalloc byte[132];
            return fs.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
