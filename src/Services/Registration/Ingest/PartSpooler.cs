using System.Buffers;

namespace MedImaging.Registration.Ingest;

/// <summary>
/// Copies one multipart part, asynchronously, into memory up to a threshold and then into a temporary file that
/// deletes itself, stopping at the per-part limit. The whole request is never held; one part at most, mostly on disk.
/// </summary>
public static class PartSpooler
{
    public sealed record Spooled(Stream Content, long Length, bool Oversized) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Content.DisposeAsync();
    }

    public static async Task<Spooled> SpoolAsync(Stream part, long limit, int memoryThreshold, CancellationToken ct)
    {
        Stream target = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        long total = 0;
        try
        {
            int n;
            while ((n = await part.ReadAsync(buffer, ct)) > 0)
            {
                total += n;
                if (total > limit)
                {
                    await target.DisposeAsync();
                    // The multipart reader drains the rest of the part when the next one is asked for.
                    return new Spooled(Stream.Null, total, true);
                }
                if (target is MemoryStream ms && ms.Length + n > memoryThreshold)
                {
                    var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                        FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                    ms.Position = 0;
                    await ms.CopyToAsync(file, ct);
                    await ms.DisposeAsync();
                    target = file;
                }
                await target.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            target.Position = 0;
            return new Spooled(target, total, false);
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
