using System.Collections.Concurrent;

namespace MedImaging.Registration.Cataloguing;

/// <summary>
/// The Metadata service's recent answers — its scheme, and its classification of each distinct <see cref="ClassifyInput"/>
/// — so that ingest's writer classifies new entries inside its own transaction without an HTTP call: a hospital sends the
/// same few combinations of modality, body part and description all day. An answer is kept five minutes and dropped at
/// once when this replica hears of a scheme change; a miss is classified right after the commit
/// (<see cref="IngestClassifier"/>). Workflow steps always ask the Metadata service afresh.
/// </summary>
public sealed class ClassificationMemo
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (ClassifyResult Result, DateTimeOffset At)> _results = new(StringComparer.Ordinal);
    private (SchemeView Scheme, DateTimeOffset At)? _scheme;
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    /// <summary>The scheme and the classification of <paramref name="input"/> when both are remembered and fresh.</summary>
    public (SchemeView Scheme, ClassifyResult Result)? Cached(ClassifyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = DateTimeOffset.UtcNow;
        return _scheme is { } s && now - s.At < Lifetime && _results.TryGetValue(input.Key, out var r) && now - r.At < Lifetime ? (s.Scheme, r.Result) : null;
    }

    /// <summary>Remembered answers, else the Metadata service's (which are then remembered).</summary>
    public async Task<(SchemeView Scheme, ClassifyResult Result)> GetAsync(ClassifyInput input, IMetadataService metadata, string bearerToken, CancellationToken ct)
    {
        if (Cached(input) is { } hit) return hit;
        var scheme = await SchemeAsync(metadata, bearerToken, ct);
        var result = await metadata.ClassifyAsync(input, bearerToken, ct);
        Remember(input, result);
        return (scheme, result);
    }

    public async Task<SchemeView> SchemeAsync(IMetadataService metadata, string bearerToken, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (_scheme is { } s && DateTimeOffset.UtcNow - s.At < Lifetime) return s.Scheme;
        return Remember(await metadata.SchemeAsync(bearerToken, ct));
    }

    public SchemeView Remember(SchemeView scheme)
    {
        _scheme = (scheme, DateTimeOffset.UtcNow);
        return scheme;
    }

    public void Remember(ClassifyInput input, ClassifyResult result)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_results.Count >= MaxEntries) _results.Clear();
        _results[input.Key] = (result, DateTimeOffset.UtcNow);
    }

    /// <summary>The scheme or its mapping changed: nothing remembered holds any more.</summary>
    public void Clear()
    {
        _scheme = null;
        _results.Clear();
    }

    private DateTimeOffset _unavailableUntil;

    /// <summary>
    /// Ingest stops asking for a while after the Metadata service could not be asked, so that an outage costs each store
    /// request nothing but the classification (which the catalogue step then makes), not a timeout each.
    /// </summary>
    public bool MetadataUnavailable => DateTimeOffset.UtcNow < _unavailableUntil;

    public void NoteUnavailable() => _unavailableUntil = DateTimeOffset.UtcNow.AddSeconds(30);

    /// <summary>A study the writer stored without a classification (a miss): whoever takes it classifies it.</summary>
    public void MarkPending(string studyInstanceUid) => _pending[studyInstanceUid] = 0;

    public bool TakePending(string studyInstanceUid) => _pending.TryRemove(studyInstanceUid, out _);
}
