using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.Extensions.Options;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace MedImaging.Directory.Search.Index;

/// <summary>
/// This instance's Lucene index of the published entries (ADR 0030): one writer, a near-real-time searcher refreshed
/// after every applied batch, and the change-feed position it holds (<see cref="Watermark"/>), committed with the index
/// so that a restart resumes. The read model in PostgreSQL stays the truth; the index can always be rebuilt from it.
/// </summary>
public sealed class CatalogIndex : IDisposable
{
    private const string WatermarkKey = "changeSeq", DatabaseKey = "database";

    /// <summary>The origin node of a change-feed deletion that stands for a truncation of the whole table.</summary>
    public const string TruncatedMarker = "*";
    private readonly ILogger<CatalogIndex> _log;
    private readonly object _gate = new();
    private LuceneDirectory? _directory;
    private IndexWriter? _writer;
    private SearcherManager? _searchers;
    private string? _temporary;
    private long _watermark;
    private TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CatalogIndex(IOptions<CatalogIndexOptions> options, ILogger<CatalogIndex> log)
    {
        _log = log;
        Options = options.Value;
    }

    public CatalogIndexOptions Options { get; }

    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Asks the feeder to look for changes now (a search found the index behind the read model).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>The feeder's wait: woken by <see cref="Wake"/> or after <paramref name="interval"/>.</summary>
    internal Task<bool> WaitForWakeAsync(TimeSpan interval, CancellationToken ct) => _wake.WaitAsync(interval, ct);

    /// <summary>Open and holding every entry up to <see cref="Watermark"/>.</summary>
    public bool IsOpen => _searchers is not null;

    /// <summary>The last change-feed position applied: every entry change up to it is in the searcher.</summary>
    public long Watermark => Interlocked.Read(ref _watermark);

    public string? Location { get; private set; }

    private long _answered, _declined;

    /// <summary>Searches the index answered, and those it left to PostgreSQL (a binding's SQL condition, or behind the read model).</summary>
    public (long Answered, long Declined) Searches => (Interlocked.Read(ref _answered), Interlocked.Read(ref _declined));

    internal void Count(bool answered) => Interlocked.Increment(ref answered ? ref _answered : ref _declined);

    /// <summary>Scores are the engine's own field weights summed (no query norm, no coordination factor), as in SQL.</summary>
    internal static readonly Similarity Weights = new PlainSumSimilarity();

    /// <summary>Opens (or creates) the index for <paramref name="database"/>; an index of another database is emptied first.</summary>
    public void Open(string database)
    {
        lock (_gate)
        {
            if (_writer is not null) return;
            var (directory, location) = OpenDirectory();
            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer: null!)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = 64,
                // Fewer, larger segments than Lucene's default (10 per tier): a concept-expanded query looks up a few
                // hundred terms in every segment, so query cost grows with their number; merging costs the feeder instead.
                MergePolicy = new TieredMergePolicy { SegmentsPerTier = 4, MaxMergeAtOnce = 4 },
            };
            var writer = new IndexWriter(directory, config);
            var data = writer.CommitData ?? new Dictionary<string, string>();
            var watermark = data.TryGetValue(WatermarkKey, out var w) && long.TryParse(w, out var n) ? n : 0;
            if (!data.TryGetValue(DatabaseKey, out var db) || db != database)
            {
                // Another database (a new node, a restored backup, a benchmark's throwaway one): start from nothing.
                writer.DeleteAll();
                watermark = 0;
            }
            writer.SetCommitData(new Dictionary<string, string> { [WatermarkKey] = watermark.ToString(System.Globalization.CultureInfo.InvariantCulture), [DatabaseKey] = database });
            writer.Commit();
            _directory = directory;
            _writer = writer;
            _searchers = new SearcherManager(writer, applyAllDeletes: true, new PlainSumSearcherFactory());
            Location = location;
            Interlocked.Exchange(ref _watermark, watermark);
            _log.LogInformation("Catalogue index at {Location}: {Documents} entries, change feed at {Watermark}", location, writer.NumDocs, watermark);
        }
    }

    /// <summary>Applies a batch of changed entries (published: added or replaced; otherwise removed) and makes it searchable.</summary>
    public void Apply(IReadOnlyList<IndexedEntry> batch, long watermark)
    {
        var writer = _writer ?? throw new InvalidOperationException("The catalogue index is not open.");
        foreach (var e in batch)
        {
            if (e.OriginNode == TruncatedMarker)
            {
                writer.DeleteAll();
                continue;
            }
            var key = new Term(IndexFields.EntryKey, e.Key);
            if (e.Published) writer.UpdateDocument(key, IndexFields.Build(e));
            else writer.DeleteDocuments(key);
        }
        _searchers!.MaybeRefreshBlocking();
        Interlocked.Exchange(ref _watermark, watermark);
        Interlocked.Exchange(ref _applied, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Empties the index and sets its position to the start of the change feed: it is rebuilt from the table.</summary>
    public void Reset()
    {
        var writer = _writer ?? throw new InvalidOperationException("The catalogue index is not open.");
        writer.DeleteAll();
        _searchers!.MaybeRefreshBlocking();
        Interlocked.Exchange(ref _watermark, 0);
    }

    /// <summary>Writes the index and its change-feed position to disk.</summary>
    public void Commit(string database)
    {
        var writer = _writer ?? throw new InvalidOperationException("The catalogue index is not open.");
        writer.SetCommitData(new Dictionary<string, string> { [WatermarkKey] = Watermark.ToString(System.Globalization.CultureInfo.InvariantCulture), [DatabaseKey] = database });
        writer.Commit();
    }

    /// <summary>Waits until the index holds every change up to <paramref name="target"/>; false when the time ran out.</summary>
    public async Task<bool> WaitForAsync(long target, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        while (Watermark < target)
        {
            var applied = Volatile.Read(ref _applied).Task;
            if (Watermark >= target) break;
            try
            {
                await applied.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Watermark >= target;
            }
        }
        return true;
    }

    public int Documents
    {
        get
        {
            if (_searchers is null) return 0;
            var searcher = _searchers.Acquire();
            try { return searcher.IndexReader.NumDocs; }
            finally { _searchers.Release(searcher); }
        }
    }

    /// <summary>Runs <paramref name="search"/> on the current searcher.</summary>
    public T Search<T>(Func<IndexSearcher, T> search)
    {
        var searchers = _searchers ?? throw new InvalidOperationException("The catalogue index is not open.");
        var searcher = searchers.Acquire();
        try
        {
            return search(searcher);
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    private (LuceneDirectory, string) OpenDirectory()
    {
        if (Options.Path is { Length: > 0 } path)
        {
            try
            {
                System.IO.Directory.CreateDirectory(path);
                var dir = FSDirectory.Open(new DirectoryInfo(path));
                // Probe the write lock now: a second process on the same folder builds its own instead of failing later.
                if (!IndexWriter.IsLocked(dir)) return (dir, path);
                dir.Dispose();
                _log.LogWarning("Catalogue index {Path} is in use by another process; this one builds its own under the temporary folder", path);
            }
            catch (IOException ex)
            {
                _log.LogWarning(ex, "Catalogue index {Path} cannot be opened; this process builds its own under the temporary folder", path);
            }
        }
        _temporary = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "medcat-directory-index", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(_temporary);
        return (FSDirectory.Open(new DirectoryInfo(_temporary)), _temporary);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _searchers?.Dispose();
            _writer?.Dispose();
            _directory?.Dispose();
            _searchers = null;
            _writer = null;
            if (_temporary is not null)
            {
                try { System.IO.Directory.Delete(_temporary, recursive: true); }
                catch (IOException) { /* a file still mapped; the temporary folder is the system's to clean */ }
            }
        }
    }

    private sealed class PlainSumSimilarity : DefaultSimilarity
    {
        public override float QueryNorm(float sumOfSquaredWeights) => 1f;

        public override float Coord(int overlap, int maxOverlap) => 1f;
    }

    private sealed class PlainSumSearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Weights };
    }
}
